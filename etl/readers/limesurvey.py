"""What the resident and partner survey readers share: reading LimeSurvey response exports in any style.

LimeSurvey 5/6 "Antworten exportieren → CSV" (its ``CsvWriter``) writes UTF-8 with BOM, CRLF, every value in
double quotes except NULL (nothing), line breaks inside values as ``\\n``. What the file says about a
response depends on the export dialog, and coordinators use its defaults:

* heading: "Fragecode" (``ENG3[SQ001]``), "ExpressionScript-Code" (``ENG3_SQ001``), "Fragecode & Fragetext"
  (``AGE. Wie alt sind Sie …``) or "Vollständiger Fragetext" (the default: the question text, and for a
  subquestion ``Frage [Teilfrage]``); LimeSurvey's own columns then carry translated labels ("Antwort ID");
* answers: "Antwortcodes" or "Vollständige Antworten" (the default: the answer texts, ``Ja``/``Nein``);
* "Y in 1 / N in 2 umwandeln": for Yes/No questions and multiple-choice boxes only, ``Y`` → ``1`` and
  ``N`` or a shown-but-unanswered ``""`` → ``2``.

:func:`read_exports` turns every file back into the code style the readers validate: each heading is placed
on a column of the questionnaire (:mod:`etl.readers.questionnaire`; the shipped one or the town's own), each
answer text mapped back to its code, 1/2 back to Y/N. Both the answer style and the Y/N conversion are decided
once per file from its data (the Yes/No and multiple-choice columns, as the questionnaire's types say — never
EDU or WILL, whose codes are 1–3), never guessed per row. A file whose headings cannot be placed stops its
source with one message saying what to do in LimeSurvey; an answer text that belongs to no answer of its
question rejects its row.

Quoted-empty and NULL: a multiple-choice box is ``Y`` ticked, ``""`` shown but not ticked, NULL never shown.
The CSV parser reads both empties as ``""``, so a box reads as ticked or not ticked; whether it was shown
follows from the filter question (ENG3 is shown to ENG1 = Y, and the indicators count the boxes among those
respondents only). With the 1/2 option LimeSurvey itself writes a shown-but-unanswered Yes/No question as
``2``: such a file cannot tell "Nein" from "no answer", and its report says so.

A survey without ``year`` in the manifest takes each response's year from its ``submitdate`` (an incomplete
one from ``startdate`` or ``datestamp``). Anonymised surveys without date stamps write the placeholder
``1980-01-01 00:00:00`` instead of a date: such a response has no year of its own, and the reader says the
manifest must give one.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from etl.messages import Msg, from_json, params_json
from etl.model import SourceSpec
from etl.readers.checks import PROBLEM, Header, RejectLog, select_table, table_frame

if TYPE_CHECKING:
    from etl.readers.batch import Batch, Part
from etl.readers.collect import read_all
from etl.readers.fields import DATETIME, Field
from etl.readers.questionnaire import (
    ExportColumn,
    Question,
    Questionnaire,
    QuestionnaireError,
    load_questionnaire,
    plain,
    shipped,
)
from etl.readers.tabular import FileUnreadable

META_FIELDS = (
    Field("id", required=True),
    Field("submitdate", DATETIME, noun="Zeitpunkt"),
    Field("startdate", DATETIME, noun="Zeitpunkt"),
    Field("datestamp", DATETIME, noun="Zeitpunkt"),
)
PLACEHOLDER = pd.Timestamp("1980-01-01 00:00:00")

# The headings "Vollständiger Fragetext" gives LimeSurvey's own columns (its translations, German and English).
META_LABELS = {
    "id": ("Antwort ID", "Antwort-ID", "Response ID"),
    "submitdate": ("Datum Abgeschickt", "Date submitted"),
    "lastpage": ("Letzte Seite", "Last page"),
    "startlanguage": ("Start-Sprache", "Start language"),
    "seed": ("Zufallsstartwert", "Seed"),
    "token": ("Zugangsschlüssel", "Zugangscode", "Access code", "Token"),
    "startdate": ("Datum gestartet", "Date started"),
    "datestamp": ("Datum letzte Aktivität", "Date last action"),
    "ipaddr": ("IP-Adresse", "IP address"),
    "refurl": ("Referrer-URL", "Weiterleitungs-URL", "Referrer URL"),
}
# "Vollständige Antworten" of Yes/No questions and multiple-choice boxes, in the export languages.
YES_TEXTS = ("Ja", "Yes")
NO_TEXTS = ("Nein", "No")
NO_ANSWER_TEXTS = ("N/A", "k.A.", "k. A.", "keine Angabe", "keine Antwort", "No answer")
YES_NO_TYPES = frozenset("Y")
BOX_TYPES = frozenset("MP")
CHOICE_TYPES = frozenset("LO!FHABCE5")
DEFAULT_YN_CODES = ("1", "2")

_CODE_TOKEN = re.compile(r"^([A-Za-z0-9_#\[\]]+)(.*)$", re.DOTALL)
_CODETEXT_SEPARATOR = re.compile(r"^(?:\s*[.:|]\s*|\s+[-–—]\s+)(?=\S)")
_DUPLICATE_SUFFIX = re.compile(r"\s+\(\d+\)$")


@lru_cache(maxsize=1 << 16)  # the same headings and answers recur in every file of a network
def key(text: str) -> str:
    """How texts are compared: flattened like LimeSurvey, Unicode-normalised, spaces and case ignored.

    Underscores count as spaces (the export option "Leerzeichen in Fragetext durch Unterstriche ersetzen").
    """
    text = unicodedata.normalize("NFC", plain(str(text))).replace("_", " ").replace("\u00a0", " ")
    return " ".join(text.split()).casefold()


# --- the manifest's options ----------------------------------------------------------------------------------


def questionnaire_for(spec: SourceSpec) -> Questionnaire:
    """The questionnaire a source's exports were made with: ``questionnaire = "…"`` or the shipped one."""
    name = spec.options.get("questionnaire")
    try:
        if name:
            return load_questionnaire(spec.base_dir / str(name))
        return shipped(spec.kind)
    except QuestionnaireError as exc:
        raise FileUnreadable(str(name or spec.kind), exc.msg) from None


