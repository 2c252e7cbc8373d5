"""Row-level validation shared by the readers: field checks, duplicates, rejects and file reports (brief §4).

Every row read ends as accepted, rejected or (population rows of regions outside the manifest only)
skipped, never silently dropped. The :class:`RejectLog` gathers one reject per bad cell; a row with any reject
is removed as a whole; :func:`file_reports` then derives per file ``rows_read = rows_accepted + rows_rejected
+ rows_skipped`` from the rows read, the distinct rejected rows and the skipped rows.

What a reason may quote (brief §4): the offending value only where it cannot be personal data. Rows the
tabular layer marked as shifted (``source_problem``: more or fewer fields than the header) are rejected
with that one reason and no value, whatever check hit them. A column where most values are invalid
(at least :data:`MAPPING_MIN_VALUES` filled, more than half invalid) is taken as a mapping mistake in
engage.toml (e.g. ``gender`` mapped onto the phone column): its rows are rejected with a reason naming the
column and the field, never a value, and the file's message says which mapping to check. Single values
are quoted only by the rule of :func:`etl.readers.fields.quotable`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from etl.messages import Msg, params_json, render
from etl.model import REASON_COLUMNS, REJECT_COLUMNS, FileReport, SourceResult, SourceSpec, empty_rejects
from etl.readers.fields import Block, Field, convert_block, definition

if TYPE_CHECKING:
    from etl.readers.tabular import RawTable

_EMPTY_REJECTS = empty_rejects()  # built once: most sources have no rejects
PROBLEM = "source_problem"  # see etl.readers.tabular: a row-level reason replacing every other reason
NOTE = "source_note"
WHOLE_ROW = "(ganze Zeile)"  # the column of a reject about the row as a whole
MAPPING_MIN_VALUES = 5  # filled cells a column needs before "mostly invalid" means "wrongly mapped"


class Header:
    """Stands for the export header of canonical field ``name`` in a reject's column or reason parameters.

    Sources read together (:mod:`etl.readers.batch`) map the same field onto different headers; the log
    puts in each row's own source's header (:attr:`RejectLog.headers`).
    """

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name


class RejectLog:
    """Rejects of one source, or of several sources read together, with the unit each row is counted in.

    ``unit`` keeps rows of different sheets apart (row 2 of 'Ziele' and row 2 of 'Massnahmen' are two
    rows) while the reject's ``file`` stays the workbook's name. Rows of several sources carry their
    source's position in ``specs`` in the column ``_src`` (:mod:`etl.readers.batch`); a frame without it
    belongs to the first source. Reasons are :class:`etl.messages.Msg`.
    """

    def __init__(self, spec: SourceSpec | list[SourceSpec]) -> None:
        self.specs = list(spec) if isinstance(spec, (list, tuple)) else [spec]
        self.spec = self.specs[0]
        self.headers: list[dict[str, str]] = [{} for _ in self.specs]  # per source: canonical -> header
        self._parts: list[pd.DataFrame] = []
        self.notes: dict[tuple[int, str], list[Msg]] = {}  # (source, file) -> remarks for its message

    def note(self, file: str, msg: Msg, src: int = 0) -> None:
        """A remark for the file's message (said once however often it is noted)."""
        notes = self.notes.setdefault((src, file), [])
        if msg not in notes:
            notes.append(msg)

    def absorb(self, rows: pd.DataFrame) -> None:
        """Take the tabular layer's notes of ``rows`` (``source_note``) into the files' messages."""
        if NOTE not in rows.columns:
            return
        cells = rows[NOTE].to_numpy(dtype=object)
        hit = np.flatnonzero([isinstance(c, Msg) for c in cells])
        if not len(hit):
            return
        files = rows["source_file"].to_numpy(dtype=object)
        src = sources_of(rows)
        for i in hit:
            self.note(str(files[i]), cells[i], int(src[i]))

    def header(self, src: int, name: str) -> str:
        return self.headers[src].get(name, name)

    def add(
        self,
        rows: pd.DataFrame,
        mask: pd.Series | np.ndarray,
        column: str | Header | pd.Series | np.ndarray,
        reason: Msg | pd.Series | np.ndarray,
        unit: str | None = None,
    ) -> None:
        """Reject the rows of ``rows`` (with ``source_file``/``source_row``) where ``mask`` is true.

        ``column`` and the parameters of ``reason`` may hold :class:`Header` markers (resolved per source).
        """
        mask = np.asarray(mask, dtype=bool)
        if not mask.any():
            return
        picked = rows.loc[mask]
        src = sources_of(picked)
        n = len(picked)
        if isinstance(column, Header):
            columns = np.array([self.header(int(s), column.name) for s in src], dtype=object)
        elif isinstance(column, str):
            columns = np.full(n, column, dtype=object)
        else:
            columns = np.asarray(column, dtype=object)[mask]
        if isinstance(reason, Msg):
            reasons = np.array([self._resolve(reason, int(s)) for s in src], dtype=object)
        else:
            reasons = np.asarray(reason, dtype=object)[mask]
            reasons = np.array(
                [self._resolve(r, int(s)) if isinstance(r, Msg) else r for r, s in zip(reasons, src, strict=True)],
                dtype=object,
            )
        if PROBLEM in picked.columns:
            # a shifted row: whatever check hit it, the one reason is the shift, and no value is quoted
            problem = picked[PROBLEM].to_numpy(dtype=object)
            whole = np.array([isinstance(p, Msg) for p in problem], dtype=bool)
            if whole.any():
                columns = columns.copy()
                reasons = reasons.copy()
                columns[whole] = WHOLE_ROW
                reasons[whole] = problem[whole]
        labels = np.array([s.label for s in self.specs], dtype=object)
        files = picked["source_file"].to_numpy(dtype=object)
        part = pd.DataFrame(
            {
                "_src": src,
                "source": labels[src],
                "file": files,
                "row": picked["source_row"].to_numpy(dtype="int64"),
                "column": columns,
                "reason": reasons,
                "unit": files if unit is None else unit,
            }
        )
        self._parts.append(part)

    def fold(self, other: RejectLog, src: int) -> None:
        """Take the rejects and notes of ``other`` (one source's log) as those of source ``src``."""
        for part in other._parts:
            self._parts.append(part.assign(_src=src))
        for (_, file), notes in other.notes.items():
            for msg in notes:
                self.note(file, msg, src)

    def _resolve(self, msg: Msg, src: int) -> Msg:
        markers = {k: v for k, v in msg.params.items() if isinstance(v, Header)}
        if not markers:
            return msg
        return msg.with_params(**{k: self.header(src, v.name) for k, v in markers.items()})

    def _all(self) -> pd.DataFrame | None:
        if not self._parts:
            return None
        if len(self._parts) > 1:
            self._parts = [pd.concat(self._parts, ignore_index=True)]
        return self._parts[0]

    def frame(self, src: int = 0) -> pd.DataFrame:
        """All rejects of source ``src`` in the order file, row (columns ``REJECT_COLUMNS`` + codes)."""
        out = self._all()
        if out is not None and len(self.specs) > 1:
            out = out.loc[out["_src"].to_numpy() == src]
        if out is None or out.empty:
            return _EMPTY_REJECTS.copy()
        out = out.assign(text=[str(m) for m in out["reason"]])
        out = out.drop_duplicates(["file", "unit", "row", "column", "text"])
        out = out.sort_values(["file", "unit", "row"], kind="stable")
        reasons = out["reason"].to_numpy(dtype=object)
        out = out.assign(
            reason=out["text"].to_numpy(dtype=object),
            reason_code=[m.code for m in reasons],
            reason_params=[params_json(m) for m in reasons],
        )
        out = out[REJECT_COLUMNS + REASON_COLUMNS].reset_index(drop=True)
        return out.astype({"row": "int64"})

    def rejected_per_file(self, src: int = 0) -> dict[str, int]:
        """Distinct rejected rows per file (rows of several sheets counted separately)."""
        out = self._all()
        if out is None:
            return {}
        if len(self.specs) > 1:
            out = out.loc[out["_src"].to_numpy() == src]
        out = out[["file", "unit", "row"]].drop_duplicates()
        return {str(k): int(v) for k, v in out.groupby("file").size().items()}


