"""Demo population: the canonical CSV (§3.1) and the Regionalstatistik table 12411-02-03-5 as downloaded.

Counts are per district, age band and gender; town totals are the sums of the district rows, so a reader
that sums district rows (for towns that only deliver those) gets the same totals.

The towns of :data:`REGIO_EVERY` (town 1, 6, 11, …) take their population from table 12411-02-03-5 instead,
the way a coordinator downloads it from regionalstatistik.de: the latest years as the usual wide CSV for the
whole (fictional) Land 99, with its Kreise, other Gemeinden, a Gemeindeverband, a dissolved Gemeinde (``-``)
and a secret one (``x``), all of which the reader skips; the first year as the zipped GENESIS flat file and,
with three years or more, the second year as the XLSX download. Every layout carries the same 17-group
figures, so the population the ETL derives (and every indicator) does not depend on the layout.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from openpyxl import Workbook

from etl.demo.files import ZIP_DATE, save_workbook, write_csv, write_text
from etl.demo.towns import FEMALE_SHARE_BY_BAND, DemoTown
from etl.readers.canonical import AGE_BANDS

REGIO_EVERY = 5  # towns with index % 5 == 1 use the Regionalstatistik table
TABLE = "12411-02-03-5"

# The 17 age groups of table 12411-02-03-5, and how each of the five bands spreads over them
# (by years of age; the group "10 bis unter 15" takes ages 10–13 of band 0-13 and age 14 of 14-29).
REGIO_GROUPS = (
    "unter 3 Jahre",
    "3 bis unter 6 Jahre",
    "6 bis unter 10 Jahre",
    "10 bis unter 15 Jahre",
    "15 bis unter 18 Jahre",
    "18 bis unter 20 Jahre",
    "20 bis unter 25 Jahre",
    "25 bis unter 30 Jahre",
    "30 bis unter 35 Jahre",
    "35 bis unter 40 Jahre",
    "40 bis unter 45 Jahre",
    "45 bis unter 50 Jahre",
    "50 bis unter 55 Jahre",
    "55 bis unter 60 Jahre",
    "60 bis unter 65 Jahre",
    "65 bis unter 75 Jahre",
    "75 Jahre und mehr",
)
REGIO_CODES = (
    "ALT000B03",
    "ALT003B06",
    "ALT006B10",
    "ALT010B15",
    "ALT015B18",
    "ALT018B20",
    "ALT020B25",
    "ALT025B30",
    "ALT030B35",
    "ALT035B40",
    "ALT040B45",
    "ALT045B50",
    "ALT050B55",
    "ALT055B60",
    "ALT060B65",
    "ALT065B75",
    "ALT075UM",
)
_BAND_TO_GROUPS = np.zeros((5, 17))
_BAND_TO_GROUPS[0, :4] = np.array([3, 3, 4, 4]) / 14
_BAND_TO_GROUPS[1, 3:8] = np.array([1, 3, 2, 5, 5]) / 16
_BAND_TO_GROUPS[2, 8:12] = 0.25
_BAND_TO_GROUPS[3, 12:15] = 1 / 3
_BAND_TO_GROUPS[4, 15:17] = (0.55, 0.45)
GENDERS = (("Insgesamt", ""), ("männlich", "m"), ("weiblich", "w"))
FOOTER = (
    "__________",
    'zu "gesamte Tabelle"\nFiktive Demodaten: Landesschlüssel 99 gibt es nicht.\nGebietsstand\n01.01.2024\n'
    "Gemeindefreie Gebiete und aufgelöste Gemeinden mit '-'",
    "© Nachbildung für die Demo des Engagement-Monitors nach dem Muster der Statistischen Ämter des Bundes und "
    "der Länder.\nDatenlizenz Deutschland - Namensnennung - Version 2.0 (Muster).",
    "Stand: 15.06.2025 / 10:12:44",
)


def is_regio(town: DemoTown) -> bool:
    return town.index % REGIO_EVERY == 1


def district_population(towns: list[DemoTown], years: list[int]) -> pd.DataFrame:
    """Long frame ``ags, year, district, age_band, gender, count`` of district rows (integers)."""
    parts = []
    for town in towns:
        shares = np.array(town.district_shares)
        ages = np.array(town.age_shares)
        for year in years:
            total = town.population_in(year, years[0])
            # district × band × gender; older districts and younger ones differ a little
            tilt = np.linspace(0.92, 1.08, len(shares))[:, None] ** np.array([1, 1, 0, -1, -1])[None, :]
            cells = shares[:, None] * ages[None, :] * tilt
            cells *= total / cells.sum()
            female = cells * FEMALE_SHARE_BY_BAND[None, :]
            male = cells - female
            for gender, values in (("w", female), ("m", male)):
                d_idx, b_idx = np.meshgrid(np.arange(len(shares)), np.arange(5), indexing="ij")
                parts.append(
                    pd.DataFrame(
                        {
                            "ags": town.ags,
                            "year": year,
                            "district": np.array(town.districts)[d_idx.ravel()],
                            "age_band": np.array(AGE_BANDS)[b_idx.ravel()],
                            "gender": gender,
                            "count": np.rint(values.ravel()).astype(np.int64),
                        }
                    )
                )
    frame = pd.concat(parts, ignore_index=True)
    return frame.sort_values(["ags", "year", "district", "age_band", "gender"], kind="stable", ignore_index=True)


def canonical_population(districts: pd.DataFrame, with_totals: set[str], include: set[str]) -> pd.DataFrame:
    """The canonical CSV content: district rows for ``include`` towns, totals for ``with_totals``."""
    rows = districts[districts["ags"].isin(include)]
    totals = (
        rows[rows["ags"].isin(with_totals)]
        .groupby(["ags", "year", "age_band", "gender"], as_index=False)["count"]
        .sum()
        .assign(district="")
    )
    out = pd.concat([totals, rows], ignore_index=True)
    out = out.sort_values(["ags", "year", "district", "age_band", "gender"], kind="stable", ignore_index=True)
    out = out[["ags", "year", "district", "age_band", "gender", "count"]]
    return out.astype(str)


def group_figures(town: DemoTown, districts: pd.DataFrame, year: int) -> dict[str, np.ndarray]:
    """A town's 17 age-group counts per gender (``m``, ``w``) in one year, spread from its five bands."""
    rows = districts[(districts["ags"] == town.ags) & (districts["year"] == year)]
    by_band = rows.groupby(["gender", "age_band"])["count"].sum()
    out = {}
    for gender in ("m", "w"):
        bands = np.array([by_band.get((gender, band), 0) for band in AGE_BANDS], dtype=float)
        out[gender] = np.rint(bands @ _BAND_TO_GROUPS).astype(np.int64)
    return out


