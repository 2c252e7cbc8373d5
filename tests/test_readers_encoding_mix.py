"""A file that joins UTF-8 and cp1252 lines is stopped, whatever the bytes (issue 13: the line-by-line check
is skipped for files without a single UTF-8 sequence, which cannot have a UTF-8 line)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from etl.readers.tabular import _TEXT_CHARS, FileUnreadable, _refuse_mixed

WORDS = ["Müller", "Straße", "Größe", "Ökologie", "–", "„Kultur“", "€ 5", "Ärzte", "Sport", "1;2;3", "Ã¼", "日本"]


def _is_utf8_text(line: bytes) -> bool:
    try:
        return _TEXT_CHARS.fullmatch(line.decode("utf-8")) is not None
    except UnicodeDecodeError:
        return False


def _is_other(line: bytes) -> bool:
    try:
        line.decode("utf-8")
    except UnicodeDecodeError:
        return True
    return False


@st.composite
def lines(draw: st.DrawFn) -> bytes:
    """Lines of words in UTF-8 or cp1252 (where cp1252 has them), or raw bytes."""
    out = []
    for _ in range(draw(st.integers(0, 8))):
        if draw(st.booleans()):
            out.append(draw(st.binary(max_size=12)).replace(b"\n", b" "))
            continue
        text = " ".join(draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=4)))
        encoding = draw(st.sampled_from(["utf-8", "cp1252"]))
        out.append(text.encode(encoding, errors="replace"))
    return b"\n".join(out)


@settings(max_examples=500, deadline=None)
@given(lines())
def test_stopped_exactly_when_a_utf8_line_meets_a_line_of_another_encoding(data: bytes) -> None:
    non_ascii = [line for line in data.split(b"\n") if any(byte > 0x7F for byte in line)]
    mixed = any(map(_is_utf8_text, non_ascii)) and any(map(_is_other, non_ascii))
    if mixed:
        with pytest.raises(FileUnreadable):
            _refuse_mixed(data, "a.csv")
    else:
        _refuse_mixed(data, "a.csv")
