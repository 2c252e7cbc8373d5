"""Keyed-hash pseudonyms for person identifiers (brief §6).

A registration export names people by e-mail, name or platform id. Those values must never reach the
warehouse, yet the indicators need to recognise one person across registrations, files and runs. An
HMAC-SHA256 with a secret key does both: the same identifier always gives the same pseudonym, and without
the key nobody can test a guessed e-mail against the stored hashes (which a plain hash would allow).
"""

from __future__ import annotations

import hmac
import os
from collections.abc import Sequence

import numpy as np
import pandas as pd

from etl.messages import Msg
from etl.model import ManifestError, Town

KEY_VARIABLE = "ENGAGE_PSEUDONYM_KEY"
MIN_KEY_LENGTH = 32  # a short key can be guessed, and with it every pseudonym tested against a list of e-mails
# `engage demo` puts its fictional towns into the Land code 99, which no real AGS has.
DEMO_LAND = "99"

# Public on purpose: synthetic demo data contains no real persons, so its pseudonyms need no secret.
# A run that uses it records ``demo_key = True`` so nobody mistakes such a warehouse for a protected one.
DEMO_KEY = b"engagement-monitor-demo-key (public, only for synthetic demo data)"


def resolve_key(demo: bool, towns: Sequence[Town] = ()) -> tuple[bytes, bool]:
    """The pseudonym key and whether it is the public demo key.

    ``ENGAGE_PSEUDONYM_KEY`` always wins, and must have at least :data:`MIN_KEY_LENGTH` characters; without
    it only demo data may run (with :data:`DEMO_KEY`): a folder with ``demo = true`` whose towns all lie in
    the fictional Land 99 of ``engage demo``. ``demo = true`` alone proves nothing (anyone can write it into a
    real town's manifest), and pseudonyms made with a public key protect nobody.
    """
    value = os.environ.get(KEY_VARIABLE, "").strip()
    if value:
        if len(value) < MIN_KEY_LENGTH:
            raise ManifestError(Msg("mf_key_short", variable=KEY_VARIABLE, length=len(value), minimum=MIN_KEY_LENGTH))
        return value.encode("utf-8"), False
    if demo:
        real = [t.ags for t in towns if not t.ags.startswith(DEMO_LAND)]
        if towns and not real:
            return DEMO_KEY, True
        shown = ", ".join(real[:3]) + (" …" if len(real) > 3 else "")
        raise ManifestError(
            Msg("mf_demo_real_towns", land=DEMO_LAND, shown=shown or Msg("mf_no_towns_shown"), variable=KEY_VARIABLE)
        )
    raise ManifestError(Msg("mf_key_missing", variable=KEY_VARIABLE))


class Pseudonymiser:
    """Callable turning a Series of person identifiers into hex HMAC-SHA256 pseudonyms.

    Identifiers are normalised first (surrounding spaces removed, case folded) so that ``Anna@Example.de``
    and ``anna@example.de `` are one person. Each distinct value is hashed once: registration exports
    repeat the same person many times, and hashing is the only per-value Python step.
    Empty identifiers give a missing value (the reader rejects them as an empty required field).
    """

    def __init__(self, key: bytes) -> None:
        if not key:
            raise ValueError("Pseudonymiser needs a non-empty key")
        self._key = key

    def __call__(self, identifiers: pd.Series) -> pd.Series:
        normalised = identifiers.fillna("").astype(str).str.strip().str.casefold()
        codes, uniques = pd.factorize(normalised, sort=False)
        key = self._key
        # hmac.digest: OpenSSL's one-shot HMAC, the same value as hmac.new(...).hexdigest() with a fifth less
        # work per value (a network's registrations hash about 120,000 distinct people; issue 13)
        hashed = np.array(
            [hmac.digest(key, value.encode("utf-8"), "sha256").hex() if value else None for value in uniques],
            dtype=object,
        )
        out = hashed[codes] if len(hashed) else np.array([None] * len(codes), dtype=object)
        return pd.Series(out, index=identifiers.index, dtype="str", name=identifiers.name)
