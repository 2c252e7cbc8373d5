"""A synthetic warehouse for the dashboard's tests and benchmark, written through ``etl.tables``.

The real pipeline is built in parallel; this writer fills every table the dashboard reads with plausible
rows that follow the warehouse conventions (town totals have breakdown '' and group ''; suppressed rows
have value, n and interval NULL and their kind in ``suppression``; ids and units of brief §5), so the
pages can be tested before a demo warehouse exists and scaled to the network (100 towns × 10 years) for
the benchmark. Generation is vectorised with numpy so the network-scale warehouse is written in seconds.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sqlalchemy import create_engine

from etl import tables

SECTORS = ["civil_society", "politics", "administration", "business"]
GROUPS: dict[str, list[str]] = {
    "age_band": ["14-29", "30-49", "50-64", "65+"],
    "gender": ["w", "m"],
    "district": ["01", "02", "03", "04"],
    "edu": ["1", "2", "3"],
    "mig": ["Y", "N"],
    "area": ["Sport", "Kultur", "Soziales", "Umwelt", "Bildung"],
    "format": ["Bürgerdialog", "Workshop", "Netzwerktreffen"],
    "sector": SECTORS,
}
SURVEY_AREAS = [f"sq{i:03d}" for i in range(1, 15)]

# id, family, unit, breakdowns, suppressible, source kind, principle, German name, English name
CATALOGUE: list[tuple[str, str, str, tuple[str, ...], bool, str, str, str, str]] = [
    (
        "engagement_rate",
        "participation",
        "share",
        ("age_band", "gender", "district", "edu", "mig"),
        True,
        "resident_survey",
        "P2, P3",
        "Engagementquote",
        "Engagement rate",
    ),
    (
        "willingness_rate",
        "participation",
        "share",
        ("age_band", "gender"),
        True,
        "resident_survey",
        "P2",
        "Engagementbereitschaft",
        "Willingness to volunteer",
    ),
    (
        "hours_per_month",
        "participation",
        "hours",
        (),
        True,
        "resident_survey",
        "P2",
        "Stunden pro Monat (Median)",
        "Hours per month (median)",
    ),
    (
        "participation_rate",
        "participation",
        "share",
        ("age_band", "gender", "district"),
        True,
        "resident_survey",
        "P3, W1",
        "Beteiligungsquote",
        "Participation rate",
    ),
    (
        "ease_agree",
        "participation",
        "share",
        ("age_band", "gender", "district"),
        True,
        "resident_survey",
        "W1",
        "Engagement ist einfach",
        "Volunteering is easy",
    ),
    (
        "info_agree",
        "participation",
        "share",
        ("age_band", "gender"),
        True,
        "resident_survey",
        "W3",
        "Information über Engagement",
        "Information on volunteering",
    ),
    (
        "recognition_agree",
        "participation",
        "share",
        (),
        True,
        "resident_survey",
        "P2, W3",
        "Anerkennung des Engagements",
        "Recognition of volunteering",
    ),
    (
        "office_awareness",
        "participation",
        "share",
        ("age_band",),
        True,
        "resident_survey",
        "W4",
        "Bekanntheit der Koordinierungsstelle",
        "Awareness of the coordination office",
    ),
    (
        "engagement_area_share",
        "participation",
        "share",
        ("area",),
        True,
        "resident_survey",
        "P2",
        "Engagementbereiche",
        "Engagement areas",
    ),
    (
        "registered_volunteers",
        "participation",
        "count",
        ("age_band", "gender", "area", "district"),
        True,
        "registrations",
        "P2",
        "Registrierte Freiwillige",
        "Registered volunteers",
    ),
    (
        "registered_per_1000",
        "participation",
        "per_1000",
        (),
        True,
        "registrations",
        "P2",
        "Registrierte Freiwillige je 1.000",
        "Registered volunteers per 1,000",
    ),
    ("new_volunteers", "participation", "count", (), True, "registrations", "P3", "Neue Freiwillige", "New volunteers"),
    ("retention_rate", "participation", "share", (), True, "registrations", "W3", "Bindungsquote", "Retention rate"),
    (
        "representation_index",
        "participation",
        "index",
        ("age_band", "gender", "district"),
        True,
        "registrations",
        "W1",
        "Repräsentationsindex",
        "Representation index",
    ),
    ("events", "participation", "count", ("format",), False, "events", "P3", "Veranstaltungen", "Events"),
    (
        "event_participants",
        "participation",
        "count",
        ("format",),
        False,
        "events",
        "P3",
        "Teilnehmende an Veranstaltungen",
        "Event participants",
    ),
    (
        "multi_sector_event_share",
        "participation",
        "share",
        (),
        False,
        "events",
        "P1",
        "Sektorübergreifende Veranstaltungen",
        "Multi-sector events",
    ),
    (
        "network_density",
        "collaboration",
        "share",
        (),
        True,
        "partner_survey",
        "P1",
        "Netzwerkdichte",
        "Network density",
    ),
    (
        "cross_sector_tie_share",
        "collaboration",
        "share",
        (),
        True,
        "partner_survey",
        "P1",
        "Sektorübergreifende Kontakte",
        "Cross-sector ties",
    ),
    (
        "degree_centralization",
        "collaboration",
        "index",
        (),
        True,
        "partner_survey",
        "P1",
        "Zentralisierung",
        "Degree centralization",
    ),
    ("sector_balance", "collaboration", "index", (), True, "partner_survey", "P1", "Sektorbalance", "Sector balance"),
    ("trust_mean", "collaboration", "score", ("sector",), True, "partner_survey", "P4", "Vertrauen", "Trust"),
    (
        "value_mean",
        "collaboration",
        "score",
        ("sector",),
        True,
        "partner_survey",
        "P4",
        "Nutzen der Zusammenarbeit",
        "Value of cooperation",
    ),
    (
        "equal_footing_agree",
        "collaboration",
        "share",
        ("sector",),
        True,
        "partner_survey",
        "W2",
        "Zusammenarbeit auf Augenhöhe",
        "Equal footing",
    ),
    (
        "equal_footing_gap",
        "collaboration",
        "difference",
        (),
        True,
        "partner_survey",
        "W2",
        "Augenhöhe: Abstand der Sektoren",
        "Equal footing gap",
    ),
    (
        "paid_volunteer_cooperation_agree",
        "collaboration",
        "share",
        (),
        True,
        "partner_survey",
        "W5",
        "Haupt- und Ehrenamt wertschätzend",
        "Paid staff and volunteers",
    ),
    ("measures_done_share", "goals", "share", (), False, "goals", "W2", "Umgesetzte Maßnahmen", "Measures done"),
    ("measures_overdue", "goals", "count", (), False, "goals", "W2", "Überfällige Maßnahmen", "Overdue measures"),
]
LOWER_IS_BETTER = {"degree_centralization", "equal_footing_gap", "measures_overdue"}
RANGES = {
    "share": (0.15, 0.75),
    "count": (20, 900),
    "per_1000": (8.0, 60.0),
    "hours": (4.0, 20.0),
    "index": (0.4, 1.6),
    "score": (2.0, 3.8),
    "difference": (0.1, 1.5),
}
POP_CLASSES = ["< 20.000", "20.000–50.000", "50.000–100.000", "≥ 100.000"]


@dataclass(frozen=True)
class SyntheticInfo:
    """What the tests need to know about the written warehouse."""

    url: str
    towns: list[str]  # AGS in order
    names: list[str]
    years: list[int]
    waves: list[int]  # partner-survey years
    unweighted_town: str  # a town whose survey values are unweighted
    min_cell: int


def catalogue_frame() -> pd.DataFrame:
    rows = []
    for ind, family, unit, bds, _supp, kind, principle, de, en in CATALOGUE:
        rows.append(
            {
                "indicator": ind,
                "family": family,
                "name_de": de,
                "name_en": en,
                "description_de": f"{de}: Definition nach Abschnitt 5 des Briefs.",
                "description_en": f"{en}: definition as in section 5 of the brief.",
                "formula_de": f"Formel für {de}",
                "formula_en": f"Formula for {en}",
                "unit": unit,
                "principle": principle,
                "source_kind": kind,
                "breakdowns": ",".join(bds),
                "higher_is_better": ind not in LOWER_IS_BETTER,
            }
        )
    return pd.DataFrame(rows)


def _values(
    rng: np.random.Generator, agss: list[str], years: list[int], waves: list[int], min_cell: int, unweighted: str
) -> pd.DataFrame:
    cat = pd.DataFrame(CATALOGUE, columns=["indicator", "family", "unit", "bds", "supp", "kind", "p", "de", "en"])
    combos = [{"indicator": r.indicator, "breakdown": "", "group": ""} for r in cat.itertuples()]
    combos += [
        {"indicator": r.indicator, "breakdown": b, "group": g}
        for r in cat.itertuples()
        for b in r.bds
        for g in (SURVEY_AREAS if (b == "area" and r.kind == "resident_survey") else GROUPS[b])
    ]
    keys = pd.DataFrame(combos).merge(cat[["indicator", "family", "unit", "supp", "kind"]], on="indicator")
    grid = pd.MultiIndex.from_product([agss, years], names=["town_ags", "year"]).to_frame(index=False)
    frame = grid.merge(keys, how="cross")
    frame = frame[(frame["kind"] != "partner_survey") | frame["year"].isin(waves)].reset_index(drop=True)
    lo = frame["unit"].map(lambda u: RANGES[u][0]).to_numpy(dtype=float)
    hi = frame["unit"].map(lambda u: RANGES[u][1]).to_numpy(dtype=float)
    # A town-specific level plus a yearly drift, so trends and comparisons look plausible.
    town_level = pd.Series(rng.uniform(0, 1, len(agss)), index=agss)
    base = 0.25 + 0.5 * frame["town_ags"].map(town_level).to_numpy()
    drift = (frame["year"].to_numpy() - years[0]) * 0.02
    noise = rng.normal(0, 0.08, len(frame))
    frac = np.clip(base + drift + noise, 0.02, 0.98)
    value = lo + frac * (hi - lo)
    value = np.where(frame["unit"].eq("count"), np.round(value), value)
    total = frame["breakdown"].eq("")
    n = np.where(total, rng.integers(150, 900, len(frame)), rng.integers(1, 160, len(frame)))
    n = np.where(
        frame["kind"].eq("partner_survey"),
        np.where(total, rng.integers(12, 30, len(frame)), rng.integers(2, 9, len(frame))),
        n,
    )
    half = 1.96 * np.sqrt(np.clip(value * (1 - value), 0, None) / n)
    is_share = frame["unit"].eq("share") & frame["kind"].isin(["resident_survey", "registrations"])
    frame["value"] = value
    frame["n"] = n
    frame["ci_low"] = np.where(is_share, np.clip(value - half, 0, 1), np.nan)
    frame["ci_high"] = np.where(is_share, np.clip(value + half, 0, 1), np.nan)
    frame["suppressed"] = frame["supp"].astype(bool) & (frame["n"] < min_cell)
    frame.loc[frame["suppressed"], ["value", "ci_low", "ci_high"]] = np.nan
    frame["n"] = frame["n"].astype("Int64").mask(frame["suppressed"])
    frame["suppression"] = np.where(frame["suppressed"], "primary", "")
    survey = frame["kind"].eq("resident_survey")
    frame["weighted"] = pd.Series(np.where(survey, frame["town_ags"].ne(unweighted), None), dtype="object")
    frame["source_files"] = frame["kind"] + ".csv"
    frame["run_id"] = 2
    keep = [
        "town_ags",
        "indicator",
        "year",
        "breakdown",
        "group",
        "value",
        "n",
        "ci_low",
        "ci_high",
        "suppressed",
        "suppression",
        "weighted",
        "run_id",
        "source_files",
    ]
    return frame[keep]


def _comparison(values: pd.DataFrame, peer: pd.Series) -> pd.DataFrame:
    shown = values[values["breakdown"].eq("") & ~values["suppressed"]].copy()
    g = shown.groupby(["indicator", "year"])["value"]
    shown["network_median"] = g.transform("median")
    shown["network_q1"] = g.transform(lambda s: s.quantile(0.25))
    shown["network_q3"] = g.transform(lambda s: s.quantile(0.75))
    shown["network_rank"] = g.rank(ascending=False, method="min").astype("int64")
    shown["network_towns"] = g.transform("size")
    shown["peer_group"] = shown["town_ags"].map(peer)
    p = shown.groupby(["indicator", "year", "peer_group"])["value"]
    shown["peer_median"] = p.transform("median")
    shown["peer_q1"] = p.transform(lambda s: s.quantile(0.25))
    shown["peer_q3"] = p.transform(lambda s: s.quantile(0.75))
    shown["peer_rank"] = p.rank(ascending=False, method="min").astype("int64")
    shown["peer_towns"] = p.transform("size")
    # rank ranges: the rank itself up to the next place (the ETL derives them from the intervals)
    shown["network_rank_best"] = shown["network_rank"]
    shown["network_rank_worst"] = np.minimum(shown["network_rank"] + 1, shown["network_towns"])
    shown["peer_rank_best"] = shown["peer_rank"]
    shown["peer_rank_worst"] = np.minimum(shown["peer_rank"] + 1, shown["peer_towns"])
    return shown[[c.name for c in tables.mart_comparison.columns]]


def _network(rng: np.random.Generator, agss: list[str], waves: list[int]) -> tuple[pd.DataFrame, pd.DataFrame]:
    nodes, ties = [], []
    for ags in agss:
        k = int(rng.integers(12, 22))
        orgs = [f"O{ags[-3:]}{i:02d}" for i in range(k)]
        sectors = np.array(SECTORS)[rng.integers(0, 4, k)]
        angle = np.linspace(0, 2 * np.pi, k, endpoint=False)
        for wave in waves:
            upper = np.triu(rng.uniform(0, 1, (k, k)) < 0.22, 1)
            a, b = np.nonzero(upper)
            degree = np.bincount(np.concatenate([a, b]), minlength=k)
            nodes.append(
                pd.DataFrame(
                    {
                        "town_ags": ags,
                        "year": wave,
                        "org_id": orgs,
                        "name": [f"Organisation {o}" for o in orgs],
                        "sector": sectors,
                        "degree": degree,
                        "x": np.cos(angle) + rng.normal(0, 0.05, k),
                        "y": np.sin(angle) + rng.normal(0, 0.05, k),
                    }
                )
            )
            ties.append(
                pd.DataFrame(
                    {
                        "town_ags": ags,
                        "year": wave,
                        "org_a": np.array(orgs)[a],
                        "org_b": np.array(orgs)[b],
                        "sector_a": sectors[a],
                        "sector_b": sectors[b],
                        "freq": rng.integers(2, 5, len(a)),
                    }
                )
            )
    return pd.concat(nodes, ignore_index=True), pd.concat(ties, ignore_index=True)


def _goals(values: pd.DataFrame, agss: list[str], years: list[int], as_of: dt.date):
    linked = ["engagement_rate", "registered_per_1000", "network_density", None]
    statuses = ["on_track", "at_risk", "achieved", "no_data"]
    goals, gvals, measures, history = [], [], [], []
    totals = values[values["breakdown"].eq("") & ~values["suppressed"]].set_index(["town_ags", "indicator"])
    for t_i, ags in enumerate(agss):
        for g_i, ind in enumerate(linked):
            goal_id = f"Z{g_i + 1}"
            status = statuses[(g_i + t_i) % 4]
            if ind is not None and (ags, ind) in totals.index:
                series = totals.loc[(ags, ind)].sort_values("year")
                dates = [dt.date(int(y), 12, 31) for y in series["year"]]
                vals = series["value"].to_numpy(dtype=float)
            else:
                dates = [dt.date(years[0], 6, 30), dt.date(years[-1], 6, 30)]
                vals = np.array([10.0, 14.0])
            baseline = float(vals[0]) * 0.9
            target = float(vals[0]) * 1.4
            current = None if status == "no_data" else float(vals[-1])
            progress = None if current is None else (current - baseline) / (target - baseline)
            goals.append(
                {
                    "town_ags": ags,
                    "goal_id": goal_id,
                    "title": f"Ziel {g_i + 1}: {ind or 'Freiwilligenagentur'}",
                    "principle": ["P2", "P2", "P1", "W4"][g_i],
                    "indicator": ind,
                    "unit": None if ind else "Angebote",
                    "baseline": baseline,
                    "baseline_date": dt.date(years[0], 1, 1),
                    "target": target,
                    "target_date": dt.date(years[-1] + 2, 12, 31),
                    "current": current,
                    "current_date": None if current is None else dates[-1],
                    "progress": progress,
                    "expected": 0.5,
                    "status": status,
                    "as_of": as_of,
                }
            )
            if status != "no_data":
                gvals.append(pd.DataFrame({"town_ags": ags, "goal_id": goal_id, "date": dates, "value": vals}))
            for y_i, year in enumerate(years):  # the status history: the same status at every year end
                last = y_i == len(years) - 1
                shown = [(d, v) for d, v in zip(dates, vals, strict=True) if d <= dt.date(year, 12, 31)]
                cur = None if status == "no_data" or not shown else shown[-1]
                prev = None if cur is None or len(shown) < 2 else shown[-2]
                history.append(
                    {
                        "town_ags": ags,
                        "goal_id": goal_id,
                        "year": year,
                        "status_date": as_of if last else dt.date(year, 12, 31),
                        "current": None if cur is None else float(cur[1]),
                        "current_date": None if cur is None else cur[0],
                        "previous": None if prev is None else float(prev[1]),
                        "previous_date": None if prev is None else prev[0],
                        "progress": None if cur is None else (float(cur[1]) - baseline) / (target - baseline),
                        "expected": 0.5,
                        "status": status if cur is not None else "no_data",
                        "measures": 3,
                        "measures_done": 1,
                        "measures_overdue": 1 if last else 0,
                        "measures_delayed": 1 if last else None,
                        "late_lead_sectors": SECTORS[1] if last else "",
                    }
                )
            for m_i, mstatus in enumerate(["umgesetzt", "laufend", "verzögert"]):
                due = dt.date(years[-1], 3 + 4 * m_i, 1)
                measures.append(
                    {
                        "town_ags": ags,
                        "measure_id": f"M{g_i + 1}.{m_i + 1}",
                        "goal_id": goal_id,
                        "title": f"Maßnahme {g_i + 1}.{m_i + 1}",
                        "lead_sector": SECTORS[m_i],
                        "start": dt.date(years[0], 2, 1),
                        "due": due,
                        "status": mstatus,
                        "level": 1 + (g_i + m_i) % 7,
                        "overdue": mstatus != "umgesetzt" and due < as_of,
                        "as_of": as_of,
                    }
                )
    return pd.DataFrame(goals), pd.concat(gvals, ignore_index=True), pd.DataFrame(measures), pd.DataFrame(history)


def write_synthetic(
    url: str,
    towns: int = 3,
    years: int = 3,
    seed: int = 7,
    min_cell: int = 5,
    first_year: int = 2022,
    demo_key: bool = True,
) -> SyntheticInfo:
    """Create the schema at ``url`` and fill every table the dashboard reads; returns what was written.

    ``demo_key``: whether the runs are logged as made with the public demo key (the dashboard's banner).
    """
    rng = np.random.default_rng(seed)
    agss = [f"09{999 - i:03d}{i % 1000:03d}" for i in range(towns)]
    names = [f"Musterstadt {i + 1:03d}" if towns > 9 else f"Musterstadt {chr(65 + i)}" for i in range(towns)]
    year_list = list(range(first_year, first_year + years))
    waves = year_list[::2] if len(year_list) > 1 else year_list
    if year_list[-1] not in waves:
        waves.append(year_list[-1])
    unweighted = agss[1] if towns > 1 else ""
    as_of = dt.date(year_list[-1], 12, 1)
    values = _values(rng, agss, year_list, waves, min_cell, unweighted)
    # A guaranteed suppressed breakdown cell for the tests: first town, last year, engagement by district.
    mask = (
        values["town_ags"].eq(agss[0])
        & values["year"].eq(year_list[-1])
        & values["indicator"].eq("engagement_rate")
        & values["breakdown"].eq("district")
        & values["group"].eq("04")
    )
    values.loc[mask, ["value", "ci_low", "ci_high"]] = np.nan
    values.loc[mask, "n"] = pd.NA
    values.loc[mask, "suppressed"] = True
    values.loc[mask, "suppression"] = "primary"
    # ... and its secondary partner (hidden so that district 04 cannot be computed from the total)
    partner = (
        values["town_ags"].eq(agss[0])
        & values["year"].eq(year_list[-1])
        & values["indicator"].eq("engagement_rate")
        & values["breakdown"].eq("district")
        & values["group"].eq("03")
    )
    values.loc[partner, ["value", "ci_low", "ci_high"]] = np.nan
    values.loc[partner, "n"] = pd.NA
    values.loc[partner, "suppressed"] = True
    values.loc[partner, "suppression"] = "secondary"
    peer = pd.Series(np.array(POP_CLASSES)[rng.integers(0, 4, towns)], index=agss)
    nodes, ties = _network(rng, agss, waves)
    goals, gvals, measures, history = _goals(values, agss, year_list, as_of)
    finished = dt.datetime(year_list[-1] + 1, 2, 14, 9, 30)
    runs = pd.DataFrame(
        [
            {
                "run_id": r,
                "started_at": finished - dt.timedelta(days=30 * (2 - r), minutes=3),
                "finished_at": finished - dt.timedelta(days=30 * (2 - r)),
                "status": "partial",
                "source_dir": "/daten/quellen",
                "project_name": "Engagierte Stadt (synthetisch)",
                "min_cell": min_cell,
                "as_of": as_of,
                "demo_key": demo_key,
            }
            for r in (1, 2)
        ]
    )
    files = pd.DataFrame(
        [
            {
                "run_id": r,
                "source": src,
                "kind": kind,
                "file": file,
                "rows_read": read,
                "rows_accepted": read - rej,
                "rows_rejected": rej,
                "status": "rejects" if rej else "ok",
                "message": f"{rej} Zeilen abgewiesen" if rej else "ok",
            }
            for r in (1, 2)
            for src, kind, file, read, rej in [
                ("umfrage.csv", "resident_survey", "umfrage.csv", 1200 + r, 3),
                ("freiwillige.xlsx", "registrations", "freiwillige.xlsx", 800, 2 * r),
                ("ziele.xlsx", "goals", "ziele.xlsx", 40, 0),
            ]
        ]
    )
    rejects = pd.DataFrame(
        {
            "run_id": 2,
            "source": ["umfrage.csv"] * 3 + ["freiwillige.xlsx"] * 4,
            "file": ["umfrage.csv"] * 3 + ["freiwillige.xlsx"] * 4,
            "row": [17, 230, 231, 5, 9, 12, 40],
            "column": ["AGE", "id", "GENDER", "Registriert am", "E-Mail", "Registriert am", "Geburtsjahr"],
            "reason": [
                "Alter '210' in Spalte 'AGE' liegt nicht zwischen 0 und 120",
                "Duplikat von Zeile 229",
                "Wert 'x' in Spalte 'GENDER' ist keiner der erlaubten Codes (w, m, d)",
                "Datum '31.02.2024' in Spalte 'Registriert am' ist kein gültiges Datum",
                "Pflichtfeld 'E-Mail' ist leer",
                "Datum '2024-13-01' in Spalte 'Registriert am' ist kein gültiges Datum",
                "=SUMME(A1) in Spalte 'Geburtsjahr' ist keine Jahreszahl",
            ],
        }
    )
    frames = {
        "towns": pd.DataFrame({"ags": agss, "name": names}),
        "mart_indicator_catalogue": catalogue_frame(),
        "mart_indicator_values": values,
        "mart_comparison": _comparison(values, peer),
        "mart_network_nodes": nodes,
        "mart_network_ties": ties,
        "mart_goals": goals,
        "mart_goal_values": gvals,
        "mart_goal_status": history,
        "mart_measures": measures,
        "etl_runs": runs,
        "etl_run_files": files,
        "etl_rejects": rejects,
    }
    for table in tables.RUN_TABLES:  # the marts hold run 2's rows (run 1's were pruned)
        if table.name in frames:
            frames[table.name] = frames[table.name].assign(run_id=2)
    engine = create_engine(url)
    tables.metadata.create_all(engine)
    with engine.begin() as conn:
        for name, frame in frames.items():
            frame.to_sql(name, conn, if_exists="append", index=False, chunksize=20_000)
    engine.dispose()
    return SyntheticInfo(url, agss, names, year_list, waves, unweighted, min_cell)
