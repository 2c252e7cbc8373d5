"""The warehouse schema: every table the ETL writes and the dashboard and notebooks read.

Kept in one module so that the loader, the read API and the tests agree on one definition. Layers follow
dbt's naming: ``stg_*`` hold clean record-level rows (one table per source kind, canonical columns, no
personal data), ``mart_*`` hold what consumers read (indicator values, comparisons, ties, goals), and
``etl_*`` hold the run log. Every run writes the data tables in one transaction; the run log keeps its
history.

Published runs stay (issue 17): a data table with a ``run_id`` column (:data:`RUN_TABLES`: the marts, the
towns, the rejects and the source→town list) keeps one set of rows per run, so a view, a report or a data
package of an earlier run reads exactly what that run wrote; every other data table (the ``stg_*`` records
and ``population``) holds the latest run only. A new mart table keeps its runs by having a :func:`run_column`;
the loader fills it (and prunes runs beyond ``[project] keep_runs``), the read API filters on it.

Conventions: AGS and other codes are strings (leading zeros); dates are ``Date``; a missing breakdown or
group is the empty string ``''`` (not NULL) so that the natural keys stay unique and indexable.
"""

from __future__ import annotations

import pandas as pd
from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

metadata = MetaData()


def run_column(primary_key: bool = False) -> Column:
    """The run a row belongs to, in a table that keeps its runs. Stamped by the loader (``etl.load``), not by
    the step that computes the rows: :func:`columns_of` leaves it out."""
    return Column("run_id", Integer, nullable=False, primary_key=primary_key, info={"stamped": True})

# --- reference -------------------------------------------------------------------------------------------

towns = Table(
    "towns",
    metadata,
    run_column(primary_key=True),
    Column("ags", String(8), primary_key=True),
    Column("name", Text, nullable=False),
)

population = Table(
    "population",
    metadata,
    Column("ags", String(8), nullable=False),
    Column("year", Integer, nullable=False),
    Column("district", Text, nullable=False, default=""),  # '' = town total
    Column("age_band", String(8), nullable=False),  # 0-13, 14-29, 30-49, 50-64, 65+
    Column("gender", String(1), nullable=False),  # w, m
    Column("count", Float, nullable=False),  # float: Regionalstatistik re-banding splits a group 1:4
    Column("source_file", Text, nullable=False),
    Column("source_row", Integer, nullable=False),
    Index("ix_population_ags_year", "ags", "year"),
)

# --- staging: clean record-level rows --------------------------------------------------------------------

ENG3_AREAS = [f"sq{i:03d}" for i in range(1, 15)]

stg_survey_responses = Table(
    "stg_survey_responses",
    metadata,
    Column("town_ags", String(8), nullable=False),
    Column("year", Integer, nullable=False),
    Column("response_id", Text, nullable=False),  # LimeSurvey id, unique per source
    Column("submitdate", DateTime, nullable=True),
    Column("complete", Boolean, nullable=False),  # False: empty submitdate (kept, not counted)
    Column("below_min_age", Boolean, nullable=False),  # True: kept, not counted
    Column("age", Integer, nullable=True),
    Column("age_band", String(8), nullable=True),
    Column("gender", String(1), nullable=True),  # w, m, d or NULL
    Column("district", Text, nullable=True),
    Column("edu", Integer, nullable=True),  # 1..3
    Column("mig", String(1), nullable=True),  # Y/N
    Column("eng1", String(1), nullable=True),  # Y/N
    Column("eng2", Float, nullable=True),  # hours per month
    *[Column(f"eng3_{a}", Boolean, nullable=False, default=False) for a in ENG3_AREAS],
    Column("will", Integer, nullable=True),  # 1..3
    Column("part", String(1), nullable=True),  # Y/N
    Column("ease", Integer, nullable=True),  # 1..5
    Column("info", Integer, nullable=True),
    Column("recog", Integer, nullable=True),
    Column("know", String(1), nullable=True),  # Y/N
    Column("weight", Float, nullable=True),  # raking weight (§5.1); NULL where not counted
    Column("weighted", Boolean, nullable=True),  # False: unweighted, weight 1 (why: mart_indicator_values)
    Column("source_file", Text, nullable=False),
    Column("source_row", Integer, nullable=False),
    Index("ix_stg_survey_town_year", "town_ags", "year"),
)

