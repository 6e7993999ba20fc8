"""`trainer prepare` through the CLI: the table, JSON, storing, dropping, and clear errors."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from click.testing import CliRunner

import trainer.cli
from conftest import T0
from trainer.errors import TrainerError


@pytest.fixture
def env(store, monkeypatch):
    """The sample deck imported into $TRAINER_DB, the clock at T0."""
    store.close()
    monkeypatch.setattr(trainer.cli, "now_utc", lambda: T0)


def run(*args):
    return CliRunner().invoke(trainer.cli.cli, ["prepare", *args])


def refused(result, message: str) -> bool:
    """The command stopped on a TrainerError (main prints it as one line, exit 1) saying `message`."""
    return isinstance(result.exception, TrainerError) and message in str(result.exception)


def day(n: int) -> str:
    return (T0 + timedelta(days=n)).date().isoformat()


def test_the_plan_is_shown_day_by_day_and_not_stored_without_accept(env):
    result = run("--on", day(5), "--minutes-per-day", "5")
    assert result.exit_code == 0, result.output
    assert f"Plan for {day(5)}" in result.output and "Not stored" in result.output
    assert sum(1 for line in result.output.splitlines() if line[:3] in ("Mon", "Tue", "Wed", "Thu", "Fri")) == 5
    shown = run()  # no date: the plan in force
    assert refused(shown, "no plan in force")


def test_accept_stores_it_json_describes_it_and_cancel_drops_it(env):
    result = run("--on", day(4), "--accept", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["accepted"] and data["on"] == day(4) and len(data["days"]) == 4 and data["cards"] == 6
    assert all(d["minutes"] <= 20 for d in data["days"]) and data["expected_above"] >= data["unplanned_above"]
    shown = run()
    assert shown.exit_code == 0 and f"Plan for {day(4)}" in shown.output
    assert json.loads(run("--json").output)["on"] == day(4)
    dropped = run("--cancel")
    assert dropped.exit_code == 0 and "Plan dropped" in dropped.output
    assert refused(run(), "no plan in force")


def test_simulate_compares_three_strategies_as_json(env):
    result = run("--on", day(3), "--simulate", "--runs", "2", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert [s["name"] for s in data["strategies"]] == ["plain FSRS", "greedy", "plan"]
    assert data["runs"] == 2 and all(len(s["minutes"]) == 3 for s in data["strategies"])


@pytest.mark.parametrize("args, message", [
    (["--on", day(-1)], "is in the past"),
    (["--on", "next friday"], "is not a date"),
    (["--on", day(3), "--target", "0"], "--target"),
    (["--on", day(3), "--deck", "nope"], "no deck named"),
])
def test_bad_input_is_refused_with_a_clear_message(env, args, message):
    assert refused(run(*args), message)


def test_no_cards_is_a_clear_error(tmp_path, monkeypatch):
    from trainer.store import open_db

    open_db(tmp_path / "trainer.db").close()
    monkeypatch.setattr(trainer.cli, "now_utc", lambda: T0)
    assert refused(run("--on", day(3)), "no cards to plan")
