"""Sign-in and roles through the real server: every route needs an account, a town's account reads only its
town however the request is crafted (callbacks, CSV downloads, URLs, the report), sessions end with the
account or its password, cookies carry the right flags (issue 12)."""

from __future__ import annotations

import json
import time

import pytest
import requests
from hosting_helpers import PASSWORD, Hosted, add_account, sign_in

from etl import warehouse

PAGES = ["/", "/engagement", "/zusammenarbeit", "/ziele", "/vergleich", "/methodik", "/sitzung"]
CONTROLS = {
    "part-indicator": "engagement_rate",
    "part-by": "age_band",
    "cmp-indicator": "engagement_rate",
    "cmp-peer": "alle",
    "goals-choose": None,
}


def _outputs(output: str) -> list[dict] | dict:
    if output.startswith(".."):
        parts = [p for p in output.strip(".").split("...") if p]
        return [dict(zip(("id", "property"), p.rsplit(".", 1), strict=True)) for p in parts]
    cid, prop = output.rsplit(".", 1)
    return {"id": cid, "property": prop}


def crafted(dep: dict, town: str, year: int) -> dict:
    """The body the browser would send for ``dep``, with ``town`` put in wherever the shell's town goes."""
    values = {"shell-town": town, "shell-year": str(year), "shell-lang": "de", "url": f"?town={town}", **CONTROLS}

    def fill(items: list[dict]) -> list[dict]:
        out = []
        for item in items:
            value = values.get(item["id"])
            if item["property"] == "n_clicks":
                value = 1
            elif item["id"] == "url" and item["property"] == "pathname":
                value = "/"
            out.append({**item, "value": value})
        return out

    return {
        "output": dep["output"],
        "outputs": _outputs(dep["output"]),
        "inputs": fill(dep["inputs"]),
        "state": fill(dep.get("state", [])),
        "changedPropIds": [f"{i['id']}.{i['property']}" for i in dep["inputs"]],
    }


def town_callbacks(session: requests.Session, base: str) -> list[dict]:
    """Every server callback that reads the selected town (updates and CSV downloads)."""
    deps = session.get(base + "/_dash-dependencies", timeout=30).json()
    return [
        d
        for d in deps
        if d.get("clientside_function") is None
        and any(i["id"] in ("shell-town", "url") for i in [*d["inputs"], *d.get("state", [])])
    ]


def secrets_of(db: str, town: str, other_than: str) -> set[str]:
    """Texts only ``town``'s data holds: its name, organisations, goal and measure titles, source labels."""

    def texts(ags: str) -> set[str]:
        found = set(warehouse.towns(db=db).set_index("ags").loc[[ags], "name"])
        found |= set(warehouse.network_nodes(town=ags, db=db)["name"])
        found |= set(warehouse.goals(town=ags, db=db)["title"]) | set(warehouse.measures(town=ags, db=db)["title"])
        sources = warehouse.runs(db=db)["source"]
        found |= {s for s in sources if warehouse.towns(db=db).set_index("ags").at[ags, "name"] in s}
        return {str(x) for x in found if len(str(x)) >= 6}

    return texts(town) - texts(other_than)


def test_every_route_needs_a_signed_in_account(hosted: Hosted) -> None:
    for path in [*PAGES, "/bericht.pdf?town=x&year=2024", "/irgendwas"]:
        answer = requests.get(hosted.base + path, allow_redirects=False, timeout=30)
        assert answer.status_code == 302, path
        assert answer.headers["Location"].startswith("/anmelden?next="), path
    for path in ["/_dash-layout", "/_dash-dependencies"]:
        answer = requests.get(hosted.base + path, timeout=30)
        assert answer.status_code == 401 and "Bitte melden Sie sich an" in answer.text
    body = {"output": "shell-user.children", "outputs": {"id": "shell-user", "property": "children"}, "inputs": []}
    answer = requests.post(hosted.base + "/_dash-update-component", json=body, timeout=30)
    assert answer.status_code == 401
    # static files (code and styles, no data) and the sign-in page are open
    assert requests.get(hosted.base + "/assets/10-style.css", timeout=30).status_code == 200
    page = requests.get(hosted.base + "/anmelden", timeout=30)
    assert page.status_code == 200 and "Anmelden" in page.text and 'lang="de"' in page.text
    english = requests.get(hosted.base + "/anmelden?lang=en", timeout=30)
    assert "Sign in" in english.text and 'lang="en"' in english.text


