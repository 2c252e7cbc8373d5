"""Browser tests of "Daten einspielen" (issue 14): headless Chromium against the real server (gunicorn with
two worker processes and the intake worker), real files, real ETL runs.

The tests of this module build on each other in file order (one source folder, one warehouse): a mapped
registration export is published, a bad file publishes nothing, another town's coordinator cannot touch it,
the publish is taken back, and two publishes queue one after the other.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from intake_exports import BAD_DATE, SECRET_MAIL, SECRET_NAME, SECRET_PHONE, bad_file, platform_export
from intake_helpers import TOWN_B, browser_sign_in
from intake_helpers import drop as _drop
from intake_helpers import wait_preview as _wait_preview
from sqlalchemy import create_engine, text

pytestmark = pytest.mark.browser

STATE: dict[str, object] = {}


def _value(db: str, town: str, indicator: str, year: int) -> tuple[int, float | None]:
    engine = create_engine(db)
    with engine.connect() as conn:
        run = conn.execute(text("SELECT max(run_id) FROM etl_runs")).scalar()
        value = conn.execute(
            text(
                "SELECT value FROM mart_indicator_values WHERE town_ags = :t AND indicator = :i AND year = :y "
                "AND breakdown = '' AND run_id = :r"  # the marts keep every run (issue 17)
            ),
            {"t": town, "i": indicator, "y": year, "r": run},
        ).scalar()
    engine.dispose()
    return int(run), value


def _log(db: str) -> list[tuple]:
    engine = create_engine(db)
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT intake_id, action, town_ags, account, run_id, status, started_at, finished_at, undoes, files "
                "FROM app_intake_log ORDER BY intake_id"
            )
        ).all()
    engine.dispose()
    return [tuple(r) for r in rows]


def _choose(page, control_id: str, option: str) -> None:  # noqa: ANN001
    """Pick ``option`` in a native select by its label."""
    page.select_option(f"#{control_id} select", label=option)


def test_mapped_export_previewed_with_rejects_published_and_shown(intake, page) -> None:  # noqa: ANN001
    source_csv = intake.source / "beispielhausen" / "freiwillige.csv"
    STATE["before"] = _value(intake.db, TOWN_B, "registered_volunteers", 2025)
    browser_sign_in(page, intake.base, "koord-b")
    page.wait_for_selector("#intake-nav-link", state="visible")
    page.click("#intake-nav-link")
    page.wait_for_selector("#intake-form:not([hidden])")
    data = platform_export(source_csv)
    _drop(page, "Export Plattform.csv", data)
    _wait_preview(page)
    card = page.locator("#intake-file-0")
    assert "eigenen Spaltennamen" in card.inner_text()
    # proposed from the platform's words; "Abschluss" (the end date) is not guessed: the user maps it
    assert page.locator("#intake-col-0-person_id select").input_value() == "Mail-Adresse"
    assert page.locator("#intake-col-0-registered_on select").input_value() == "Anmeldedatum"
    assert page.locator("#intake-col-0-ended_on select").input_value() == "__none__"
    _choose(page, "intake-col-0-ended_on", "Abschluss")
    first = page.get_attribute("#intake-preview-title", "data-job")
    page.click("#intake-refresh")
    page.wait_for_function(
        f"() => document.querySelector('#intake-preview-title') && "
        f"document.querySelector('#intake-preview-title').dataset.job !== '{first}'",
        timeout=120_000,
    )
    page.wait_for_function(
        "() => document.querySelector('#intake-col-0-ended_on select') && "
        "document.querySelector('#intake-col-0-ended_on select').value === 'Abschluss' && "
        "!document.querySelector('#intake-progress-text') && document.querySelector('.intake-counts') && "
        "document.querySelector('#intake-preview').innerText.includes('Abschluss')",
        timeout=120_000,
    )
    shown = page.locator("#intake-preview").inner_text()
    assert "abgewiesen" in shown and "Zeile" in shown
    assert f"'{BAD_DATE}'" in shown and "kein gültiges Datum" in shown
    assert "Duplikat von Zeile" in shown
    assert SECRET_MAIL not in shown and SECRET_NAME not in shown and "@" not in shown
    assert "nicht gezeigt" in shown  # the person column of the first rejected rows
    changes = page.locator("#intake-changes").inner_text()
    assert re.search(r"Registrierte Freiwillige 2025 \(Beispielhausen\): neu [\d.]+ \(bisher [\d.]+\)", changes)
    expected = int(
        re.search(r"Registrierte Freiwillige 2025 \(Beispielhausen\): neu ([\d.]+)", changes).group(1).replace(".", "")
    )
    page.click("#intake-publish")
    page.wait_for_selector("#intake-done", timeout=180_000)
    assert "Veröffentlicht: Lauf" in page.locator("#intake-done").inner_text()
    run, value = _value(intake.db, TOWN_B, "registered_volunteers", 2025)
    assert run == STATE["before"][0] + 1 and value == expected != STATE["before"][1]
    log = _log(intake.db)
    assert log[-1][1:6] == ("publish", TOWN_B, "koord-b", run, "ok")
    stored = intake.source / log[-1][9]
    assert stored.is_file() and stored.stat().st_mode & 0o777 == 0o600
    assert stored.read_bytes() == data
    assert (stored.parent.stat().st_mode & 0o077) == 0 or stored.parent == intake.source / "beispielhausen"
    manifest = (intake.source / "engage.toml").read_text(encoding="utf-8")
    assert "# Demo-Quellordner" in manifest and 'ended_on = "Abschluss"' in manifest  # comments kept, mapping in
    # the dashboard shows the new figure (its reads follow the latest run)
    page.goto(f"{intake.base}/engagement?town={TOWN_B}&year=2025")
    page.wait_for_function(
        "() => document.querySelector('#part-registrations-table') && "
        "document.querySelector('#part-registrations-table').textContent.length > 20",
        timeout=60_000,
    )
    table = page.locator("#part-registrations-table").text_content()
    assert f"{expected:,}".replace(",", ".") in table
    STATE["published"] = (run, value)
    # the staged upload is gone; no raw file outside the source folder's own places
    assert not any((intake.source / ".engage-intake" / "eingang").iterdir())
    assert page.errors == []


def test_bad_file_gets_german_messages_and_publishes_nothing(intake, page) -> None:  # noqa: ANN001
    before_log, before_manifest = _log(intake.db), (intake.source / "engage.toml").read_bytes()
    run_before = _value(intake.db, TOWN_B, "registered_volunteers", 2025)[0]
    browser_sign_in(page, intake.base, "koord-b")
    page.goto(f"{intake.base}/daten-einspielen")
    page.wait_for_selector("#intake-form:not([hidden])")
    _drop(page, "kaputt.csv", bad_file())
    page.wait_for_selector("#intake-problems", timeout=120_000)
    problems = page.locator("#intake-problems").inner_text()
    assert "Bitte eine Spalte zuordnen" in problems or "Pflichtspalte" in problems
    assert page.locator("#intake-publish").is_disabled()
    # an image renamed to .csv: refused by content, before anything is stored
    _drop(page, "bild.csv", b"\x89PNG\r\n\x1a\n" + b"\x00" * 100)
    page.wait_for_selector("#intake-upload-msg .alert", timeout=30_000)
    assert "ein Bild (PNG), keine Tabelle" in page.locator("#intake-upload-msg").inner_text()
    assert _log(intake.db) == before_log
    assert (intake.source / "engage.toml").read_bytes() == before_manifest
    assert _value(intake.db, TOWN_B, "registered_volunteers", 2025)[0] == run_before


def test_other_towns_coordinator_and_readers_cannot_bring_data_for_this_town(intake, page) -> None:  # noqa: ANN001
    """Fiktivingen's office may choose only Fiktivingen; a reader of Beispielhausen gets no page at all."""
    browser_sign_in(page, intake.base, "koord-c")
    page.goto(f"{intake.base}/daten-einspielen")
    page.wait_for_selector("#intake-form:not([hidden])")
    assert "Fiktivingen" in page.locator("#intake-access").inner_text()
    assert "Beispielhausen" not in page.locator("#intake-access").inner_text()
    _drop(page, "Export Plattform.csv", platform_export(intake.source / "fiktivingen" / "freiwillige.csv", 5))
    _wait_preview(page)
    towns = [o for o in page.locator("#intake-town-0 select option").all_inner_texts() if o.strip()]  # no placeholder
    assert towns and all("Fiktivingen" in o for o in towns), towns
    assert page.locator("#intake-undo").is_disabled()  # nothing of Beispielhausen to take back
    page.context.clear_cookies()
    browser_sign_in(page, intake.base, "leser-b")
    assert page.locator("#intake-nav-link").is_hidden()
    page.goto(f"{intake.base}/daten-einspielen")
    page.wait_for_selector("#intake-access .alert")
    assert "nur Koordinierungsstellen" in page.locator("#intake-access").inner_text()
    assert page.locator("#intake-form").is_hidden()
    assert page.errors == []


