"""Demo goal plan (Zielplan) of one town, §3.6: sheets Ziele, Massnahmen, Messungen in one XLSX.

Goals are linked to indicators the demo data measures (so the goal status can be computed), two
are measured by hand in ``Messungen`` (one of them with a decreasing target), one has no value yet.
Measures cover all five statuses and all seven Wirkungstreppe levels, and some are overdue.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
from openpyxl import Workbook

from etl.demo.files import save_workbook
from etl.demo.partners import SECTORS
from etl.demo.towns import DemoTown

GOAL_HEADER = (
    "goal_id",
    "title",
    "principle",
    "indicator",
    "baseline",
    "baseline_date",
    "target",
    "target_date",
    "unit",
)
MEASURE_HEADER = ("measure_id", "goal_id", "title", "lead_sector", "start", "due", "status", "level")
MEASUREMENT_HEADER = ("goal_id", "date", "value")
STATUSES = ("geplant", "laufend", "umgesetzt", "verzögert", "abgebrochen")
MEASURE_TITLES = (
    "Ehrenamtsbörse online stellen",
    "Engagement-Lotsen in allen Stadtteilen ausbilden",
    "Jährlicher Ehrenamtsempfang im Rathaus",
    "Runder Tisch Wirtschaft und Ehrenamt",
    "Vereinsberatung zu Fördermitteln",
    "Mehrsprachige Infoflyer zum Engagement",
    "Kooperationsvereinbarung Stadt und Freiwilligenagentur",
    "Beteiligungswerkstatt Südstadt",
    "Schulprojekt Service Learning",
    "Ehrenamtskarte mit Vergünstigungen",
    "Netzwerktreffen halbjährlich",
    "Weiterbildungsreihe für Vereinsvorstände",
    "Verstetigung der Koordinierungsstelle im Haushalt",
    "Digitale Sprechstunde für Engagierte",
)


def _goals(town: DemoTown, years: list[int], baselines: dict[str, float], dirt: bool) -> list[tuple[object, ...]]:
    first, last = years[0], years[-1]
    start = dt.date(first, 12, 31)
    end = dt.date(last + 2, 12, 31)
    eng = round(float(np.clip(0.40 + 0.05 * town.engagement_logit, 0.3, 0.5)), 2)
    reg = round(baselines["registered_per_1000"], 1)
    event_participants = baselines["event_participants"]
    goals = [
        (
            "Z01",
            f"Engagementquote bis {last + 2} auf {round((eng + 0.05) * 100)} % steigern",
            "P2",
            "engagement_rate",
            eng,
            start,
            eng + 0.05,
            end,
            "Anteil",
        ),
        (
            "Z02",
            "Mehr registrierte Freiwillige je 1.000 Einwohner/innen",
            "P3",
            "registered_per_1000",
            reg,
            start,
            round(reg * 1.4, 1),
            end,
            "je 1.000",
        ),
        ("Z03", "Dichteres Netzwerk der Akteure", "P1", "network_density", 0.25, start, 0.32, end, "Anteil"),
        ("Z04", "Zusammenarbeit auf Augenhöhe stärken", "W2", "equal_footing_agree", 0.55, start, 0.7, end, "Anteil"),
        (
            "Z05",
            "Mehr Teilnehmende an Beteiligungsformaten",
            "P3",
            "event_participants",
            float(round(event_participants)),
            start,
            float(round(event_participants * 1.15)),
            end,
            "Personen",
        ),
        ("Z06", "Wartezeit bis zur Vermittlung ins Ehrenamt senken", "W1", None, 28.0, start, 14.0, end, "Tage"),
        ("Z07", "Koordinierungsstelle langfristig sichern", "W4", None, 1.0, start, 4.0, end, "Jahre"),
        ("Z08", "Anerkennungskultur sichtbar machen", "W3", "recognition_agree", 0.5, start, 0.6, end, "Anteil"),
        ("Z09", "Ehrenamtskarte einführen", "W3", None, 0.0, start, 500.0, end, "Karten"),
    ]
    if dirt:  # target equals baseline: rejected by the validation (§5.5)
        goals.append(("Z10", "Zahl der Engagement-Lotsen halten", "W1", None, 12.0, start, 12.0, end, "Personen"))
    return goals


def _measures(years: list[int], rng: np.random.Generator) -> list[tuple[object, ...]]:
    count = int(rng.integers(10, 15))
    goal_ids = ("Z01", "Z02", "Z03", "Z04", "Z05", "Z06", "Z07", "Z08", "Z09")
    titles = rng.permutation(len(MEASURE_TITLES))
    rows = []
    for k in range(count):  # a dozen measures: a loop over measures, not over large data
        begin = dt.date(int(rng.choice(years)), int(rng.integers(1, 13)), 1)
        due = begin + dt.timedelta(days=int(rng.integers(120, 900)))
        rows.append(
            (
                f"M{k + 1:02d}",
                goal_ids[k % len(goal_ids)],
                MEASURE_TITLES[int(titles[k % len(titles)])],
                SECTORS[int(rng.integers(0, 4))],
                begin,
                due,
                STATUSES[k % len(STATUSES)],
                k % 7 + 1,
            )
        )
    return rows


def _measurements(years: list[int], rng: np.random.Generator) -> list[tuple[object, ...]]:
    rows: list[tuple[object, ...]] = []
    wait = 28.0
    for year in years:
        wait = max(8.0, wait - float(rng.uniform(0.5, 4.0)))
        rows.append(("Z06", dt.date(year, 12, 31), round(wait, 1)))
    for year in years[1::2]:
        rows.append(("Z07", dt.date(year, 6, 30), float(min(4, 1 + (year - years[0]) // 3))))
    return rows


def write_goals(
    town: DemoTown,
    years: list[int],
    baselines: dict[str, float],
    rng: np.random.Generator,
    path: Path,
    dirt: bool = False,
) -> None:
    """The goal workbook; ``baselines`` holds the first year's measured registered_per_1000 and
    event_participants, so those goals start from what the data shows."""
    workbook = Workbook()
    sheets = (
        ("Ziele", GOAL_HEADER, _goals(town, years, baselines, dirt)),
        ("Massnahmen", MEASURE_HEADER, _measures(years, rng)),
        ("Messungen", MEASUREMENT_HEADER, _measurements(years, rng)),
    )
    workbook.remove(workbook.active)
    for title, header, rows in sheets:
        sheet = workbook.create_sheet(title)
        sheet.append(header)
        for row in rows:
            sheet.append(row)
        for cells in sheet.iter_rows(min_row=2):
            for cell in cells:
                if isinstance(cell.value, dt.date):
                    cell.number_format = "DD.MM.YYYY"
    save_workbook(workbook, path)
