"""The catalogue of what a run says about its files and rows, in German and English (issue 15, point 4).

Every reject reason (``etl_rejects.reason``) and every part of a file's message (``etl_run_files.message``)
is made here as a :class:`Msg`: a code of :data:`CATALOGUE` with named parameters. The German text stored
beside it is its German rendering, so the German columns and the exports of §7 are exactly what they were;
``reason_code``/``reason_params`` and ``message_code``/``message_params`` store the codes and parameters
(JSON), so a page in English renders the same message in English (:func:`render`, :func:`english`).

Parameters hold only what the German text shows: a value is passed only where :func:`etl.readers.fields.quotable`
(or the rule of its reader) allows quoting it, so the privacy rule of the reasons holds for the parameters too.

Template syntax (:class:`string.Formatter`, one formatter per language):

* ``{n:n}`` an integer with the language's thousands separator (German 1.234, English 1,234);
* ``{x:x}`` a number as a bound is written (German ``2,5``, English ``2.5``; integers without decimals);
* ``{value:q}`` `` 'value'`` when the parameter is given and not empty, else nothing (an unquotable value);
* ``{part:m}`` a nested message, ``{part:o}`` one that may be None (then nothing); ``{parts:j; }`` nested
  messages joined by ``; `` (the text after ``j``);
* ``{n:pZeile|Zeilen}`` the singular or the plural word, as ``n`` is 1 or not;
* ``{date:d}`` an ISO date as the language writes it (German 31.12.2024, English 2024-12-31);
* ``{x:c}`` a coordinate as read (up to 6 decimals), ``{x:g5}`` degrees with 5 decimals, each with the language's
  decimal mark;
* ``{noun:w}`` a word of :data:`WORDS` (German as given, English translated): nouns, lists of allowed answers.
"""

from __future__ import annotations

import json
import string
from collections.abc import Iterable, Mapping
from functools import lru_cache

LANGUAGES = ("de", "en")


class Msg:
    """One message: a catalogue code and its parameters (str, int, float, None, :class:`Msg` or lists of them)."""

    __slots__ = ("code", "params", "_key")

    def __init__(self, code: str, /, **params: object) -> None:
        if code not in CATALOGUE:
            raise KeyError(f"unknown message code {code!r}")
        self.code = code
        self.params = params
        self._key = (code, _freeze(params))

    def with_params(self, **params: object) -> Msg:
        return Msg(self.code, **{**self.params, **params})

    def text(self, lang: str = "de") -> str:
        return _render_one(self, lang)

    def __str__(self) -> str:
        return self.text("de")

    def __repr__(self) -> str:
        return f"Msg({self.code!r}, {self.params!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Msg) and self._key == other._key

    def __hash__(self) -> int:
        return hash(self._key)

    def as_json(self) -> dict[str, object]:
        return {"code": self.code, "params": {k: jsonable(v) for k, v in self.params.items()}}


class MessageError(Exception):
    """An error whose text is a :class:`Msg`: ``str()`` is the German sentence (the CLI, logs, German pages),
    :meth:`text` the same in another language (an English page); it crosses process boundaries with its message."""

    def __init__(self, msg: Msg) -> None:
        super().__init__(msg.text("de"))
        self.msg = msg

    def text(self, lang: str = "de") -> str:
        return self.msg.text(lang)

    def __reduce__(self) -> tuple:
        return (type(self), (self.msg,))


def _freeze(value: object) -> object:
    if isinstance(value, dict):
        return tuple(sorted((k, _freeze(v)) for k, v in value.items()))
    if isinstance(value, (list, tuple)):
        return tuple(_freeze(v) for v in value)
    return value


def jsonable(value: object) -> object:
    """A parameter as JSON can store it: a message (anything with ``as_json``: :class:`Msg`, the intake's
    sentences) as its JSON, lists, tuples and mappings element by element, numpy scalars as Python numbers."""
    if hasattr(value, "as_json"):
        return value.as_json()
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value


def from_json(data: Mapping[str, object]) -> Msg:
    """The :class:`Msg` of :meth:`Msg.as_json` (nested messages included)."""

    def back(value: object) -> object:
        if isinstance(value, dict) and set(value) == {"code", "params"}:
            return from_json(value)
        if isinstance(value, list):
            return [back(v) for v in value]
        return value

    return Msg(str(data["code"]), **{k: back(v) for k, v in dict(data["params"]).items()})


# --- rendering ----------------------------------------------------------------------------------------------


def _int_text(n: object, lang: str) -> str:
    text = f"{int(n):,}"
    return text.replace(",", ".") if lang == "de" else text


def _number_text(x: object, lang: str) -> str:
    x = float(x)
    text = str(int(x)) if x.is_integer() else str(x)
    return text.replace(".", ",") if lang == "de" else text


class _Formatter(string.Formatter):
    def __init__(self, lang: str) -> None:
        super().__init__()
        self.lang = lang

    def format_field(self, value: object, spec: str) -> str:
        if spec == "n":
            return _int_text(value, self.lang)
        if spec == "x":
            return _number_text(value, self.lang)
        if spec == "q":
            return f" '{value}'" if value not in (None, "") else ""
        if spec == "o":  # an optional nested message
            return "" if value is None else _render_one(value, self.lang)
        if spec == "m":
            return _render_one(value, self.lang) if isinstance(value, Msg) else str(value)
        if spec.startswith("j"):
            return spec[1:].join(_render_one(v, self.lang) if isinstance(v, Msg) else str(v) for v in value)
        if spec == "w":
            return word(str(value), self.lang)
        if spec == "d":  # an ISO date: 31.12.2024 in German, 2024-12-31 in English
            year, month, day = str(value).split("-")
            return f"{day}.{month}.{year}" if self.lang == "de" else str(value)
        if spec == "c":  # a coordinate as read: up to 6 decimals, no trailing zeros
            text = f"{float(value):.6f}".rstrip("0").rstrip(".")
            return text.replace(".", ",") if self.lang == "de" else text
        if spec == "g5":  # degrees with 5 decimals
            text = f"{float(value):.5f}"
            return text.replace(".", ",") if self.lang == "de" else text
        if spec.startswith("p"):
            singular, plural = spec[1:].split("|")
            return singular if int(value) == 1 else plural
        return super().format_field(value, spec)


_FORMATTERS = {lang: _Formatter(lang) for lang in LANGUAGES}


def _render_one(msg: Msg, lang: str) -> str:
    return _cached(msg, lang)


@lru_cache(maxsize=65_536)
def _cached(msg: Msg, lang: str) -> str:
    template = CATALOGUE[msg.code][LANGUAGES.index(lang)]
    return _FORMATTERS[lang].vformat(template, (), msg.params)


def render(parts: Msg | Iterable[Msg] | str | Mapping[str, object], lang: str = "de") -> str:
    """A message, or the parts of a file message joined by ``; ``, in ``lang`` (``de`` or ``en``).

    ``parts`` is one of:

    * a :class:`Msg` or a list of them (the parts of a file message);
    * the JSON text stored in ``message_params`` (:func:`parts_json`);
    * a stored row (a dict, or anything with ``.get`` such as a pandas row) of ``etl_run_files`` /
      :func:`etl.warehouse.runs` (``message``, ``message_code``, ``message_params``) or of ``etl_rejects`` /
      :func:`etl.warehouse.rejects` (``reason``, ``reason_code``, ``reason_params``). German is the stored text;
      another language is rendered from the codes; a row of a run of an older version without codes gives its
      stored German text in every language.
    """
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}")
    if isinstance(parts, Msg):
        return parts.text(lang)
    if isinstance(parts, str):
        parts = parts_from_json(parts)
    elif hasattr(parts, "get") and hasattr(parts, "keys"):
        return _stored_row(parts, lang)  # type: ignore[arg-type]
    return "; ".join(p.text(lang) for p in parts)  # type: ignore[union-attr]


def _filled(value: object) -> bool:
    return isinstance(value, str) and value != ""


def _stored_row(row: Mapping[str, object], lang: str) -> str:
    """A stored file message or reject reason (see :func:`render`) in ``lang``."""
    is_message = "message" in row  # a pandas row: its index
    text = row.get("message" if is_message else "reason")
    german = "" if not _filled(text) else str(text)
    if lang == "de":
        return german
    if is_message:
        stored = row.get("message_params")
        return render(str(stored), lang) if _filled(stored) else german
    code, params = row.get("reason_code"), row.get("reason_params")
    if not (_filled(code) and _filled(params)):
        return german
    return from_json({"code": str(code), "params": json.loads(str(params))}).text(lang)


def parts_json(parts: Iterable[Msg]) -> str:
    """``[{"code": …, "params": {…}}, …]``: how a file message's parts are stored (``message_params``)."""
    return json.dumps([p.as_json() for p in parts], ensure_ascii=False, sort_keys=True)