stg_organisations = Table(
    "stg_organisations",
    metadata,
    Column("town_ags", String(8), nullable=False),
    Column("org_id", Text, nullable=False),
    Column("name", Text, nullable=False),
    Column("sector", String(16), nullable=False),
    Column("source_file", Text, nullable=False),
    Column("source_row", Integer, nullable=False),
)

# One row per responding organisation and wave. Ratings about single organisations (TRUST, VALUE) are
# never stored, only their aggregates (§6, issue 4); contact frequencies live on as the tie list.
stg_partner_responses = Table(
    "stg_partner_responses",
    metadata,
    Column("town_ags", String(8), nullable=False),
    Column("year", Integer, nullable=False),
    Column("response_id", Text, nullable=False),
    Column("complete", Boolean, nullable=False),  # False: empty submitdate (kept, counts in no figure)
    Column("org_id", Text, nullable=False),  # "" for an incomplete response that stopped before ORG
    Column("sector", String(16), nullable=False),  # from the organisations list where it disagrees
    Column("eye", Integer, nullable=True),
    Column("he", Integer, nullable=True),
    Column("source_file", Text, nullable=False),
    Column("source_row", Integer, nullable=False),
)

stg_registrations = Table(
    "stg_registrations",
    metadata,
    Column("town_ags", String(8), nullable=False),
    Column("person_key", String(64), nullable=False),  # HMAC-SHA256 of the person identifier
    Column("registered_on", Date, nullable=False),
    Column("ended_on", Date, nullable=True),
    Column("organisation", Text, nullable=True),
    Column("area", Text, nullable=True),
    Column("activity", Text, nullable=True),
    Column("birth_year", Integer, nullable=True),
    Column("gender", String(1), nullable=True),
    Column("district", Text, nullable=True),
    Column("postcode", String(5), nullable=True),
    Column("hours", Float, nullable=True),
    Column("source_file", Text, nullable=False),
    Column("source_row", Integer, nullable=False),
    Index("ix_stg_registrations_town", "town_ags"),
)

stg_events = Table(
    "stg_events",
    metadata,
    Column("town_ags", String(8), nullable=False),
    Column("event_id", Text, nullable=False),
    Column("date", Date, nullable=False),
    Column("year", Integer, nullable=False),
    Column("format", Text, nullable=True),
    Column("title", Text, nullable=True),
    Column("participants", Integer, nullable=True),
    Column("civil_society", Integer, nullable=True),
    Column("politics", Integer, nullable=True),
    Column("administration", Integer, nullable=True),
    Column("business", Integer, nullable=True),
    Column("residents", Integer, nullable=True),
    Column("source_file", Text, nullable=False),
    Column("source_row", Integer, nullable=False),
)

stg_goals = Table(
    "stg_goals",
    metadata,
    Column("town_ags", String(8), nullable=False),
    Column("goal_id", Text, nullable=False),
    Column("title", Text, nullable=False),
    Column("principle", String(2), nullable=False),
    Column("indicator", Text, nullable=True),
    Column("baseline", Float, nullable=False),
    Column("baseline_date", Date, nullable=False),
    Column("target", Float, nullable=False),
    Column("target_date", Date, nullable=False),
    Column("unit", Text, nullable=True),
    Column("source_file", Text, nullable=False),
    Column("source_row", Integer, nullable=False),
)

stg_measures = Table(
    "stg_measures",
    metadata,
    Column("town_ags", String(8), nullable=False),
    Column("measure_id", Text, nullable=False),
    Column("goal_id", Text, nullable=False),
    Column("title", Text, nullable=False),
    Column("lead_sector", String(16), nullable=True),
    Column("start", Date, nullable=True),
    Column("due", Date, nullable=True),
    Column("status", String(16), nullable=False),
    Column("level", Integer, nullable=True),
    Column("source_file", Text, nullable=False),
    Column("source_row", Integer, nullable=False),
)

stg_measurements = Table(
    "stg_measurements",
    metadata,
    Column("town_ags", String(8), nullable=False),
    Column("goal_id", Text, nullable=False),
    Column("date", Date, nullable=False),
    Column("value", Float, nullable=False),
    Column("source_file", Text, nullable=False),
    Column("source_row", Integer, nullable=False),
)