@dataclass
class Region:
    """A row of the table: code as regionalstatistik.de writes it, name, depth, figures as text per year."""

    code: str
    name: str
    level: int  # 0 Deutschland, 1 Land, 2 Kreis, 3 Gemeinde
    figures: dict[int, dict[str, list[str]]] = field(default_factory=dict)  # year -> m/w -> 17 texts

    def cells(self, year: int) -> list[str]:
        """The 54 value cells of a year: Insgesamt, männlich, weiblich, each 17 groups and their sum."""
        m, w = self.figures[year]["m"], self.figures[year]["w"]
        both = [_plus(a, b) for a, b in zip(m, w, strict=True)]
        return [c for texts in (both, m, w) for c in (*texts, _total(texts))]


def _plus(a: str, b: str) -> str:
    return str(int(a) + int(b)) if a.isdigit() and b.isdigit() else (b if a.isdigit() else a)


def _total(texts: list[str]) -> str:
    marks = [t for t in texts if not t.isdigit()]
    return marks[0] if marks else str(sum(int(t) for t in texts))


def _town_region(town: DemoTown, districts: pd.DataFrame, years: list[int]) -> Region:
    figures = {}
    for year in years:
        figures[year] = {g: [str(v) for v in values] for g, values in group_figures(town, districts, year).items()}
    return Region(town.ags, town.name, 3, figures)


def _fictional(code: str, name: str, level: int, years: list[int], mark: str | None = None) -> Region:
    """A region that is no town of the manifest, with made-up figures (or every figure ``mark``)."""
    seed = sum(int(c) * (k + 3) for k, c in enumerate(code))
    figures = {}
    for year in years:
        figures[year] = {
            g: [mark or str(15 + (seed * (i + 3) + year * 7 + k * 31) % 240) for i in range(17)]
            for k, g in enumerate(("m", "w"))
        }
    if mark is None and level == 3 and code.endswith("151"):  # secret cells, as the official tables have
        for year in years:
            figures[year]["w"][16] = "x"
            figures[year]["m"][16] = "x"
    return Region(code, name, level, figures)


def _summed(code: str, name: str, level: int, parts: list[Region], years: list[int], factor: int = 1) -> Region:
    """A Kreis, Land or Deutschland row: the sums of ``parts`` (their secret and missing cells left out)."""
    figures = {}
    for year in years:
        figures[year] = {}
        for g in ("m", "w"):
            texts = [p.figures[year][g] for p in parts]
            figures[year][g] = [str(factor * sum(int(t[i]) for t in texts if t[i].isdigit())) for i in range(17)]
    return Region(code, name, level, figures)