def yn_codes(spec: SourceSpec) -> tuple[str, str] | None:
    """``yn_codes = ["1", "2"]``: the codes of an export with "Y in 1 / N in 2 umwandeln" (checked by the manifest)."""
    value = spec.options.get("yn_codes")
    return (str(value[0]).strip(), str(value[1]).strip()) if value else None


def mapping(spec: SourceSpec) -> dict[str, str]:
    """``[sources.columns]`` and ``[sources.codes]`` merged: canonical name -> export header."""
    return {**spec.columns, **spec.codes}


def prefixed_columns(columns: list[str], prefix: str) -> dict[str, str]:
    """Array columns ``PREFIX[sub]`` (or LimeSurvey's older ``PREFIX_sub``) of a header: sub -> header."""
    pattern = re.compile(rf"^{re.escape(prefix)}(?:\[(?P<a>[^\]]+)\]|_(?P<b>.+))$", re.IGNORECASE)
    found: dict[str, str] = {}
    for column in columns:
        match = pattern.match(column.strip())
        if match:
            found.setdefault((match.group("a") or match.group("b")).strip(), column)
    return found


# --- headings -------------------------------------------------------------------------------------------------


@dataclass
class Placement:
    """Which questionnaire column each heading of a file is (headings in code style keep their name)."""

    codes: dict[str, str]  # file heading -> code heading, for the headings written otherwise
    unplaced: list[str]  # headings that are no code and match no text of the questionnaire
    by_text: bool  # some heading was placed by its text (not by a code)


