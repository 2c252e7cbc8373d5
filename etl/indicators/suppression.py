"""Small-cell suppression (brief §6), applied once to all values before anything is stored.

Primary: every value over persons or organisations with unweighted n < ``min_cell`` (or without n: nothing
shows that it is safe) loses its value, n and interval. Secondary: no shown number may let a suppressed one
be computed. The rules below each only hide more, so they are applied in turn until nothing changes:

1. A hidden town total hides every group of its breakdowns: the shown groups would add up to it (and to its n).
2. In every breakdown of a shown town total where exactly one group is hidden, the group with the next
   smallest n is hidden too (equal n: the group whose code sorts first). Total − Σ shown (counts, n) and
   total·n − Σ group·n (rates; with raking weights Σw per age band and gender is known from the population)
   then give the sum of at least two hidden groups, never one. For shares the sum is a pooled share, and a
   pooled 0 % or 100 % says every hidden group is 0 % or 100 %: where all hidden groups are 0 % (100 %), the
   smallest shown group with another share is hidden too; where there is none and the total itself is
   0 % (100 %), which says so of every group, the total is hidden.
3. A value computed from a count is hidden wherever the count is: ``representation_index`` and
   ``registered_per_1000`` follow ``registered_volunteers`` of the same breakdown and group.
4. Any shown group of the representation index publishes K, the volunteers aged 14+ whose value of the
   breakdown is known (K = n / (index · population share)). Where K would single out a hidden group — one
   unknown left in K − Σ shown, or (age bands) total − K = the hidden under-14s when every volunteer has a
   birth year — the whole index of that breakdown is hidden.
5. Registered volunteers of Y = those kept from Y−1 (``retention_rate`` × its n) + ``new_volunteers`` of Y
   (+ the few back after a gap): where exactly one of the two is hidden and the count is shown, the other is
   hidden too.
6. ``equal_footing_gap`` is computed over the sectors with ≥ min_cell respondents and its n is their sum;
   where one of those sectors' ``equal_footing_agree`` is hidden, the gap's n would reveal it (and the total's
   n minus the gap's n the small sectors): the gap is hidden.

Every row keeps the kind of its suppression in ``suppression``: '' shown, ``primary`` (too few behind it, or
no n; also cells that arrive suppressed, like a rating mean about one organisation), ``secondary`` (hidden
by rules 1–6, so that a small group cannot be computed). Works on any value frame, whatever family it comes
from; which indicators are exempt (events and measures, not persons) is read from the catalogue.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from etl.indicators.catalogue import BY_ID, CATALOGUE

SHOWN, PRIMARY, SECONDARY = "", "primary", "secondary"
KINDS = (SHOWN, PRIMARY, SECONDARY)

CELL = ["town_ags", "indicator", "year"]
WAVE = ["town_ags", "year"]
GROUP = ["town_ags", "year", "breakdown", "group"]

REGISTERED = "registered_volunteers"
REPRESENTATION = "representation_index"
# Indicator → the count it is computed from; hidden wherever that count (same town, year, group) is.
DERIVED_FROM = {REPRESENTATION: REGISTERED, "registered_per_1000": REGISTERED}
CHILDREN = "0-13"  # the one age band of registered_volunteers outside the population aged 14+ (brief §5.3)
# registered_volunteers(Y) = kept from Y−1 (retention_rate) + new_volunteers(Y) + back after a gap
IDENTITY_PARTS = ("retention_rate", "new_volunteers")
GAP, GAP_BASE, GAP_BREAKDOWN = "equal_footing_gap", "equal_footing_agree", "sector"
EXTREME_TOLERANCE = 1e-9  # a share this close to 0 or 1 is 0 % or 100 %


def exempt_indicators() -> set[str]:
    """Indicators that count events or measures, not persons: never suppressed (catalogue ``suppress``)."""
    return {i.id for i in CATALOGUE if not i.suppress}


def _rows(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.reset_index(names="row")


def _lookup(left: pd.DataFrame, right: pd.DataFrame, on: list[str]) -> np.ndarray:
    """For each row of ``left`` the ``row`` of the matching ``right`` row (unique on ``on``), −1 without one."""
    if left.empty:
        return np.zeros(0, dtype="int64")
    merged = left[on].merge(right[[*on, "row"]].drop_duplicates(on), on=on, how="left")
    return merged["row"].fillna(-1).astype("int64").to_numpy()


def _at(hidden: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """``hidden`` at ``rows``; False where a row index is −1 (no such row)."""
    return np.where(rows >= 0, hidden[np.maximum(rows, 0)], False)


class _Structure:
    """Which rows constrain which: built once per frame, then every rule is a few array operations."""

    def __init__(self, frame: pd.DataFrame, n: np.ndarray, applies: np.ndarray, min_cell: int) -> None:
        self.applies = applies
        value = pd.to_numeric(frame["value"], errors="coerce").to_numpy(dtype="float64")
        rows = _rows(frame[[*CELL, "breakdown", "group"]]).assign(n=n, applies=applies, value=value)
        totals = rows[(rows["breakdown"] == "") & rows["applies"]]
        groups = rows[(rows["breakdown"] != "") & rows["applies"]].copy()
        # rules 1 and 2: groups of a breakdown and their town total
        groups["total"] = _lookup(groups, totals, CELL)
        groups = groups[groups["total"] >= 0]
        groups["key"] = groups.groupby([*CELL, "breakdown"], sort=False).ngroup()
        ordered = groups.assign(group_text=groups["group"].astype(str)).sort_values(
            ["key", "n", "group_text"], kind="mergesort", na_position="last"
        )
        self.group_rows = ordered["row"].to_numpy()
        self.group_key = ordered["key"].to_numpy()
        self.group_total = ordered["total"].to_numpy()
        self.key_total = ordered.drop_duplicates("key").set_index("key")["total"].sort_index().to_numpy()
        shares = {i for i in ordered["indicator"].unique() if i in BY_ID and BY_ID[i].unit == "share"}
        share = ordered["indicator"].isin(shares).to_numpy()
        self.group_one = share & (ordered["value"].to_numpy() >= 1 - EXTREME_TOLERANCE)
        self.group_zero = share & (ordered["value"].to_numpy() <= EXTREME_TOLERANCE)
        self.key_share = np.bincount(self.group_key, weights=share, minlength=len(self.key_total)) > 0
        total_value = value[self.key_total] if len(self.key_total) else np.zeros(0)
        self.total_one = total_value >= 1 - EXTREME_TOLERANCE
        self.total_zero = total_value <= EXTREME_TOLERANCE
        # rule 3: derived values and their base count
        pairs = []
        for derived, base in DERIVED_FROM.items():
            d = rows[rows["indicator"] == derived]
            pairs.append(np.column_stack([d["row"].to_numpy(), _lookup(d, rows[rows["indicator"] == base], GROUP)]))
        follow = np.concatenate(pairs) if pairs else np.zeros((0, 2), dtype="int64")
        self.follow = follow[follow[:, 1] >= 0]
        self._representation(rows)
        # rule 5: the count and its two parts per town and year
        count = rows[(rows["indicator"] == REGISTERED) & (rows["breakdown"] == "")]
        parts = [rows[(rows["indicator"] == p) & (rows["breakdown"] == "")] for p in IDENTITY_PARTS]
        self.identity = np.column_stack(
            [count["row"].to_numpy(), *(_lookup(count, p, WAVE) for p in parts)]
        ).reshape(-1, 3)
        self.identity = self.identity[(self.identity[:, 1:] >= 0).all(axis=1)]
        # rule 6: the gap and the sectors it is computed over
        gap = rows[rows["indicator"] == GAP]
        base = rows[(rows["indicator"] == GAP_BASE) & (rows["breakdown"] == GAP_BREAKDOWN) & (rows["n"] >= min_cell)]
        linked = gap[[*WAVE, "row"]].merge(base[[*WAVE, "row"]], on=WAVE, suffixes=("_gap", "_sector"))
        self.gap = linked[["row_gap", "row_sector"]].to_numpy(dtype="int64").reshape(-1, 2)

    def _representation(self, rows: pd.DataFrame) -> None:
        """Rule 4's structure: per town, year and breakdown the index's and the count's groups side by side."""
        rep = rows[(rows["indicator"] == REPRESENTATION) & (rows["breakdown"] != "")]
        breakdowns = rep["breakdown"].unique()
        reg = rows[(rows["indicator"] == REGISTERED) & rows["breakdown"].isin(breakdowns)]
        side = rep[[*GROUP, "row", "n"]].merge(
            reg[[*GROUP, "row", "n"]], on=GROUP, how="outer", suffixes=("_rep", "_reg")
        )
        side = side[side.groupby(["town_ags", "year", "breakdown"])["row_rep"].transform("count") > 0]
        side["key"] = side.groupby(["town_ags", "year", "breakdown"], sort=False).ngroup()
        self.rep_key = side["key"].to_numpy()
        self.rep_row = side["row_rep"].fillna(-1).astype("int64").to_numpy()
        self.reg_row = side["row_reg"].fillna(-1).astype("int64").to_numpy()
        n_rep = side["n_rep"].to_numpy(dtype="float64")
        n_reg = side["n_reg"].to_numpy(dtype="float64")
        # an index of 0 with no one of that group in the count is known to be 0; beside a count of 4 it may be
        # known (an attacker who guesses "no adults") or not: rule 4 checks K − Σ shown both ways
        self.rep_known_zero = (n_rep == 0) & ~(n_reg > 0)
        self.rep_maybe_zero = (n_rep == 0) & (n_reg > 0)
        self.child = ((side["breakdown"] == "age_band") & (side["group"] == CHILDREN)).to_numpy()
        self.linked = n_rep == n_reg  # the index's n is the count itself (no children in the group)
        keys = side.drop_duplicates("key").sort_values("key")
        counts = rows[(rows["indicator"] == REGISTERED) & (rows["breakdown"] == "")]
        self.rep_total = _lookup(keys, counts, WAVE)
        total_n = np.where(self.rep_total >= 0, rows["n"].to_numpy(dtype="float64")[np.maximum(self.rep_total, 0)], 0)
        known = np.bincount(self.rep_key, weights=np.nan_to_num(n_reg), minlength=len(keys))
        # volunteers of the count without a value in the breakdown: an unknown term in total − K
        self.unknown_members = np.nan_to_num(total_n - known) > 0

    def hide(self, hidden: np.ndarray) -> np.ndarray:
        """One pass of rules 1–6 over ``hidden``; returns the new (never smaller) mask."""
        out = hidden.copy()
        # 1. a hidden total hides its groups
        out[self.group_rows[out[self.group_total]]] = True
        # 2. exactly one hidden group in a breakdown of a shown total: hide the next smallest
        n_keys = len(self.key_total)
        if n_keys:
            count = np.bincount(self.group_key, weights=out[self.group_rows], minlength=n_keys)
            wanted = (count == 1) & ~out[self.key_total]
            candidate = wanted[self.group_key] & ~out[self.group_rows]
            _, first = np.unique(self.group_key[candidate], return_index=True)
            out[self.group_rows[candidate][first]] = True
            out = self._break_extremes(out)
        # 3. derived values follow their count
        out[self.follow[out[self.follow[:, 1]], 0]] = True
        # 4. the representation index where its K would single out a hidden group
        out = self._hide_representation(out)
        # 5. the registration identity
        if len(self.identity):
            count_shown = ~out[self.identity[:, 0]]
            parts = out[self.identity[:, 1:]]
            one = count_shown & (parts.sum(axis=1) == 1)
            out[self.identity[one, 1:].ravel()] = True
        # 6. the gap follows the sectors it is computed over
        out[self.gap[out[self.gap[:, 1]], 0]] = True
        return out & self.applies

    def _break_extremes(self, hidden: np.ndarray) -> np.ndarray:
        """Rule 2 for shares: hidden groups that pool to 0 % or 100 % get a shown group with another share."""
        n_keys = len(self.key_total)
        h = hidden[self.group_rows]
        count = np.bincount(self.group_key, weights=h, minlength=n_keys)
        ones = np.bincount(self.group_key, weights=h & self.group_one, minlength=n_keys)
        zeros = np.bincount(self.group_key, weights=h & self.group_zero, minlength=n_keys)
        active = self.key_share & (count > 0) & ~hidden[self.key_total]
        all_one, all_zero = active & (ones == count), active & (zeros == count)
        other = (all_one[self.group_key] & ~self.group_one) | (all_zero[self.group_key] & ~self.group_zero)
        candidate = other & ~h
        out = hidden.copy()
        keys, first = np.unique(self.group_key[candidate], return_index=True)
        out[self.group_rows[candidate][first]] = True
        stuck = ((all_one & self.total_one) | (all_zero & self.total_zero)) & ~np.isin(np.arange(n_keys), keys)
        out[self.key_total[stuck]] = True  # every group and the total 0 % / 100 %: it says so of the hidden ones
        return out

    def _hide_representation(self, hidden: np.ndarray) -> np.ndarray:
        if not len(self.rep_key):
            return hidden
        n_keys = len(self.rep_total)
        has_rep, has_reg = self.rep_row >= 0, self.reg_row >= 0
        h_rep, h_reg = _at(hidden, self.rep_row), _at(hidden, self.reg_row)
        published = np.bincount(self.rep_key, weights=has_rep & ~h_rep, minlength=n_keys) > 0
        # K − Σ shown: hidden index groups (not known zeros) and hidden count groups the index has no row for
        in_k = (has_rep & h_rep & ~self.rep_known_zero) | (~has_rep & has_reg & ~self.child & h_reg)
        # one unknown left: with the 0 index of a counted group as an unknown (K − Σ shown gives that none of the
        # group is 14 or older), and without it (an attacker who takes it for 0 gets the other hidden group)
        alone_in_k = (np.bincount(self.rep_key, weights=in_k, minlength=n_keys) == 1) | (
            np.bincount(self.rep_key, weights=in_k & ~self.rep_maybe_zero, minlength=n_keys) == 1
        )
        # total − K: hidden under-14s and groups whose index counts fewer (adults) than the count (all ages)
        in_diff = (self.child & h_reg).astype(int) + (has_rep & has_reg & ~self.linked) * (h_rep.astype(int) + h_reg)
        diff = np.bincount(self.rep_key, weights=in_diff, minlength=n_keys)
        total_shown = (self.rep_total >= 0) & ~_at(hidden, self.rep_total)
        alone_in_diff = total_shown & (diff == 1) & ~self.unknown_members
        leak = published & (alone_in_k | alone_in_diff)
        out = hidden.copy()
        rows = self.rep_row[leak[self.rep_key] & has_rep]
        out[rows] = True
        return out


