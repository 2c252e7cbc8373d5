"""The Regionalstatistik table 12411-02-03-5 ("Bevölkerung nach Geschlecht und Altersgruppen (17)").

Its CSV download (latin-1, ``;``) has title lines, then two header lines (``;;;;Insgesamt;männlich;weiblich``
and the units), then one line per region and age group::

    31.12.2022;09999001;Musterstadt, Stadt;10 bis unter 15 Jahre;1234;630;604

with a line ``Insgesamt`` per region, and footer lines (``__________``, licence, copyright). ``-`` means
"nothing" (0), ``.`` "unknown or secret"; the brief reads both as missing, so they count 0 and the
file's message says how many there were. The 17 groups are re-banded to the five bands of §3.1; the
group "10 bis unter 15 Jahre" straddles 14 and goes 1/5 to 14-29 and 4/5 to 0-13 (one year in five).
Rows are numbered by their line in the file, which is the row a spreadsheet shows.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import numpy as np
import pandas as pd

from etl.model import SourceSpec, Town
from etl.readers.checks import RejectLog, duplicates
from etl.readers.tabular import FileUnreadable, read_text

TABLE_CODE = "12411-02-03-5"
HEADER = re.compile(r"insgesamt\s*;\s*m(?:ä|Ã¤|\?|\ufffd)nnlich\s*;\s*weiblich", re.IGNORECASE)
GENDER_COLUMNS = {"weiblich": "w", "männlich": "m"}

# age group label (lower case, without " Jahre") -> [(band, share)]
GROUPS: dict[str, list[tuple[str, float]]] = {
    "unter 3": [("0-13", 1.0)],
    "3 bis unter 6": [("0-13", 1.0)],
    "6 bis unter 10": [("0-13", 1.0)],
    "10 bis unter 15": [("0-13", 0.8), ("14-29", 0.2)],
    "15 bis unter 18": [("14-29", 1.0)],
    "18 bis unter 20": [("14-29", 1.0)],
    "20 bis unter 25": [("14-29", 1.0)],
    "25 bis unter 30": [("14-29", 1.0)],
    "30 bis unter 35": [("30-49", 1.0)],
    "35 bis unter 40": [("30-49", 1.0)],
    "40 bis unter 45": [("30-49", 1.0)],
    "45 bis unter 50": [("30-49", 1.0)],
    "50 bis unter 55": [("50-64", 1.0)],
    "55 bis unter 60": [("50-64", 1.0)],
    "60 bis unter 65": [("50-64", 1.0)],
    "65 bis unter 75": [("65+", 1.0)],
    "75 und mehr": [("65+", 1.0)],
}
TOTAL_LABEL = "insgesamt"
_DATE = re.compile(r"\d{2}\.\d{2}\.(\d{4})")


def looks_like(path: Path, spec: SourceSpec) -> bool:
    """Recognise the layout by its first lines: the table code or the ``Insgesamt;männlich;weiblich`` header."""
    with path.open("rb") as handle:
        head = handle.read(4096)
    if head.startswith(b"PK"):
        return False
    text = head.decode("latin-1")
    return text.lstrip("\ufeff").startswith(TABLE_CODE) or bool(HEADER.search(text))


def _label(text: pd.Series) -> pd.Series:
    s = text.str.strip().str.casefold().str.replace(r"\s+", " ", regex=True)
    return s.str.replace(r" jahren?\b", "", regex=True)


def _parse(path: Path, spec: SourceSpec) -> pd.DataFrame:
    """Data lines (first field a date) of one file with their line numbers."""
    file = spec.relname(path)
    text = read_text(path, spec, fallback="latin-1")
    lines = text.splitlines()
    if not any(HEADER.search(line) for line in lines[:30]):
        raise FileUnreadable(
            file,
            f"{file} hat nicht das Format der Regionalstatistik {TABLE_CODE}: Es fehlt die Kopfzeile "
            "'Insgesamt;männlich;weiblich'.",
        )
    numbers = [i + 1 for i, line in enumerate(lines) if _DATE.match(line.lstrip('"'))]
    records = list(csv.reader(io.StringIO("\n".join(lines[n - 1] for n in numbers)), delimiter=";"))
    width = 7
    records = [(r + [""] * width)[:width] if len(r) <= width else r[:width] for r in records]
    frame = pd.DataFrame(
        records, columns=["stichtag", "ags", "region", "group", "insgesamt", "männlich", "weiblich"], dtype=str
    )
    frame.insert(0, "source_row", np.asarray(numbers, dtype="int64"))
    frame.insert(0, "source_file", file)
    return frame


def read(spec: SourceSpec, towns: tuple[Town, ...]) -> tuple[pd.DataFrame, dict[str, int], RejectLog, dict[str, str]]:
    """Population rows (canonical columns) from Regionalstatistik files: counts, rejects, file notes."""
    parts = [_parse(p, spec) for p in spec.files]
    counts = {spec.relname(f): len(p) for p, f in zip(parts, spec.files, strict=True)}
    raw = pd.concat(parts, ignore_index=True)
    log = RejectLog(spec)
    raw["ags"] = raw["ags"].str.strip()
    raw["year"] = pd.to_numeric(raw["stichtag"].str.extract(_DATE, expand=False), errors="coerce").astype("Int64")
    label = _label(raw["group"])
    known_group = label.isin(list(GROUPS)) | (label == TOTAL_LABEL)
    town_ags = [t.ags for t in towns]
    bad = pd.Series(False, index=raw.index)

    def reject(mask: pd.Series, column: str, reason: pd.Series | str) -> None:
        nonlocal bad
        mask = mask.fillna(False).astype(bool)
        log.add(raw, mask, column, reason)
        bad = bad | mask

    not_ags = ~raw["ags"].str.fullmatch(r"\d{8}").fillna(False).astype(bool)
    reject(not_ags, "Region", "Regionalschlüssel '" + raw["ags"] + "' ist kein 8-stelliger Gemeindeschlüssel (AGS)")
    other = ~not_ags & ~raw["ags"].isin(town_ags)
    reject(
        other,
        "Region",
        "Region '" + raw["ags"] + " " + raw["region"] + "' gehört zu keiner Stadt in engage.toml ([[towns]])",
    )
    ours = ~bad
    reject(
        ours & ~known_group,
        "Altersgruppe",
        "Altersgruppe '" + raw["group"] + "' ist keine der 17 Gruppen der Tabelle " + TABLE_CODE,
    )
    values: dict[str, pd.Series] = {}
    missing_cells = pd.Series(0, index=raw.index)
    for column in ("insgesamt", "männlich", "weiblich"):
        text = raw[column].str.strip()
        missing = text.isin(["-", "."])
        number = pd.to_numeric(text.mask(missing, "0"), errors="coerce")
        values[column] = number
        reject(
            ours & (number.isna() | (number < 0)), column, "Wert '" + text + f"' in Spalte '{column}' ist keine Anzahl"
        )
        if column != "insgesamt":  # the total repeats the two gender cells
            missing_cells += (ours & missing).astype(int)
    keyed = raw.assign(label=label)
    dup, dup_reason = duplicates(keyed, ["ags", "year", "label"], ~bad)
    reject(dup, "Altersgruppe", dup_reason)
    ok = raw.loc[~bad & (label != TOTAL_LABEL)].assign(label=label[~bad & (label != TOTAL_LABEL)])
    per_file = missing_cells[~bad].groupby(raw.loc[~bad, "source_file"]).sum()
    notes = {
        str(file): f"{n} {'Wert' if n == 1 else 'Werte'} '-' oder '.' (nichts, unbekannt oder geheim) als 0 gezählt"
        for file, n in per_file.items()
        if n
    }
    return _reband(ok, values), counts, log, notes


def _reband(ok: pd.DataFrame, values: dict[str, pd.Series]) -> pd.DataFrame:
    """17 groups × 2 genders -> 5 bands × 2 genders, splitting "10 bis unter 15" 4:1."""
    shares = pd.DataFrame(
        [(group, band, share) for group, parts in GROUPS.items() for band, share in parts],
        columns=["label", "age_band", "share"],
    )
    long = pd.concat(
        [
            ok[["ags", "year", "label", "source_file", "source_row"]].assign(gender=g, value=values[col].loc[ok.index])
            for col, g in GENDER_COLUMNS.items()
        ],
        ignore_index=True,
    ).merge(shares, on="label")
    long["count"] = long["value"] * long["share"]
    long = long.sort_values(["source_file", "source_row"], kind="stable")
    out = long.groupby(["ags", "year", "age_band", "gender"], as_index=False, sort=True).agg(
        count=("count", "sum"), source_file=("source_file", "first"), source_row=("source_row", "first")
    )
    out["district"] = ""
    out["year"] = out["year"].astype("int64")
    return out
