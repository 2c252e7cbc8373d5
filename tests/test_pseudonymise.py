"""Keyed-hash pseudonyms (brief §6): stable, normalised, keyed, and refused without a key on real data."""

from __future__ import annotations

import hashlib
import hmac

import pandas as pd
import pytest

from etl.model import ManifestError, Town
from etl.pseudonymise import DEMO_KEY, KEY_VARIABLE, Pseudonymiser, resolve_key


def test_hmac_sha256_of_normalised_identifier() -> None:
    out = Pseudonymiser(b"geheim")(pd.Series([" Anna@Example.DE ", "anna@example.de", "bob"]))
    expected = hmac.new(b"geheim", b"anna@example.de", hashlib.sha256).hexdigest()
    assert out.iloc[0] == out.iloc[1] == expected
    assert out.iloc[2] != expected
    assert all(len(v) == 64 for v in out)


def test_key_changes_pseudonym_and_empty_gives_missing() -> None:
    ids = pd.Series(["anna@example.de", "", None], index=[5, 6, 7])
    a, b = Pseudonymiser(b"k1")(ids), Pseudonymiser(b"k2")(ids)
    assert a.iloc[0] != b.iloc[0]
    assert list(a.index) == [5, 6, 7]
    assert a.iloc[1:].isna().all()


def test_empty_series_and_empty_key() -> None:
    assert Pseudonymiser(b"k")(pd.Series([], dtype="str")).empty
    with pytest.raises(ValueError):
        Pseudonymiser(b"")


KEY = "mein-schluessel-mit-genug-zeichen-1234"
DEMO_TOWNS = (Town("99001001", "Demostadt"), Town("99001012", "Beispielheim"))


def test_resolve_key_from_environment_wins(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(KEY_VARIABLE, KEY)
    assert resolve_key(demo=True, towns=DEMO_TOWNS) == (KEY.encode(), False)
    assert resolve_key(demo=False) == (KEY.encode(), False)


def test_short_key_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(KEY_VARIABLE, "x" * 31)
    with pytest.raises(ManifestError, match=r"ENGAGE_PSEUDONYM_KEY ist zu kurz \(31 Zeichen, nötig .* 32\)"):
        resolve_key(demo=False)


def test_resolve_key_demo_gets_public_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(KEY_VARIABLE, raising=False)
    assert resolve_key(demo=True, towns=DEMO_TOWNS) == (DEMO_KEY, True)


def test_demo_key_only_for_towns_of_the_fictional_land(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(KEY_VARIABLE, raising=False)
    with pytest.raises(ManifestError, match="demo = true gilt nur für synthetische Demodaten.*09162000"):
        resolve_key(demo=True, towns=(*DEMO_TOWNS, Town("09162000", "München")))
    with pytest.raises(ManifestError, match="keine Städte"):
        resolve_key(demo=True)


def test_resolve_key_refuses_real_data_without_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(KEY_VARIABLE, "  ")
    with pytest.raises(ManifestError, match="ENGAGE_PSEUDONYM_KEY ist nicht gesetzt.*export ENGAGE_PSEUDONYM_KEY"):
        resolve_key(demo=False)
