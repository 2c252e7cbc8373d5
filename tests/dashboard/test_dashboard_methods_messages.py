"""The Methodik page words the run log and the reject reasons in the page's language (issue 15): German is
the text the ETL stored, English is rendered from the codes stored beside it (etl.messages), never the
German text on an English page. A real demo warehouse, the page's functions called as plain functions."""

from __future__ import annotations

from dashboard.state import View, load_view
from dashboard.views import methods
from etl import warehouse


def _view(db: str, lang: str) -> View:
    town = str(warehouse.towns(db=db)["ags"].iloc[0])
    view = load_view(town, max(warehouse.years(town=town, db=db)), lang, db=db)
    assert isinstance(view, View)
    return view


def test_run_log_messages_follow_the_language(demo_warehouse: str) -> None:
    stored = warehouse.runs(db=demo_warehouse)
    de = methods.sources(_view(demo_warehouse, "de"), {}).data
    en = methods.sources(_view(demo_warehouse, "en"), {}).data
    assert sorted(de["message_text"]) == sorted(stored["message"])  # German: exactly what the ETL stored
    assert "rows read" in " ".join(en["message_text"])
    assert "Zeilen gelesen" not in " ".join(en["message_text"])
    assert (en["message_text"] != "").all()


def test_reject_reasons_follow_the_language(demo_warehouse: str) -> None:
    stored = warehouse.rejects(db=demo_warehouse)
    assert len(stored), "the demo has dirty rows"
    de = methods.rejects(_view(demo_warehouse, "de"), {}).data
    en = methods.rejects(_view(demo_warehouse, "en"), {}).data
    assert list(de["reason_text"]) == list(stored["reason"])
    assert (en["reason_text"] != "").all()
    changed = (en["reason_text"] != de["reason_text"]).mean()
    assert changed > 0.9, en.loc[en["reason_text"] == de["reason_text"], "reason_text"].head().tolist()