def place_headings(headers: list[str], questionnaire: Questionnaire, keep: set[str]) -> Placement:
    """Place every heading on a column code: by code, ExpressionScript code, code & text, or full text.

    ``keep`` are the export names the manifest maps explicitly (``[sources.codes]``): such a heading is never
    renamed, and a "code & text" heading starting with one becomes that name. Texts are compared in every
    language of the questionnaire; identical texts are placed in the questionnaire's order. LimeSurvey's own
    columns are placed by name or label, else — for an export in an unknown interface language — by their
    fixed position at the start of the file.
    """
    kept = {k.casefold(): k for k in keep}
    # ExpressionScript form of a mapped subquestion code: BEREICH_SQ001 for BEREICH[SQ001]
    kept.update({k.replace("[", "_").rstrip("]").casefold(): k for k in keep if k.endswith("]")})
    codes, texts = _heading_index(questionnaire)
    placed: dict[str, str] = {}
    used: set[str] = set()
    unplaced: list[str] = []
    by_text = False

    def take(header: str, code: str) -> bool:
        if code.casefold() in used:
            return False
        used.add(code.casefold())
        if code != header:
            placed[header] = code
        return True

    for header in headers:
        folded = header.strip().casefold()
        if folded in kept and take(header, kept[folded]):
            continue
        if folded in codes and take(header, codes[folded]):
            continue
        text_hit = _next_unused(texts.get(key(header)) or texts.get(key(_DUPLICATE_SUFFIX.sub("", header))), used)
        if text_hit and take(header, text_hit):
            by_text = True
            continue
        code_hit = _code_and_text(header, codes, kept)
        if code_hit and take(header, code_hit):
            continue
        unplaced.append(header)
    _place_meta_by_position(headers, questionnaire, placed, used, unplaced)
    return Placement(codes=placed, unplaced=unplaced, by_text=by_text)


@lru_cache(maxsize=64)
def _heading_index(questionnaire: Questionnaire) -> tuple[dict[str, str], dict[str, list[str]]]:
    """Folded code heading -> code, and compared text heading -> codes in the questionnaire's order."""
    codes: dict[str, str] = {m: m for m in (*questionnaire.meta(), *META_LABELS)}
    texts: dict[str, list[str]] = {}
    for meta, labels in META_LABELS.items():
        for label in labels:
            texts.setdefault(key(label), []).append(meta)
    for column in questionnaire.columns:
        codes.setdefault(column.code.casefold(), column.code)
        codes.setdefault(column.em_code().casefold(), column.code)
        for language in questionnaire.languages:
            texts.setdefault(key(_full_heading(column, language)), []).append(column.code)
    return codes, texts


def _full_heading(column: ExportColumn, language: str) -> str:
    """The "Vollständiger Fragetext" heading of a column: question text, then `` [subquestion]``."""
    question = plain(column.question.texts.get(language, ""))
    sub = plain(column.sub_texts.get(language, ""))
    return f"{question} [{sub}]" if column.sub else question


def _next_unused(candidates: list[str] | None, used: set[str]) -> str | None:
    return next((c for c in candidates or () if c.casefold() not in used), None)


def _code_and_text(header: str, codes: dict[str, str], kept: dict[str, str]) -> str | None:
    """``AGE. Wie alt …``: the code before the separator LimeSurvey puts between code and text."""
    match = _CODE_TOKEN.match(header.strip())
    if not match or not _CODETEXT_SEPARATOR.match(match.group(2)):
        return None
    token = match.group(1).casefold()
    return kept.get(token) or codes.get(token)


def _place_meta_by_position(
    headers: list[str], questionnaire: Questionnaire, placed: dict[str, str], used: set[str], unplaced: list[str]
) -> None:
    """LimeSurvey's own columns in an interface language without known labels: they open every export."""
    if "id" in used:
        return
    meta = [m for m in questionnaire.meta() if m != "token"]
    for header, name in zip(headers, meta, strict=False):
        if header not in unplaced or name in used:
            break
        placed[header] = name
        used.add(name)
        unplaced.remove(header)


def _missing_message(file: str, missing: list[str], placement: Placement, questionnaire: Questionnaire) -> Msg:
    names = ", ".join(f"'{m}'" for m in missing)
    code = "survey_column_missing" if len(missing) == 1 else "survey_columns_missing"
    unplaced = placement.unplaced
    if unplaced:
        more = Msg("and_more", n=len(unplaced) - 6) if len(unplaced) > 6 else None
        shown = ", ".join(f"'{h}'" for h in unplaced[:6])
        where = Msg("unplaced_columns", questionnaire=questionnaire.name, columns=shown, more=more)
    else:
        where = Msg("in_questionnaire", questionnaire=questionnaire.name)
    return Msg(code, names=names, file=file, where=where)


# --- answers --------------------------------------------------------------------------------------------------