def sources_of(frame: pd.DataFrame) -> np.ndarray:
    """Each row's source (its position in the batch's specs); 0 for a frame of one source."""
    if "_src" in frame.columns:
        return frame["_src"].to_numpy(dtype=np.intp)
    return np.zeros(len(frame), dtype=np.intp)


def check_fields(
    frame: pd.DataFrame,
    fields: Iterable[Field],
    headers: dict[str, str],
    log: RejectLog,
    *,
    column_label: Callable[[str], str] = lambda header: header,
    unit: str | None = None,
    only: pd.Series | None = None,
) -> tuple[pd.DataFrame, pd.Series]:
    """Type every field of ``frame`` and log one reject per bad cell.

    ``frame`` holds the raw text under canonical names; ``headers`` gives each field's export header for
    the messages (for rows of several sources: each source's own, from ``log.headers``). ``only`` (bool
    per row) limits the checks to some rows (others count as valid here). Returns the typed values
    (canonical names, same index) and the mask of rows with any bad cell.

    Fields with the same definition (the ~90 ``FREQ[..]``/``TRUST[..]``/``VALUE[..]`` items of a partner
    survey) are converted as one block; the rejects are still logged field by field, in field order.
    """
    fields = list(fields)
    parts, bad = check_blocks(frame, fields, headers)
    if only is not None:
        bad = bad & only.to_numpy(dtype=bool)[:, None]
    log_blocks(frame, parts, bad, log, column_label=column_label, unit=unit)
    values = typed_values(parts, frame.index, [f.name for f in fields])
    return values, pd.Series(bad.any(axis=1), index=frame.index)