# District shapes as read (WGS 84, validated, unsimplified); the map reads mart_districts.
stg_districts = Table(
    "stg_districts",
    metadata,
    Column("town_ags", String(8), nullable=False),
    Column("code", Text, nullable=False),  # the code surveys, registrations and population use (leading zeros)
    Column("name", Text, nullable=True),  # NULL: the file names no district name
    Column("geometry", Text, nullable=False),  # GeoJSON Polygon or MultiPolygon, longitude/latitude
    Column("source_file", Text, nullable=False),
    Column("source_row", Integer, nullable=False),  # the feature's position in the file (first = 1)
)

# --- marts: what the dashboard, the export and the notebooks read ----------------------------------------

mart_indicator_catalogue = Table(
    "mart_indicator_catalogue",
    metadata,
    run_column(primary_key=True),
    Column("indicator", Text, primary_key=True),
    Column("family", String(16), nullable=False),  # participation, collaboration, goals
    Column("name_de", Text, nullable=False),
    Column("name_en", Text, nullable=False),
    Column("description_de", Text, nullable=False),
    Column("description_en", Text, nullable=False),
    Column("formula_de", Text, nullable=False),
    Column("formula_en", Text, nullable=False),
    Column("unit", String(16), nullable=False),  # share, count, per_1000, hours, index, score
    Column("principle", Text, nullable=False),  # e.g. "P2, W1"
    Column("source_kind", Text, nullable=False),
    Column("breakdowns", Text, nullable=False),  # comma-separated, '' for none
    Column("higher_is_better", Boolean, nullable=True),
)

mart_indicator_values = Table(
    "mart_indicator_values",
    metadata,
    Column("town_ags", String(8), nullable=False),
    Column("indicator", Text, nullable=False),
    Column("year", Integer, nullable=False),
    Column("breakdown", Text, nullable=False, default=""),  # '' = town total
    Column("group", Text, nullable=False, default=""),
    Column("value", Float, nullable=True),  # NULL when suppressed
    Column("n", Integer, nullable=True),  # NULL when suppressed
    Column("ci_low", Float, nullable=True),
    Column("ci_high", Float, nullable=True),
    Column("suppressed", Boolean, nullable=False),
    # why it is suppressed: '' shown, 'primary' (n < min_cell or no n), 'secondary' (hidden so that a small
    # group cannot be computed from the numbers shown; also values derived from a suppressed one)
    Column("suppression", String(16), nullable=False, default="", server_default=""),
    Column("weighted", Boolean, nullable=True),  # survey rates: False = unweighted, why in unweighted_reason
    # Why a survey rate is unweighted (weighted False), per town-year; NULL where weighted is True or NULL, and in
    # the rows of a warehouse made before the column (added by ALTER TABLE, not recorded). In the order checked:
    #   'no_population'          no population of the town for the survey year nor an earlier year (none in
    #                            the sources, or left out as incomplete: message population_incomplete)
    #   'population_zero'        the population year used counts nobody aged 14+ (every age/gender cell 0)
    #   'no_raking_respondents'  no counted respondent has gender w/m and an age band of 14+ (all d, no gender
    #                            or no age), so there is nobody to rake
    #   'no_finite_weights'      raking gives no finite weights: the respondents cannot represent the
    #                            population's age/gender shares (targets they cannot reach, or respondents only
    #                            where the population has nobody)
    Column("unweighted_reason", String(32), nullable=True),
    run_column(),
    Column("source_files", Text, nullable=False),
    # The run that computed the value: the row's own run, or for the kept results of a failed partner survey
    # (etl.kept) the earlier run whose results stand in. Nullable: added to existing warehouses by ALTER TABLE.
    Column("computed_run", Integer, nullable=True, info={"stamped": True}),
    Index("ix_mart_values_run_lookup", "run_id", "town_ags", "indicator", "year", "breakdown"),
    Index("ix_mart_values_run_indicator_year", "run_id", "indicator", "year"),
)

