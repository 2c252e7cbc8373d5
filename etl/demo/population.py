"""Demo population tables: the canonical CSV (§3.1) and one town in the Regionalstatistik layout.

Counts are per district, age band and gender; town totals are the sums of the district rows, so a
reader that sums district rows (for towns that only deliver those) gets the same totals.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from etl.demo.files import write_text
from etl.demo.towns import AGE_BANDS, FEMALE_SHARE_BY_BAND, DemoTown

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
_BAND_TO_GROUPS = np.zeros((5, 17))
_BAND_TO_GROUPS[0, :4] = np.array([3, 3, 4, 4]) / 14
_BAND_TO_GROUPS[1, 3:8] = np.array([1, 3, 2, 5, 5]) / 16
_BAND_TO_GROUPS[2, 8:12] = 0.25
_BAND_TO_GROUPS[3, 12:15] = 1 / 3
_BAND_TO_GROUPS[4, 15:17] = (0.55, 0.45)


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


def regionalstatistik_text(town: DemoTown, districts: pd.DataFrame, years: list[int]) -> str:
    """Table 12411-02-03-5 as the Regionaldatenbank writes its CSV: header block, 17 groups, footer.

    The oldest year has one value marked ``.`` (unknown or secret), as the official tables do.
    """
    rows = districts[districts["ags"] == town.ags]
    lines = [
        "GENESIS-Tabelle: 12411-02-03-5",
        "Bevölkerung nach Geschlecht und Altersgruppen (17) - Stichtag 31.12. -;;;;;;",
        "regionale Tiefe: Gemeinden;;;;;;",
        "Fortschreibung des Bevölkerungsstandes;;;;;;",
        ";;;;Bevölkerungsstand;Bevölkerungsstand;Bevölkerungsstand",
        ";;;;Insgesamt;männlich;weiblich",
    ]
    for year in years:
        by_band = rows[rows["year"] == year].groupby(["gender", "age_band"])["count"].sum()
        groups = {}
        for gender in ("m", "w"):
            bands = np.array([by_band.get((gender, band), 0) for band in AGE_BANDS], dtype=float)
            groups[gender] = np.rint(bands @ _BAND_TO_GROUPS).astype(np.int64)
        for k, label in enumerate(REGIO_GROUPS):
            m, w = int(groups["m"][k]), int(groups["w"][k])
            total = str(m + w)
            w_text = str(w)
            if year == years[0] and k == 16:
                total, w_text = ".", "."
            lines.append(f"31.12.{year};{town.ags};{town.name};{label};{total};{m};{w_text}")
        m_sum, w_sum = int(groups["m"].sum()), int(groups["w"].sum())
        lines.append(f"31.12.{year};{town.ags};{town.name};Insgesamt;{m_sum + w_sum};{m_sum};{w_sum}")
    lines += [
        "__________",
        "Gebietsstand: 31.12.2024 (fiktiver Demo-Ort, Landesschlüssel 99)",
        "(C)opyright Statistische Ämter des Bundes und der Länder (Nachbildung für die Demo), 2025",
        "Stand: 15.06.2025 / 10:12:44",
    ]
    return "\r\n".join(lines) + "\r\n"


def write_regionalstatistik(town: DemoTown, districts: pd.DataFrame, years: list[int], path: Path) -> None:
    write_text(regionalstatistik_text(town, districts, years), path, encoding="latin-1")
