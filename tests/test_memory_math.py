"""MemoryMath (the planner's fast FSRS) gives exactly what Scheduler.review gives."""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone

import pytest

from trainer.config import Settings
from trainer.model import MemoryState, Rating
from trainer.scheduler import DEFAULT_PARAMETERS, MemoryMath, Scheduler

UTC = timezone.utc
NOW = datetime(2026, 3, 2, 10, tzinfo=UTC)
FITTED = tuple(0.4 if i == 0 else 0.3 if i == 20 else p for i, p in enumerate(DEFAULT_PARAMETERS))


@pytest.mark.parametrize("parameters", [(), FITTED])
def test_a_review_gives_the_schedulers_stability_and_difficulty_on_every_rating(parameters):
    scheduler = Scheduler(Settings(fuzz=False, parameters=parameters), tz=UTC)
    math = MemoryMath(scheduler)
    rng = random.Random(4)
    for _ in range(2000):
        stability, difficulty = 10 ** rng.uniform(-2, 3.5), rng.uniform(1, 10)
        days, rating = rng.choice([0, 1, 2, 3, 7, 30, 400]), rng.choice(list(Rating))
        memory = MemoryState("review", None, stability, difficulty, NOW, NOW - timedelta(days=days), 3, 0)
        after = scheduler.review("k", memory, rating, NOW, days)
        assert math.review(stability, difficulty, days, rating) == pytest.approx(
            (after.stability, after.difficulty), rel=1e-12)


@pytest.mark.parametrize("steps", [("1m", "10m"), ("10m",), ("1m", "5m", "30m")])
def test_learning_and_relearning_match_the_scheduler_step_by_step(steps):
    scheduler = Scheduler(Settings(fuzz=False, learning_steps=steps, relearning_steps=steps), tz=UTC)
    math = MemoryMath(scheduler)
    for first in Rating:
        memory, at, answers = scheduler.review("k", MemoryState(), first, NOW), NOW, 1
        while memory.state != "review":
            at += timedelta(minutes=1)
            memory, answers = scheduler.review("k", memory, Rating.GOOD, at), answers + 1
        assert math.learn(first) == pytest.approx((memory.stability, memory.difficulty, answers))
    studied = MemoryState("review", None, 12.0, 5.0, NOW, NOW - timedelta(days=9), 4, 0)
    memory, at = scheduler.review("k", studied, Rating.AGAIN, NOW, 9), NOW
    while memory.state != "review":
        at += timedelta(minutes=1)
        memory = scheduler.review("k", memory, Rating.GOOD, at, 0)
    assert math.lapse(12.0, 5.0, 9) == pytest.approx((memory.stability, memory.difficulty))
    assert math.relearn_answers() == len(steps)


def test_recall_is_the_schedulers_forgetting_curve():
    scheduler = Scheduler(Settings(fuzz=False), tz=UTC)
    math = MemoryMath(scheduler)
    assert [math.recall(3.0, d) for d in (0, 1, 5, 40)] == pytest.approx(
        scheduler.recall_after_days([(3.0, d) for d in (0, 1, 5, 40)]))
