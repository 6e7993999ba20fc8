"""`trainer stats` through the CLI: JSON keys and values, text output, errors."""

from __future__ import annotations

import json
import time

import pytest
from click.testing import CliRunner

import trainer.cli
from conftest import mark_current
from test_stats import NOW, build_history
from trainer.config import Settings
from trainer.store import open_db
from trainer.store.cards import content_by_keys, update_cards


@pytest.fixture
def env(tmp_path, monkeypatch):
    """A database with the hand-built history, Paris time, the clock fixed at NOW."""
    db = tmp_path / "trainer.db"
    config = tmp_path / "config.toml"
    config.write_text("day_starts_at = 4\n", encoding="utf-8")
    monkeypatch.setenv("TRAINER_DB", str(db))
    monkeypatch.setenv("TRAINER_CONFIG", str(config))
    monkeypatch.setenv("TZ", "Europe/Paris")
    time.tzset()
    monkeypatch.setattr(trainer.cli, "now_utc", lambda: NOW)
    with open_db(db) as store:
        build_history(store)
        # The history is hand-made, not the scheduler's: keep it as written.
        mark_current(store, Settings(day_starts_at=4))
    yield db
    monkeypatch.undo()
    time.tzset()


def run(*args):
    result = CliRunner().invoke(trainer.cli.cli, ["stats", *args])
    return result


def test_json_has_every_section_with_the_known_values(env):
    result = run("--json", "--days", "7")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert set(data) >= {"today", "cards", "cards_total", "forecast", "activity", "retention", "memory",
                         "calibration", "hardest", "parameters"}
    assert data["today"] == {"date": "2024-05-10", "reviews": 3, "cards": 2, "again": 1,
                             "again_rate": pytest.approx(1 / 3), "time_ms": 19000, "new_learned": 1,
                             "streak_days": 3}
    assert data["cards_total"]["total"] == 7 and data["cards"]["Beta"]["retired"] == 1
    assert data["forecast"]["overdue"] == 1 and len(data["forecast"]["days"]) == 30
    assert data["activity"]["total_reviews"] == 6 and len(data["activity"]["days"]) == 7
    assert [w["days"] for w in data["retention"]] == [1, 7, 30]
    assert data["memory"]["on_date"] == "2024-05-17"
    assert [c["location"] for c in data["hardest"]] == ["alpha.md:7"]
    assert data["parameters"]["source"] == "default" and len(data["parameters"]["values"]) == 21
    assert data["message"] is None


def test_json_on_date_and_deck_options_reach_the_figures(env):
    data = json.loads(run("--json", "--deck", "Beta", "--on", "2024-06-01").output)
    assert data["deck"] == "Beta" and list(data["cards"]) == ["Beta"]
    assert data["memory"]["on_date"] == "2024-06-01"


def test_text_output_has_the_sections_and_no_colour_when_piped(env):
    result = run()
    assert result.exit_code == 0
    for heading in ("Today (2024-05-10)", "Cards", "Due in the next 30 days", "Activity, last 84 days",
                    "True retention", "Memory", "Calibration", "Hardest cards", "FSRS default parameters"):
        assert heading in result.output
    assert "\x1b[" not in result.output


def test_card_text_is_shown_literally_not_as_markup(env):
    with open_db(env) as store:
        row = content_by_keys(store, ["a2"])["a2"]
        row["prompt"] = "[bold red]not markup[/]"
        with store.atomic():
            update_cards(store, [row], NOW)
    assert "[bold red]not markup[/]" in run().output


def test_unknown_deck_is_a_clear_error_listing_the_decks(env):
    result = run("--deck", "Gamma")
    assert result.exit_code != 0
    assert "no deck named 'Gamma'" in str(result.exception) and "Alpha" in str(result.exception)


def test_missing_database_is_a_friendly_message_and_creates_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv("TRAINER_DB", str(tmp_path / "none.db"))
    monkeypatch.setenv("TRAINER_CONFIG", str(tmp_path / "config.toml"))
    result = run()
    assert result.exit_code == 0 and "trainer import" in result.output
    assert not (tmp_path / "none.db").exists()
