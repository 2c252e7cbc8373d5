"""The partner network of each town and survey wave (brief §5.4): ties, node layout and collaboration values.

Nodes are all organisations of the town's ``organisations`` list, whether they answered or not, so that an
organisation nobody works with still lowers the density. An undirected tie i–j exists if i or j reports a
contact frequency (FREQ) of at least 2 (quarterly) about the other; the tie's ``freq`` is the highest frequency
either side reported. The graph metrics come from networkx; the sector shares and the rating and
response aggregates are pandas group-bys, so only the graph step loops, once per town and wave.

Answers that cannot count are left out here, not reported (the pipeline reports them): ratings about an
organisation not in the town's list, an organisation's ratings about itself, and ratings by an organisation
without an accepted complete response in that wave (its row was rejected as a whole, brief §4, or it
stopped before the end: an incomplete response enters neither the network nor any rating, §3.3).

Ratings of single organisations are never shown (issue 4): a trust or value mean whose ratings are all
about one organisation leaves here already suppressed; everything else is suppressed later by n like any
value (n = organisations behind the figure: the list for the structure metrics, the raters for the rating
means, the respondents for the response shares).

The two agreement shares (``equal_footing_agree``, ``paid_volunteer_cooperation_agree``) carry a 95 % Wilson
interval over the organisations that answered (unweighted: each organisation counts once, so n is also the
effective n); the means and structure metrics have none (they describe the whole list, not a sample).

The node layout (``x``, ``y`` for the network map) is one spring layout per town over the union of all its
waves' ties, with a fixed seed: an organisation keeps its place across waves, so the map shows change, not
a reshuffle.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import networkx as nx
import numpy as np
import pandas as pd

from etl import tables
from etl.indicators.stats import wilson_interval
from etl.indicators.values import VALUE_COLUMNS, empty_values
from etl.model import CleanData
from etl.tables import columns_of

TIE_MIN_FREQ = 2  # "quarterly" or more often (brief §5.4)
AGREE_MIN = 4  # EYE / HE answers 4 and 5 on the 1–5 scale count as agreement
LAYOUT_SEED = 20240601
MIN_RATED_ORGS = 2  # a rating mean about fewer organisations would show one organisation's rating
SECTOR_COUNT = 4  # civil_society, politics, administration, business: sector_balance divides by ln 4

NODE_COLUMNS = columns_of(tables.mart_network_nodes)
TIE_COLUMNS = columns_of(tables.mart_network_ties)
WAVE_KEYS = ["town_ags", "year"]


@dataclass
class NetworkFrames:
    """What :func:`network_frames` returns: collaboration values (``VALUE_COLUMNS``), nodes and ties."""

    values: pd.DataFrame
    nodes: pd.DataFrame  # mart_network_nodes
    ties: pd.DataFrame  # mart_network_ties


def empty_nodes() -> pd.DataFrame:
    return tables.empty_frame(tables.mart_network_nodes)


def empty_ties() -> pd.DataFrame:
    return tables.empty_frame(tables.mart_network_ties)


def network_frames(clean: CleanData) -> NetworkFrames:
    """Ties, nodes and the §5.4 values of every town and wave; empty frames where an input is missing."""
    orgs = _organisations(clean)
    responses = _responses(clean, orgs)
    ratings = _ratings(clean, orgs, responses)
    waves = _waves(responses, ratings, orgs)
    if waves.empty:
        return NetworkFrames(values=empty_values(), nodes=empty_nodes(), ties=empty_ties())
    ties = tie_frame(ratings, orgs)
    nodes, structure = _graph_step(waves, orgs, ties)
    values = pd.concat(
        [
            empty_values(),
            structure,
            _cross_sector_values(ties, waves, orgs),
            _sector_balance_values(nodes, waves, orgs),
            _rating_values(ratings),
            _response_values(responses, clean.manifest.project.min_cell),
        ],
        ignore_index=True,
    )
    values = _finish_values(values, _wave_sources(waves, responses, orgs))
    return NetworkFrames(values=values, nodes=nodes, ties=ties)


# --- inputs ------------------------------------------------------------------------------------------------


def _frame(clean: CleanData, name: str, columns: list[str]) -> pd.DataFrame | None:
    frame = clean.get(name)
    if frame is None or frame.empty or not set(columns) <= set(frame.columns):
        return None
    return frame


def _organisations(clean: CleanData) -> pd.DataFrame:
    """The organisation lists, one row per town and org_id (the first row wins, as with duplicates)."""
    cols = ["town_ags", "org_id", "name", "sector"]
    frame = _frame(clean, "stg_organisations", cols)
    if frame is None:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in [*cols, "source_file"]})
    out = frame.copy()
    if "source_file" not in out.columns:
        out["source_file"] = ""
    out = out[[*cols, "source_file"]].astype({"town_ags": str, "org_id": str, "sector": str})
    out["name"] = out["name"].fillna(out["org_id"]).astype(str)
    return out.drop_duplicates(["town_ags", "org_id"]).reset_index(drop=True)


def _responses(clean: CleanData, orgs: pd.DataFrame) -> pd.DataFrame:
    """Complete accepted responses of organisations in the town's list, with the list's sector."""
    cols = ["town_ags", "year", "org_id"]
    frame = _frame(clean, "stg_partner_responses", cols)
    if frame is None:
        return pd.DataFrame(
            {
                "town_ags": pd.Series(dtype="object"),
                "year": pd.Series(dtype="int64"),
                "org_id": pd.Series(dtype="object"),
                "sector": pd.Series(dtype="object"),
                "eye": pd.Series(dtype="float64"),
                "he": pd.Series(dtype="float64"),
                "source_file": pd.Series(dtype="object"),
            }
        )
    out = frame.copy()
    if "complete" in out.columns:  # an incomplete response counts in no figure (brief §3.3)
        out = out[out["complete"].astype(bool)]
    for col in ("eye", "he"):
        out[col] = pd.to_numeric(out[col], errors="coerce") if col in out.columns else np.nan
    if "source_file" not in out.columns:
        out["source_file"] = ""
    out = out[["town_ags", "year", "org_id", "eye", "he", "source_file"]].astype(
        {"town_ags": str, "org_id": str, "year": "int64"}
    )
    return out.merge(orgs[["town_ags", "org_id", "sector"]], on=["town_ags", "org_id"], how="inner")


def _ratings(clean: CleanData, orgs: pd.DataFrame, responses: pd.DataFrame) -> pd.DataFrame:
    """Ratings that count: by a responding organisation of the wave, about another one of the list."""
    cols = ["town_ags", "year", "org_id", "about_org_id"]
    frame = _frame(clean, "partner_ratings", cols)
    out_cols = [*cols, "freq", "trust", "value", "about_sector"]
    if frame is None:
        dtypes = {"year": "int64", "freq": "float64", "trust": "float64", "value": "float64"}
        return pd.DataFrame({c: pd.Series(dtype=dtypes.get(c, "object")) for c in out_cols})
    out = frame.copy()
    for col in ("freq", "trust", "value"):
        out[col] = pd.to_numeric(out[col], errors="coerce") if col in out.columns else np.nan
    out = out[[*cols, "freq", "trust", "value"]].astype(
        {"town_ags": str, "org_id": str, "about_org_id": str, "year": "int64"}
    )
    out = out[out["org_id"] != out["about_org_id"]]
    raters = responses[WAVE_KEYS + ["org_id"]].drop_duplicates()
    out = out.merge(raters, on=[*WAVE_KEYS, "org_id"], how="inner")
    about = orgs[["town_ags", "org_id", "sector"]].rename(columns={"org_id": "about_org_id", "sector": "about_sector"})
    return out.merge(about, on=["town_ags", "about_org_id"], how="inner")[out_cols]


def _waves(responses: pd.DataFrame, ratings: pd.DataFrame, orgs: pd.DataFrame) -> pd.DataFrame:
    """Every (town, year) with a response, limited to towns that have an organisations list."""
    waves = pd.concat([responses[WAVE_KEYS], ratings[WAVE_KEYS]], ignore_index=True).drop_duplicates()
    waves = waves[waves["town_ags"].isin(orgs["town_ags"])]
    return waves.sort_values(WAVE_KEYS).reset_index(drop=True)


# --- ties and graph ---------------------------------------------------------------------------------------


def tie_frame(ratings: pd.DataFrame, orgs: pd.DataFrame) -> pd.DataFrame:
    """One row per undirected tie and wave (``org_a`` < ``org_b``), freq = highest frequency reported."""
    reported = ratings[ratings["freq"] >= TIE_MIN_FREQ]
    if reported.empty:
        return empty_ties()
    swap = reported["org_id"] > reported["about_org_id"]
    pairs = pd.DataFrame(
        {
            "town_ags": reported["town_ags"],
            "year": reported["year"],
            "org_a": reported["org_id"].where(~swap, reported["about_org_id"]),
            "org_b": reported["about_org_id"].where(~swap, reported["org_id"]),
            "freq": reported["freq"],
        }
    )
    ties = pairs.groupby(["town_ags", "year", "org_a", "org_b"], as_index=False)["freq"].max()
    sectors = orgs[["town_ags", "org_id", "sector"]]
    for side in ("a", "b"):
        ties = ties.merge(
            sectors.rename(columns={"org_id": f"org_{side}", "sector": f"sector_{side}"}),
            on=["town_ags", f"org_{side}"],
            how="left",
        )
    ties["freq"] = ties["freq"].astype("int64")
    return ties[TIE_COLUMNS].sort_values(TIE_COLUMNS[:4]).reset_index(drop=True)


def freeman_degree_centralization(degrees: np.ndarray) -> float:
    """Freeman's degree centralization Σ(d_max − d_i) / ((n−1)(n−2)); NaN below three nodes."""
    n = len(degrees)
    if n < 3:
        return math.nan
    return float((degrees.max() - degrees).sum() / ((n - 1) * (n - 2)))