def params_json(msg: Msg) -> str:
    """A reason's parameters as stored (``reason_params``)."""
    return json.dumps(msg.as_json()["params"], ensure_ascii=False, sort_keys=True)


def parts_from_json(text: str) -> list[Msg]:
    return [from_json(p) for p in json.loads(text)]


def english(code: str, params: str | Mapping[str, object] | None = None, *, parts: str | None = None) -> str:
    """The English text of a stored reason (``reason_code``, ``reason_params``) or file message (``parts``:
    the stored ``message_params``) — what an English page shows instead of the German column."""
    if parts is not None:
        return render(parts_from_json(parts), "en")
    values = json.loads(params) if isinstance(params, str) else dict(params or {})
    return render(from_json({"code": code, "params": values}), "en")


def codes_of(parts: Iterable[Msg]) -> str:
    """The codes of a file message's parts, ``;``-separated (``message_code``)."""
    return ";".join(p.code for p in parts)


# --- words ---------------------------------------------------------------------------------------------------

# German words that stand in parameters (nouns of fields, lists of allowed answers): their English.
WORDS = {
    "Wert": "Value",
    "Alter": "Age",
    "Datum": "Date",
    "Zeitpunkt": "Timestamp",
    "Zahl": "Number",
    "ganze Zahl": "whole number",
    "gültiges Datum": "valid date",
    "gültiger Zeitpunkt": "valid timestamp",
    "Y oder leer": "Y or empty",
    "O": "E",  # east of a coordinate (etl.readers.districts)
}


def word(text: str, lang: str) -> str:
    """``text`` (German) in ``lang``; allowed-answer lists translate their German words ("auch", "oder")."""
    if lang == "de":
        return text
    if text in WORDS:
        return WORDS[text]
    return text.replace("(auch ", "(also ").replace(" oder ", " or ").replace(" und ", " and ")


# --- the catalogue: code -> (German, English) -----------------------------------------------------------------

FIX_DE = (
    "So beheben: den Export in LimeSurvey wiederholen mit „Überschrift: Fragecode“ und „Antworten: Antwortcodes“ – "
    'oder, wenn die Umfrage einen eigenen Fragebogen hat, dessen .lss-Datei im Manifest angeben: questionnaire = "…"'
)
FIX_EN = (
    "To fix: repeat the export in LimeSurvey with “Heading: question code” and “Answers: answer codes” – or, if the "
    'survey has a questionnaire of its own, name its .lss file in the manifest: questionnaire = "…"'
)

