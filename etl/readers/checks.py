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

import numpy as np
import pandas as pd

from etl.model import REJECT_COLUMNS, FileReport, SourceResult, SourceSpec, empty_rejects
from etl.readers.fields import Block, Field, convert_block, definition

_EMPTY_REJECTS = empty_rejects()  # built once: most sources have no rejects
PROBLEM = "source_problem"  # see etl.readers.tabular: a row-level reason replacing every other reason
NOTE = "source_note"
WHOLE_ROW = "(ganze Zeile)"  # the column of a reject about the row as a whole
MAPPING_MIN_VALUES = 5  # filled cells a column needs before "mostly invalid" means "wrongly mapped"


class RejectLog:
    """Rejects of one source, with the unit each row is counted in (a file, or a sheet of a workbook).

    ``unit`` keeps rows of different sheets apart (row 2 of 'Ziele' and row 2 of 'Massnahmen' are two
    rows) while the reject's ``file`` stays the workbook's name.
    """

    def __init__(self, spec: SourceSpec) -> None:
        self.spec = spec
        self._parts: list[pd.DataFrame] = []
        self.notes: dict[str, list[str]] = {}  # file -> remarks for its message

    def note(self, file: str, text: str) -> None:
        """A remark for the file's message (said once however often it is noted)."""
        notes = self.notes.setdefault(file, [])
        if text not in notes:
            notes.append(text)

    def absorb(self, rows: pd.DataFrame) -> None:
        """Take the tabular layer's notes of ``rows`` (``source_note``) into the files' messages."""
        if NOTE not in rows.columns:
            return
        notes = rows[NOTE].fillna("")
        for file, text in zip(rows.loc[notes != "", "source_file"], notes[notes != ""], strict=True):
            for part in str(text).split("; "):
                self.note(str(file), part)

    def add(
        self,
        rows: pd.DataFrame,
        mask: pd.Series | np.ndarray,
        column: str | pd.Series,
        reason: str | pd.Series,
        unit: str | None = None,
    ) -> None:
        """Reject the rows of ``rows`` (with ``source_file``/``source_row``) where ``mask`` is true."""
        mask = np.asarray(mask, dtype=bool)
        if not mask.any():
            return
        picked = rows.loc[mask]
        part = pd.DataFrame(
            {
                "source": self.spec.label,
                "file": picked["source_file"].to_numpy(dtype=object),
                "row": picked["source_row"].to_numpy(dtype="int64"),
                "column": column if isinstance(column, str) else np.asarray(column, dtype=object)[mask],
                "reason": reason if isinstance(reason, str) else np.asarray(reason, dtype=object)[mask],
            }
        )
        if PROBLEM in picked.columns:
            # a shifted row: whatever check hit it, the one reason is the shift, and no value is quoted
            problem = picked[PROBLEM].fillna("").astype(str).to_numpy(dtype=object)
            whole = problem != ""
            if whole.any():
                part.loc[whole, "column"] = WHOLE_ROW
                part.loc[whole, "reason"] = problem[whole]
        part["unit"] = unit if unit is not None else part["file"]
        self._parts.append(part)

    def frame(self) -> pd.DataFrame:
        """All rejects in the order file, row (columns ``REJECT_COLUMNS``)."""
        if not self._parts:
            return _EMPTY_REJECTS.copy()
        out = pd.concat(self._parts, ignore_index=True)
        out = out.drop_duplicates(["file", "unit", "row", "column", "reason"])
        out = out.sort_values(["file", "unit", "row"], kind="stable")
        out = out[REJECT_COLUMNS].reset_index(drop=True)
        return out.astype({"row": "int64"})

    def rejected_per_file(self) -> dict[str, int]:
        """Distinct rejected rows per file (rows of several sheets counted separately)."""
        if not self._parts:
            return {}
        out = pd.concat(self._parts, ignore_index=True)[["file", "unit", "row"]].drop_duplicates()
        return {str(k): int(v) for k, v in out.groupby("file").size().items()}


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
    the messages. ``only`` (bool per row) limits the checks to some rows (others count as valid here).
    Returns the typed values (canonical names, same index) and the mask of rows with any bad cell.

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
        bad[:, 0] |= (frame[PROBLEM].fillna("") != "").to_numpy(dtype=bool)
    return parts, bad


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
    no value, and the files' messages say which mapping to check (see the module docstring).
    """
    log.absorb(frame)
    where: dict[int, tuple[Block, int, Field]] = {}
    for block_fields, idx, block in parts:
        for j, i in enumerate(idx):
            where[int(i)] = (block, j, block_fields[j])
    shifted = (frame[PROBLEM].fillna("") != "").to_numpy(dtype=bool) if PROBLEM in frame.columns else None
    for i in np.flatnonzero(bad.any(axis=0)):
        block, j, f = where[int(i)]
        mask = bad[:, i]
        header = block.headers[j]
        mistake = _mapping_mistake(block, j, mask if shifted is None else mask & ~shifted)
        if mistake is None:
            reasons: str | np.ndarray = block.reasons(j, mask)
        else:
            filled, invalid = mistake
            name = f.name
            reasons = (
                f"Spalte '{header}' passt nicht zum Feld {name} ({german_int(invalid)} von {german_int(filled)} "
                "Werten ungültig): Zuordnung in engage.toml prüfen"
            )
            mapped = f'{name} = "{header}"' if header != name else f"Spalte heißt wie das Feld {name}"
            for file in pd.unique(frame.loc[mask, "source_file"]):
                log.note(
                    str(file),
                    f"Spalte '{column_label(header)}' als Feld {name} gelesen, aber {german_int(invalid)} von "
                    f"{german_int(filled)} Werten ungültig – vermutlich falsch zugeordnet ({mapped}); "
                    "Werte werden nicht zitiert",
                )
        log.add(frame, mask, column_label(header), reasons, unit=unit)


def _mapping_mistake(block: Block, j: int, bad: np.ndarray) -> tuple[int, int] | None:
    """(filled cells, invalid cells) of column ``j`` when most of its values are invalid, else None."""
    invalid = int(bad.sum())
    if invalid < MAPPING_MIN_VALUES // 2 + 1:
        return None
    filled = block.filled(j)
    if filled >= MAPPING_MIN_VALUES and 2 * invalid > filled:
        return filled, invalid
    return None


def duplicates(
    frame: pd.DataFrame, keys: list[str], candidates: pd.Series | None = None
) -> tuple[pd.Series, pd.Series]:
    """Rows repeating an earlier row's ``keys`` (among ``candidates``): mask and "Duplikat von Zeile N".

    The first occurrence counts; the reason names its row, and its file when that is another file.
    Rows with a missing key value are never duplicates of each other.
    """
    index = frame.index
    pool = frame if candidates is None else frame.loc[candidates.to_numpy(dtype=bool)]
    pool = pool.dropna(subset=keys)
    if pool.empty:
        return pd.Series(False, index=index), pd.Series("", index=index, dtype=object)
    dup = pool.duplicated(keys, keep="first")
    if not dup.any():
        return pd.Series(False, index=index), pd.Series("", index=index, dtype=object)
    group = pool.groupby(keys, sort=False, dropna=True)
    first_row = group["source_row"].transform("first")
    first_file = group["source_file"].transform("first")
    same_file = first_file.to_numpy(dtype=object) == pool["source_file"].to_numpy(dtype=object)
    reason = np.where(
        same_file,
        "Duplikat von Zeile " + first_row.astype(str),
        "Duplikat von Zeile " + first_row.astype(str) + " in " + first_file.astype(str),
    )
    mask = pd.Series(False, index=index)
    mask.loc[dup.index] = dup.to_numpy()
    reasons = pd.Series("", index=index, dtype=object)
    reasons.loc[pool.index] = reason
    return mask, reasons


def german_int(n: int) -> str:
    """1204 -> '1.204' (German thousands separator, as coordinators read numbers)."""
    return f"{n:,}".replace(",", ".")


def report_message(read: int, accepted: int, rejected: int, skipped: int = 0) -> str:
    """The count sentence of a file's message; skipped rows (population only) are named only when there are any."""
    row = "Zeile" if read == 1 else "Zeilen"
    text = f"{german_int(read)} {row} gelesen, {german_int(accepted)} übernommen, {german_int(rejected)} abgewiesen"
    if skipped:
        text += f", {german_int(skipped)} {'Zeile' if skipped == 1 else 'Zeilen'} anderer Gebiete übersprungen"
    return text