@dataclass
class AnswerColumn:
    """A canonical answer column of the frame, with the questionnaire column it was exported from."""

    name: str  # canonical ("GENDER", "FREQ[o2]")
    header: str  # the file's heading, for reasons
    column: ExportColumn | None  # None: not in the questionnaire (a town's own code without its .lss)
    type: str  # LimeSurvey question type (from the questionnaire, else the standard questionnaire's)
    personal: bool = False  # never quote its values (organisation names)


@dataclass
class _Texts:
    codes: dict[str, str] = field(default_factory=dict)  # folded code -> value it stands for
    texts: dict[str, str] = field(default_factory=dict)  # key(text) -> value it stands for


_NO_TEXTS = _Texts()  # numbers, free texts, equations: taken as they are


def _answer_texts(col: AnswerColumn) -> _Texts:
    """What a column's values may be in either answer style, and the code each stands for.

    One object per question (all ~30 items of a rating array share it), so columns are grouped by it.
    """
    if col.type in YES_NO_TYPES or col.type in BOX_TYPES:
        return _yes_no_texts(col.type in YES_NO_TYPES)
    if col.column is not None and col.type in CHOICE_TYPES:
        return _choice_texts(col.column.question)
    return _NO_TEXTS


@lru_cache(maxsize=2)
def _yes_no_texts(question: bool) -> _Texts:
    """A Yes/No question: Y, N; a multiple-choice box: Y ticked, anything else not ticked."""
    no = "N" if question else ""
    texts = {key(t): "Y" for t in YES_TEXTS} | {key(t): no for t in NO_TEXTS} | {key(t): "" for t in NO_ANSWER_TEXTS}
    return _Texts(codes={"y": "Y", "n": no}, texts=texts)


@lru_cache(maxsize=4096)
def _choice_texts(question: Question) -> _Texts:
    out = _Texts()
    for code, texts in question.answers:
        out.codes[code.casefold()] = code
        for text in texts.values():
            out.texts.setdefault(key(text), code)
    return out


def normalise_answers(
    frame: dict[str, np.ndarray],
    columns: list[AnswerColumn],
    questionnaire: Questionnaire,
    forced: tuple[str, str] | None,
) -> tuple[dict[str, np.ndarray], list[tuple[np.ndarray, str, np.ndarray]], list[Msg]]:
    """One file's answers back to codes: answer texts to codes, 1/2 to Y/N (decided once for the file).

    ``frame`` maps column names to the file's text arrays. Returns the columns (unmappable cells emptied),
    the rejects ``(mask, heading, reasons)`` for answers that belong to no answer of their question, and
    notes for the file's report. Columns sharing their answers (the items of an array) are handled as one
    block.
    """
    groups: dict[int, tuple[_Texts, list[int]]] = {}
    for j, col in enumerate(columns):
        texts = _answer_texts(col)
        groups.setdefault(id(texts), (texts, []))[1].append(j)
    n = len(next(iter(frame.values()))) if frame else 0
    cells = (  # one array: ~90 rating columns per file
        np.column_stack([frame[c.name] for c in columns]) if columns else np.empty((n, 0), dtype=object)
    )
    distinct = {g: _distinct(cells[:, idx].ravel()) for g, (_, idx) in groups.items()}
    notes: list[Msg] = []
    rejects: list[tuple[np.ndarray, str, np.ndarray]] = []
    if _answers_are_texts(groups, distinct):
        frame = dict(frame)
        for g, (texts, idx) in groups.items():
            if not texts.texts or not distinct[g]:
                continue
            block = cells[:, idx]
            mapped, bad = _map_values(block.ravel(), texts.texts)
            mapped = mapped.reshape(block.shape)
            for k, j in enumerate(idx):
                frame[columns[j].name] = mapped[:, k]
            bad = bad.reshape(block.shape)
            for k in np.flatnonzero(bad.any(axis=0)):
                col = columns[idx[k]]
                reasons = np.full(n, "", dtype=object)
                reasons[bad[:, k]] = [text_reason(str(v).strip(), col, questionnaire) for v in block[bad[:, k], k]]
                rejects.append((bad[:, k], col.header, reasons))
        return frame, rejects, notes
    boxes = (_yes_no_texts(True), _yes_no_texts(False))
    yes_no = [(texts, idx) for texts, idx in groups.values() if any(texts is b for b in boxes)]
    converted = _yes_no_codes(yes_no, distinct, forced)
    if converted:
        frame = dict(frame)
        yes, no = (v.casefold() for v in converted)
        for texts, idx in yes_no:
            block = cells[:, idx]
            folded = pd.Series(block.ravel(), dtype=object).astype(str).str.strip().str.casefold().to_numpy()
            out = np.where(folded == yes, "Y", np.where(folded == no, texts.codes["n"], block.ravel()))
            out = out.reshape(block.shape)
            for k, j in enumerate(idx):
                frame[columns[j].name] = out[:, k]
        if any(c.type in YES_NO_TYPES for c in columns):
            notes.append(Msg("yn_converted", yes=converted[0], no=converted[1]))
    return frame, rejects, notes