mart_comparison = Table(
    "mart_comparison",
    metadata,
    Column("town_ags", String(8), nullable=False),
    Column("indicator", Text, nullable=False),
    Column("year", Integer, nullable=False),
    Column("value", Float, nullable=False),
    Column("network_median", Float, nullable=False),
    Column("network_q1", Float, nullable=False),
    Column("network_q3", Float, nullable=False),
    Column("network_rank", Integer, nullable=False),  # 1 = highest value
    Column("network_towns", Integer, nullable=False),
    # Rank range: the ranks the town could take given the 95 % intervals (etl.indicators.comparison)
    Column("network_rank_best", Integer, nullable=True),  # nullable: added to existing warehouses by ALTER TABLE
    Column("network_rank_worst", Integer, nullable=True),
    Column("peer_group", Text, nullable=True),
    Column("peer_median", Float, nullable=True),
    Column("peer_q1", Float, nullable=True),
    Column("peer_q3", Float, nullable=True),
    Column("peer_rank", Integer, nullable=True),
    Column("peer_towns", Integer, nullable=True),
    Column("peer_rank_best", Integer, nullable=True),
    Column("peer_rank_worst", Integer, nullable=True),
    run_column(),
    Index("ix_mart_comparison_run_indicator_year", "run_id", "indicator", "year"),
)

mart_network_nodes = Table(
    "mart_network_nodes",
    metadata,
    Column("town_ags", String(8), nullable=False),
    Column("year", Integer, nullable=False),
    Column("org_id", Text, nullable=False),
    Column("name", Text, nullable=False),
    Column("sector", String(16), nullable=False),
    Column("degree", Integer, nullable=False),
    Column("x", Float, nullable=True),  # stable layout position for the network map
    Column("y", Float, nullable=True),
    run_column(),
    Index("ix_mart_network_nodes_run_town_year", "run_id", "town_ags", "year"),
)

mart_network_ties = Table(
    "mart_network_ties",
    metadata,
    Column("town_ags", String(8), nullable=False),
    Column("year", Integer, nullable=False),
    Column("org_a", Text, nullable=False),
    Column("org_b", Text, nullable=False),
    Column("sector_a", String(16), nullable=False),
    Column("sector_b", String(16), nullable=False),
    Column("freq", Integer, nullable=False),  # highest reported contact frequency of the pair
    run_column(),
    Index("ix_mart_network_ties_run_town_year", "run_id", "town_ags", "year"),
)

mart_goals = Table(
    "mart_goals",
    metadata,
    Column("town_ags", String(8), nullable=False),
    Column("goal_id", Text, nullable=False),
    Column("title", Text, nullable=False),
    Column("principle", String(2), nullable=False),
    Column("indicator", Text, nullable=True),
    Column("unit", Text, nullable=True),
    Column("baseline", Float, nullable=False),
    Column("baseline_date", Date, nullable=False),
    Column("target", Float, nullable=False),
    Column("target_date", Date, nullable=False),
    Column("current", Float, nullable=True),
    Column("current_date", Date, nullable=True),
    Column("progress", Float, nullable=True),
    Column("expected", Float, nullable=False),
    Column("status", String(16), nullable=False),  # achieved, on_track, at_risk, off_track, no_data
    Column("as_of", Date, nullable=False),
    run_column(),
    Index("ix_mart_goals_run_town", "run_id", "town_ags"),
)

mart_goal_values = Table(
    "mart_goal_values",
    metadata,
    Column("town_ags", String(8), nullable=False),
    Column("goal_id", Text, nullable=False),
    Column("date", Date, nullable=False),
    Column("value", Float, nullable=False),
    run_column(),
    Index("ix_mart_goal_values_run_town_goal", "run_id", "town_ags", "goal_id"),
)

# Each goal's status at the end of every year from its baseline year to the year before the as-of date
# (status_date 31.12.Y) and on the as-of date (year = the as-of date's year), brief §5.5. The measure counts
# are the goal's measures as they stood on status_date (how a past date is known: etl.indicators.goals).
mart_goal_status = Table(
    "mart_goal_status",
    metadata,
    Column("town_ags", String(8), nullable=False),
    Column("goal_id", Text, nullable=False),
    Column("year", Integer, nullable=False),  # the year whose end (or, for the as-of year, as-of date) it shows
    Column("status_date", Date, nullable=False),
    Column("current", Float, nullable=True),
    Column("current_date", Date, nullable=True),
    Column("previous", Float, nullable=True),  # the measurement before ``current`` (change since then)
    Column("previous_date", Date, nullable=True),
    Column("progress", Float, nullable=True),
    Column("expected", Float, nullable=False),
    Column("status", String(16), nullable=False),  # achieved, on_track, at_risk, off_track, no_data
    Column("measures", Integer, nullable=False),  # the goal's measures, cancelled ones not counted
    Column("measures_done", Integer, nullable=False),
    Column("measures_overdue", Integer, nullable=False),  # open and due before status_date
    Column("measures_delayed", Integer, nullable=True),  # "verzögert", not yet overdue; known on the as-of date only
    Column("late_lead_sectors", Text, nullable=False),  # lead sectors of overdue/delayed measures, most first
    run_column(),
    Index("ix_mart_goal_status_run_town_year", "run_id", "town_ags", "year"),
)