def file_reports(
    spec: SourceSpec,
    read_counts: dict[str, int],
    log: RejectLog,
    notes: dict[str, str] | None = None,
    skipped: dict[str, int] | None = None,
) -> list[FileReport]:
    """One report per file: rows read, accepted (= read − rejected − skipped), rejected, skipped, status, message."""
    rejected = log.rejected_per_file()
    reports = []
    for file, read in read_counts.items():
        rej = rejected.get(file, 0)
        skip = (skipped or {}).get(file, 0)
        message = report_message(read, read - rej - skip, rej, skip)
        if notes and notes.get(file):
            message = f"{message}; {notes[file]}"
        for remark in log.notes.get(file, []):
            message = f"{message}; {remark}"
        reports.append(
            FileReport(
                source=spec.label,
                kind=spec.kind,
                file=file,
                rows_read=read,
                rows_accepted=read - rej - skip,
                rows_rejected=rej,
                status="rejects" if rej else "ok",
                message=message,
                rows_skipped=skip,
            )
        )
    return reports


def failed_result(spec: SourceSpec, failed_file: str, message: str) -> SourceResult:
    """The whole source stops: a failed report for the unreadable file and for each other file."""
    files = [spec.relname(p) for p in spec.files] or [failed_file]
    if failed_file not in files:
        files.insert(0, failed_file)
    reports = [
        FileReport(
            source=spec.label,
            kind=spec.kind,
            file=file,
            rows_read=0,
            rows_accepted=0,
            rows_rejected=0,
            status="failed",
            message=message
            if file == failed_file
            else f"nicht geladen: Quelle gestoppt, weil {failed_file} nicht lesbar ist",
        )
        for file in files
    ]
    return SourceResult(spec=spec, frames={}, rejects=empty_rejects(), files=reports, failed=True)


