"""Checks that need more than one source: they run after every source has been read.

Each moves rows to the rejects through :meth:`SourceResult.reject_rows`, so rows read = accepted + rejected
+ skipped still holds per file, and says in the file's message what it ignored (brief §4, §5.4). Population
rows of regions outside the manifest need no check here: the population reader is given the manifest's
towns and skips them while reading, counted per file (§3.1).
"""

from __future__ import annotations

import pandas as pd

from etl.messages import Msg
from etl.model import Manifest, SourceResult


def _loaded(results: list[SourceResult], kind: str) -> list[SourceResult]:
    return [r for r in results if r.spec.kind == kind and not r.failed]


def check_partner_organisations(results: list[SourceResult]) -> None:
    """Answers BY an unlisted organisation are rejected; answers ABOUT one are ignored and named.

    The organisations list also wins over the sector an organisation gave about itself (brief §3.3).
    """
    frames = [r.frames.get("stg_organisations") for r in _loaded(results, "organisations")]
    frames = [f for f in frames if f is not None and not f.empty]
    orgs = (
        pd.concat(frames, ignore_index=True)[["town_ags", "org_id", "sector"]].drop_duplicates(["town_ags", "org_id"])
        if frames
        else pd.DataFrame(columns=["town_ags", "org_id", "sector"])
    )
    listed = pd.MultiIndex.from_frame(orgs[["town_ags", "org_id"]].astype(str))
    for result in _loaded(results, "partner_survey"):
        responses = result.frames.get("stg_partner_responses")
        if responses is None:
            continue
        keys = pd.MultiIndex.from_frame(responses[["town_ags", "org_id"]].astype(str))
        # an incomplete response that stopped before ORG names no organisation: nothing to check
        unknown = pd.Series(~keys.isin(listed), index=responses.index) & (responses["org_id"].astype(str) != "")
        reason = pd.Series(
            [Msg("org_not_listed", org=str(o)) for o in responses["org_id"]], index=responses.index, dtype=object
        )
        rejected_rows = responses.loc[unknown, ["source_file", "source_row"]]
        result.reject_rows("stg_partner_responses", unknown, "ORG", reason)

        responses = result.frames["stg_partner_responses"]
        sector = responses.merge(orgs, on=["town_ags", "org_id"], how="left", suffixes=("", "_list"))["sector_list"]
        result.frames["stg_partner_responses"] = responses.assign(sector=sector.fillna(responses["sector"]).to_numpy())

        ratings = result.frames.get("partner_ratings")
        if ratings is None or ratings.empty:
            continue
        by_rejected = pd.MultiIndex.from_frame(ratings[["source_file", "source_row"]]).isin(
            pd.MultiIndex.from_frame(rejected_rows)
        )
        ratings = ratings.loc[~by_rejected]
        about = pd.MultiIndex.from_frame(ratings[["town_ags", "about_org_id"]].astype(str))
        about_unknown = ~about.isin(listed)
        if about_unknown.any():
            for report in result.files:
                names = sorted(
                    ratings.loc[about_unknown & (ratings["source_file"] == report.file), "about_org_id"].unique()
                )
                if names:
                    report.add_part(Msg("unlisted_orgs_ignored", names=", ".join(map(str, names))))
        result.frames["partner_ratings"] = ratings.loc[~about_unknown]


def run_crosschecks(results: list[SourceResult], manifest: Manifest) -> None:
    check_partner_organisations(results)