BlockPart = tuple[list[Field], np.ndarray, Block]


def check_blocks(
    frame: pd.DataFrame, fields: list[Field], headers: dict[str, str]
) -> tuple[list[BlockPart], np.ndarray]:
    """Convert ``fields`` of ``frame`` in blocks of equally defined fields.

    Returns per block its fields, their positions in ``fields`` and the :class:`Block`, plus the
    (rows, fields) mask of bad cells in the order of ``fields``. A field absent from ``frame`` reads as
    an empty column.
    """
    groups: dict[object, list[int]] = {}
    for i, f in enumerate(fields):
        groups.setdefault(definition(f), []).append(i)
    present = [f.name for f in fields if f.name in frame.columns]
    cells = frame[present].to_numpy(dtype=object) if present else np.empty((len(frame), 0), dtype=object)
    position = {name: j for j, name in enumerate(present)}
    empty = np.full(len(frame), "", dtype=object)
    bad = np.zeros((len(frame), len(fields)), dtype=bool)
    parts: list[BlockPart] = []
    for members in groups.values():
        block_fields = [fields[i] for i in members]
        columns = [cells[:, position[f.name]] if f.name in position else empty for f in block_fields]
        block = convert_block(
            block_fields[0],
            np.column_stack(columns) if columns else np.empty((len(frame), 0), dtype=object),
            [headers.get(f.name, f.name) for f in block_fields],
        )
        idx = np.asarray(members)
        bad[:, idx] = block.bad()
        parts.append((block_fields, idx, block))
    if PROBLEM in frame.columns and fields:
        # a shifted row is rejected as a whole even where its emptied cells pass every check
        bad[:, 0] |= _problem_rows(frame)
    return parts, bad


def _problem_rows(frame: pd.DataFrame) -> np.ndarray:
    return np.array([isinstance(p, Msg) for p in frame[PROBLEM].to_numpy(dtype=object)], dtype=bool)


def typed_values(parts: list[BlockPart], index: pd.Index, names: list[str]) -> pd.DataFrame:
    """The typed values of the fields ``names`` (in that order) from :func:`check_blocks`' blocks."""
    wanted = set(names)
    typed = []
    for block_fields, _, block in parts:
        picked = [j for j, f in enumerate(block_fields) if f.name in wanted]
        if picked:
            typed.append(block.frame(index, [block_fields[j].name for j in picked], picked))
    return pd.concat(typed, axis=1)[names] if typed else pd.DataFrame(index=index)