mart_measures = Table(
    "mart_measures",
    metadata,
    Column("town_ags", String(8), nullable=False),
    Column("measure_id", Text, nullable=False),
    Column("goal_id", Text, nullable=False),
    Column("title", Text, nullable=False),
    Column("lead_sector", String(16), nullable=True),
    Column("start", Date, nullable=True),
    Column("due", Date, nullable=True),
    Column("status", String(16), nullable=False),
    Column("level", Integer, nullable=True),
    Column("overdue", Boolean, nullable=False),
    Column("as_of", Date, nullable=False),
    run_column(),
    Index("ix_mart_measures_run_town", "run_id", "town_ags"),
)

# District shapes for display: simplified (shared borders kept), with a label point and the area.
mart_districts = Table(
    "mart_districts",
    metadata,
    Column("town_ags", String(8), nullable=False),
    Column("code", Text, nullable=False),
    Column("name", Text, nullable=True),
    Column("geometry", Text, nullable=False),  # GeoJSON, simplified for display, 6 decimals (~0.1 m)
    Column("label_lon", Float, nullable=False),  # a point well inside the district, for its label
    Column("label_lat", Float, nullable=False),
    Column("area_km2", Float, nullable=False),  # of the shape as read
    Column("source_file", Text, nullable=False),
    run_column(),
    Index("ix_mart_districts_run_town", "run_id", "town_ags"),
)

# --- run log ---------------------------------------------------------------------------------------------

etl_runs = Table(
    "etl_runs",
    metadata,
    Column("run_id", Integer, primary_key=True, autoincrement=False),
    Column("started_at", DateTime, nullable=False),
    Column("finished_at", DateTime, nullable=False),
    Column("status", String(16), nullable=False),  # ok, partial (a source was rejected)
    Column("source_dir", Text, nullable=False),
    Column("project_name", Text, nullable=False),
    Column("min_cell", Integer, nullable=False),
    Column("as_of", Date, nullable=False),
    Column("demo_key", Boolean, nullable=False),  # True: pseudonyms made with the public demo key
    # The licence the run's aggregates are published under ([project] licence, an SPDX id; issue 17). NULL for
    # runs of an older version: they count as the default, CC-BY-4.0.
    Column("licence", Text, nullable=True),
)

etl_run_files = Table(
    "etl_run_files",
    metadata,
    Column("run_id", Integer, nullable=False),
    Column("source", Text, nullable=False),
    Column("kind", String(24), nullable=False),
    Column("file", Text, nullable=False),
    Column("rows_read", Integer, nullable=False),
    Column("rows_accepted", Integer, nullable=False),
    Column("rows_rejected", Integer, nullable=False),
    # population rows of regions outside the manifest (brief §3.1); read = accepted + rejected + skipped
    Column("rows_skipped", Integer, nullable=False, default=0, server_default="0"),
    Column("status", String(16), nullable=False),  # ok, rejects, failed
    Column("message", Text, nullable=False),  # German
    # the message as etl.messages parts, for either language: codes joined by ';', and the parts as JSON
    # [{"code": …, "params": {…}}, …] (etl.messages.render); NULL in runs of older versions
    Column("message_code", Text, nullable=True),
    Column("message_params", Text, nullable=True),
    # When the file was last changed (its modification time when the run read it): the "date" of a source in
    # the data package (issue 17). NULL for runs of an older version and for the run's manifest warnings.
    Column("file_modified", DateTime, nullable=True),
)

etl_rejects = Table(
    "etl_rejects",
    metadata,
    run_column(),
    Column("source", Text, nullable=False),
    Column("file", Text, nullable=False),
    Column("row", Integer, nullable=False),
    Column("column", Text, nullable=False),
    Column("reason", Text, nullable=False),  # German
    # the reason's etl.messages code and its parameters as a JSON object; NULL in runs of older versions
    Column("reason_code", Text, nullable=True),
    Column("reason_params", Text, nullable=True),
    Index("ix_etl_rejects_run_source", "run_id", "source"),
)

