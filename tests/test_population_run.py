"""A Land-wide Regionalstatistik download through ``engage run``: skipped rows in the run log, the export, the
notebooks' read API and Daten & Methodik; the population the weighting uses is the file's 14+ population."""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner
from fixtures.readers import regionalstatistik as rs
from fixtures.readers.support import PROJECT, PSEUDO, make_spec

from dashboard.i18n import t
from dashboard.state import View
from dashboard.views import methods
from etl import warehouse
from etl.cli import main
from etl.indicators.participation_common import population_14plus
from etl.indicators.survey import survey_weights
from etl.model import CleanData, Town
from etl.readers import read_source

TOWNS = (Town("09162000", "München"), Town("09184119", "Unterschleißheim"))
YEARS = [2022, 2023]


def _regions() -> tuple[list[rs.Region], dict[str, str]]:
    towns = [rs.region("09162", "München, Kreisfreie Stadt", YEARS, seed=5, level=2)]
    towns.append(rs.region("09184119", "Unterschleißheim", YEARS, seed=9))
    return rs.land_download(YEARS, towns, others=1873), {"09162": TOWNS[0].ags, "09184119": TOWNS[1].ags}


def _folder(base: Path) -> Path:
    base.mkdir()
    regions, _ = _regions()
    (base / "12411-02-03-5.csv").write_bytes(rs.wide_csv(regions, YEARS))
    towns = "".join(f'[[towns]]\nags = "{t.ags}"\nname = "{t.name}"\n\n' for t in TOWNS)
    manifest = textwrap.dedent(
        """
        [project]
        name = "Landkreis-Test"

        {towns}
        [[sources]]
        name = "Bevölkerung Bayern"
        kind = "population"
        path = "12411-02-03-5.csv"
        """
    ).format(towns=towns)
    (base / "engage.toml").write_text(manifest, encoding="utf-8")
    return base


def test_engage_run_counts_the_other_regions_everywhere_the_run_log_is_shown(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ENGAGE_PSEUDONYM_KEY", "test-schluessel-nur-fuer-tests-0123456789")
    url = f"sqlite:///{tmp_path / 'wh.sqlite'}"
    result = CliRunner().invoke(main, ["run", str(_folder(tmp_path / "quelle")), "--db", url])
    assert result.exit_code == 0, result.output
    assert "übersprungen" in result.output  # the summary table's column
    # 2 Stichtage as blocks: every region has a line per year
    total = "3.750 Zeilen gelesen, 4 übernommen, 0 abgewiesen, 3.746 anderer Gebiete übersprungen (Details:"
    assert total in " ".join(result.output.split())  # rich wraps the line at the terminal's width

    out = tmp_path / "runs.csv"
    assert CliRunner().invoke(main, ["export", "runs", "--db", url, "--out", str(out)]).exit_code == 0
    runs = pd.read_csv(out, dtype=str)
    assert list(runs.columns) == [
        "source",
        "kind",
        "file",
        "rows_read",
        "rows_accepted",
        "rows_rejected",
        "rows_skipped",
        "status",
        "message",
    ]
    assert runs[["rows_read", "rows_accepted", "rows_rejected", "rows_skipped"]].values.tolist() == [
        ["3750", "4", "0", "3746"]
    ]
    assert runs["message"].iloc[0] == (
        "3.750 Zeilen gelesen, 4 übernommen, 0 abgewiesen, 3.746 Zeilen anderer Gebiete übersprungen"
    )

    log = warehouse.runs(db=url)
    assert log["rows_skipped"].tolist() == [3746] and log["rows_skipped"].dtype == "int64"
    view = View(town=None, town_name="Netzwerk", year=2023, lang="de", min_cell=5, years=(2022, 2023), db=url)
    table = methods.sources(view, {})
    headers = {c.key: t(c.header, "de") for c in table.columns}
    keys = list(headers)
    assert keys.index("rows_skipped") == keys.index("rows_rejected") + 1
    assert headers["rows_skipped"] == "übersprungen (andere Gebiete)"
    assert table.data["rows_skipped"].tolist() == [3746]


def test_the_weighting_uses_the_files_population_aged_14_and_over(tmp_path: Path) -> None:
    regions, ags_of = _regions()
    (tmp_path / "land.csv").write_bytes(rs.wide_csv(regions, YEARS))
    result = read_source(make_spec(tmp_path, "population", ["land.csv"], town=None), PROJECT, TOWNS, PSEUDO)
    frames = {"population": result.frames["population"]}
    clean = CleanData(manifest=None, frames=frames, source_files={}, as_of=dt.date.today())  # type: ignore[arg-type]
    adults = population_14plus(clean)
    want = rs.expected(regions, ags_of, YEARS)
    want = want[want["age_band"] != "0-13"].reset_index(drop=True)
    got = adults.sort_values(["ags", "year", "age_band", "gender"], ignore_index=True)
    pd.testing.assert_frame_equal(got[want.columns].astype({"ags": object}), want, check_dtype=False)
    # by hand for München's men 2023: 14-29 holds one fifth of "10 bis unter 15" and the groups 15 … 30
    munich = next(r for r in regions if r.code == "09162")
    cell = got.set_index(["ags", "year", "age_band", "gender"])["count"][("09162000", 2023, "14-29", "m")]
    assert cell == pytest.approx(
        0.2 * int(munich.text(2023, "m", 3)) + sum(int(munich.text(2023, "m", i)) for i in range(4, 8))
    )

    # survey weights reproduce exactly these margins (raking on age band and gender, §5.1)
    rng = np.random.default_rng(1)
    n = 300
    responses = pd.DataFrame(
        {
            "town_ags": "09162000",
            "year": 2023,
            "complete": True,
            "below_min_age": False,
            "age_band": rng.choice(["14-29", "30-49", "50-64", "65+"], n, p=[0.1, 0.2, 0.3, 0.4]),
            "age": np.nan,
            "gender": rng.choice(["w", "m"], n, p=[0.65, 0.35]),
        }
    )
    weight, weighted = survey_weights(responses, adults)
    assert weighted.all()
    town = got[(got["ags"] == "09162000") & (got["year"] == 2023)]
    band_share = town.groupby("age_band")["count"].sum() / town["count"].sum()
    weighted_share = responses.assign(w=weight).groupby("age_band")["w"].sum() / weight.sum()
    pd.testing.assert_series_equal(weighted_share, band_share, check_names=False, atol=1e-6, rtol=0)
