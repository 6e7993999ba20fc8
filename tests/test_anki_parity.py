"""The scheduler against Anki's own results, answer by answer (../shared/data/anki-parity/scenarios.json).

Each scenario is replayed through the project's session on a real database:
the buttons' labels are read before each answer, the answer is given at the
listed UTC time, and the card's state, due and memory are compared with
Anki's: state and due exactly, stability and difficulty to 0.1%.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import pytest

from trainer.config import Settings
from trainer.importer import import_paths
from trainer.model import Rating
from trainer.session import Session
from trainer.store import open_db
from trainer.store.cards import get_card
from trainer.timespan import button_label

SCENARIOS = Path(__file__).resolve().parents[2] / "shared" / "data" / "anki-parity" / "scenarios.json"
RATINGS = {"A": Rating.AGAIN, "H": Rating.HARD, "G": Rating.GOOD, "E": Rating.EASY}
UTC = timezone.utc

pytestmark = pytest.mark.skipif(not SCENARIOS.exists(), reason="Anki scenarios not present in ../shared/data/")


def scenarios() -> list[dict]:
    return json.loads(SCENARIOS.read_text(encoding="utf-8"))["scenarios"] if SCENARIOS.exists() else []


def settings_of(scenario: dict) -> Settings:
    given = scenario["settings"]
    assert given["parameters"] == "FSRS-6 defaults" and given["time_zone"] == "UTC"
    return Settings(
        desired_retention=given["desired_retention"],
        maximum_interval=given["maximum_interval"],
        learning_steps=tuple(given["learning_steps"]),
        relearning_steps=tuple(given["relearning_steps"]),
        day_starts_at=given["day_starts_at"],
        fuzz=given["fuzz"],
    )


@pytest.mark.parametrize("scenario", scenarios(), ids=lambda s: s["name"].split()[0])
def test_every_answer_matches_anki(scenario, tmp_path):
    deck = tmp_path / "one.md"
    deck.write_text("Q: the only card\nA: its answer\n", encoding="utf-8")
    first = datetime.fromisoformat(scenario["steps"][0]["at"]).astimezone(UTC)
    with open_db(tmp_path / "t.db") as store:
        assert import_paths(store, [deck], first).ok
        session = Session(store, settings_of(scenario), tz=UTC)
        key = store.conn.execute("SELECT key FROM cards").fetchone()[0]
        for number, step in enumerate(scenario["steps"], start=1):
            at = datetime.fromisoformat(step["at"]).astimezone(UTC)
            expect = step["expect"]
            card = get_card(store, key)
            labels = [button_label(delta.total_seconds()) for delta in session.intervals(card, at).values()]
            session.answer(card, RATINGS[step["rating"]], at, 1000)
            memory = get_card(store, key).memory
            where = f"step {number} ({step['rating']} at {step['at']})"
            assert labels == expect["anki_button_labels"], where
            assert memory.state == expect["state"], where
            assert memory.stability == pytest.approx(expect["stability"], rel=1e-3), where
            assert memory.difficulty == pytest.approx(expect["difficulty"], rel=1e-3), where
            if "due" in expect:
                assert memory.due == datetime.fromisoformat(expect["due"]), where
            else:
                due_day = session.calendar.day_of(memory.due)
                assert session.calendar.date(due_day).isoformat() == expect["due_study_day"], where
                assert due_day - session.calendar.day_of(at) == expect["interval_days"], where