def land_regions(towns: list[DemoTown], districts: pd.DataFrame, years: list[int], others: bool = True) -> list[Region]:
    """The rows of a Land-wide table: Deutschland, Land 99, per Kreis its row and its Gemeinden, in code order.

    ``others``: with the fictional other Gemeinden (a Gemeindeverband, a dissolved and a secret Gemeinde in
    the first Kreis); without, only the towns, their Kreise and the Land (what a small download holds).
    """
    gemeinden: dict[str, list[Region]] = {}
    for town in towns:
        gemeinden.setdefault(town.ags[:5], []).append(_town_region(town, districts, years))
    if others:
        gemeinden.setdefault("99900", [])
        for k, kreis in enumerate(sorted(gemeinden)):
            rows = gemeinden[kreis]
            rows += [_fictional(f"{kreis}{100 + j:03d}", f"Demo-Gemeinde {kreis[2:]}-{j}", 3, years) for j in range(6)]
            if k == 0:
                rows.append(_fictional(f"{kreis}150", "Aufgelöstdorf (aufgelöst)", 3, years, mark="-"))
                rows.append(_fictional(f"{kreis}151", "Geheimhausen", 3, years))
                rows.append(_fictional(f"{kreis}5001", "Verwaltungsgemeinschaft Demo", 3, years))
    kreise = []
    for kreis in sorted(gemeinden):
        members = sorted(gemeinden[kreis], key=lambda r: r.code)
        towns_only = [r for r in members if len(r.code) == 8]
        kreise.append((_summed(kreis, f"Demo-Landkreis {kreis[2:]}", 2, towns_only, years), members))
    land = _summed("99", "Demo-Land (fiktiv)", 1, [k for k, _ in kreise], years)
    rows = [_summed("DG", "Deutschland", 0, [land], years, factor=40), land]
    for kreis, members in kreise:
        rows += [kreis, *members]
    return rows


def wide_rows(regions: list[Region], years: list[int]) -> list[list[str]]:
    """The wide CSV download: title lines padded with ';', per Stichtag its date line, the three header lines
    and the data (names indented by depth), then the footer."""
    width = 2 + 54
    pad = [""] * (width - 1)
    rows = [
        [f"GENESIS-Tabelle: {TABLE}"],
        ["Bevölkerungsstand: Bevölkerung nach Geschlecht", *pad],
        ["und Altersgruppen (17) - Stichtag 31.12. -", *pad],
        ["regionale Tiefe: Gemeinden, Samt-/Verbandsgemeinden", *pad],
        ["Fortschreibung des Bevölkerungsstandes", *pad],
        ["Bevölkerungsstand (Anzahl)", *pad],
    ]
    for year in years:
        rows.append([f"31.12.{year}", *pad])
        rows += _header()
        rows += [[r.code, "  " * r.level + r.name, *r.cells(year)] for r in regions]
    return rows + [[line] for line in FOOTER]


def _header() -> list[list[str]]:
    genders = [g for g, _ in GENDERS for _ in range(18)]
    return [
        ["", "", *genders],
        ["", "", *["Altersgruppen (unter 3 bis 75 u.m.)"] * 54],
        ["", "", *[label for _ in GENDERS for label in (*REGIO_GROUPS, "Insgesamt")]],
    ]


def _csv_text(rows: list[list[str]]) -> str:
    """``;``-separated, CRLF, quotes only where needed (the multi-line footnotes)."""
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";", lineterminator="\r\n").writerows(rows)
    return buffer.getvalue()


def write_land_download(path: Path, towns: list[DemoTown], districts: pd.DataFrame, years: list[int]) -> None:
    """The wide CSV for the whole Land, latin-1 as regionalstatistik.de writes it."""
    write_text(_csv_text(wide_rows(land_regions(towns, districts, years), years)), path, encoding="latin-1")


def write_xlsx(path: Path, towns: list[DemoTown], districts: pd.DataFrame, year: int) -> None:
    """The XLSX download of one year: the wide rows in a sheet, counts as numbers, header cells merged.

    Codes stay text cells: the fictional Land 99 as a number would look like a code that lost its zero.
    """
    rows = wide_rows(land_regions(towns, districts, [year], others=False), [year])
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = TABLE
    header = 0
    for k, cells in enumerate(rows, start=1):
        values: list[object] = [int(c) if j > 1 and c.isdigit() else (c or None) for j, c in enumerate(cells)]
        if cells[:2] == ["", ""] and cells[2] == "Insgesamt" and not header:
            header = k
            values = [None, None, *[c if j % 18 == 0 else None for j, c in enumerate(cells[2:])]]
        elif header and k == header + 1:
            values = [None, None, cells[2]]
        sheet.append(values)
    for j in range(3):
        sheet.merge_cells(start_row=header, start_column=3 + 18 * j, end_row=header, end_column=20 + 18 * j)
    sheet.merge_cells(start_row=header + 1, start_column=3, end_row=header + 1, end_column=56)
    save_workbook(workbook, path)