def log_blocks(
    frame: pd.DataFrame,
    parts: list[BlockPart],
    bad: np.ndarray,
    log: RejectLog,
    *,
    column_label: Callable[[str], str] = lambda header: header,
    unit: str | None = None,
) -> None:
    """Log one reject per bad cell of :func:`check_blocks`' result, field by field in field order.

    A column that is mostly invalid is a mapping mistake: its reasons name the column and the field but
    no value, and the files' messages say which mapping to check (see the module docstring). Whether a
    column is mostly invalid is decided per source (rows of several sources: see :class:`RejectLog`).
    """
    log.absorb(frame)
    where: dict[int, tuple[Block, int, Field]] = {}
    for block_fields, idx, block in parts:
        for j, i in enumerate(idx):
            where[int(i)] = (block, j, block_fields[j])
    shifted = _problem_rows(frame) if PROBLEM in frame.columns else None
    src = sources_of(frame)
    several = len(log.specs) > 1
    for i in np.flatnonzero(bad.any(axis=0)):
        block, j, f = where[int(i)]
        mask = bad[:, i]
        counted = mask if shifted is None else mask & ~shifted
        reasons = block.reasons(j, mask)  # with the header placeholder
        columns = np.full(len(frame), "", dtype=object)
        for s in np.unique(src[mask]) if several else [0]:
            rows = src == s if several else np.ones(len(frame), dtype=bool)
            header = log.header(int(s), f.name) if several else block.headers[j]
            here = mask & rows
            columns[here] = column_label(header)
            mistake = _mapping_mistake(block, j, counted & rows, rows if several else None)
            if mistake is None:
                reasons[here] = [r.with_params(header=header) if isinstance(r, Msg) else r for r in reasons[here]]
                continue
            filled, invalid = mistake
            name = f.name
            reasons[here] = Msg("mapping_mistake", header=header, field=name, invalid=invalid, filled=filled)
            mapped = (
                Msg("mapped_as", field=name, header=header) if header != name else Msg("mapped_same_name", field=name)
            )
            note = Msg(
                "mapping_note", header=column_label(header), field=name, invalid=invalid, filled=filled, mapped=mapped
            )
            for file in pd.unique(frame.loc[here, "source_file"]):
                log.note(str(file), note, int(s))
        log.add(frame, mask, columns, reasons, unit=unit)


def _mapping_mistake(block: Block, j: int, bad: np.ndarray, rows: np.ndarray | None) -> tuple[int, int] | None:
    """(filled cells, invalid cells) of column ``j`` (among ``rows``) when most of its values are invalid."""
    invalid = int(bad.sum())
    if invalid < MAPPING_MIN_VALUES // 2 + 1:
        return None
    filled = block.filled(j, rows)
    if filled >= MAPPING_MIN_VALUES and 2 * invalid > filled:
        return filled, invalid
    return None


def duplicates(
    frame: pd.DataFrame, keys: list[str], candidates: pd.Series | None = None
) -> tuple[pd.Series, pd.Series]:
    """Rows repeating an earlier row's ``keys`` (among ``candidates``): mask and "Duplikat von Zeile N".

    The first occurrence counts; the reason names its row, and its file when that is another file.
    Rows with a missing key value are never duplicates of each other. Rows of several sources (``_src``)
    are duplicates only within their source.
    """
    index = frame.index
    if "_src" in frame.columns:
        keys = ["_src", *keys]
    pool = frame if candidates is None else frame.loc[np.asarray(candidates, dtype=bool)]
    pool = pool.dropna(subset=keys)
    reasons = pd.Series(None, index=index, dtype=object)
    if pool.empty:
        return pd.Series(False, index=index), reasons
    dup = pool.duplicated(keys, keep="first")
    if not dup.any():
        return pd.Series(False, index=index), reasons
    group = pool.groupby(keys, sort=False, dropna=True)
    first_row = group["source_row"].transform("first").to_numpy()
    first_file = group["source_file"].transform("first").to_numpy(dtype=object)
    files = pool["source_file"].to_numpy(dtype=object)
    hit = np.flatnonzero(dup.to_numpy())
    mask = pd.Series(False, index=index)
    mask.loc[dup.index] = dup.to_numpy()
    reasons.loc[pool.index[hit]] = [
        Msg("duplicate", row=int(first_row[k]))
        if first_file[k] == files[k]
        else Msg("duplicate_in_file", row=int(first_row[k]), file=str(first_file[k]))
        for k in hit
    ]
    return mask, reasons


def german_int(n: int) -> str:
    """1204 -> '1.204' (German thousands separator, as coordinators read numbers)."""
    return f"{n:,}".replace(",", ".")


def count_message(read: int, accepted: int, rejected: int, skipped: int = 0) -> Msg:
    """The count sentence of a file's message; skipped rows (population only) are named only when there are any."""
    if skipped:
        return Msg("rows_read_skipped", read=read, accepted=accepted, rejected=rejected, skipped=skipped)
    return Msg("rows_read", read=read, accepted=accepted, rejected=rejected)


