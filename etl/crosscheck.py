"""Checks that need more than one source: they run after every source has been read.

Each moves rows to the rejects through :meth:`SourceResult.reject_rows`, so rows read = accepted + rejected
+ skipped still holds per file, and says in the file's message what it ignored (brief §4, §5.4). Population
rows of regions outside the manifest need no check here: the population reader is given the manifest's
towns and skips them while reading, counted per file (§3.1).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from etl.messages import Msg
from etl.model import Manifest, SourceResult
from etl.readers.fields import quotable


def _loaded(results: list[SourceResult], kind: str) -> list[SourceResult]:
    return [r for r in results if r.spec.kind == kind and not r.failed]


def _keys(frame: pd.DataFrame, first: str, second: str) -> list[tuple[object, object]]:
    """The rows' (first, second) values as text tuples, a missing value as None (equal to another missing one,
    as in a pandas index). Plain tuples: a set lookup per row costs far less than pandas' per-call overhead,
    paid here once per source of a network (issue 13)."""
    return list(zip(_texts(frame[first]), _texts(frame[second]), strict=True))


def _texts(column: pd.Series) -> list[object]:
    if not isinstance(column.dtype, pd.StringDtype):  # a text column is text already: no copy of it as text
        column = column.astype(str)
    return column.to_numpy(dtype=object, na_value=None).tolist()


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
    listed = set(_keys(orgs, "town_ags", "org_id"))
    # the list's sector by the organisation as stored (the key a merge on the two columns matches)
    list_sector = dict(
        zip(
            zip(orgs["town_ags"].tolist(), orgs["org_id"].tolist(), strict=True),
            orgs["sector"].tolist(),
            strict=True,
        )
    )
    for result in _loaded(results, "partner_survey"):
        responses = result.frames.get("stg_partner_responses")
        if responses is None:
            continue
        keys = _keys(responses, "town_ags", "org_id")
        # an incomplete response that stopped before ORG names no organisation: nothing to check
        unknown_rows = [k not in listed and k[1] != "" for k in keys]
        rejected_rows: set[tuple[object, object]] = set()
        if any(unknown_rows):  # most sources reject no response: the pandas work only for those that do
            unknown = pd.Series(unknown_rows, index=responses.index, dtype=bool)
            reason = pd.Series(
                [Msg("org_not_listed", org=str(o)) for o in responses["org_id"]], index=responses.index, dtype=object
            )
            rejected_rows = set(
                zip(
                    responses.loc[unknown, "source_file"].tolist(),
                    responses.loc[unknown, "source_row"].tolist(),
                    strict=True,
                )
            )
            result.reject_rows("stg_partner_responses", unknown, "ORG", reason)
            responses = result.frames["stg_partner_responses"]

        pairs = zip(responses["town_ags"].tolist(), responses["org_id"].tolist(), strict=True)
        found = [list_sector.get(k) for k in pairs]
        own = responses["sector"].tolist()
        if any(f is not None and f != o for f, o in zip(found, own, strict=True)):
            # an organisation the list lacks (an answer that stopped before naming itself) keeps its own
            # answer; row by row (a merge's result was indexed 0…n-1 and took, after a rejected row, another
            # row's sector). Where the list agrees with every answer the column stays as it is.
            sector = pd.Series(found, index=responses.index, dtype=orgs["sector"].dtype)
            result.frames["stg_partner_responses"] = responses.assign(
                sector=sector.fillna(responses["sector"]).to_numpy()
            )

        ratings = result.frames.get("partner_ratings")
        if ratings is None or ratings.empty:
            continue
        if rejected_rows:  # then some ratings may go with a rejected response
            by_rejected = np.fromiter(
                (
                    k in rejected_rows
                    for k in zip(ratings["source_file"].tolist(), ratings["source_row"].tolist(), strict=True)
                ),
                dtype=bool,
                count=len(ratings),
            )
            ratings = ratings.loc[~by_rejected]
        about_unknown = np.fromiter(
            (k not in listed for k in _keys(ratings, "town_ags", "about_org_id")), dtype=bool, count=len(ratings)
        )
        if about_unknown.any():
            for report in result.files:
                names = sorted(
                    ratings.loc[about_unknown & (ratings["source_file"] == report.file), "about_org_id"].unique()
                )
                if names:
                    report.add_part(Msg("unlisted_orgs_ignored", names=", ".join(map(str, names))))
            result.frames["partner_ratings"] = ratings.loc[~about_unknown]
        elif rejected_rows:
            result.frames["partner_ratings"] = ratings


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
            # the distinct (town, code) pairs in order of first use, in plain Python (one source of many); the
            # code's text and blanks taken off per distinct pair, not per row
            towns = frame[town_column].to_numpy(dtype=object, na_value=None).tolist()
            districts = frame["district"].to_numpy(dtype=object, na_value=None).tolist()
            given = dict.fromkeys(
                (town, code)
                for town, code in zip(towns, districts, strict=True)
                if code is not None and town is not None
            )
            pairs = dict.fromkeys((str(town), _code_text(code)) for town, code in given)
            for town, code in pairs:
                if code == "":
                    continue
                labels = used.setdefault(town, {}).setdefault(code, [])
                if result.spec.label not in labels:
                    labels.append(result.spec.label)
    return used


def _code_text(code: object) -> str:
    """A district code as the check compares it: its text (as ``astype(str)`` gives it), without blanks."""
    return (code if isinstance(code, str) else pd.Series([code]).astype(str).iloc[0]).strip()


def _codes_text(codes: list[str], names: dict[str, str] | None = None) -> Msg:
    """Codes for a message: quoted only where a code cannot be personal data (a survey's free-typed
    district could be an address), at most :data:`MAX_NAMED`, the rest counted."""
    shown = [c for c in sorted(codes) if quotable(c)]
    hidden = len(codes) - len(shown)
    parts = [f"{c} ({names[c]})" if names and names.get(c) else c for c in shown[:MAX_NAMED]]
    rest = len(shown) - len(parts) + hidden
    more = None
    if rest:
        more = Msg("codes_more", n=rest) if parts else Msg("codes_unquoted", n=rest)
    return Msg("codes_shown", codes=", ".join(parts), rest=more)


def _padding_hint(shape_codes: list[str], missing: list[str]) -> Msg | None:
    """A hint when shape codes are the used codes without their leading zeros (an integer GIS field)."""
    pairs = [(c, m) for c in shape_codes for m in missing if c.isdigit() and m.isdigit() and m.lstrip("0") == c]
    if not pairs:
        return None
    c, m = pairs[0]
    return Msg("districts_padding_hint", code=c, meant=m)


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
            [Msg("duplicate_in_file", row=f[1], file=f[0]) if f else None for f in first],
            index=frame.index,
            dtype=object,
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
                report.add_part(Msg("districts_unused_no_users"))
            elif unused:
                report.add_part(Msg("districts_unused", codes=_codes_text(unused, names)))
        missing = [c for c in in_use if c not in shaped]
        if missing and result.files:
            sources = sorted({label for c in missing for label in in_use[c]})
            hint = _padding_hint(sorted(shaped - set(in_use)), missing)
            result.files[0].add_part(
                Msg("districts_unshaped", codes=_codes_text(missing), sources=", ".join(sources), hint=hint)
            )


def run_crosschecks(results: list[SourceResult], manifest: Manifest) -> None:
    check_partner_organisations(results)
    check_district_shapes(results)
