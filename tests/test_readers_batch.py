"""Sources validated together (etl.readers.batch, issue 13) give each source the result it gets alone.

The batch is a performance device only: the frames, the rejects with their German reasons and codes, and
every file's counts and message must be the same whether a source is read alone or with the other sources
of its kind, so neither ``BATCH_SIZE`` nor ``--jobs`` can change the warehouse. Checked on the demo folder
(which carries bad rows, wrongly mapped columns and the quirks of real exports) for every batched kind,
with the batch in forward and in reverse order.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from etl.manifest import load_manifest
from etl.model import SourceResult
from etl.pseudonymise import Pseudonymiser, resolve_key
from etl.readers import BATCH_READERS, read_kind


def _same(alone: SourceResult, batched: SourceResult) -> None:
    assert alone.spec.label == batched.spec.label
    assert alone.failed == batched.failed
    assert sorted(alone.frames) == sorted(batched.frames)
    for name, frame in alone.frames.items():
        pd.testing.assert_frame_equal(frame, batched.frames[name], check_exact=True, obj=f"{alone.spec.label} {name}")
    pd.testing.assert_frame_equal(alone.rejects, batched.rejects, check_exact=True, obj=f"{alone.spec.label} rejects")
    assert [vars(f) for f in alone.files] == [vars(f) for f in batched.files]


@pytest.mark.parametrize("kind", sorted(BATCH_READERS))
def test_a_source_read_in_a_batch_gives_what_it_gives_alone(demo_source: Path, kind: str) -> None:
    manifest = load_manifest(demo_source)
    pseudonymiser = Pseudonymiser(resolve_key(manifest.project.demo, manifest.towns)[0])
    specs = [s for s in manifest.sources if s.kind == kind]
    assert len(specs) >= 2, kind  # a batch of more than one source
    alone = [read_kind([spec], manifest.project, manifest.towns, pseudonymiser)[0] for spec in specs]
    together = read_kind(specs, manifest.project, manifest.towns, pseudonymiser)
    backwards = read_kind(specs[::-1], manifest.project, manifest.towns, pseudonymiser)[::-1]
    for one, batched, reverse in zip(alone, together, backwards, strict=True):
        _same(one, batched)
        _same(one, reverse)