def test_undo_restores_the_previous_file_manifest_and_figures(intake, page) -> None:  # noqa: ANN001
    assert "published" in STATE, "runs after the publish test"
    browser_sign_in(page, intake.base, "koord-b")
    page.goto(f"{intake.base}/daten-einspielen")
    page.wait_for_selector("#intake-form:not([hidden])")
    page.wait_for_selector(".intake-history-table")
    assert "veröffentlicht" in page.locator(".intake-history-table").inner_text()
    page.wait_for_function("() => !document.querySelector('#intake-undo').disabled", timeout=30_000)
    page.click("#intake-undo")
    page.click("#intake-undo-yes")
    page.wait_for_selector("#intake-done", timeout=300_000)
    assert "zurückgenommen" in page.locator("#intake-done").inner_text()
    run, value = _value(intake.db, TOWN_B, "registered_volunteers", 2025)
    assert run == STATE["published"][0] + 1 and value == STATE["before"][1]
    log = _log(intake.db)
    assert log[-1][1:6] == ("undo", TOWN_B, "koord-b", run, "ok") and log[-1][8] == log[-2][0]
    manifest = (intake.source / "engage.toml").read_text(encoding="utf-8")
    assert 'path = "beispielhausen/freiwillige.csv"' in manifest and "Abschluss" not in manifest
    assert "# Demo-Quellordner" in manifest
    assert (intake.source / "beispielhausen" / "freiwillige.csv").is_file()
    assert not (intake.source / "beispielhausen" / "Export_Plattform.csv").exists()
    # the dashboard shows the earlier figure again
    page.goto(f"{intake.base}/engagement?town={TOWN_B}&year=2025")
    page.wait_for_function(
        "() => document.querySelector('#part-registrations-table') && "
        "document.querySelector('#part-registrations-table').textContent.length > 20",
        timeout=60_000,
    )
    before = f"{int(STATE['before'][1]):,}".replace(",", ".")
    assert before in page.locator("#part-registrations-table").text_content()
    assert page.errors == []


def test_no_personal_value_in_the_server_log_or_the_warehouse(intake) -> None:  # noqa: ANN001
    """Byte for byte: the e-mail, name and phone of the rejected row are nowhere but in the source folder."""
    warehouse = intake.db.removeprefix("sqlite:///")
    places = [intake.log, Path(warehouse), *intake.source.joinpath(".engage-intake").glob("jobs.sqlite*")]
    places += [p for p in Path(warehouse).parent.glob("*.sqlite-*")]
    for place in places:
        data = place.read_bytes()
        for secret in (SECRET_MAIL, SECRET_NAME, SECRET_PHONE):
            assert secret.encode() not in data, (place.name, secret)
    assert "Traceback" not in intake.log.read_text(encoding="utf-8", errors="replace")