def report_message(read: int, accepted: int, rejected: int, skipped: int = 0) -> str:
    """The count sentence of a file's message (German)."""
    return str(count_message(read, accepted, rejected, skipped))


def file_reports(
    spec: SourceSpec,
    read_counts: dict[str, int],
    log: RejectLog,
    notes: dict[str, list[Msg]] | None = None,
    skipped: dict[str, int] | None = None,
    src: int = 0,
) -> list[FileReport]:
    """One report per file: rows read, accepted (= read − rejected − skipped), rejected, skipped, status, message."""
    rejected = log.rejected_per_file(src)
    reports = []
    for file, read in read_counts.items():
        rej = rejected.get(file, 0)
        skip = (skipped or {}).get(file, 0)
        parts = [count_message(read, read - rej - skip, rej, skip)]
        parts += (notes or {}).get(file, [])
        parts += log.notes.get((src, file), [])
        reports.append(
            FileReport(
                source=spec.label,
                kind=spec.kind,
                file=file,
                rows_read=read,
                rows_accepted=read - rej - skip,
                rows_rejected=rej,
                status="rejects" if rej else "ok",
                message=render(parts),
                rows_skipped=skip,
                parts=parts,
            )
        )
    return reports


def failed_result(spec: SourceSpec, failed_file: str, message: Msg) -> SourceResult:
    """The whole source stops: a failed report for the unreadable file and for each other file."""
    files = [spec.relname(p) for p in spec.files] or [failed_file]
    if failed_file not in files:
        files.insert(0, failed_file)
    reports = []
    for file in files:
        part = message if file == failed_file else Msg("not_loaded", file=failed_file)
        reports.append(
            FileReport(
                source=spec.label,
                kind=spec.kind,
                file=file,
                rows_read=0,
                rows_accepted=0,
                rows_rejected=0,
                status="failed",
                message=str(part),
                parts=[part],
            )
        )
    return SourceResult(spec=spec, frames={}, rejects=empty_rejects(), files=reports, failed=True)


def finish(
    spec: SourceSpec,
    frames: dict[str, pd.DataFrame],
    read_counts: dict[str, int],
    log: RejectLog,
    notes: dict[str, list[Msg]] | None = None,
    skipped: dict[str, int] | None = None,
    src: int = 0,
) -> SourceResult:
    """Assemble the :class:`SourceResult` of a source that was read (``skipped``: rows per file, population only)."""
    return SourceResult(
        spec=spec,
        frames={name: frame.reset_index(drop=True) for name, frame in frames.items()},
        rejects=log.frame(src),
        files=file_reports(spec, read_counts, log, notes, skipped, src),
    )


