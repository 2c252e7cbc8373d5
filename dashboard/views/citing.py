"""Daten & Zitieren (issue 17): the data package of the view (a town's or the network's), its citation, the
licence, and the runs the warehouse keeps, each with its link (``?run=N``) and its package.

Plain data (:class:`Citing`) built from warehouse reads in the request's scope and run, so it is tested
without Dash; the Methodik page lays it out (:func:`dashboard.pages.methods.citing_panel`).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from dashboard.formatting import fmt_date
from etl import warehouse
from etl.licences import licence_of
from etl.package import citation


@dataclass(frozen=True)
class KeptRun:
    run_id: int
    date: str  # the run's "Datenstand", dd.mm.yyyy (de) or yyyy-mm-dd (en)
    view: str  # the dashboard link of the view at that run
    package: str  # that run's data package


@dataclass(frozen=True)
class Citing:
    run_id: int
    citation: str
    licence_title: str
    licence_spdx: str
    licence_url: str
    package: str  # the download of the run read now
    runs: tuple[KeptRun, ...]  # newest first


def citing(
    town: str | None, town_name: str | None, lang: str, db: str | None, year: int | None = None, page: str = "/methodik"
) -> Citing:
    """What the panel shows for ``town`` (None: the network) at the run read now (the latest or ``?run=N``);
    ``year`` is kept in the links of the stored runs' views."""
    run = warehouse.latest_run(db=db)
    licence = licence_of(run.licence)

    def package(run_id: int) -> str:
        query = urlencode({k: v for k, v in {"town": town, "lang": lang if lang == "en" else None}.items() if v})
        return f"/daten/lauf-{run_id}.zip" + (f"?{query}" if query else "")

    def view(run_id: int) -> str:
        params = {"town": town or "netzwerk", "year": year, "lang": lang, "run": run_id}
        return f"{page}?{urlencode({k: v for k, v in params.items() if v is not None})}"

    with warehouse.at_run(None):  # every kept run, whichever one is read now
        kept = warehouse.published_runs(db=db)
    runs = tuple(
        KeptRun(int(r), fmt_date(f, lang), view(int(r)), package(int(r)))
        for r, f in zip(kept["run_id"], kept["finished_at"], strict=True)
    )
    return Citing(
        run_id=run.run_id,
        citation=citation(run.project_name, town_name, run.finished_at, run.run_id),
        licence_title=licence.title_en if lang == "en" else licence.title_de,
        licence_spdx=licence.spdx,
        licence_url=licence.url,
        package=package(run.run_id),
        runs=runs,
    )
