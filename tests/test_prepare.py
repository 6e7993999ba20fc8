"""trainer prepare: the plan's days, its budget, storing it, fitting it again each day, its errors."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings as hypothesis_settings, strategies as st

from conftest import T0
from trainer.config import Settings
from trainer.errors import TrainerError
from trainer.model import MemoryState, Rating
from trainer.outlook import Learner, PlanCard
from trainer.plan_values import Values
from trainer.planner import Planner
from trainer.prepare import accept, in_force, make_plan, refit
from trainer.scheduler import MemoryMath, Scheduler
from trainer.store import plans as plans_table
from trainer.store.cards import write_memory

UTC = T0.tzinfo
SCHEDULER = Scheduler(Settings(fuzz=False), tz=UTC)
TODAY = SCHEDULER.calendar.day_of(T0)


def planner(days: int, minutes: float, learner: Learner = Learner()) -> Planner:
    values = Values(MemoryMath(SCHEDULER), learner, 0.9, days)
    return Planner(values, TODAY, TODAY + days, minutes * 60)


def card(i: int, stability=None, difficulty=None, ago=None, seconds=60.0) -> PlanCard:
    last = None if ago is None else TODAY - ago
    return PlanCard(i, f"card{i}", None, stability, difficulty, last, seconds, i)


def test_one_review_a_day_goes_where_it_counts_the_card_only_tomorrow_can_save_waits_for_tomorrow():
    # DATE is the day after tomorrow; the budget holds one review a day.
    sure = card(1, 100.0, 5.0, 1)  # recall on DATE well above the target: nothing to do
    late = card(2, 1.0, 10.0, 1)  # a Good answer today leaves it below the target on DATE; tomorrow, above
    either = card(3, 5.0, 5.0, 10)  # a Good answer either day carries it to DATE
    fit = planner(2, 2.0).fit([sure, late, either])
    assert fit.by_day == {TODAY: [3], TODAY + 1: [2]}
    math = MemoryMath(SCHEDULER)
    recall_on = {c.id: math.recall(c.stability, TODAY + 2 - c.last) for c in (sure, late, either)}
    assert recall_on[1] >= 0.9 > max(recall_on[2], recall_on[3])
    good_today = math.review(1.0, 10.0, 1, Rating.GOOD)[0]
    good_tomorrow = math.review(1.0, 10.0, 2, Rating.GOOD)[0]
    assert math.recall(good_today, 2) < 0.9 <= math.recall(good_tomorrow, 1)  # why the late card waits


def test_a_card_whose_review_is_not_worth_its_time_is_left_alone():
    hopeless = card(1, seconds=3000.0)  # a new card whose learning would take the whole day's minutes and more
    cheap = card(2, 2.0, 5.0, 6, seconds=5.0)
    fit = planner(3, 10.0).fit([hopeless, cheap])
    assert 1 not in fit.days_of and 2 in fit.days_of


def test_new_cards_are_learned_early_enough_to_be_reviewed_before_the_date():
    fit = planner(10, 30.0).fit([card(i, seconds=10.0) for i in range(20)])
    assert set(fit.days_of) == set(range(20))
    assert all(days[0] <= TODAY + 5 and len(days) >= 2 for days in fit.days_of.values())
    assert fit.expected > 18


CARDS = st.lists(
    st.one_of(
        st.tuples(st.none(), st.none(), st.none(), st.floats(2, 120)),
        st.tuples(st.floats(0.05, 400), st.floats(1, 10), st.integers(0, 200), st.floats(2, 120)),
    ),
    min_size=1, max_size=60,
)


@hypothesis_settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cards=CARDS, days=st.integers(1, 20), minutes=st.floats(0.5, 30), first_again=st.floats(0, 1))
def test_the_plan_never_asks_more_minutes_than_the_budget_on_any_day(cards, days, minutes, first_again):
    plan_cards = [card(i, s, d, ago, seconds) for i, (s, d, ago, seconds) in enumerate(cards)]
    fit = planner(days, minutes, Learner(first_again=first_again)).fit(plan_cards)
    assert set(fit.seconds) <= set(range(TODAY, TODAY + days))
    assert all(spent <= minutes * 60 for spent in fit.seconds.values())
    # Each card at most once a day, never before its last review.
    for card_id, planned in fit.days_of.items():
        assert planned == sorted(set(planned))
        last = plan_cards[card_id].last
        assert last is None or planned[0] > last
    assert fit.unplanned <= fit.expected <= len(plan_cards) + 1e-9


# -- on a collection --------------------------------------------------------------
def study(store, keys_stabilities: dict[str, tuple[float, int]]) -> None:
    """Give cards a memory as if last reviewed `ago` days before T0 (a hand-made cache)."""
    with store.write():
        for key, (stability, ago) in keys_stabilities.items():
            card_id = store.conn.execute("SELECT id FROM cards WHERE key = ?", (key,)).fetchone()[0]
            when = T0 - timedelta(days=ago)
            write_memory(store, card_id, MemoryState("review", None, stability, 5.0, when + timedelta(days=1), when, 3, 0))


def keys(store) -> list[str]:
    return [row[0] for row in store.conn.execute("SELECT key FROM cards ORDER BY path, source_line")]


def test_a_plan_is_stored_served_and_fitted_again_the_next_day(store):
    settings = Settings(fuzz=False)
    study(store, {key: (3.0, 4) for key in keys(store)[:3]})
    on = (T0 + timedelta(days=4)).date()
    plan = make_plan(store, settings, T0, on, minutes=10)
    assert plan.fit.by_day and plan.days[0].date == T0.date().isoformat() and len(plan.days) == 4
    plan_id = accept(store, plan, T0)
    assert in_force(store, settings, T0).id == plan_id
    stored = plans_table.rows_from(store, plan_id, TODAY)
    assert stored == [(day, card_id) for day, ids in sorted(plan.fit.by_day.items()) for card_id in ids]
    assert refit(store, settings, T0) is None  # already fitted today
    tomorrow = T0 + timedelta(days=1)
    again = refit(store, settings, tomorrow)
    assert again is not None and again.first_day == TODAY + 1 and again.fit.price == plan.fit.price
    assert plans_table.rows_from(store, plan_id, TODAY)[: len(plan.fit.by_day.get(TODAY, []))] == [
        (TODAY, card_id) for card_id in plan.fit.by_day.get(TODAY, [])]  # the past stays as it was
    assert in_force(store, settings, T0 + timedelta(days=4)) is None  # from the date on, it is over


@pytest.mark.parametrize("on, message", [
    (T0.date() - timedelta(days=1), "is in the past"),
    (T0.date(), "is today"),
    (T0.date() + timedelta(days=400), "at most 60 days ahead"),
])
def test_dates_the_plan_cannot_use_are_refused_with_a_reason(store, on, message):
    with pytest.raises(TrainerError, match=message):
        make_plan(store, Settings(), T0, on)


def test_an_empty_collection_and_bad_figures_are_refused(tmp_path, store):
    from trainer.store import open_db

    on = T0.date() + timedelta(days=3)
    with open_db(tmp_path / "empty.db") as empty, pytest.raises(TrainerError, match="no cards to plan"):
        make_plan(empty, Settings(), T0, on)
    with pytest.raises(TrainerError, match="--target"):
        make_plan(store, Settings(), T0, on, target=1.5)
    with pytest.raises(TrainerError, match="--minutes-per-day"):
        make_plan(store, Settings(), T0, on, minutes=0)
    with pytest.raises(TrainerError, match="no deck named"):
        make_plan(store, Settings(), T0, on, deck="nope")