def select_table(
    table: RawTable,
    mapping: dict[str, str],
    required: Iterable[str],
    optional: Iterable[str],
    aliases: dict[str, tuple[str, ...]] | None = None,
    rename: dict[str, str] | None = None,
) -> tuple[dict[str, np.ndarray], dict[str, str]]:
    """Pick the canonical columns out of a raw table by their export headers (mapping applied).

    ``rename`` gives some headers another name first (LimeSurvey headings placed on their codes).
    Headers match exactly, else ignoring case and surrounding spaces. A missing required column stops
    the source (:class:`FileUnreadable`); a missing optional one is read as empty; so does a column the
    reader needs whose header appears twice (which of them is meant cannot be known). Formula cells
    without a saved value in a needed column reject their rows. Returns the columns (canonical name ->
    text array, and the row-level ``source_problem``/``source_note`` where there are any) and canonical ->
    header actually used, for the messages.
    """
    from etl.readers.tabular import FileUnreadable

    file = table.file
    names = [rename.get(h, h) for h in table.headers] if rename else list(table.headers)
    position: dict[str, int] = {}
    for j, name in enumerate(names):
        position.setdefault(name, j)
    lookup = {c.casefold(): c for c in names if c not in _PROVENANCE}
    n = len(table.rows)
    out: dict[str, np.ndarray] = {}
    duplicated: dict[str, list[int]] = table.attrs.get("duplicate_headers", {})  # type: ignore[assignment]
    formulas: dict[str, dict[int, str]] = table.attrs.get("formula_cells", {})  # type: ignore[assignment]
    breaks: dict[str, list[int]] = table.attrs.get("line_breaks", {})  # type: ignore[assignment]
    noted: list[Msg] = []
    problems: dict[int, Msg] = {}
    headers: dict[str, str] = {}
    for name, needed in [(c, True) for c in required] + [(c, False) for c in optional]:
        wanted = mapping.get(name, name)
        candidates = (wanted, *((aliases or {}).get(name, ()) if name not in mapping else ()))
        found = next((c for c in candidates if c in position), None)
        if found is None:
            found = next((lookup[c.casefold()] for c in candidates if c.casefold() in lookup), None)
        headers[name] = found or wanted
        if found is None:
            if needed:
                field = Msg("field_prefix", field=name) if wanted != name else None
                raise FileUnreadable(
                    file, Msg("required_column_missing", header=wanted, file=file, field=field, present=_listing(names))
                )
            out[name] = np.full(n, "", dtype=object)
        else:
            if found in duplicated:
                positions = " und ".join(str(p) for p in duplicated[found])
                raise FileUnreadable(
                    file, Msg("duplicate_header", header=found, file=file, positions=positions, field=name)
                )
            for row, cell in formulas.get(found, {}).items():
                problems.setdefault(row, Msg("formula_without_value", cell=cell, header=found))
            if found in breaks:
                rows = breaks[found]
                shown = ", ".join(map(str, rows[:5])) + (", …" if len(rows) > 5 else "")
                noted.append(Msg("line_break_place", header=found, rows=shown))
            out[name] = table.cells[:, position[found]]
    if noted and n:
        notes = np.full(n, "", dtype=object)
        notes[0] = Msg("line_breaks", places=noted)
        out[NOTE] = notes
    marked = table.problems
    if problems:
        mine = np.array([problems.get(int(r), "") for r in table.rows], dtype=object)
        if marked is not None:
            mine = np.where([isinstance(p, Msg) for p in marked], marked, mine)
        marked = mine
    if marked is not None:
        out[PROBLEM] = marked
    return out, headers


def select(
    raw: RawTable,
    file: str,
    mapping: dict[str, str],
    required: Iterable[str],
    optional: Iterable[str],
    aliases: dict[str, tuple[str, ...]] | None = None,
) -> tuple[pd.DataFrame, dict[str, str]]:
    """:func:`select_table` as a frame with ``source_file`` and ``source_row`` (for sheets read one by one)."""
    columns, headers = select_table(raw, mapping, required, optional, aliases)
    return table_frame([(file, raw.rows, columns)]), headers


def table_frame(parts: list[tuple[str, np.ndarray, dict[str, np.ndarray]]], fill: object = None) -> pd.DataFrame:
    """One frame of the selected columns of several tables: ``source_file`` and ``source_row`` first, then the
    columns in order of first appearance; a column some table lacks is ``fill`` there."""
    order: dict[str, None] = {}
    for _, _, columns in parts:
        order.update(dict.fromkeys(columns))
    sizes = [len(rows) for _, rows, _ in parts]
    data: dict[str, object] = {
        "source_file": pd.array(np.repeat(np.array([f for f, _, _ in parts], dtype=object), sizes), dtype="str"),
        "source_row": np.concatenate([rows for _, rows, _ in parts]).astype("int64")
        if parts
        else np.zeros(0, dtype="int64"),
    }
    for name in order:
        pieces = [
            c[name] if name in c else np.full(k, fill, dtype=object) for (_, _, c), k in zip(parts, sizes, strict=True)
        ]
        column = np.concatenate(pieces) if len(pieces) > 1 else pieces[0]
        # the cells stay Python strings: the field checks take them as such, and pandas turning every text
        # column into its Arrow strings first cost a network's survey reading a tenth of its time (issue 13)
        data[name] = pd.Series(column, dtype=object, copy=False) if column.dtype == object else column
    return pd.DataFrame(data)


_PROVENANCE = ("source_file", "source_row", PROBLEM, NOTE)


def _listing(columns: list[str], limit: int = 12) -> Msg:
    names = [c for c in columns if c not in _PROVENANCE]
    shown = ", ".join(names[:limit])
    return Msg("listing", names=shown + (", …" if len(names) > limit else "")) if names else Msg("listing_none")