def test_wrong_password_and_missing_csrf_token_are_refused(hosted: Hosted) -> None:
    wrong = sign_in(hosted.base, "stadt-a", "falsches-passwort")
    assert wrong.last_signin.status_code == 401
    assert "Kontoname oder Passwort stimmen nicht" in wrong.last_signin.text
    assert wrong.get(hosted.base + "/_dash-layout", timeout=30).status_code == 401
    no_token = requests.post(
        hosted.base + "/anmelden", data={"name": "stadt-a", "password": PASSWORD}, allow_redirects=False, timeout=30
    )
    assert no_token.status_code == 400 and "abgelaufen" in no_token.text


def test_session_cookie_flags(hosted: Hosted) -> None:
    session = sign_in(hosted.base, "netz")
    answer = session.last_signin
    assert answer.status_code == 302 and answer.headers["Location"] == "/"
    cookie = answer.headers["Set-Cookie"]
    assert cookie.startswith("engage_session=")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # plain HTTP on loopback; behind TLS see test_behind_proxy_*
    assert session.get(hosted.base + "/_dash-layout", timeout=30).status_code == 200


def test_a_town_account_reads_only_its_town_however_the_callback_is_crafted(hosted: Hosted) -> None:
    session = sign_in(hosted.base, "stadt-a")
    assert session.last_signin.status_code == 302
    deps = town_callbacks(session, hosted.base)
    assert len(deps) >= 15  # every chart's update and CSV download, the shell, the meeting screens
    year = max(warehouse.years(db=hosted.db))
    foreign = secrets_of(hosted.db, hosted.other, hosted.own)
    own = secrets_of(hosted.db, hosted.own, hosted.other)
    assert hosted.other_name in foreign and hosted.own_name in own
    seen_own = False
    for town in (hosted.other, "netzwerk", hosted.own, hosted.other_name):
        for dep in deps:
            answer = session.post(hosted.base + "/_dash-update-component", json=crafted(dep, town, year), timeout=60)
            assert answer.status_code in (200, 204), (dep["output"], answer.status_code, answer.text[:300])
            response = answer.json()["response"] if answer.status_code == 200 else {}
            shown = response.pop(next((k for k in response if k.endswith("-shown")), ""), None)
            assert shown is None or shown["data"][0] == town  # a card's store: the request's own selector value
            text = json.dumps(response, ensure_ascii=False)
            text = text.replace(f"„{town}“", "")  # the value of the link, quoted back in the "unknown town" note
            leaked = [s for s in foreign if s in text]
            assert not leaked, (town, dep["output"], leaked[:3])
            seen_own |= any(s in text for s in own)
    assert seen_own  # the own town's data does come through: the checks above are not vacuous