def suppress(values: pd.DataFrame, min_cell: int) -> pd.DataFrame:
    """The values with primary and secondary suppression applied (brief §6) and its kind in ``suppression``.

    A suppressed row keeps its keys and provenance, has ``suppressed`` True and no value, n or interval.
    Rows that arrive suppressed stay suppressed and keep the kind they carry ('primary' when none).
    """
    out = values.reset_index(drop=True).copy()
    if "suppressed" not in out.columns:
        out["suppressed"] = False
    if "suppression" not in out.columns:
        out["suppression"] = SHOWN
    if out.empty:
        out["suppressed"] = out["suppressed"].astype(bool)
        out["suppression"] = out["suppression"].astype(object)
        return out
    applies = (~out["indicator"].isin(exempt_indicators())).to_numpy()
    n = pd.to_numeric(out["n"], errors="coerce").astype("float64").to_numpy()
    arrived = out["suppressed"].fillna(False).astype(bool).to_numpy()
    given = out["suppression"].fillna(SHOWN).astype(str).to_numpy()
    kind = np.where(arrived, np.where(np.isin(given, (PRIMARY, SECONDARY)), given, PRIMARY), SHOWN).astype(object)
    small = np.isnan(n) | (n < min_cell)
    kind[(kind == SHOWN) & applies & small] = PRIMARY
    hidden = kind != SHOWN
    structure = _Structure(out, n, applies, min_cell)
    while True:  # ends: every pass that changes anything hides at least one more of finitely many rows
        after = structure.hide(hidden)
        if (after == hidden).all():
            break
        hidden = after
    kind[hidden & (kind == SHOWN)] = SECONDARY
    out["suppressed"] = hidden
    out["suppression"] = kind
    for col in ("value", "ci_low", "ci_high"):
        if col in out.columns:
            out[col] = out[col].astype("float64").mask(hidden, np.nan)
    out["n"] = pd.Series(n).round().astype("Int64").mask(hidden, pd.NA)
    return out


def shown_network(nodes: pd.DataFrame, ties: pd.DataFrame, values: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The network map (nodes and ties) only of waves whose ``network_density`` is shown.

    The map lists every organisation and tie, so density, centralization, cross-sector share and sector
    balance (all with n = the organisations of the list) could be counted off it: where they are hidden
    (fewer than ``min_cell`` organisations) the map is left out too.
    """
    density = values[(values["indicator"] == "network_density") & (values["breakdown"] == "")]
    waves = density.loc[~density["suppressed"].astype(bool), WAVE].drop_duplicates()
    waves = waves.astype({"town_ags": object, "year": "int64"})

    def keep(frame: pd.DataFrame) -> pd.DataFrame:
        if frame.empty:
            return frame
        return frame.astype({"town_ags": object}).merge(waves, on=WAVE, how="inner")[list(frame.columns)]

    return keep(nodes), keep(ties)
