"""``/daten/lauf-N.zip`` on the production server (issue 17): the run's data package in the account's scope,
a German 404 for a run the warehouse does not keep or a hostile number, sign-in required."""

from __future__ import annotations

import io
import json
import zipfile

import pandas as pd
import requests
from hosting_helpers import Hosted, sign_in


def _package(answer: requests.Response) -> tuple[dict, pd.DataFrame]:
    assert answer.status_code == 200, answer.text[:300]
    assert answer.headers["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(answer.content))
    descriptor = json.loads(archive.read("datapackage.json"))
    values = pd.read_csv(io.BytesIO(archive.read("data/indicator_values.csv")), dtype=str, keep_default_na=False)
    return descriptor, values


def test_a_town_account_gets_its_own_town_only(hosted: Hosted) -> None:
    town = sign_in(hosted.base, "stadt-a")
    descriptor, values = _package(town.get(hosted.base + "/daten/lauf-1.zip", timeout=60))
    assert set(values["town_ags"]) == {hosted.own}  # the network's package, as this account may see it
    assert descriptor["run"]["id"] == 1
    _, values = _package(town.get(hosted.base + f"/daten/lauf-1.zip?town={hosted.own}", timeout=60))
    assert set(values["town_ags"]) == {hosted.own}
    other = town.get(hosted.base + f"/daten/lauf-1.zip?town={hosted.other}", timeout=60)
    assert other.status_code == 404 and "nicht gespeichert" in other.text
    assert hosted.other_name not in other.text


def test_the_network_account_gets_every_town(hosted: Hosted) -> None:
    network = sign_in(hosted.base, "netz")
    descriptor, values = _package(network.get(hosted.base + "/daten/lauf-1.zip", timeout=60))
    assert {hosted.own, hosted.other} <= set(values["town_ags"])
    assert descriptor["citation"].endswith(", Lauf 1")


def test_hostile_or_unknown_runs_are_a_german_404(hosted: Hosted) -> None:
    network = sign_in(hosted.base, "netz")
    for raw in ("99", "0", "-1", "abc", "1%20OR%201=1", "9" * 30, "1.5"):
        answer = network.get(hosted.base + f"/daten/lauf-{raw}.zip", timeout=30)
        assert answer.status_code == 404, raw
        assert "Traceback" not in answer.text and "<" not in answer.text, raw
        if answer.headers["Content-Type"].startswith("text/plain"):
            assert "Lauf" in answer.text and "nicht gespeichert" in answer.text, raw
    bad_town = network.get(hosted.base + "/daten/lauf-1.zip?town=<script>", timeout=30)
    assert bad_town.status_code == 404 and "nicht gespeichert" in bad_town.text


def test_the_package_needs_a_signed_in_account(hosted: Hosted) -> None:
    answer = requests.get(hosted.base + "/daten/lauf-1.zip", allow_redirects=False, timeout=30)
    assert answer.status_code == 302 and "/anmelden" in answer.headers["Location"]
