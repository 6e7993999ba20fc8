"""trainer prepare --simulate: seeded, within the budget, and the plan beats plain FSRS and the greedy baseline."""

from __future__ import annotations

from datetime import timedelta

import pytest

from conftest import T0
from trainer.config import Settings, bundled_decks_dir
from trainer.importer import import_paths
from trainer.prepare import make_plan, memories
from trainer.prepare_sim import compare
from trainer.store import open_db


@pytest.fixture(scope="module")
def bundled():
    """A fresh learner on the bundled decks."""
    store = open_db(":memory:")
    assert import_paths(store, [bundled_decks_dir()], T0).ok
    yield store
    store.close()


def test_the_simulation_gives_the_same_figures_for_the_same_seed(store):
    settings = Settings(fuzz=True)
    plan = make_plan(store, settings, T0, (T0 + timedelta(days=5)).date(), minutes=2)
    one = compare(plan, memories(store, plan), settings, runs=3, seed=7)
    again = compare(plan, memories(store, plan), settings, runs=3, seed=7)
    other = compare(plan, memories(store, plan), settings, runs=3, seed=8)
    assert one == again
    assert [s.answers for s in one.strategies] != [s.answers for s in other.strategies]


def test_on_the_bundled_decks_the_plan_keeps_the_budget_and_beats_plain_fsrs_and_greedy(bundled):
    settings = Settings()
    plan = make_plan(bundled, settings, T0, (T0 + timedelta(days=14)).date(), minutes=20)
    assert max(day.minutes for day in plan.days) <= 20
    result = compare(plan, memories(bundled, plan), settings, runs=12, seed=1)
    fsrs, greedy, planned = result.strategies
    assert [s.name for s in result.strategies] == ["plain FSRS", "greedy", "plan"]
    assert planned.max_minutes <= 20 and greedy.max_minutes <= 20.5
    assert planned.above > greedy.above + 1 and planned.above > fsrs.above + 10
    assert abs(planned.above - result.plan_expected) < 3  # the plan's own estimate is about what it gets