def finish(
    spec: SourceSpec,
    frames: dict[str, pd.DataFrame],
    read_counts: dict[str, int],
    log: RejectLog,
    notes: dict[str, str] | None = None,
    skipped: dict[str, int] | None = None,
) -> SourceResult:
    """Assemble the :class:`SourceResult` of a source that was read (``skipped``: rows per file, population only)."""
    return SourceResult(
        spec=spec,
        frames={name: frame.reset_index(drop=True) for name, frame in frames.items()},
        rejects=log.frame(),
        files=file_reports(spec, read_counts, log, notes, skipped),
    )


def select(
    raw: pd.DataFrame,
    file: str,
    mapping: dict[str, str],
    required: Iterable[str],
    optional: Iterable[str],
    aliases: dict[str, tuple[str, ...]] | None = None,
) -> tuple[pd.DataFrame, dict[str, str]]:
    """Pick the canonical columns out of a raw table by their export headers (mapping applied).

    Headers match exactly, else ignoring case and surrounding spaces. A missing required column stops
    the source (:class:`FileUnreadable`); a missing optional one is read as empty; so does a column the
    reader needs whose header appears twice (which of them is meant cannot be known). Formula cells
    without a saved value in a needed column reject their rows. Returns the frame (canonical names +
    provenance, and the tabular layer's ``source_problem``/``source_note``) and canonical -> header
    actually used, for the messages.
    """
    from etl.readers.tabular import FileUnreadable

    lookup = {c.casefold(): c for c in raw.columns if c not in _PROVENANCE}
    out = {c: raw[c] for c in _PROVENANCE if c in raw.columns}
    duplicated: dict[str, list[int]] = raw.attrs.get("duplicate_headers", {})
    formulas: dict[str, dict[int, str]] = raw.attrs.get("formula_cells", {})
    breaks: dict[str, list[int]] = raw.attrs.get("line_breaks", {})
    noted: list[str] = []
    problems: dict[int, str] = {}
    headers: dict[str, str] = {}
    for name, needed in [(n, True) for n in required] + [(n, False) for n in optional]:
        wanted = mapping.get(name, name)
        candidates = (wanted, *((aliases or {}).get(name, ()) if name not in mapping else ()))
        found = next((c for c in candidates if c in raw.columns), None)
        if found is None:
            found = next((lookup[c.casefold()] for c in candidates if c.casefold() in lookup), None)
        headers[name] = found or wanted
        if found is None:
            if needed:
                field = f"Feld {name}; " if wanted != name else ""
                raise FileUnreadable(
                    file,
                    f"Pflichtspalte '{wanted}' fehlt in {file} ({field}vorhandene Spalten: {_listing(raw)}).",
                )
            out[name] = pd.Series("", index=raw.index, dtype=object)
        else:
            if found in duplicated:
                positions = " und ".join(str(p) for p in duplicated[found])
                raise FileUnreadable(
                    file,
                    f"Spalte '{found}' steht mehrfach in der Kopfzeile von {file} (Spalten {positions}; Feld {name}): "
                    "unklar, welche gilt. Bitte eine davon umbenennen oder löschen.",
                )
            for row, cell in formulas.get(found, {}).items():
                problems.setdefault(
                    row,
                    f"Zelle {cell} (Spalte '{found}'): Formel ohne gespeicherten Wert – Datei in Excel öffnen und "
                    "speichern",
                )
            if found in breaks:
                rows = breaks[found]
                shown = ", ".join(map(str, rows[:5])) + (", …" if len(rows) > 5 else "")
                noted.append(f"Spalte '{found}' Zeile {shown}")
            out[name] = raw[found]
    frame = pd.DataFrame(out, index=raw.index)
    if noted and len(frame):
        frame[NOTE] = ""
        frame.iloc[0, frame.columns.get_loc(NOTE)] = (
            f"Zeilenumbruch innerhalb eines Feldes ({'; '.join(noted)}): als ein Wert gelesen – bitte prüfen, ob ein "
            "Anführungszeichen fehlt"
        )
    if problems:
        marked = frame["source_row"].map(problems).fillna("")
        if PROBLEM in frame.columns:
            marked = frame[PROBLEM].where(frame[PROBLEM].fillna("") != "", marked)
        frame[PROBLEM] = marked.astype(object)
    return frame, headers


_PROVENANCE = ("source_file", "source_row", PROBLEM, NOTE)


def _listing(raw: pd.DataFrame, limit: int = 12) -> str:
    names = [c for c in raw.columns if c not in _PROVENANCE]
    shown = ", ".join(names[:limit])
    return shown + (", …" if len(names) > limit else "") if names else "keine"