def _distinct(values: np.ndarray) -> list[str]:
    """The distinct non-empty values of text cells, stripped."""
    return [t for t in (str(u).strip() for u in pd.unique(values) if u is not None and u == u) if t]


def _answers_are_texts(groups: dict[int, tuple[_Texts, list[int]]], distinct: dict[int, list[str]]) -> bool:
    """ "Vollständige Antworten" or "Antwortcodes"? The distinct answers that only a text (only a code) can be."""
    texts_only = codes_only = 0
    for g, (known, _) in groups.items():
        for value in distinct[g]:
            is_code, is_text = value.casefold() in known.codes, key(value) in known.texts
            texts_only += is_text and not is_code
            codes_only += is_code and not is_text
    return texts_only > codes_only


def _yes_no_codes(
    yes_no: list[tuple[_Texts, list[int]]], distinct: dict[int, list[str]], forced: tuple[str, str] | None
) -> tuple[str, str] | None:
    """The codes of "Y in 1 / N in 2 umwandeln", if the file was exported with it (``yn_codes`` forces it).

    Decided from the Yes/No and multiple-choice columns only: the option touches nothing else.
    """
    if forced:
        return forced
    values = {v.casefold() for texts, _ in yes_no for v in distinct[id(texts)]}
    if values & set(DEFAULT_YN_CODES) and not values & {"y", "n"}:
        return DEFAULT_YN_CODES
    return None


def _map_values(values: np.ndarray, texts: dict[str, str]) -> tuple[np.ndarray, np.ndarray]:
    """Answer texts to codes over the distinct values; an unknown non-empty text is bad (its cell emptied)."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    targets, bad_u = [], []
    for u in uniques:
        text = "" if u is None else str(u).strip()
        hit = texts.get(key(text)) if text else ""
        targets.append("" if hit is None else hit)
        bad_u.append(bool(text) and hit is None)
    targets_a = np.asarray([*targets, ""], dtype=object)
    bad_a = np.asarray([*bad_u, False], dtype=bool)
    codes = np.where(codes < 0, len(uniques), codes)
    return targets_a[codes], bad_a[codes]


def text_reason(value: str, col: AnswerColumn, questionnaire: Questionnaire) -> Msg:
    """Why an answer text was refused, and what to do about it."""
    shown = None if col.personal else value
    if col.type in YES_NO_TYPES or col.type in BOX_TYPES:
        return Msg("answer_not_yes_no", value=shown, header=col.header)
    question = col.column.question.title if col.column is not None else col.name
    return Msg("answer_unknown", value=shown, header=col.header, question=question, questionnaire=questionnaire.name)


# --- reading all files of a source ---------------------------------------------------------------------------


@dataclass
class Exports:
    """All files of a survey source in code style: what the kind readers validate."""

    parts: list[Part]  # per file: its row numbers and its columns as text arrays, ``_bad`` among them
    headers: dict[str, str]  # canonical -> the file's heading (first file), for messages
    counts: dict[str, int]  # rows read per file
    notes: dict[str, list[Msg]]  # per file, for its report
    file_headers: dict[str, dict[str, str]]  # per file: canonical -> its own heading

    @cached_property
    def _frame(self) -> pd.DataFrame:
        return table_frame(self.parts, "")

    @property
    def frame(self) -> pd.DataFrame:
        """Canonical text columns, array items (``FREQ[o2]``), source_file, source_row."""
        return self._frame.drop(columns="_bad")

    @property
    def bad(self) -> pd.Series:
        """Rows with an answer text of no answer (already in the rejects)."""
        return self._frame["_bad"].astype(bool)

    def relabel(self, rejects: pd.DataFrame) -> pd.DataFrame:
        """Rejects that name each file's own heading: the files of one source (a glob) may differ in style,
        and the checks ran on all of them with the first file's headings."""
        rejects = rejects.copy()
        for file, own in self.file_headers.items():
            changes = {self.headers[n]: h for n, h in own.items() if self.headers.get(n, h) != h}
            rows = rejects["file"] == file
            for old, new in changes.items():
                hit = rows & (rejects["column"] == old)
                if hit.any():
                    rejects.loc[hit, "column"] = new
                    msgs = [
                        _rename_header(from_json({"code": c, "params": json.loads(p)}), old, new)
                        for c, p in zip(rejects.loc[hit, "reason_code"], rejects.loc[hit, "reason_params"], strict=True)
                    ]
                    rejects.loc[hit, "reason"] = [str(m) for m in msgs]
                    rejects.loc[hit, "reason_params"] = [params_json(m) for m in msgs]
        return rejects