FLAT_COLUMNS = (
    "statistics_code;statistics_label;time_code;time_label;time;1_variable_code;1_variable_label;"
    "1_variable_attribute_code;1_variable_attribute_label;2_variable_code;2_variable_label;2_variable_attribute_code;"
    "2_variable_attribute_label;3_variable_code;3_variable_label;3_variable_attribute_code;3_variable_attribute_label;"
    "value;value_unit;value_variable_code;value_variable_label;value_q"
)
_LEVELS = {0: ("DINSG", "Deutschland insgesamt"), 1: ("DLAND", "Bundesländer"), 2: ("KREISE", "Kreise")}


def flat_text(regions: list[Region], year: int) -> str:
    """The GENESIS flat file (ffcsv) of one year: a line per region, gender and age group (and their sums)."""
    lines = [FLAT_COLUMNS]
    for r in regions:
        variable, label = _LEVELS.get(r.level, ("GEMEIN", "Gemeinden"))
        cells = r.cells(year)
        for k, (gender_label, code) in enumerate(GENDERS):
            gender_code = {"m": "GESM", "w": "GESW"}.get(code, "")
            ages = [*zip(REGIO_CODES, REGIO_GROUPS, strict=True), ("", "Insgesamt")]
            for i, (age_code, age_label) in enumerate(ages):
                value = cells[18 * k + i]
                lines.append(
                    ";".join(
                        [
                            "12411",
                            "Fortschreibung des Bevölkerungsstandes",
                            "STAG",
                            "Stichtag",
                            f"{year}-12-31",
                            variable,
                            label,
                            r.code,
                            r.name,
                            "GES",
                            "Geschlecht",
                            gender_code,
                            gender_label,
                            "ALTX20",
                            "Altersgruppen (unter 3 bis 75 u.m.)",
                            age_code,
                            age_label,
                            value,
                            "Anzahl",
                            "BEVSTD",
                            "Bevölkerungsstand",
                            value if not value.isdigit() else "e",
                        ]
                    )
                )
    return "\n".join(lines) + "\n"


def write_flat_zip(path: Path, towns: list[DemoTown], districts: pd.DataFrame, year: int) -> None:
    """The zipped flat file of one year, as GENESIS delivers it (one CSV per ZIP), byte for byte reproducible."""
    text = flat_text(land_regions(towns, districts, [year], others=False), year)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        info = zipfile.ZipInfo(f"{TABLE}_de_flat.csv", date_time=ZIP_DATE)
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = 0o600 << 16
        archive.writestr(info, text.encode("utf-8"))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buffer.getvalue())


def population_sources(towns: list[DemoTown], years: list[int], out: Path) -> list[dict[str, object]]:
    """Write the population files and return their ``[[sources]]`` blocks (see the module docstring)."""
    districts = district_population(towns, years)
    regio = [t for t in towns if is_regio(t)]
    district_only = {t.ags for t in towns if t.index == 2 or t.index % 5 == 2}
    canonical = canonical_population(
        districts,
        with_totals={t.ags for t in towns} - district_only,
        include={t.ags for t in towns} - {t.ags for t in regio},
    )
    write_csv(canonical, out / "bevoelkerung" / "bevoelkerung.csv")
    sources: list[dict[str, object]] = [
        {"name": "Bevölkerung (Melderegister)", "kind": "population", "path": "bevoelkerung/bevoelkerung.csv"}
    ]
    if not regio:
        return sources
    flat_year = [years[0]] if len(years) > 1 else []
    xlsx_year = [years[1]] if len(years) > 2 else []
    wide_years = years[len(flat_year) + len(xlsx_year) :]
    span = f"{wide_years[0]}-{wide_years[-1]}" if len(wide_years) > 1 else str(wide_years[0])
    rel = f"bevoelkerung/{TABLE}_land99_{span}.csv"
    write_land_download(out / rel, regio, districts, wide_years)
    sources.append({"name": "Bevölkerung Land 99 (Regionalstatistik)", "kind": "population", "path": rel})
    for year in xlsx_year:
        rel = f"bevoelkerung/{TABLE}_{year}.xlsx"
        write_xlsx(out / rel, regio, districts, year)
        sources.append({"name": f"Bevölkerung {year} (Regionalstatistik, XLSX)", "kind": "population", "path": rel})
    for year in flat_year:
        rel = f"bevoelkerung/{TABLE}_{year}_flat.zip"
        write_flat_zip(out / rel, regio, districts, year)
        sources.append(
            {
                "name": f"Bevölkerung {year} (GENESIS-Flatfile)",
                "kind": "population",
                "path": rel,
                "format": "regionalstatistik",
            }
        )
    return sources