CATALOGUE: dict[str, tuple[str, str]] = {
    # file messages: the count sentence and what a file's report adds
    "rows_read": (
        "{read:n} {read:pZeile|Zeilen} gelesen, {accepted:n} übernommen, {rejected:n} abgewiesen",
        "{read:n} {read:prow|rows} read, {accepted:n} accepted, {rejected:n} rejected",
    ),
    "rows_read_skipped": (
        "{read:n} {read:pZeile|Zeilen} gelesen, {accepted:n} übernommen, {rejected:n} abgewiesen, {skipped:n} "
        "{skipped:pZeile|Zeilen} anderer Gebiete übersprungen",
        "{read:n} {read:prow|rows} read, {accepted:n} accepted, {rejected:n} rejected, {skipped:n} "
        "{skipped:prow|rows} of other regions skipped",
    ),
    "not_loaded": (
        "nicht geladen: Quelle gestoppt, weil {file} nicht lesbar ist",
        "not loaded: source stopped because {file} cannot be read",
    ),
    "kept": (
        "Daten des letzten erfolgreichen Laufs {run} beibehalten ({rows:n} Zeilen)",
        "data of the last successful run {run} kept ({rows:n} rows)",
    ),
    "mapping_note": (
        "Spalte '{header}' als Feld {field} gelesen, aber {invalid:n} von {filled:n} Werten ungültig – vermutlich "
        "falsch zugeordnet ({mapped:m}); Werte werden nicht zitiert",
        "column '{header}' read as field {field}, but {invalid:n} of {filled:n} values invalid – probably mapped "
        "wrongly ({mapped:m}); values are not quoted",
    ),
    "mapped_as": ('{field} = "{header}"', '{field} = "{header}"'),
    "mapped_same_name": ("Spalte heißt wie das Feld {field}", "column is named like the field {field}"),
    "line_breaks": (
        "Zeilenumbruch innerhalb eines Feldes ({places:j; }): als ein Wert gelesen – bitte prüfen, ob ein "
        "Anführungszeichen fehlt",
        "line break inside a field ({places:j; }): read as one value – please check whether a quotation mark is "
        "missing",
    ),
    "line_break_place": ("Spalte '{header}' Zeile {rows}", "column '{header}' line {rows}"),
    "org_not_listed": (
        "Organisation '{org}' steht nicht in der Organisationsliste",
        "organisation '{org}' is not on the list of organisations",
    ),
    "unlisted_orgs_ignored": (
        "Angaben über nicht gelistete Organisationen ignoriert: {names}",
        "answers about organisations not on the list ignored: {names}",
    ),
    "manifest_warning_min_cell": (
        "min_cell = {min_cell}: Gruppen ab {min_cell} Personen werden gezeigt; empfohlen sind mindestens 5, damit "
        "einzelne Personen in kleinen Gruppen nicht erkennbar werden.",
        "min_cell = {min_cell}: groups of {min_cell} or more people are shown; at least 5 is recommended so that "
        "single people in small groups cannot be recognised.",
    ),
    # files that cannot be read (etl.readers.tabular): each stops its source
    "cannot_open": ("{file} lässt sich nicht öffnen ({why:m}).", "{file} cannot be opened ({why:m})."),
    "os_no_permission": ("keine Leseberechtigung", "no permission to read"),
    "os_not_found": ("Datei nicht gefunden", "file not found"),
    "os_is_folder": ("ein Ordner, keine Datei", "a folder, not a file"),
    "os_read_error": ("Lesefehler des Betriebssystems", "read error of the operating system"),
    "wrong_encoding": (
        "{file} lässt sich nicht mit der Kodierung '{encoding}' aus engage.toml lesen (Textzeile {line}).",
        "{file} cannot be read with the encoding '{encoding}' from engage.toml (text line {line}).",
    ),
    "bad_utf16": (
        "{file} sieht nach UTF-16 aus, lässt sich aber nicht so lesen.",
        "{file} looks like UTF-16 but cannot be read as such.",
    ),
    "mixed_encodings": (
        "{file} mischt zwei Zeichenkodierungen: Textzeile {utf8} ist UTF-8, Textzeile {other} Windows-1252 (cp1252) – "
        "vermutlich wurden zwei Exporte zusammengesetzt. Bitte die Datei einheitlich als UTF-8 speichern (in Excel: "
        "„CSV UTF-8“).",
        "{file} mixes two character encodings: text line {utf8} is UTF-8, text line {other} Windows-1252 (cp1252) – "
        "probably two exports were joined. Please save the file as UTF-8 throughout (in Excel: “CSV UTF-8”).",
    ),
    "mojibake": (
        "{file}, Textzeile {line}: falsch kodierte Zeichen ('{found}'{meant:o}) – die Datei wurde einmal mit der "
        "falschen Zeichenkodierung geöffnet und wieder gespeichert. Bitte den Export neu erzeugen oder die Zeichen "
        "korrigieren.",
        "{file}, text line {line}: wrongly encoded characters ('{found}'{meant:o}) – the file was once opened with "
        "the wrong character encoding and saved again. Please create the export anew or correct the characters.",
    ),
    "mojibake_meant": (" statt '{meant}'", " instead of '{meant}'"),
    "empty_no_header": ("{file} ist leer: Es fehlt die Kopfzeile.", "{file} is empty: the header line is missing."),
    "binary_file": (
        "{file} ist keine Tabelle (CSV oder XLSX), sondern eine Binärdatei.",
        "{file} is no table (CSV or XLSX) but a binary file.",
    ),
    "nul_byte": (
        "{file}, Textzeile {line}: enthält ein NUL-Zeichen (Byte 0) – die Datei ist beschädigt (z. B. unvollständig "
        "kopiert oder gespeichert). Bitte den Export neu erzeugen.",
        "{file}, text line {line}: holds a NUL character (byte 0) – the file is damaged (e.g. copied or saved "
        "incompletely). Please create the export anew.",
    ),
    "bom_inside": (
        "{file}, Textzeile {line}: enthält ein Byte-Order-Mark (BOM) mitten in der Datei – vermutlich wurden mehrere "
        "Exporte aneinandergehängt. Bitte jeden Export als eigene Datei ablegen (mehrere Dateien liest "
        'path = "*.csv").',
        "{file}, text line {line}: holds a byte order mark (BOM) inside the file – probably several exports were "
        'appended. Please store each export as a file of its own (path = "*.csv" reads several files).',
    ),
    "password_protected": (
        "{file} ist kennwortgeschützt (verschlüsselte Excel-Datei): bitte in Excel ohne Kennwort speichern (Datei › "
        "Informationen › Arbeitsmappe schützen › Mit Kennwort verschlüsseln: Kennwort löschen).",
        "{file} is password-protected (an encrypted Excel file): please save it in Excel without a password (File › "
        "Info › Protect Workbook › Encrypt with Password: delete the password).",
    ),
    "old_xls": (
        "{file} ist eine alte Excel-Datei (.xls): bitte in Excel als .xlsx oder als CSV speichern.",
        "{file} is an old Excel file (.xls): please save it in Excel as .xlsx or as CSV.",
    ),
    "json_file": (
        "{file} ist eine JSON-Datei, keine CSV-Tabelle: bitte als CSV oder XLSX exportieren.",
        "{file} is a JSON file, not a CSV table: please export as CSV or XLSX.",
    ),
    "html_file": (
        "{file} ist eine HTML- oder XML-Datei, keine CSV-Tabelle (vielleicht eine Fehlerseite statt des Exports): "
        "bitte den Export erneut herunterladen.",
        "{file} is an HTML or XML file, not a CSV table (perhaps an error page instead of the export): please "
        "download the export again.",
    ),
    "no_header": ("{file} hat keine Kopfzeile: Zeile 1 ist leer.", "{file} has no header line: line 1 is empty."),
    "csv_unreadable": (
        "{file} ist keine lesbare CSV-Tabelle (Textzeile {line}): Anführungszeichen prüfen.",
        "{file} is no readable CSV table (text line {line}): check the quotation marks.",
    ),
    "unclosed_quote": (
        "{file}, Zeile {row}: Ein Anführungszeichen öffnet ein Feld, das über {lines} Textzeilen reicht und dabei "
        'ganze Datenzeilen enthält – vermutlich steht ein einzelnes " im Text (richtig wäre "") oder ein '
        "schließendes fehlt. Bitte Textzeile {line} prüfen.",
        "{file}, row {row}: a quotation mark opens a field that spans {lines} text lines and holds whole data rows – "
        'probably a single " stands in a text (it should be "") or a closing one is missing. Please check text line '
        "{line}.",
    ),
    "xlsx_broken_zip": (
        "{file} ist keine lesbare XLSX-Datei: Sie ist beschädigt oder unvollständig (kein vollständiges ZIP-Archiv). "
        "Bitte in Excel öffnen und neu speichern oder neu exportieren.",
        "{file} is no readable XLSX file: it is damaged or incomplete (no complete ZIP archive). Please open it in "
        "Excel and save it again, or export it anew.",
    ),
    "xlsx_is_ods": (
        "{file} ist keine lesbare XLSX-Datei: Sie ist eine OpenDocument-Tabelle (.ods): bitte als .xlsx oder CSV "
        "speichern.",
        "{file} is no readable XLSX file: it is an OpenDocument spreadsheet (.ods): please save as .xlsx or CSV.",
    ),
    "xlsx_is_word": (
        "{file} ist keine lesbare XLSX-Datei: Sie ist ein Word-Dokument, keine Arbeitsmappe.",
        "{file} is no readable XLSX file: it is a Word document, not a workbook.",
    ),
    "xlsx_no_workbook": (
        "{file} ist keine lesbare XLSX-Datei: Sie ist ein ZIP-Archiv ohne Excel-Arbeitsmappe (es fehlt "
        "xl/workbook.xml).",
        "{file} is no readable XLSX file: it is a ZIP archive without an Excel workbook (xl/workbook.xml is missing).",
    ),
    "xlsx_damaged": (
        "{file} ist keine lesbare XLSX-Datei: Die Arbeitsmappe ist beschädigt. Bitte in Excel öffnen und neu "
        "speichern.",
        "{file} is no readable XLSX file: the workbook is damaged. Please open it in Excel and save it again.",
    ),
    "no_sheet": (
        "{file} hat kein Tabellenblatt '{sheet}' (vorhanden: {sheets}).",
        "{file} has no sheet '{sheet}' (present: {sheets}).",
    ),
    "sheet_damaged": (
        "{file}: Das Tabellenblatt '{sheet}' ist beschädigt. Bitte in Excel neu speichern.",
        "{file}: the sheet '{sheet}' is damaged. Please save it again in Excel.",
    ),
    # columns a reader needs (etl.readers.checks.select, etl.readers.limesurvey)
    "required_column_missing": (
        "Pflichtspalte '{header}' fehlt in {file} ({field:o}vorhandene Spalten: {present:m}).",
        "required column '{header}' is missing in {file} ({field:o}columns present: {present:m}).",
    ),
    "field_prefix": ("Feld {field}; ", "field {field}; "),
    "listing": ("{names}", "{names}"),
    "listing_none": ("keine", "none"),
    "duplicate_header": (
        "Spalte '{header}' steht mehrfach in der Kopfzeile von {file} (Spalten {positions}; Feld {field}): unklar, "
        "welche gilt. Bitte eine davon umbenennen oder löschen.",
        "column '{header}' stands more than once in the header line of {file} (columns {positions:w}; field "
        "{field}): unclear which one applies. Please rename or delete one of them.",
    ),
    "survey_column_missing": (
        "Pflichtspalte {names} fehlt in {file}{where:m}. " + FIX_DE + ".",
        "required column {names} is missing in {file}{where:m}. " + FIX_EN + ".",
    ),
    "survey_columns_missing": (
        "Pflichtspalten {names} fehlen in {file}{where:m}. " + FIX_DE + ".",
        "required columns {names} are missing in {file}{where:m}. " + FIX_EN + ".",
    ),
    "unplaced_columns": (
        "; diese Spalten passen zu keiner Frage des Fragebogens {questionnaire}: {columns}{more:o}",
        "; these columns match no question of the questionnaire {questionnaire}: {columns}{more:o}",
    ),
    "in_questionnaire": (" (Fragebogen {questionnaire})", " (questionnaire {questionnaire})"),
    "questionnaire_missing": ("Der Fragebogen {name} fehlt.", "The questionnaire {name} is missing."),
    "questionnaire_unreadable": (
        "Der Fragebogen {name} ist keine lesbare .lss-Datei ({detail}).",
        "The questionnaire {name} is no readable .lss file ({detail}).",
    ),
    "questionnaire_not_lss": (
        "{name} ist keine LimeSurvey-Umfragestruktur (.lss): In LimeSurvey unter Umfrage → Export → "
        "„Umfragestruktur (.lss)“ exportieren.",
        "{name} is no LimeSurvey survey structure (.lss): export it in LimeSurvey under Survey → Export → “Survey "
        "structure (.lss)”.",
    ),
    "goals_not_xlsx": (
        "{file} ist keine XLSX-Arbeitsmappe: Der Zielplan muss eine .xlsx-Datei mit den Blättern Ziele, Massnahmen "
        "und Messungen sein.",
        "{file} is no XLSX workbook: the goal plan must be an .xlsx file with the sheets Ziele, Massnahmen and "
        "Messungen.",
    ),
    "on_sheet": ("Blatt '{sheet}': {inner:m}", "sheet '{sheet}': {inner:m}"),
    "population_layout_hint": (
        "{inner:m} Erwartet wird die Standardtabelle (Spalten ags, year, age_band, gender, count; optional district) "
        "oder die Tabelle {table} der Regionalstatistik (breiter oder langer Download als CSV oder XLSX, "
        "GENESIS-Flatfile auch als ZIP).",
        "{inner:m} Expected is the standard table (columns ags, year, age_band, gender, count; optionally district) "
        "or table {table} of the Regionalstatistik (wide or long download as CSV or XLSX, GENESIS flat file also as "
        "ZIP).",
    ),
    "not_regionalstatistik": (
        "{file} hat nicht das Format der Regionalstatistik {table}: erkannt werden der breite Download (Kopfzeilen "
        "'Insgesamt/männlich/weiblich' und die 17 Altersgruppen 'unter 3 Jahre' … '75 Jahre und mehr'), die lange "
        "Form (Kopfzeile ';;;;Insgesamt;männlich;weiblich') und die GENESIS-Flatfile (Spalten 'time', "
        "'…_variable_attribute_code', 'value'), als CSV, XLSX oder ZIP.",
        "{file} does not have the format of the Regionalstatistik {table}: recognised are the wide download (header "
        "lines 'Insgesamt/männlich/weiblich' with the 17 age groups 'unter 3 Jahre' … '75 Jahre und mehr'), the "
        "long form (header line ';;;;Insgesamt;männlich;weiblich') and the GENESIS flat file (columns 'time', "
        "'…_variable_attribute_code', 'value'), as CSV, XLSX or ZIP.",
    ),
    "flat_not_table": (
        "{file} ist eine GENESIS-Flatfile, aber nicht die Tabelle {table}: {what:m}{others:o}.",
        "{file} is a GENESIS flat file but not table {table}: {what:m}{others:o}.",
    ),
    "flat_missing": ("es fehlt {missing:j und }", "missing: {missing:j and }"),
    "flat_unexpected": ("unerwartete Merkmale", "unexpected variables"),
    "flat_others": ("; außerdem: {others}", "; also: {others}"),
    "flat_role_region": ("das Merkmal Region (Regionalschlüssel)", "the variable region (region key)"),
    "flat_role_gender": ("das Merkmal Geschlecht (GES)", "the variable gender (GES)"),
    "flat_role_age": ("das Merkmal Altersgruppen (ALTX20)", "the variable age groups (ALTX20)"),
    "flat_column_missing": (
        "{file}: Pflichtspalte '{header}' der GENESIS-Flatfile fehlt.",
        "{file}: required column '{header}' of the GENESIS flat file is missing.",
    ),
    "flat_several_values": (
        "{file} enthält mehrere Wertmerkmale ({values}); bitte nur die Bevölkerung (Tabelle {table}) herunterladen.",
        "{file} holds several value variables ({values}); please download the population only (table {table}).",
    ),
    "empty_file": ("{file} ist leer.", "{file} is empty."),
    "neither_xlsx_nor_zip": (
        "{file} ist weder eine lesbare XLSX- noch eine ZIP-Datei.",
        "{file} is neither a readable XLSX nor a ZIP file.",
    ),
    "zip_one_csv": (
        "{file} ist ein ZIP-Archiv, das genau eine CSV-Datei enthalten muss (enthalten: {found:m}).",
        "{file} is a ZIP archive that must hold exactly one CSV file (held: {found:m}).",
    ),
    "wide_column_not_table": (
        "{file}: Spalte {n} ('{label}') gehört nicht zur Tabelle {table} (erwartet: Insgesamt, männlich, weiblich je "
        "mit den 17 Altersgruppen).",
        "{file}: column {n} ('{label}') does not belong to table {table} (expected: Insgesamt, männlich, weiblich, "
        "each with the 17 age groups).",
    ),
    "wide_no_genders": (
        "{file} enthält keine Spalten für männlich und weiblich (Tabelle {table}).",
        "{file} holds no columns for male and female (table {table}).",
    ),
    "wide_no_date": (
        "{file}: Der Stichtag fehlt (eine Zeile wie '31.12.2023' über dem Tabellenkopf) und engage.toml nennt kein "
        "year.",
        "{file}: the reference date is missing (a line such as '31.12.2023' above the table header) and engage.toml "
        "gives no year.",
    ),
    # row reasons shared by every reader
    "shifted_row": (
        "Zeile hat {found} statt {expected} Werte: Trennzeichen im Text? Werte verschoben",
        "row has {found} instead of {expected} values: separator inside a text? Values shifted",
    ),
    "formula_without_value": (
        "Zelle {cell} (Spalte '{header}'): Formel ohne gespeicherten Wert – Datei in Excel öffnen und speichern",
        "cell {cell} (column '{header}'): formula without a saved value – open and save the file in Excel",
    ),
    "duplicate": ("Duplikat von Zeile {row}", "duplicate of row {row}"),
    "duplicate_in_file": ("Duplikat von Zeile {row} in {file}", "duplicate of row {row} in {file}"),
    "duplicate_org": (
        "{duplicate:m} (dieselbe Organisation hat schon geantwortet)",
        "{duplicate:m} (the same organisation has already answered)",
    ),
    "mapping_mistake": (
        "Spalte '{header}' passt nicht zum Feld {field} ({invalid:n} von {filled:n} Werten ungültig): Zuordnung in "
        "engage.toml prüfen",
        "column '{header}' does not fit field {field} ({invalid:n} of {filled:n} values invalid): check the mapping "
        "in engage.toml",
    ),
    "ended_before_registered": (
        "Enddatum '{date:d}' in Spalte '{header}' liegt vor dem Registrierungsdatum (Spalte '{registered}')",
        "end date '{date:d}' in column '{header}' is before the registration date (column '{registered}')",
    ),
    "yn_converted": (
        "Ja/Nein-Antworten als {yes}/{no} exportiert („Y in 1 / N in 2 umwandeln“) und zurückübersetzt; LimeSurvey "
        "schreibt dabei auch unbeantwortete Ja/Nein-Fragen als {no} („Nein“) – für genaue Werte ohne diese Option "
        "exportieren",
        "yes/no answers exported as {yes}/{no} (“convert Y to 1 / N to 2”) and translated back; LimeSurvey then also "
        "writes unanswered yes/no questions as {no} (“No”) – export without this option for exact values",
    ),
    "columns_ignored": (
        "Spalten ohne passende Frage im Fragebogen {questionnaire} ignoriert: {columns}",
        "columns without a matching question in the questionnaire {questionnaire} ignored: {columns}",
    ),
    "questions_missing": ("Fragen nicht im Export: {questions}", "questions not in the export: {questions}"),
    "empty_survey": (
        "die Datei enthält keine Antworten (leere Umfrage)",
        "the file holds no responses (empty survey)",
    ),
    "answer_not_yes_no": (
        "Antwort{value:q} in Spalte '{header}' ist weder Ja noch Nein",
        "answer{value:q} in column '{header}' is neither yes nor no",
    ),
    "answer_unknown": (
        "Antwort{value:q} in Spalte '{header}' gehört zu keiner Antwort der Frage {question} im Fragebogen "
        "{questionnaire} (eigenen Fragebogen mit questionnaire = … angeben oder mit „Antworten: Antwortcodes“ "
        "exportieren)",
        "answer{value:q} in column '{header}' belongs to no answer of question {question} in the questionnaire "
        "{questionnaire} (give the survey's own questionnaire with questionnaire = … or export with “answer codes”)",
    ),
    # the Regionalstatistik table (etl.readers.regionalstatistik)
    "region_code_invalid": (
        "Regionalschlüssel '{code}' ist kein Gebietsschlüssel (DG oder 2 bis 12 Ziffern)",
        "region code '{code}' is no region key (DG or 2 to 12 digits)",
    ),
    "age_group_unknown": (
        "Altersgruppe '{group}' ist keine der 17 Gruppen der Tabelle {table}",
        "age group '{group}' is none of the 17 groups of table {table}",
    ),
    "gender_not_table": (
        "Geschlecht '{code}' gehört nicht zur Tabelle {table}",
        "gender '{code}' does not belong to table {table}",
    ),
    "age_code_not_table": (
        "Altersgruppe '{code}' gehört nicht zur Tabelle {table}",
        "age group '{code}' does not belong to table {table}",
    ),
    "time_not_date": (
        "Wert '{value}' in Spalte 'time' ist kein Stichtag",
        "value '{value}' in column 'time' is no reference date",
    ),
    "count_empty": (
        "Spalte '{header}' ist leer (erwartet eine Anzahl oder {missing})",
        "column '{header}' is empty (expected a count or {missing:w})",
    ),
    "count_invalid": (
        "Wert '{value}' in Spalte '{header}' ist keine Anzahl",
        "value '{value}' in column '{header}' is no count",
    ),
    "values_missing_marked": ("{n:n} von {of} Werten {marks}", "{n:n} of {of} values {marks:w}"),
    "values_absent": ("{n} von {of} Werten fehlen", "{n} of {of} values absent"),
    "districts_incomplete": (
        "{n:n} {n:pStadtteil|Stadtteile} unvollständig, die Stadtteilzeilen des Jahres fehlen",
        "{n:n} {n:pdistrict|districts} incomplete, the year's district rows are left out",
    ),
    "town_year_gap": ("{town} {year} ({gaps:j, })", "{town} {year} ({gaps:j, })"),
    "and_more": (" und {n} weitere", " and {n} more"),
    "population_incomplete": (
        "Bevölkerung unvollständig, daher nicht übernommen: {items:j; }{more:o}; für diese Jahre gilt die Bevölkerung "
        "des letzten vollständigen früheren Jahres (ohne ein solches bleibt die Umfrage ungewichtet)",
        "population incomplete, therefore not taken over: {items:j; }{more:o}; for these years the population of the "
        "last complete earlier year applies (without one the survey stays unweighted)",
    ),
    # the goal workbook (etl.readers.goals)
    "goal_not_listed": ("Ziel{value:q} steht nicht im Blatt 'Ziele'", "goal{value:q} is not on the sheet 'Ziele'"),
    "target_equals_baseline": (
        "Zielwert gleich Ausgangswert: Fortschritt nicht berechenbar",
        "target equals baseline: progress cannot be computed",
    ),
    "target_date_order": (
        "Zieldatum liegt nicht nach dem Datum des Ausgangswerts: erwarteter Fortschritt nicht berechenbar",
        "target date is not after the date of the baseline: expected progress cannot be computed",
    ),
    "indicator_unknown": (
        "Indikator{value:q} in Spalte '{header}' gibt es nicht im Indikatorkatalog",
        "indicator{value:q} in column '{header}' does not exist in the indicator catalogue",
    ),
    "age_missing": (
        "Alter fehlt oder ist ungültig: Spalte '{header}' ist leer",
        "age missing or invalid: column '{header}' is empty",
    ),
    "year_placeholder": (
        "Jahr nicht bestimmbar: Spalte '{header}' enthält nur LimeSurveys Platzhalter '1980-01-01 00:00:00' (anonyme "
        "Umfrage); bitte year = … für diese Quelle in engage.toml angeben",
        "year cannot be determined: column '{header}' holds only LimeSurvey's placeholder '1980-01-01 00:00:00' "
        "(anonymous survey); please give year = … for this source in engage.toml",
    ),
    "year_unknown": (
        "Jahr nicht bestimmbar: Spalte '{header}' ist leer und engage.toml nennt für diese Quelle kein year",
        "year cannot be determined: column '{header}' is empty and engage.toml gives no year for this source",
    ),
    # field checks (etl.readers.fields)
    "required_empty": ("Pflichtfeld '{header}' ist leer", "required field '{header}' is empty"),
    "contact_data": (
        "Spalte '{header}' enthält eine Kontaktangabe (E-Mail-Adresse, Telefonnummer, IP- oder Internetadresse); "
        "solche Angaben werden nicht übernommen – bitte ohne sie exportieren",
        "column '{header}' holds contact data (an e-mail address, phone number, IP or web address); such data "
        "is not taken over – please export without it",
    ),
    "not_allowed": (
        "{noun:w}{value:q} in Spalte '{header}' ist nicht erlaubt (erlaubt: {allowed:w})",
        "{noun:w}{value:q} in column '{header}' is not allowed (allowed: {allowed:w})",
    ),
    "not_digits": (
        "{noun:w}{value:q} in Spalte '{header}' ist kein {digits}-stelliger Code",
        "{noun:w}{value:q} in column '{header}' is no {digits}-digit code",
    ),
    "not_digits_zero": (
        "{noun:w}{value:q} in Spalte '{header}' ist kein {digits}-stelliger Code (führende Null verloren? In Excel "
        "die Spalte als Text formatieren)",
        "{noun:w}{value:q} in column '{header}' is no {digits}-digit code (leading zero lost? Format the column as "
        "text in Excel)",
    ),
    "not_number": (
        "{noun:w}{value:q} in Spalte '{header}' ist keine {what:w}",
        "{noun:w}{value:q} in column '{header}' is no {what:w}",
    ),
    "not_number_range": (
        "{noun:w}{value:q} in Spalte '{header}' ist keine {what:w} von {lo:x} bis {hi:x}",
        "{noun:w}{value:q} in column '{header}' is no {what:w} from {lo:x} to {hi:x}",
    ),
    "not_number_min": (
        "{noun:w}{value:q} in Spalte '{header}' ist keine {what:w} ≥ {lo:x}",
        "{noun:w}{value:q} in column '{header}' is no {what:w} ≥ {lo:x}",
    ),
    "ambiguous_number": (
        "Zahl{value:q} in Spalte '{header}' ist mehrdeutig (Tausender- oder Dezimaltrennzeichen?): bitte ohne "
        "Tausendertrennzeichen schreiben, z. B. 1234 oder 1,5",
        "number{value:q} in column '{header}' is ambiguous (thousands or decimal separator?): please write it "
        "without a thousands separator, e.g. 1234 or 1.5",
    ),
    "not_date": (
        "{noun:w}{value:q} in Spalte '{header}' ist kein {what:w}",
        "{noun:w}{value:q} in column '{header}' is no {what:w}",
    ),
    # district shapes (etl.readers.districts) and their cross-checks (etl.crosscheck)
    "geojson_other_format": (
        "{file} ist keine GeoJSON-Datei, sondern {what:m}. Bitte als GeoJSON exportieren.",
        "{file} is no GeoJSON file but {what:m}. Please export as GeoJSON.",
    ),
    "format_shapefile": ("ein Shapefile (.shp)", "a shapefile (.shp)"),
    "format_zip": (
        "ein ZIP-Archiv (z. B. ein gepacktes Shapefile oder KMZ)",
        "a ZIP archive (e.g. a packed shapefile or KMZ)",
    ),
    "format_xml": ("eine XML-Datei (KML oder GML?)", "an XML file (KML or GML?)"),
    "geojson_not_utf8": (
        "{file} ist nicht in UTF-8 gespeichert (GeoJSON ist immer UTF-8): bitte als UTF-8 exportieren oder die "
        'Kodierung mit encoding = "cp1252" angeben.',
        "{file} is not saved in UTF-8 (GeoJSON is always UTF-8): please export as UTF-8 or give the encoding with "
        'encoding = "cp1252".',
    ),
    "geojson_bad_json": (
        "{file} ist keine gültige GeoJSON-Datei: kein gültiges JSON (Zeile {line}, Spalte {column}).",
        "{file} is no valid GeoJSON file: no valid JSON (line {line}, column {column}).",
    ),
    "geojson_not_collection": (
        "{file} {what:m}; erwartet wird eine FeatureCollection.",
        "{file} {what:m}; a FeatureCollection is expected.",
    ),
    "geojson_single_feature": ("enthält ein einzelnes Feature", "holds a single feature"),
    "geojson_topojson": ("ist TopoJSON, kein GeoJSON", "is TopoJSON, not GeoJSON"),
    "geojson_bare_geometry": ("enthält nur eine Geometrie ({kind})", "holds only a geometry ({kind})"),
    "geojson_no_type": (
        "ist keine GeoJSON-Datei (kein 'type': 'FeatureCollection')",
        "is no GeoJSON file (no 'type': 'FeatureCollection')",
    ),
    "geojson_other_crs": (
        "{file} ist im Koordinatensystem {crs} gespeichert; erwartet wird WGS 84 (Länge/Breite, EPSG:4326). Bitte im "
        "GIS mit diesem Koordinatensystem neu exportieren.",
        "{file} is saved in the coordinate system {crs}; WGS 84 (longitude/latitude, EPSG:4326) is expected. Please "
        "export it again from the GIS in this coordinate system.",
    ),
    "geojson_no_features": (
        "{file}: Die FeatureCollection hat keine Liste 'features'.",
        "{file}: the FeatureCollection has no list 'features'.",
    ),
    "geojson_empty": (
        "{file} enthält keine Stadtteile (die FeatureCollection ist leer).",
        "{file} holds no districts (the FeatureCollection is empty).",
    ),
    "geojson_code_missing": (
        "Eigenschaft '{key}' (Stadtteilcode) fehlt in allen Features von {file} (vorhandene Eigenschaften: "
        '{present:m}). Den Namen der Eigenschaft in engage.toml mit code_property = "…" angeben.',
        "property '{key}' (district code) is missing in all features of {file} (properties present: {present:m}). "
        'Give the name of the property in engage.toml with code_property = "…".',
    ),
    "district_name_missing": (
        "Eigenschaft '{key}' (Stadtteilname) fehlt: die Karte zeigt die Stadtteilcodes (Name in engage.toml mit "
        'name_property = "…" angeben)',
        "property '{key}' (district name) is missing: the map shows the district codes (give the name in "
        'engage.toml with name_property = "…")',
    ),
    "feature_not_feature": (
        "Eintrag ist kein GeoJSON-Feature ('type' ist nicht 'Feature')",
        "entry is no GeoJSON feature ('type' is not 'Feature')",
    ),
    "district_code_missing": (
        "Stadtteilcode fehlt (Eigenschaft '{key}' ist leer oder fehlt)",
        "district code missing (property '{key}' is empty or missing)",
    ),
    "district_code_not_text": (
        "Stadtteilcode in Eigenschaft '{key}' ist kein Text",
        "district code in property '{key}' is no text",
    ),
    "district_code_decimal": (
        "Stadtteilcode in Eigenschaft '{key}' ist eine Kommazahl, kein Code",
        "district code in property '{key}' is a decimal number, not a code",
    ),
    "geometry_missing": ("Geometrie fehlt", "geometry missing"),
    "geometry_not_area": (
        "Geometrie ist ein {kind}, kein Polygon oder MultiPolygon (Stadtteile sind Flächen)",
        "geometry is a {kind}, no Polygon or MultiPolygon (districts are areas)",
    ),
    "geometry_unknown_kind": ("unbekannt", "unknown"),
    "geometry_empty": ("Geometrie ist leer (keine Koordinaten)", "geometry is empty (no coordinates)"),
    "coordinates_unreadable": (
        "Koordinaten sind nicht lesbar (erwartet: Punkte als [Länge, Breite])",
        "coordinates are not readable (expected: points as [longitude, latitude])",
    ),
    "ring_too_short": (
        "Ring mit {n} Punkten: ein Umriss braucht mindestens 4 (der letzte wiederholt den ersten)",
        "ring with {n} points: an outline needs at least 4 (the last repeats the first)",
    ),
    "coordinate_outside_wgs84": (
        "Koordinate ({x:c}, {y:c}) liegt außerhalb von WGS 84 (Länge −180 bis 180, Breite −90 bis 90): die Datei ist "
        "vermutlich in einem anderen Koordinatensystem (z. B. UTM, EPSG:25832) gespeichert; bitte als WGS 84 "
        "(EPSG:4326) exportieren",
        "coordinate ({x:c}, {y:c}) lies outside WGS 84 (longitude −180 to 180, latitude −90 to 90): the file is "
        "probably saved in another coordinate system (e.g. UTM, EPSG:25832); please export as WGS 84 (EPSG:4326)",
    ),
    "ring_not_closed": (
        "Ring ist nicht geschlossen (der letzte Punkt muss den ersten wiederholen)",
        "ring is not closed (the last point must repeat the first)",
    ),
    "geometry_invalid": (
        "Geometrie ungültig: {what:m}{at:o} – bitte im GIS korrigieren",
        "geometry invalid: {what:m}{at:o} – please correct it in the GIS",
    ),
    "at_location": (" (bei {lon:g5}° {east:w}, {lat:g5}° {north})", " (at {lon:g5}° {east:w}, {lat:g5}° {north})"),
    "geos_self_intersection": ("der Umriss überschneidet sich selbst", "the outline intersects itself"),
    "geos_ring_self_intersection": (
        "ein Ring berührt oder kreuzt sich selbst",
        "a ring touches or crosses itself",
    ),
    "geos_hole_outside": ("ein Loch liegt außerhalb des Umrisses", "a hole lies outside the outline"),
    "geos_holes_nested": ("Löcher liegen ineinander", "holes lie inside each other"),
    "geos_disconnected": ("die Fläche zerfällt in getrennte Teile", "the area falls apart into separate parts"),
    "geos_nested_shells": ("Teilflächen liegen ineinander", "parts of the area lie inside each other"),
    "geos_duplicate_rings": ("ein Ring ist doppelt vorhanden", "a ring is there twice"),
    "geos_too_few_points": (
        "zu wenige verschiedene Punkte (Fläche ohne Inhalt)",
        "too few distinct points (an area without content)",
    ),
    "geos_invalid_coordinate": ("eine Koordinate ist ungültig", "a coordinate is invalid"),
    "geos_ring_not_closed": ("ein Ring ist nicht geschlossen", "a ring is not closed"),
    "geos_other": ("die Geometrie ist nicht gültig", "the geometry is not valid"),
    "districts_unused_no_users": (
        "keine andere Quelle dieser Stadt nennt Stadtteile (Bevölkerung, Befragung oder Registrierungen mit "
        "Stadtteil): die Karte bleibt ohne Werte",
        "no other source of this town names districts (population, survey or registrations with a district): the "
        "map stays without values",
    ),
    "districts_unused": (
        "Stadtteile ohne Angaben in den anderen Quellen: {codes:m}",
        "districts without data in the other sources: {codes:m}",
    ),
    "districts_unshaped": (
        "Stadtteilcodes ohne Umriss (fehlen auf der Karte): {codes:m} – genannt in {sources}{hint:o}",
        "district codes without an outline (missing from the map): {codes:m} – named in {sources}{hint:o}",
    ),
    "districts_padding_hint": (
        " – die Codes der Umrisse haben keine führenden Nullen (z. B. {code} statt {meant}): im GIS das Feld als Text "
        "speichern",
        " – the codes of the outlines have no leading zeros (e.g. {code} instead of {meant}): save the field as text "
        "in the GIS",
    ),
    "codes_shown": ("{codes}{rest:o}", "{codes}{rest:o}"),
    "codes_more": (", {n} weitere", ", {n} more"),
    "codes_unquoted": ("{n} Angabe(n), die nicht zitiert werden", "{n} value(s) that are not quoted"),
    # the warehouse and its database (etl.db.explain_error, etl.warehouse.check): what the CLI prints in German
    # and a page shows in its language; ``where`` is the SQLite file or the URL without its password
    "db_bad_url": (
        "Die Warehouse-Adresse '{where}' ist keine gültige Datenbank-URL (erwartet z. B. "
        "sqlite:///data/warehouse.sqlite oder postgresql://benutzer@host/datenbank).",
        "The warehouse address '{where}' is not a valid database URL (expected e.g. "
        "sqlite:///data/warehouse.sqlite or postgresql://user@host/database).",
    ),
    "db_read_only": (
        "Das Warehouse {where} ist schreibgeschützt: Schreibrechte für die Datei und ihren Ordner prüfen.",
        "The warehouse {where} is read-only: check the write permissions of the file and its folder.",
    ),
    "db_no_space": (
        "Kein Speicherplatz mehr frei ({where}): bitte Platz schaffen; nichts wurde halb geschrieben.",
        "No disk space left ({where}): please free some space; nothing was half written.",
    ),
    "db_no_permission": (
        "Keine Schreibrechte für {where}: Schreibrechte für die Datei und ihren Ordner prüfen.",
        "No write permission for {where}: check the write permissions of the file and its folder.",
    ),
    "db_disk_error": (
        "Lese- oder Schreibfehler des Datenträgers ({where}); das Warehouse ist unverändert geblieben.",
        "A read or write error of the disk ({where}); the warehouse was left unchanged.",
    ),
    "db_file_io": (
        "Die Datei {where} lässt sich nicht schreiben oder lesen.",
        "The file {where} cannot be written or read.",
    ),
    "db_unopenable": (
        "Das Warehouse {where} lässt sich nicht öffnen: Gibt es den Ordner, und darf er beschrieben werden?",
        "The warehouse {where} cannot be opened: does the folder exist, and may it be written?",
    ),
    "db_locked": (
        "Das Warehouse {where} ist von einem anderen Programm gesperrt: bitte später erneut versuchen.",
        "The warehouse {where} is locked by another program: please try again later.",
    ),
    "db_not_utf8": (
        "Das Warehouse {where} enthält in der Spalte „{column}“ Text, der kein UTF-8 ist (von einem anderen "
        "Programm hineingeschrieben?). Bitte einmal engage run QUELLORDNER ausführen: der Lauf schreibt die "
        "Tabellen neu.",
        "The warehouse {where} holds text in the column “{column}” that is not UTF-8 (written into it by another "
        "program?). Please run engage run SOURCE_FOLDER once: the run writes the tables anew.",
    ),
    "db_unreachable": (
        "Die Datenbank {where} ist nicht erreichbar: Läuft der Server, stimmen Rechnername, Port, Benutzer und "
        "Kennwort?",
        "The database {where} cannot be reached: is the server running, and are host name, port, user and "
        "password right?",
    ),
    "db_query_failed": (
        "Die Datenbank {where} hat eine Abfrage mit einem Fehler abgebrochen; das Warehouse ist unverändert "
        "geblieben. Bitte engage run QUELLORDNER erneut ausführen; hilft das nicht, eine Sicherung zurückspielen.",
        "The database {where} stopped a query with an error; the warehouse was left unchanged. Please run engage "
        "run SOURCE_FOLDER again; if that does not help, restore a backup.",
    ),
    "db_damaged": (
        "Die Datei {where} ist kein (intaktes) Warehouse, sondern beschädigt oder eine andere Datei. Bitte eine "
        "Sicherung zurückspielen oder mit --db eine neue Datei angeben.",
        "The file {where} is not an (intact) warehouse but damaged or another file. Please restore a backup or "
        "name a new file with --db.",
    ),
    "db_error": (
        "Die Datenbank {where} meldet einen Fehler; das Warehouse ist unverändert geblieben.",
        "The database {where} reports an error; the warehouse was left unchanged.",
    ),
    "db_busy": (
        "Ein anderer Lauf schreibt gerade in dieses Warehouse{since:o}. Bitte warten, bis er fertig ist, und dann "
        "erneut starten.",
        "Another run is writing into this warehouse{since:o}. Please wait until it has finished, then start again.",
    ),
    "db_busy_since": (" (seit {day:d} {time} Uhr)", " (since {day:d} {time})"),
    "wh_missing": (
        "Das Warehouse „{path}“ gibt es noch nicht. Bitte zuerst einen ETL-Lauf starten: engage run QUELLORDNER "
        "--db {where}",
        "The warehouse “{path}” does not exist yet. Please start an ETL run first: engage run SOURCE_FOLDER "
        "--db {where}",
    ),
    "wh_unreachable": ("Das Warehouse {where} ist nicht erreichbar.", "The warehouse {where} cannot be reached."),
    "wh_empty": (
        "Das Warehouse {where} ist leer: es wurde noch kein ETL-Lauf geschrieben. Bitte zuerst engage run "
        "QUELLORDNER ausführen.",
        "The warehouse {where} is empty: no ETL run has been written yet. Please run engage run SOURCE_FOLDER "
        "first.",
    ),
    "wh_outdated": (
        "Das Warehouse {where} wurde von einer älteren Version von Engagement-Monitor geschrieben (es fehlt: "
        "{missing}). Bitte einmal engage run QUELLORDNER --db {where} ausführen: der Lauf ergänzt die fehlenden "
        "Tabellen und Spalten, danach lässt es sich wieder lesen.",
        "The warehouse {where} was written by an older version of Engagement-Monitor (missing: {missing}). Please "
        "run engage run SOURCE_FOLDER --db {where} once: the run adds the missing tables and columns, after which "
        "it can be read again.",
    ),
    "wh_run_gone": (
        "Lauf {run} ist in diesem Warehouse nicht (mehr) gespeichert; gespeichert sind die Läufe {kept:m}. "
        "Ältere Läufe entfernt ein Lauf nach [project] keep_runs.",
        "Run {run} is not (or no longer) stored in this warehouse; the stored runs are {kept:m}. A run "
        "removes older runs after [project] keep_runs.",
    ),
    "wh_runs_none": ("keiner", "none"),
    "wh_no_account": (
        "Keine Berechtigung: Diese Anfrage ist keinem angemeldeten Konto zugeordnet.",
        "Not allowed: this request belongs to no signed-in account.",
    ),
    # data packages (etl.package)
    "pkg_town_unknown": (
        "Die Stadt mit AGS {town} ist in diesem Warehouse nicht gespeichert.",
        "The town with AGS {town} is not stored in this warehouse.",
    ),
    "pkg_out_is_file": (
        "{out} ist eine Datei: für ein Datenpaket einen Ordner oder eine .zip-Datei angeben.",
        "{out} is a file: name a folder or a .zip file for a data package.",
    ),
    # the manifest engage.toml (etl.manifest): ``where`` is the manifest's path, ``here`` a block of it
    "mf_town_block": ("{where}, [[towns]] Nr. {n}", "{where}, [[towns]] no. {n}"),
    "mf_source_block": ("{where}, [[sources]] Nr. {n}", "{where}, [[sources]] no. {n}"),
    "mf_key": ("{here:m}, Schlüssel '{key}'", "{here:m}, key '{key}'"),
    "mf_top_level": ("auf oberster Ebene", "at the top level"),
    "mf_towns_nr": ("[[towns]] Nr. {n}", "[[towns]] no. {n}"),
    "mf_sources_nr": ("[[sources]] Nr. {n} ({kind})", "[[sources]] no. {n} ({kind})"),
    "mf_did_you_mean": ("; meinten Sie '{name}'?", "; did you mean '{name}'?"),
    "mf_no_folder": ("Der Quellordner {folder} existiert nicht.", "The source folder {folder} does not exist."),
    "mf_missing": (
        "{where} fehlt: Jeder Quellordner braucht ein Manifest {name} mit [project], [[towns]] und [[sources]].",
        "{where} is missing: every source folder needs a manifest {name} with [project], [[towns]] and [[sources]].",
    ),
    "mf_not_utf8": (
        "{where} ist nicht in UTF-8 gespeichert: bitte als UTF-8 speichern.",
        "{where} is not saved in UTF-8: please save it as UTF-8.",
    ),
    "mf_bad_toml": ("{where} ist kein gültiges TOML: {position:m}", "{where} is not valid TOML: {position:m}"),
    "mf_toml_at": (
        "Syntaxfehler in Zeile {line}, Spalte {column} ({detail})",
        "syntax error in line {line}, column {column} ({detail})",
    ),
    "mf_toml_end": ("Syntaxfehler am Dateiende ({detail})", "syntax error at the end of the file ({detail})"),
    "mf_no_sources": (
        "{where}: Es fehlt mindestens ein Block [[sources]] (die zu lesenden Exporte).",
        "{where}: at least one block [[sources]] (the exports to read) is missing.",
    ),
    "mf_sources_not_blocks": (
        "{where}: 'sources' muss als Blöcke [[sources]] geschrieben werden.",
        "{where}: 'sources' must be written as blocks [[sources]].",
    ),
    "mf_unknown_key": (
        "{where}, {what:m}: Schlüssel '{key}' ist unbekannt{hint:o} (erlaubt: {allowed}).",
        "{where}, {what:m}: key '{key}' is unknown{hint:o} (allowed: {allowed}).",
    ),
    "mf_read_twice": (
        "{where}: Die Datei '{file}' wird von [[sources]] Nr. {first} ({first_label}) und Nr. {number} ({label}) "
        "gelesen – ihre Zeilen würden doppelt gezählt. Bitte die Datei nur einer Quelle zuordnen (Muster wie "
        '"*.csv" prüfen).',
        "{where}: the file '{file}' is read by [[sources]] no. {first} ({first_label}) and no. {number} ({label}) – "
        'its rows would count twice. Please assign the file to one source only (check patterns like "*.csv").',
    ),
    "mf_no_project": (
        '{where}: Der Abschnitt [project] fehlt{hint:o} (mindestens name = "…").',
        '{where}: the section [project] is missing{hint:o} (at least name = "…").',
    ),
    "mf_project_hint": (" (steht dort [{name}]?)", " (is it written [{name}]?)"),
    "mf_no_project_name": (
        "{where}, [project], Schlüssel 'name': Es fehlt der Projektname als Text.",
        "{where}, [project], key 'name': the project's name as a text is missing.",
    ),
    "mf_min_cell_low": (
        "{where}, [project], Schlüssel 'min_cell': {value} ist zu klein – unter {floor} schützt die Unterdrückung "
        "kleiner Gruppen niemanden mehr (Standard und Empfehlung: 5).",
        "{where}, [project], key 'min_cell': {value} is too small – below {floor} the suppression of small groups "
        "protects nobody any more (default and recommendation: 5).",
    ),
    "mf_demo_not_bool": (
        "{where}, [project], Schlüssel 'demo': {value} ist nicht true oder false.",
        "{where}, [project], key 'demo': {value} is not true or false.",
    ),
    "mf_licence": (
        "{where}, [project], Schlüssel 'licence': {value} ist keine der offenen Lizenzen{hint:o} (erlaubt: "
        "{allowed}; Standard: {default}).",
        "{where}, [project], key 'licence': {value} is none of the open licences{hint:o} (allowed: {allowed}; "
        "default: {default}).",
    ),
    "mf_not_int": (
        "{where}, Schlüssel '{key}': {value} ist keine ganze Zahl von {lo} bis {hi}.",
        "{where}, key '{key}': {value} is no whole number from {lo} to {hi}.",
    ),
    "mf_no_towns": (
        '{where}: Es fehlt mindestens ein Block [[towns]] mit ags = "…" (8 Ziffern) und name = "…".',
        '{where}: at least one block [[towns]] with ags = "…" (8 digits) and name = "…" is missing.',
    ),
    "mf_ags_number": (
        "{at:m}: {ags} ist als Zahl geschrieben; der Gemeindeschlüssel muss als Text in Anführungszeichen stehen "
        '(z. B. "{padded}"), sonst gehen führende Nullen verloren.',
        "{at:m}: {ags} is written as a number; the municipality key must stand as a text in quotation marks "
        '(e.g. "{padded}"), or leading zeros are lost.',
    ),
    "mf_ags_invalid": (
        "{at:m}: {value} ist kein Amtlicher Gemeindeschlüssel aus 8 Ziffern.",
        "{at:m}: {value} is no official municipality key (AGS) of 8 digits.",
    ),
    "mf_town_name_missing": ("{at:m}: Es fehlt der Name der Stadt.", "{at:m}: the town's name is missing."),
    "mf_ags_twice": (
        "{at:m}: '{ags}' steht schon in einem früheren Block.",
        "{at:m}: '{ags}' already stands in an earlier block.",
    ),
    "mf_kind": ("{at:m}: {shown:m} (erlaubt: {allowed}).", "{at:m}: {shown:m} (allowed: {allowed})."),
    "mf_kind_missing": ("fehlt", "missing"),
    "mf_kind_unknown": ("{value} ist keine bekannte Quellenart", "{value} is no known kind of source"),
    "mf_path_missing": (
        '{at:m}: Es fehlt der Dateiname (oder ein Muster wie "*.csv").',
        '{at:m}: the file name (or a pattern like "*.csv") is missing.',
    ),
    "mf_label_not_text": ("{at:m}: {value} ist kein Text.", "{at:m}: {value} is not a text."),
    "mf_year": ("{at:m}: {value} ist keine Jahreszahl (1900–2100).", "{at:m}: {value} is no year (1900–2100)."),
    "mf_sheet": ("{at:m}: {value} ist kein Tabellenblattname.", "{at:m}: {value} is no sheet name."),
    "mf_format": (
        "{at:m}: {value} ist kein bekanntes Format (erlaubt: {allowed:m}).",
        "{at:m}: {value} is no known format (allowed: {allowed:m}).",
    ),
    "mf_formats_none": ("keine für {kind}", "none for {kind}"),
    "mf_geojson_property": (
        '{at:m}: {value} ist kein Name einer GeoJSON-Eigenschaft (z. B. "STT_NR").',
        '{at:m}: {value} is no name of a GeoJSON property (e.g. "STT_NR").',
    ),
    "mf_encoding": (
        '{at:m}: {value} ist keine bekannte Zeichenkodierung (z. B. "utf-8", "cp1252", "latin-1").',
        '{at:m}: {value} is no known character encoding (e.g. "utf-8", "cp1252", "latin-1").',
    ),
    "mf_questionnaire_name": (
        '{at:m}: {value} ist kein Dateiname eines Fragebogens (z. B. "umfrage.lss").',
        '{at:m}: {value} is no file name of a questionnaire (e.g. "umfrage.lss").',
    ),
    "mf_outside": (
        "{at:m}: '{name}' liegt nicht im Quellordner; Pfade sind relativ zum Ordner von engage.toml.",
        "{at:m}: '{name}' does not lie in the source folder; paths are relative to the folder of engage.toml.",
    ),
    "mf_file_absent": (
        "{at:m}: Die Datei '{name}' gibt es im Quellordner nicht.",
        "{at:m}: the file '{name}' does not exist in the source folder.",
    ),
    "mf_questionnaire": ("{at:m}: {problem:m}", "{at:m}: {problem:m}"),
    "mf_yn_codes": (
        "{at:m}: {value} muss zwei verschiedene Codes nennen, erst den für „Ja“, dann den für „Nein“, wie sie der "
        'Export mit „Y in 1 / N in 2 umwandeln“ schreibt (yn_codes = ["1", "2"]).',
        "{at:m}: {value} must name two different codes, first the one for “Yes”, then the one for “No”, as the "
        'export with “Convert Y to 1 / N to 2” writes them (yn_codes = ["1", "2"]).',
    ),
    "mf_no_match": (
        "{at:m}: Das Muster '{path}' passt auf keine Datei im Quellordner.",
        "{at:m}: the pattern '{path}' matches no file in the source folder.",
    ),
    "mf_symlink": (
        "{at:m}: '{name}' ist ein Verweis (Symlink) auf eine Datei außerhalb des Quellordners; gelesen werden nur "
        "Dateien im Quellordner. Bitte die Datei selbst in den Ordner kopieren.",
        "{at:m}: '{name}' is a link (symlink) to a file outside the source folder; only files in the source folder "
        "are read. Please copy the file itself into the folder.",
    ),
    "mf_town_needed": (
        "{at:m}: fehlt; bei mehreren Städten muss jede Quelle der Art {kind} den Gemeindeschlüssel ihrer Stadt "
        'nennen (town = "…").',
        "{at:m}: missing; with several towns every source of the kind {kind} must name its town's municipality key "
        '(town = "…").',
    ),
    "mf_town_not_text": (
        "{at:m}: {value} muss als Text in Anführungszeichen stehen (8 Ziffern).",
        "{at:m}: {value} must stand as a text in quotation marks (8 digits).",
    ),
    "mf_town_unknown": (
        "{at:m}: '{town}' steht in keinem Block [[towns]] (bekannt: {known}).",
        "{at:m}: '{town}' stands in no block [[towns]] (known: {known}).",
    ),
    "mf_mapping_not_table": (
        "{at:m}: muss eine Tabelle [sources.{key}] sein.",
        "{at:m}: must be a table [sources.{key}].",
    ),
    "mf_codes_kind": (
        "{at:m}: [sources.codes] gibt es nur für resident_survey und partner_survey.",
        "{at:m}: [sources.codes] exists only for resident_survey and partner_survey.",
    ),
    "mf_mapping_unknown": (
        "{here:m}, [sources.{key}], Schlüssel '{name}': kein bekannter Name für {kind}{hint:o} (bekannt: {known}).",
        "{here:m}, [sources.{key}], key '{name}': no known name for {kind}{hint:o} (known: {known}).",
    ),
    "mf_mapping_export": (
        "{here:m}, [sources.{key}], Schlüssel '{name}': {value} ist kein Spaltenname der Exportdatei.",
        "{here:m}, [sources.{key}], key '{name}': {value} is no column name of the export file.",
    ),
    "mf_demo_into_real": (
        "Dieses Warehouse enthält echte Daten (letzter Lauf {run} ohne Demo-Schlüssel); Demodaten werden nicht "
        "hineingeschrieben. Bitte ein eigenes Warehouse angeben, z. B. --db sqlite:///data/demo.sqlite.",
        "This warehouse holds real data (last run {run} without the demo key); demo data are not written into it. "
        "Please name a warehouse of their own, e.g. --db sqlite:///data/demo.sqlite.",
    ),
    "mf_key_short": (
        "{variable} ist zu kurz ({length} Zeichen, nötig sind mindestens {minimum}): Ein kurzer Schlüssel lässt sich "
        "erraten, und mit ihm jede Pseudonymisierung rückgängig machen. Erzeugen Sie einen langen Schlüssel, z. B. "
        'mit `python -c "import secrets; print(secrets.token_hex(32))"`.',
        "{variable} is too short ({length} characters, at least {minimum} are needed): a short key can be guessed, "
        "and with it every pseudonymisation undone. Create a long key, e.g. with "
        '`python -c "import secrets; print(secrets.token_hex(32))"`.',
    ),
    "mf_demo_real_towns": (
        "demo = true gilt nur für synthetische Demodaten von `engage demo` (alle Städte im erfundenen Land {land}, "
        "AGS {land}…); hier stehen echte Gemeindeschlüssel ({shown:m}). Für echte Daten bitte demo = true entfernen "
        "und {variable} setzen.",
        "demo = true holds only for the synthetic demo data of `engage demo` (all towns in the invented Land "
        "{land}, AGS {land}…); here are real municipality keys ({shown:m}). For real data please remove demo = true "
        "and set {variable}.",
    ),
    "mf_no_towns_shown": ("keine Städte", "no towns"),
    "mf_key_missing": (
        "{variable} ist nicht gesetzt: Ohne geheimen Schlüssel werden keine echten Daten verarbeitet, weil "
        "Personenkennungen (E-Mail, Name, ID) nur mit einem Schlüssel sicher pseudonymisiert werden. Erzeugen Sie "
        'einmalig einen Schlüssel, z. B. mit `python -c "import secrets; print(secrets.token_hex(32))"`, setzen Sie '
        "ihn vor jedem Lauf mit `export {variable}=<schlüssel>` und bewahren Sie ihn sicher auf: Nur derselbe "
        "Schlüssel ergibt in späteren Läufen dieselben Pseudonyme.",
        "{variable} is not set: without a secret key no real data are processed, because person identifiers "
        "(e-mail, name, ID) are pseudonymised safely only with a key. Create a key once, e.g. with "
        '`python -c "import secrets; print(secrets.token_hex(32))"`, set it before every run with '
        "`export {variable}=<key>` and keep it safe: only the same key gives the same pseudonyms in later runs.",
    ),
    # the run's progress (the CLI's bar, the intake's progress line)
    "run_reading": (
        "Lese {label} ({kind}, {n:n} Quelle(n))",
        "Reading {label} ({kind}, {n:n} {n:psource|sources})",
    ),
    "run_read": ("Gelesen: {label} ({kind})", "Read: {label} ({kind})"),
    "run_read_parallel": (
        "Gelesen: {label} ({kind}) ({workers} Prozesse)",
        "Read: {label} ({kind}) ({workers} processes)",
    ),
    "run_computing": ("Berechne Indikatoren", "Computing the indicators"),
    "run_writing": ("Schreibe Warehouse", "Writing the warehouse"),
    "run_done": ("Fertig", "Done"),
}