def _graph_step(waves: pd.DataFrame, orgs: pd.DataFrame, ties: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per wave: the networkx graph, its density, degrees and centralization; nodes with their layout.

    The loop runs once per town and wave (networkx needs a graph object); the inputs are turned into plain
    Python lists first, because iterating pandas' Arrow-backed strings one by one is slow.
    """
    sorted_orgs = orgs.sort_values(["town_ags", "org_id"])
    org_ids = {town: ids.tolist() for town, ids in sorted_orgs.groupby("town_ags", sort=False)["org_id"]}
    edges = _edge_lists(ties, WAVE_KEYS)
    layout = _layout(waves, org_ids, ties)
    degree_parts: list[np.ndarray] = []
    rows: list[dict] = []
    for town, year in waves.itertuples(index=False, name=None):
        nodes_of_town = org_ids[town]
        graph = nx.Graph()
        graph.add_nodes_from(nodes_of_town)
        graph.add_edges_from(edges.get((town, year), []))
        n = graph.number_of_nodes()
        degrees = np.fromiter((d for _, d in graph.degree(nodes_of_town)), dtype="int64", count=n)
        degree_parts.append(degrees)
        if n >= 2:
            rows.append(
                {"town_ags": town, "year": year, "indicator": "network_density", "value": nx.density(graph), "n": n}
            )
        if n >= 3:
            centralization = freeman_degree_centralization(degrees)
            rows.append(
                {"town_ags": town, "year": year, "indicator": "degree_centralization", "value": centralization, "n": n}
            )
    # waves are sorted by (town, year) and each wave's degrees follow the town's sorted org ids
    nodes = waves.merge(sorted_orgs[["town_ags", "org_id", "name", "sector"]], on="town_ags", how="inner")
    nodes = nodes.sort_values(["town_ags", "year", "org_id"], kind="stable").reset_index(drop=True)
    nodes["degree"] = np.concatenate(degree_parts)
    nodes = nodes.merge(layout, on=["town_ags", "org_id"], how="left")
    nodes = nodes[NODE_COLUMNS].astype({"year": "int64", "degree": "int64"})
    structure = pd.DataFrame(rows, columns=["town_ags", "year", "indicator", "value", "n"])
    return nodes, structure


def _edge_lists(ties: pd.DataFrame, keys: list[str] | str) -> dict:
    """Ties grouped by ``keys`` as lists of (org_a, org_b) tuples of plain Python strings."""
    if ties.empty:
        return {}
    a = ties["org_a"].to_numpy(dtype=object)
    b = ties["org_b"].to_numpy(dtype=object)
    return {key: list(zip(a[idx], b[idx], strict=True)) for key, idx in ties.groupby(keys, sort=False).indices.items()}


def _layout(waves: pd.DataFrame, org_ids: dict[str, list[str]], ties: pd.DataFrame) -> pd.DataFrame:
    """One spring layout per town over the union of its waves' ties (fixed seed, sorted node order)."""
    union = ties.drop_duplicates(["town_ags", "org_a", "org_b"])
    edges = _edge_lists(union, "town_ags")
    parts: list[pd.DataFrame] = []
    for town in waves["town_ags"].unique():
        ids = org_ids[town]
        graph = nx.Graph()
        graph.add_nodes_from(ids)
        graph.add_edges_from(edges.get(town, []))
        pos = nx.spring_layout(graph, seed=LAYOUT_SEED)
        xy = np.array([pos[o] for o in ids], dtype="float64").reshape(-1, 2)
        parts.append(pd.DataFrame({"town_ags": town, "org_id": ids, "x": xy[:, 0], "y": xy[:, 1]}))
    return pd.concat(parts, ignore_index=True)


def _org_counts(waves: pd.DataFrame, orgs: pd.DataFrame) -> pd.DataFrame:
    counts = orgs.groupby("town_ags").size().rename("n").reset_index()
    return waves.merge(counts, on="town_ags", how="left")


def _cross_sector_values(ties: pd.DataFrame, waves: pd.DataFrame, orgs: pd.DataFrame) -> pd.DataFrame:
    """Share of ties between organisations of different sectors; no row for a wave without ties."""
    if ties.empty:
        return empty_values()
    share = (
        ties.assign(cross=(ties["sector_a"] != ties["sector_b"]).astype("float64"))
        .groupby(WAVE_KEYS, as_index=False)["cross"]
        .mean()
        .rename(columns={"cross": "value"})
    )
    out = share.merge(_org_counts(waves, orgs), on=WAVE_KEYS, how="inner")
    return out.assign(indicator="cross_sector_tie_share")


def _sector_balance_values(nodes: pd.DataFrame, waves: pd.DataFrame, orgs: pd.DataFrame) -> pd.DataFrame:
    """Shannon entropy of the sector shares of tied organisations / ln 4; no row when nobody has a tie."""
    tied = nodes[nodes["degree"] >= 1]
    if tied.empty:
        return empty_values()
    counts = tied.groupby([*WAVE_KEYS, "sector"]).size().rename("k").reset_index()
    counts["p"] = counts["k"] / counts.groupby(WAVE_KEYS)["k"].transform("sum")
    counts["h"] = -counts["p"] * np.log(counts["p"])
    entropy = counts.groupby(WAVE_KEYS, as_index=False)["h"].sum()
    entropy["value"] = entropy["h"] / math.log(SECTOR_COUNT)
    out = entropy[[*WAVE_KEYS, "value"]].merge(_org_counts(waves, orgs), on=WAVE_KEYS, how="inner")
    return out.assign(indicator="sector_balance")


# --- ratings and responses ----------------------------------------------------------------------------------


def _mean_by(frame: pd.DataFrame, column: str, indicator: str, n_of: str, sector: str) -> pd.DataFrame:
    """Mean of ``column`` per wave and per wave × sector; n = distinct ``n_of`` (organisations) in the cell."""
    valid = frame[frame[column].notna()]
    if valid.empty:
        return empty_values()
    agg = {"value": (column, "mean"), "n": (n_of, "nunique")}
    total = valid.groupby(WAVE_KEYS, as_index=False).agg(**agg).assign(breakdown="", group="")
    by_sector = (
        valid.groupby([*WAVE_KEYS, sector], as_index=False)
        .agg(**agg)
        .rename(columns={sector: "group"})
        .assign(breakdown="sector")
    )
    return pd.concat([total, by_sector], ignore_index=True).assign(indicator=indicator)


def _rating_values(ratings: pd.DataFrame) -> pd.DataFrame:
    """trust_mean and value_mean: all ratings given, total and by the rated organisation's sector.

    A cell whose ratings are all about one single organisation would show that organisation's rating,
    which is never shown (issue 4): such a row arrives already suppressed, whatever its n.
    """
    parts = []
    for column, indicator in (("trust", "trust_mean"), ("value", "value_mean")):
        means = _mean_by(ratings, column, indicator, "org_id", "about_sector")
        if means.empty:
            continue
        valid = ratings[ratings[column].notna()]
        rated_total = valid.groupby(WAVE_KEYS, as_index=False)["about_org_id"].nunique().assign(breakdown="", group="")
        rated_sector = (
            valid.groupby([*WAVE_KEYS, "about_sector"], as_index=False)["about_org_id"]
            .nunique()
            .rename(columns={"about_sector": "group"})
            .assign(breakdown="sector")
        )
        rated = pd.concat([rated_total, rated_sector], ignore_index=True).rename(columns={"about_org_id": "rated"})
        means = means.merge(rated, on=[*WAVE_KEYS, "breakdown", "group"], how="left")
        single = means["rated"] < MIN_RATED_ORGS
        means["suppressed"] = single
        means.loc[single, ["value", "n"]] = np.nan
        parts.append(means.drop(columns="rated"))
    return pd.concat(parts, ignore_index=True) if parts else empty_values()


def _response_values(responses: pd.DataFrame, min_cell: int) -> pd.DataFrame:
    """equal_footing_agree (total, by sector), equal_footing_gap and paid_volunteer_cooperation_agree."""
    frame = responses.assign(
        eye_agree=(responses["eye"] >= AGREE_MIN).astype("float64").where(responses["eye"].notna()),
        he_agree=(responses["he"] >= AGREE_MIN).astype("float64").where(responses["he"].notna()),
        respondent=responses.index,
    )
    parts = [
        _mean_by(frame, "eye_agree", "equal_footing_agree", "respondent", "sector"),
        _equal_footing_gap(frame, min_cell),
    ]
    he = _mean_by(frame, "he_agree", "paid_volunteer_cooperation_agree", "respondent", "sector")
    parts.append(he[he["breakdown"] == ""] if not he.empty else he)
    return _with_wilson(pd.concat(parts, ignore_index=True), AGREE_SHARES)


AGREE_SHARES = ("equal_footing_agree", "paid_volunteer_cooperation_agree")


def _with_wilson(values: pd.DataFrame, indicators: tuple[str, ...]) -> pd.DataFrame:
    """The Wilson interval of the shares ``indicators`` on their n organisations (other rows: none)."""
    shares = values["indicator"].isin(indicators) & values["value"].notna()
    low, high = wilson_interval(values["value"].where(shares, 0.0), values["n"].where(shares, 0).astype("float64"))
    return values.assign(ci_low=np.where(shares, low, np.nan), ci_high=np.where(shares, high, np.nan))


def _equal_footing_gap(responses: pd.DataFrame, min_cell: int) -> pd.DataFrame:
    """Highest minus lowest sector mean EYE over sectors with ≥ min_cell respondents (≥ 2 such sectors).

    n is the number of respondents in the qualifying sectors.
    """
    valid = responses[responses["eye"].notna()]
    if valid.empty:
        return empty_values()
    sectors = valid.groupby([*WAVE_KEYS, "sector"], as_index=False).agg(mean=("eye", "mean"), k=("eye", "size"))
    sectors = sectors[sectors["k"] >= min_cell]
    gap = sectors.groupby(WAVE_KEYS, as_index=False).agg(
        hi=("mean", "max"), lo=("mean", "min"), sectors=("mean", "size"), n=("k", "sum")
    )
    gap = gap[gap["sectors"] >= 2]
    return gap.assign(value=gap["hi"] - gap["lo"], indicator="equal_footing_gap", breakdown="", group="")[
        [*WAVE_KEYS, "indicator", "breakdown", "group", "value", "n"]
    ]


# --- finishing ----------------------------------------------------------------------------------------------


def _wave_sources(waves: pd.DataFrame, responses: pd.DataFrame, orgs: pd.DataFrame) -> pd.DataFrame:
    """Per wave the comma-separated files behind its values: the survey files and the town's list."""
    files = pd.concat(
        [
            responses[[*WAVE_KEYS, "source_file"]],
            waves.merge(orgs[["town_ags", "source_file"]], on="town_ags", how="inner"),
        ],
        ignore_index=True,
    )
    files = files[files["source_file"].notna() & (files["source_file"].astype(str) != "")]
    files = files.astype({"source_file": str}).drop_duplicates().sort_values([*WAVE_KEYS, "source_file"])
    joined = files.groupby(WAVE_KEYS, as_index=False)["source_file"].agg(",".join)
    return waves.merge(joined.rename(columns={"source_file": "source_files"}), on=WAVE_KEYS, how="left").fillna(
        {"source_files": ""}
    )


def _finish_values(values: pd.DataFrame, sources: pd.DataFrame) -> pd.DataFrame:
    """Bring the parts into VALUE_COLUMNS: intervals only on the agreement shares, not weighted, with provenance.

    Only cells about a single rated organisation arrive suppressed; ``suppress()`` does the rest.
    """
    out = values.drop(columns=["source_files"]).merge(sources, on=WAVE_KEYS, how="left")
    out["breakdown"] = out["breakdown"].fillna("")
    out["group"] = out["group"].fillna("")
    for bound in ("ci_low", "ci_high"):  # only the agreement shares bring an interval
        out[bound] = out[bound].astype("float64") if bound in out.columns else np.nan
    out["suppressed"] = out["suppressed"].astype("boolean").fillna(False).astype(bool)
    out["suppression"] = ""  # suppress() sets the kind, also of the single-organisation cells
    out["weighted"] = None
    out["unweighted_reason"] = None
    out["n"] = out["n"].astype("Int64")
    out["year"] = out["year"].astype("int64")
    out["value"] = out["value"].astype("float64")
    out = out[VALUE_COLUMNS].astype(
        {
            "town_ags": object,
            "indicator": object,
            "breakdown": object,
            "group": object,
            "suppression": object,
            "source_files": object,
        }
    )
    return out.sort_values(["town_ags", "indicator", "year", "breakdown", "group"]).reset_index(drop=True)