def test_a_town_account_reads_only_its_town_in_the_pages_drawn_with_their_charts(hosted: Hosted) -> None:
    """The page content carries each page's charts drawn for the link's town (issue 13): in the account's scope,
    as the charts' own callbacks."""
    session = sign_in(hosted.base, "stadt-a")
    deps = session.get(hosted.base + "/_dash-dependencies", timeout=30).json()
    content = next(d for d in deps if "_pages_content.children" in d["output"])
    year = max(warehouse.years(db=hosted.db))
    foreign = secrets_of(hosted.db, hosted.other, hosted.own)
    own = secrets_of(hosted.db, hosted.own, hosted.other)
    seen_own = drawn = 0
    for town in (hosted.other, "netzwerk", hosted.own, hosted.other_name):
        for path in PAGES:
            search = f"?town={town}&year={year}&lang=de"
            body = {
                "output": content["output"],
                "outputs": _outputs(content["output"]),
                "inputs": [{**i, "value": path if i["property"] == "pathname" else search} for i in content["inputs"]],
                "state": [{**s, "value": None} for s in content.get("state", [])],
                "changedPropIds": [f"{i['id']}.{i['property']}" for i in content["inputs"]],
            }
            answer = session.post(hosted.base + "/_dash-update-component", json=body, timeout=60)
            assert answer.status_code == 200, (path, answer.text[:300])
            text = json.dumps(answer.json(), ensure_ascii=False)
            text = text.replace(f"?town={town}&", "")  # the link's own value in links back (Sitzungsmodus)
            leaked = [s for s in foreign if s in text]
            assert not leaked, (town, path, leaked[:3])
            seen_own += any(s in text for s in own)
            drawn += text.count('"figure": {"data": [{')  # a chart drawn in the answer, not the placeholder
    assert seen_own and drawn  # the own town's data does come through, in drawn charts: not vacuous


def test_the_town_selector_offers_only_the_own_town_and_the_network_aggregates(hosted: Hosted) -> None:
    session = sign_in(hosted.base, "stadt-a")
    deps = town_callbacks(session, hosted.base)
    shell = next(d for d in deps if "shell-town.options" in d["output"])
    answer = session.post(
        hosted.base + "/_dash-update-component", json=crafted(shell, hosted.other, 2024), timeout=60
    ).json()
    options = answer["response"]["shell-town"]["options"]
    assert [o["value"] for o in options] == ["netzwerk", hosted.own]
    cmp = next(d for d in deps if d["output"].startswith("..cmp-chart-graph.figure"))
    figure = session.post(hosted.base + "/_dash-update-component", json=crafted(cmp, "netzwerk", 2024), timeout=60)
    text = figure.text
    assert hosted.other_name not in text and hosted.other not in text
    network = sign_in(hosted.base, "netz")
    full = network.post(hosted.base + "/_dash-update-component", json=crafted(cmp, "netzwerk", 2024), timeout=60)
    assert hosted.other_name in full.text and hosted.own_name in full.text  # the network role sees all towns


def test_the_report_of_another_town_is_not_found(hosted: Hosted) -> None:
    session = sign_in(hosted.base, "stadt-a")
    year = max(warehouse.years(town=hosted.other, db=hosted.db))
    answer = session.get(f"{hosted.base}/bericht.pdf?town={hosted.other}&year={year}", timeout=120)
    assert answer.status_code == 404 and "gibt es im Warehouse nicht" in answer.text
    assert hosted.other_name not in answer.text
    by_name = session.get(f"{hosted.base}/bericht.pdf?town={hosted.other_name}&year={year}", timeout=120)
    assert by_name.status_code == 404


def test_the_run_log_and_rejects_of_a_town_account_are_its_own_sources(hosted: Hosted) -> None:
    session = sign_in(hosted.base, "stadt-b")
    deps = town_callbacks(session, hosted.base)
    for key in ("methods-sources-table", "methods-rejects-table"):
        dep = next(d for d in deps if d["output"].startswith(f"..{key}.children"))
        text = session.post(
            hosted.base + "/_dash-update-component", json=crafted(dep, hosted.other, 2024), timeout=60
        ).text
        assert hosted.own_name not in text  # stadt-b's "other" is stadt-a's town
    with warehouse.scoped(warehouse.Scope.of([hosted.other])):
        files = warehouse.runs(db=hosted.db)
    assert len(files) and all(hosted.other_name in s for s in files["source"])


