"""The report as a download from the dashboard: ``GET /bericht.pdf?town=AGS&year=YYYY[&as_of=YYYY-MM-DD]``.

The same :func:`dashboard.report.build_report` as ``engage report`` writes the PDF, so the download and
the agenda-pack print are one document. Errors (unknown town or year, missing warehouse, a malformed
date) answer with the German message as plain text and status 400/404, never a traceback. Without a town (the
network view's link) it answers with a small page that says the report exists per town and asks for one. The browser
that renders the charts stays open between downloads; reports are built one at a time.
"""

from __future__ import annotations

import atexit
import datetime as dt
import re
import tempfile
import threading
from pathlib import Path

import flask
from markupsafe import escape
from sqlalchemy import Engine

from dashboard.i18n import norm_lang, t
from dashboard.report import charts
from dashboard.report.build import ReportError, build_report
from dashboard.state import NETWORK
from etl import warehouse

PATH = "/bericht.pdf"
_build_lock = threading.Lock()


def demo_prefix(db: str | Engine | None) -> str:
    """``demodaten_`` for a file downloaded from a warehouse built with the public demo key, else ''.

    The file name says so wherever the file ends up (the PDF itself says it on every page).
    """
    try:
        return "demodaten_" if warehouse.latest_run(db=db).demo_key else ""
    except warehouse.WarehouseError:
        return ""


def _text(message: str, status: int) -> flask.Response:
    return flask.Response(message + "\n", status=status, mimetype="text/plain")


def choose_town(db: str | Engine | None, year: str, lang: str) -> flask.Response:
    """The report exists per town: a small German page that says so and asks for the town (and year)."""
    lang = norm_lang(lang)
    try:
        towns = warehouse.towns(db=db)
        years = warehouse.years(db=db)
    except warehouse.WarehouseError as exc:
        return _text(str(exc), 404)
    chosen = year if year in {str(y) for y in years} else (str(years[-1]) if years else "")
    town_options = "".join(
        f'<option value="{escape(str(a))}">{escape(str(n))} ({escape(str(a))})</option>'
        for a, n in zip(towns["ags"], towns["name"], strict=True)
    )
    year_options = "".join(
        f'<option value="{y}"{" selected" if str(y) == chosen else ""}>{y}</option>' for y in reversed(years)
    )
    page = f"""<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8"><title>{escape(t("shell.report", lang))}</title>
<style>body{{font-family:system-ui,sans-serif;margin:2rem;color:#212529}}label{{margin-right:.5rem}}
select,button{{font-size:1rem;margin-right:1rem}}</style></head>
<body><main><h1>{escape(t("shell.report", lang))}</h1><p role="status">{escape(t("report.network", lang))}</p>
<form method="get" action="{PATH}">
<label for="town">{escape(t("shell.town", lang))}</label><select id="town" name="town">{town_options}</select>
<label for="year">{escape(t("shell.year", lang))}</label><select id="year" name="year">{year_options}</select>
<button type="submit">{escape(t("report.choose", lang))}</button></form>
<p><a href="/?town={NETWORK}&amp;lang={lang}">{escape(t("page.overview", lang))}</a></p></main></body></html>"""
    return flask.Response(page, status=200, mimetype="text/html")


def register_report_route(server: flask.Flask, db: str | Engine | None) -> None:
    """Add ``GET /bericht.pdf`` to the dashboard's Flask ``server``, reading the warehouse ``db``."""
    charts.keep_running(True)
    atexit.register(charts.stop)

    @server.get(PATH)
    def report_pdf() -> flask.Response:
        args = flask.request.args
        town = (args.get("town") or "").strip()
        if not town or town == NETWORK:
            return choose_town(db, args.get("year", ""), args.get("lang", "de"))
        try:
            year = int(args.get("year", ""))
        except ValueError:
            return _text(f"Das Jahr „{args.get('year', '')}“ ist keine Jahreszahl (Parameter year=JJJJ).", 400)
        as_of = None
        if args.get("as_of"):
            try:
                as_of = dt.date.fromisoformat(args["as_of"])
            except ValueError:
                return _text(f"Der Stichtag „{args['as_of']}“ ist kein Datum im Format JJJJ-MM-TT.", 400)
        with tempfile.TemporaryDirectory(prefix="engage-bericht-") as folder:
            out = Path(folder) / "bericht.pdf"
            try:
                with _build_lock:
                    build_report(town, year, out, as_of=as_of, db=db)
            except ReportError as exc:
                return _text(str(exc), 404)
            data = out.read_bytes()
        name = re.sub(r"[^A-Za-z0-9_-]", "_", f"{demo_prefix(db)}bericht_{town}_{year}") + ".pdf"
        return flask.Response(
            data,
            mimetype="application/pdf",
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )
