"""Results kept across callbacks (dashboard.memo, issue 13) through the app: the Methodik tables are built once
per run, reader's scope and language, so another town or year gets the same table, while another language,
another reader's scope or a new run never gets a kept one."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from hosting_helpers import add_account, callback_body, signed_in_client

from etl import warehouse


def _sources_body(client, town: str, year: int, lang: str = "de") -> dict:  # noqa: ANN001 - a Flask test client
    deps = client.get("/_dash-dependencies").get_json()
    values = {"shell-town": town, "shell-year": str(year), "shell-lang": lang}
    return callback_body(deps, "..methods-sources-table", values)


def _answer(client, body: dict) -> tuple[str, str]:  # noqa: ANN001
    """The cache status and the drawn outputs (not the card's store of the selection it shows, which is per view)."""
    response = client.post("/_dash-update-component", json=body)
    assert response.status_code == 200
    drawn = {k: v for k, v in response.get_json()["response"].items() if not k.endswith("-shown")}
    return response.headers["X-Engage-Cache"], json.dumps(drawn, ensure_ascii=False)


def test_the_run_log_table_is_the_same_for_every_town_and_kept_per_language_and_run(
    app_and_db,  # noqa: ANN001
    demo_source: Path,
) -> None:
    app, db = app_and_db
    client = app.server.test_client()
    with warehouse.scoped(warehouse.EVERY_TOWN):
        towns, years = sorted(warehouse.towns(db=db)["ags"]), warehouse.years(db=db)
        run_id = warehouse.latest_run(db=db).run_id
    cache, first = _answer(client, _sources_body(client, towns[0], years[-1]))
    other_cache, other = _answer(client, _sources_body(client, "netzwerk", years[0]))
    assert cache == other_cache == "miss"  # another town and year: not the callback cache's answer …
    assert other == first and f"Lauf Nr. {run_id} " in first  # … but the same table, built once
    _cache, english = _answer(client, _sources_body(client, towns[0], years[-1], "en"))
    assert english != first and f"run no. {run_id} " in english.lower()

    from etl.pipeline import run_pipeline

    run_pipeline(demo_source, db_url=db, as_of=dt.date(2025, 6, 30))
    _cache, after = _answer(client, _sources_body(client, towns[1], years[-1]))
    assert f"Lauf Nr. {run_id + 1} " in after and f"Lauf Nr. {run_id} " not in after


def test_a_towns_reader_never_gets_the_networks_kept_table(app_and_db) -> None:  # noqa: ANN001
    app, db = app_and_db
    with warehouse.scoped(warehouse.EVERY_TOWN):
        (own, other), year = sorted(warehouse.towns(db=db)["ags"]), max(warehouse.years(db=db))
        other_name = str(warehouse.towns(db=db).set_index("ags").at[other, "name"])
    assert add_account(db, "netz", "netzwerk").returncode == 0
    assert add_account(db, "stadt", f"stadt:{own}").returncode == 0

    network, town = signed_in_client(app, "netz"), signed_in_client(app, "stadt")
    _cache, full = _answer(network, _sources_body(network, own, year))
    _cache, own_only = _answer(town, _sources_body(town, own, year))
    assert own_only != full
    with warehouse.scoped(warehouse.Scope.of([own])):
        own_files = set(warehouse.runs(db=db)["file"])
    with warehouse.scoped(warehouse.EVERY_TOWN):
        every_file = set(warehouse.runs(db=db)["file"])
    others = every_file - own_files
    assert others and any(f in full for f in others)
    assert not any(f in own_only for f in others), other_name