def _rename_header(msg: Msg, old: str, new: str) -> Msg:
    """The message with every parameter that names the heading ``old`` naming ``new``."""
    return msg.with_params(**{k: new for k, v in msg.params.items() if v == old})


def read_exports(
    spec: SourceSpec,
    log: RejectLog,
    names: dict[str, str],
    required: list[str],
    optional: list[str],
    answers: list[str],
    arrays: tuple[str, ...] = (),
    aliases: dict[str, tuple[str, ...]] | None = None,
    personal: frozenset[str] = frozenset(),
) -> Exports:
    """Read every file of ``spec``, place its headings and map its answers back to codes.

    ``names`` maps canonical names to export headings (the manifest's mappings); ``answers`` are the
    canonical answer columns among ``required`` + ``optional``; ``arrays`` the prefixes whose
    ``PREFIX[sub]`` columns are read as well (the partner survey's ratings); ``personal`` the answers never
    quoted in a reason.
    """
    questionnaire = questionnaire_for(spec)
    standard = shipped(spec.kind)
    forced = yn_codes(spec)
    keep = set(names.values())
    parts: list[Part] = []
    counts, notes, headers, file_headers = {}, {}, {}, {}
    for table in read_all(spec):
        placement = place_headings(table.headers, questionnaire, keep)
        if questionnaire is standard:  # its codes are the canonical ones: a town's own codes follow the manifest
            placement.codes = {h: names.get(c, c) for h, c in placement.codes.items()}
        _drop_clashes(placement, table.headers)
        renamed = [placement.codes.get(h, h) for h in table.headers]
        columns_now = {c.casefold() for c in renamed}
        present = {
            n
            for n in [*required, *optional]
            if any(c.casefold() in columns_now for c in (names.get(n, n), *((aliases or {}).get(n, ()))))
        }
        missing = [names.get(n, n) for n in required if n not in present]
        if missing:
            raise FileUnreadable(table.file, _missing_message(table.file, missing, placement, questionnaire))
        frame, found = select_table(table, names, required, optional, aliases, rename=placement.codes)
        position: dict[str, int] = {}
        for j, name in enumerate(renamed):
            position.setdefault(name, j)
        for prefix in arrays:
            items = {
                f"{prefix}[{about}]": header
                for about, header in prefixed_columns(renamed, names.get(prefix, prefix)).items()
            }
            for name, header in items.items():
                frame[name] = table.cells[:, position[header]]
            found.update(items)
        original = {code: header for header, code in placement.codes.items()}
        found = {name: original.get(header, header) for name, header in found.items()}
        columns = [
            _answer_column(name, found, names, questionnaire, standard, personal)
            for name in [*answers, *(c for c in frame if c.split("[", 1)[0] in arrays)]
            if name in frame and name in found
        ]
        frame, rejects, file_notes = normalise_answers(frame, columns, questionnaire, forced)
        n = len(table.rows)
        bad = np.zeros(n, dtype=bool)
        if rejects:
            rows = pd.DataFrame({"source_file": table.file, "source_row": table.rows})
            if PROBLEM in frame:
                rows[PROBLEM] = frame[PROBLEM]
            for mask, header, reasons in rejects:
                log.add(rows, mask, header, reasons)
                bad |= mask
        lost = [names.get(n, n) for n in optional if n in answers and n not in present]
        if lost and n:  # nothing silent: these questions' figures will be missing
            if placement.by_text and placement.unplaced:
                shown = ", ".join(f"'{h}'" for h in placement.unplaced[:4])
                file_notes.append(Msg("columns_ignored", questionnaire=questionnaire.name, columns=shown))
            file_notes.append(Msg("questions_missing", questions=", ".join(lost)))
        if not n:
            file_notes.append(Msg("empty_survey"))
        for name, header in found.items():
            headers.setdefault(name, header)
        file_headers[table.file] = found
        frame["_bad"] = bad
        parts.append((table.file, table.rows, frame))
        counts[table.file] = n
        if file_notes:
            notes[table.file] = file_notes
    # a column some files of the source lack reads as empty there (also in the rows of a batch of sources)
    every = dict.fromkeys(c for _, _, frame in parts for c in frame)
    for _, rows, frame in parts:
        for name in every:
            if name not in frame:
                frame[name] = np.full(len(rows), "", dtype=object)
    return Exports(parts=parts, headers=headers, counts=counts, notes=notes, file_headers=file_headers)


def _drop_clashes(placement: Placement, headers: list[str]) -> None:
    """A placed heading whose code another heading of the file already has stays unplaced (never two columns
    of one name; the heading written as the code wins)."""
    taken = {h.strip().casefold() for h in headers if h not in placement.codes}
    for header, code in list(placement.codes.items()):
        if code.casefold() in taken:
            del placement.codes[header]
            placement.unplaced.append(header)
        else:
            taken.add(code.casefold())


def _answer_column(
    name: str,
    found: dict[str, str],
    names: dict[str, str],
    questionnaire: Questionnaire,
    standard: Questionnaire,
    personal: frozenset[str],
) -> AnswerColumn:
    prefix = name.split("[", 1)[0]
    export = names.get(name) or (names.get(prefix, prefix) + name[len(prefix) :])
    # the standard questionnaire's codes are the canonical names; a town's own .lss has the export's codes
    column = questionnaire.column(name if questionnaire is standard else export)
    reference = column or standard.column(name)
    if reference is None:  # an array item of the standard questionnaire's array ("FREQ[o2]")
        reference = next((c for c in standard.columns if c.question.title == prefix), None)
    return AnswerColumn(
        name=name,
        header=found[name],
        column=column,
        type=reference.question.type if reference is not None else "",
        personal=name in personal,
    )


def response_year(
    batch: Batch, meta: pd.DataFrame, valid: pd.Series, log: RejectLog, frame: pd.DataFrame
) -> tuple[pd.Series, pd.Series]:
    """Year of each response (its source's manifest ``year``, else from its dates) and the rows whose year is
    unknown."""
    given = batch.per_row(frame, [s.year for s in batch.specs])
    has_year = np.array([y is not None for y in given], dtype=bool)
    submit = meta["submitdate"].where(meta["submitdate"] != PLACEHOLDER)
    when = submit.fillna(meta["startdate"].where(meta["startdate"] != PLACEHOLDER))
    when = when.fillna(meta["datestamp"].where(meta["datestamp"] != PLACEHOLDER))
    year = when.dt.year.astype("Int64")
    if has_year.any():
        year = year.mask(
            pd.Series(has_year, index=year.index),
            pd.Series(np.where(has_year, given, 0), index=year.index).astype("Int64"),
        )
    unknown = year.isna().to_numpy() & valid.to_numpy() & ~has_year
    placeholder = (meta["submitdate"] == PLACEHOLDER).fillna(False).to_numpy()
    header = Header("submitdate")
    reason = np.where(placeholder, Msg("year_placeholder", header=header), Msg("year_unknown", header=header))
    log.add(frame, unknown, header, reason)
    return year, pd.Series(unknown, index=meta.index)