# Which town each source of a run belongs to ('' = several or none, e.g. a population table with all towns):
# the read API shows a town's role only the run files and rejects of its own sources (issue 12).
etl_source_towns = Table(
    "etl_source_towns",
    metadata,
    run_column(),
    Column("source", Text, nullable=False),  # the source's label, as in etl_run_files and etl_rejects
    Column("town_ags", String(8), nullable=False),
    Index("ix_etl_source_towns_run", "run_id", "town_ags"),
)

# --- dashboard accounts (written by `engage users`, never by a run) -------------------------------------

app_users = Table(
    "app_users",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("role", String(32), nullable=False),  # netzwerk, stadt:<AGS>, oeffentlich
    Column("password_hash", Text, nullable=False),  # argon2id (argon2-cffi), never the password
    Column("created_at", DateTime, nullable=False),
    Column("password_set_at", DateTime, nullable=False),
)

# The indicators a town shows in the public view (role oeffentlich); off until a town publishes one.
app_public_indicators = Table(
    "app_public_indicators",
    metadata,
    Column("town_ags", String(8), primary_key=True),
    Column("indicator", Text, primary_key=True),
    Column("published_at", DateTime, nullable=False),
)

# Every data intake from the browser (issue 14, dashboard.intake): who brought which files for which town,
# when, and the run that loaded them; an undo is a row of its own naming the intake it took back. Written by
# the intake worker (never by the web processes), read by the "Daten einspielen" page. No personal data:
# file names as they lie in the source folder, the manifest entries as TOML text.
app_intake_log = Table(
    "app_intake_log",
    metadata,
    Column("intake_id", Integer, primary_key=True, autoincrement=False),
    Column("action", String(16), nullable=False),  # publish, undo
    Column("town_ags", String(8), nullable=False),
    Column("account", String(64), nullable=False),  # the account's name ("lokal" without accounts)
    Column("requested_at", DateTime, nullable=False),  # when the user confirmed
    Column("started_at", DateTime, nullable=False),  # when the worker began (after waiting in the queue)
    Column("finished_at", DateTime, nullable=False),
    Column("files", Text, nullable=False),  # the files written (publish) or restored (undo), one per line
    Column("kinds", Text, nullable=False),  # their source kinds, one per line
    Column("run_id", Integer, nullable=True),  # the ETL run that loaded it; NULL when it failed before a run
    Column("status", String(16), nullable=False),  # ok, partial (a source was rejected), failed
    Column("message", Text, nullable=False),  # German
    Column("undoes", Integer, nullable=True),  # undo: the intake_id it took back
    Column("changes", Text, nullable=False),  # JSON: per file the manifest entry before/after and the backup
    Index("ix_app_intake_log_town", "town_ags"),
)

# Tables that outlive a run: the run history, the dashboard's accounts and publications, the intake log (and
# any table a run must not replace). Every other table's content one run replaces as a whole.
KEPT_TABLES = frozenset({"etl_runs", "etl_run_files", "app_users", "app_public_indicators", "app_intake_log"})
DATA_TABLES = [t for t in metadata.sorted_tables if t.name not in KEPT_TABLES]
# Data tables that keep one set of rows per run (those with a run_column); the others hold the latest run only.
RUN_TABLES = [t for t in DATA_TABLES if "run_id" in t.c]
LATEST_TABLES = [t for t in DATA_TABLES if "run_id" not in t.c]


def columns_of(table: Table) -> list[str]:
    """The table's column names in order: the one list readers and indicator steps shape their frames by
    (without the columns the loader stamps, such as the run a row belongs to)."""
    return [c.name for c in table.columns if not c.info.get("stamped")]


def empty_frame(table: Table) -> pd.DataFrame:
    """A frame with the table's columns and no rows, typed as a step returns them (for towns without data)."""

    def dtype(column: Column) -> str:
        if isinstance(column.type, Boolean):
            return "bool"
        if isinstance(column.type, Integer):
            return "int64"
        if isinstance(column.type, Float):
            return "float64"
        return "object"

    return pd.DataFrame({name: pd.Series(dtype=dtype(table.c[name])) for name in columns_of(table)})
