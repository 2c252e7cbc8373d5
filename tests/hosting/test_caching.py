"""The shared callback cache never answers with a previous run's numbers or another scope's answer, and no
server callback reads which input fired (the cache key leaves that out); plus the in-process app serves with
every hook in place (issue 12)."""

from __future__ import annotations

import datetime as dt
import inspect
import json
from pathlib import Path

from hosting_helpers import add_account, signed_in_client

from etl import warehouse


def _cards_body(client, town: str, year: int) -> dict:  # noqa: ANN001 - a Flask test client
    deps = client.get("/_dash-dependencies").get_json()
    dep = next(d for d in deps if d["output"].startswith("..ov-engagement_rate-value"))
    values = {"shell-town": town, "shell-year": str(year), "shell-lang": "de"}
    outputs = [
        dict(zip(("id", "property"), p.rsplit(".", 1), strict=True)) for p in dep["output"].strip(".").split("...")
    ]
    return {
        "output": dep["output"],
        "outputs": outputs,
        "inputs": [{**i, "value": values.get(i["id"])} for i in dep["inputs"]],
        "changedPropIds": ["shell-town.value"],
    }


def test_a_new_run_is_never_answered_from_the_previous_runs_cache(app_and_db, demo_source: Path) -> None:  # noqa: ANN001
    app, db = app_and_db
    client = app.server.test_client()
    with warehouse.scoped(warehouse.EVERY_TOWN):  # the test reads as a notebook would
        town, year = sorted(warehouse.towns(db=db)["ags"])[0], max(warehouse.years(db=db))
    body = _cards_body(client, town, year)
    first = client.post("/_dash-update-component", json=body)
    second = client.post("/_dash-update-component", json={**body, "changedPropIds": ["shell-year.value"]})
    assert first.headers["X-Engage-Cache"] == "miss" and second.headers["X-Engage-Cache"] == "hit"
    assert first.get_json() == second.get_json()
    from etl.pipeline import run_pipeline

    run_pipeline(demo_source, db_url=db, as_of=dt.date(2025, 6, 30))
    third = client.post("/_dash-update-component", json=body)
    assert third.headers["X-Engage-Cache"] == "miss"  # keyed on the new run id


def test_answers_of_one_scope_are_not_served_to_another(app_and_db) -> None:  # noqa: ANN001
    app, db = app_and_db
    with warehouse.scoped(warehouse.EVERY_TOWN):
        (own, other), year = sorted(warehouse.towns(db=db)["ags"]), max(warehouse.years(db=db))
    assert add_account(db, "netz", "netzwerk").returncode == 0
    assert add_account(db, "stadt", f"stadt:{own}").returncode == 0

    network, town = signed_in_client(app, "netz"), signed_in_client(app, "stadt")
    body = _cards_body(network, other, year)
    full = network.post("/_dash-update-component", json=body)
    assert full.status_code == 200
    refused = town.post("/_dash-update-component", json=body)
    assert refused.headers["X-Engage-Cache"] == "miss"  # computed for its own scope, not taken from the network's
    assert json.dumps(refused.get_json()) != json.dumps(full.get_json())
    assert "gibt es im Warehouse nicht" in json.dumps(refused.get_json(), ensure_ascii=False)


def test_no_server_callback_reads_which_input_fired(app_and_db) -> None:  # noqa: ANN001
    app, _db = app_and_db
    app.server.test_client().get("/")  # Dash collects the callbacks on its first request
    functions = [entry["callback"] for entry in app.callback_map.values() if entry.get("callback")]
    assert len(functions) > 20
    for function in functions:
        source = inspect.getsource(inspect.unwrap(function))
        assert "triggered" not in source and "callback_context" not in source, function