def test_a_new_password_or_a_removed_account_ends_the_session(hosted: Hosted) -> None:
    assert add_account(hosted.db, "wechsel", "netzwerk").returncode == 0
    session = sign_in(hosted.base, "wechsel")
    assert session.get(hosted.base + "/_dash-layout", timeout=30).status_code == 200
    import subprocess

    from hosting_helpers import ENGAGE

    new = "ein-anderes-langes-passwort"
    done = subprocess.run(
        [str(ENGAGE), "users", "set-password", "wechsel", "--db", hosted.db],
        input=f"{new}\n{new}\n",
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    time.sleep(6)  # worker processes reuse an account lookup for up to 5 s
    assert session.get(hosted.base + "/_dash-layout", timeout=30).status_code == 401
    again = sign_in(hosted.base, "wechsel", new)
    assert again.get(hosted.base + "/_dash-layout", timeout=30).status_code == 200
    subprocess.run([str(ENGAGE), "users", "remove", "wechsel", "--db", hosted.db], check=True, capture_output=True)
    time.sleep(6)
    assert again.get(hosted.base + "/_dash-layout", timeout=30).status_code == 401


def test_signing_out_ends_the_session(hosted: Hosted) -> None:
    session = sign_in(hosted.base, "netz")
    out = session.get(hosted.base + "/abmelden", allow_redirects=False, timeout=30)
    assert out.status_code == 302 and out.headers["Location"].startswith("/anmelden")
    assert session.get(hosted.base + "/_dash-layout", timeout=30).status_code == 401


@pytest.mark.parametrize("target", ["https://example.org/", "//example.org/x", "/anmelden?next=/"])
def test_sign_in_never_redirects_off_the_site(hosted: Hosted, target: str) -> None:
    import re

    session = requests.Session()
    page = session.get(hosted.base + "/anmelden", timeout=30)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page.text).group(1)
    answer = session.post(
        hosted.base + "/anmelden",
        data={"csrf_token": token, "name": "netz", "password": PASSWORD, "next": target},
        allow_redirects=False,
        timeout=30,
    )
    assert answer.status_code == 302 and answer.headers["Location"] == "/"


def test_the_public_view_shows_only_what_a_town_published(hosted: Hosted) -> None:
    session = sign_in(hosted.base, "publikum")
    assert session.last_signin.status_code == 302
    deps = town_callbacks(session, hosted.base)
    year = max(warehouse.years(db=hosted.db))
    hidden = secrets_of(hosted.db, hosted.other, hosted.own) | (
        secrets_of(hosted.db, hosted.own, hosted.other) - {hosted.own_name}
    )  # the other town entirely; of the publishing town everything but its name (goals, organisations, files)
    with warehouse.scoped(warehouse.Scope.published([(hosted.own, "engagement_rate")])):
        shown = warehouse.indicators(db=hosted.db)
        assert set(shown["indicator"]) == {"engagement_rate"} and set(shown["town_ags"]) == {hosted.own}
        assert warehouse.goals(db=hosted.db).empty and warehouse.runs(db=hosted.db).empty
    for town in (hosted.own, hosted.other, "netzwerk"):
        for dep in deps:
            answer = session.post(hosted.base + "/_dash-update-component", json=crafted(dep, town, year), timeout=60)
            assert answer.status_code in (200, 204), (dep["output"], answer.text[:300])
            text = answer.text.replace(f"„{town}“", "")
            assert not [s for s in hidden if s in text], (town, dep["output"])
    shell = next(d for d in deps if "shell-town.options" in d["output"])
    options = session.post(hosted.base + "/_dash-update-component", json=crafted(shell, hosted.own, year), timeout=60)
    assert [o["value"] for o in options.json()["response"]["shell-town"]["options"]] == ["netzwerk", hosted.own]
    import io

    from pypdf import PdfReader

    def pdf_text(content: bytes) -> str:
        return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(content)).pages)

    network = sign_in(hosted.base, "netz")  # a full report of the town first: it must not be served from the cache
    full = network.get(f"{hosted.base}/bericht.pdf?town={hosted.own}&year={year}", timeout=180)
    assert full.status_code == 200 and [s for s in hidden if s in pdf_text(full.content)]  # goals are in it
    report = session.get(f"{hosted.base}/bericht.pdf?town={hosted.own}&year={year}", timeout=180)
    assert report.status_code == 200 and report.content.startswith(b"%PDF")
    assert not [s for s in hidden if s in pdf_text(report.content)]  # no goal, measure, organisation, source
