"""Checks that need more than one source: they run after every source has been read.

Each moves rows to the rejects through :meth:`SourceResult.reject_rows`, so rows read = accepted + rejected
+ skipped still holds per file, and says in the file's message what it ignored (brief §4, §5.4). Population
rows of regions outside the manifest need no check here: the population reader is given the manifest's
towns and skips them while reading, counted per file (§3.1).
"""

from __future__ import annotations

import pandas as pd

from etl.model import Manifest, SourceResult
from etl.readers.fields import quotable


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
        reason = "Organisation '" + responses["org_id"].astype(str) + "' steht nicht in der Organisationsliste"
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
                    listed_names = ", ".join(map(str, names))
                    report.message += f"; Angaben über nicht gelistete Organisationen ignoriert: {listed_names}"
        result.frames["partner_ratings"] = ratings.loc[~about_unknown]


# Where other sources keep district codes: kind -> (clean table, town column)
DISTRICT_USERS = {
    "population": ("population", "ags"),
    "resident_survey": ("stg_survey_responses", "town_ags"),
    "registrations": ("stg_registrations", "town_ags"),
}
MAX_NAMED = 20  # codes named in one message; the rest are counted


def _used_district_codes(results: list[SourceResult]) -> dict[str, dict[str, list[str]]]:
    """town → district code → labels of the sources that use it (surveys, registrations, population)."""
    used: dict[str, dict[str, list[str]]] = {}
    for kind, (table, town_column) in DISTRICT_USERS.items():
        for result in _loaded(results, kind):
            frame = result.frames.get(table)
            if frame is None or frame.empty or "district" not in frame.columns:
                continue
            codes = frame[[town_column, "district"]].dropna()
            codes = codes.assign(district=codes["district"].astype(str).str.strip())
            codes = codes.loc[codes["district"] != ""].drop_duplicates()
            for town, code in zip(codes[town_column].astype(str), codes["district"], strict=True):
                labels = used.setdefault(town, {}).setdefault(code, [])
                if result.spec.label not in labels:
                    labels.append(result.spec.label)
    return used


def _codes_text(codes: list[str], names: dict[str, str] | None = None) -> str:
    """Codes for a message: quoted only where a code cannot be personal data (a survey's free-typed
    district could be an address), at most :data:`MAX_NAMED`, the rest counted."""
    shown = [c for c in sorted(codes) if quotable(c)]
    hidden = len(codes) - len(shown)
    parts = [f"{c} ({names[c]})" if names and names.get(c) else c for c in shown[:MAX_NAMED]]
    rest = len(shown) - len(parts) + hidden
    if rest:
        parts.append(f"{rest} weitere" if parts else f"{rest} Angabe(n), die nicht zitiert werden")
    return ", ".join(parts)


def _padding_hint(shape_codes: list[str], missing: list[str]) -> str:
    """A hint when shape codes are the used codes without their leading zeros (an integer GIS field)."""
    pairs = [(c, m) for c in shape_codes for m in missing if c.isdigit() and m.isdigit() and m.lstrip("0") == c]
    if not pairs:
        return ""
    c, m = pairs[0]
    return (
        f" – die Codes der Umrisse haben keine führenden Nullen (z. B. {c} statt {m}): im GIS das Feld als Text "
        "speichern"
    )


def check_district_shapes(results: list[SourceResult]) -> None:
    """District shapes against the codes the other sources use (named in the districts file's message).

    A code that is shaped twice for one town (two districts sources) is a rejected duplicate; shapes
    whose code no other source uses, and codes used without a shape, are named: such a district stays
    empty on the map, and such a code is left out of it.
    """
    used = _used_district_codes(results)
    seen: dict[tuple[str, str], tuple[str, int]] = {}
    for result in _loaded(results, "districts"):
        frame = result.frames.get("stg_districts")
        if frame is None or frame.empty:
            continue
        keys = list(zip(frame["town_ags"].astype(str), frame["code"].astype(str), strict=True))
        first = [seen.get(k) for k in keys]
        twice = pd.Series([f is not None for f in first], index=frame.index)
        reason = pd.Series(
            [f"Duplikat von Zeile {f[1]} in {f[0]}" if f else "" for f in first], index=frame.index, dtype=object
        )
        for key, file, row, again in zip(keys, frame["source_file"], frame["source_row"], twice, strict=True):
            if not again:
                seen[key] = (str(file), int(row))
        result.reject_rows("stg_districts", twice, str(result.spec.options.get("code_property", "code")), reason)
    for result in _loaded(results, "districts"):
        frame = result.frames.get("stg_districts")
        if frame is None or frame.empty:
            continue
        town = str(result.spec.town)
        in_use = used.get(town, {})
        shaped = set(frame["code"].astype(str))
        names = dict(zip(frame["code"].astype(str), frame["name"].fillna("").astype(str), strict=True))
        for report in result.files:
            mine = frame.loc[frame["source_file"] == report.file, "code"].astype(str).tolist()
            unused = [c for c in mine if c not in in_use]
            if unused and not in_use:
                report.message += (
                    "; keine andere Quelle dieser Stadt nennt Stadtteile (Bevölkerung, Befragung oder "
                    "Registrierungen mit Stadtteil): die Karte bleibt ohne Werte"
                )
            elif unused:
                report.message += f"; Stadtteile ohne Angaben in den anderen Quellen: {_codes_text(unused, names)}"
        missing = [c for c in in_use if c not in shaped]
        if missing and result.files:
            sources = sorted({label for c in missing for label in in_use[c]})
            result.files[0].message += (
                f"; Stadtteilcodes ohne Umriss (fehlen auf der Karte): {_codes_text(missing)} – genannt in "
                f"{', '.join(sources)}{_padding_hint(sorted(shaped - set(in_use)), missing)}"
            )


def run_crosschecks(results: list[SourceResult], manifest: Manifest) -> None:
    check_partner_organisations(results)
    check_district_shapes(results)
