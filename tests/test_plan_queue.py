"""An interview plan in the daily queue: its cards first, and the kept queue still equals a fresh one."""

from __future__ import annotations

import random
import tempfile
from datetime import timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings as hypothesis_settings, strategies as st

from test_history import T0, UTC, act, fresh_store
from trainer import history
from trainer.config import Settings
from trainer.model import Rating
from trainer.session import Session
from trainer.store import plans as plans_table
from trainer.store.cards import get_card


def store_plan(store, on_day: int, rows: list[tuple[int, int]]) -> None:
    """A plan for study day `on_day` giving each (day, card id) of `rows`, as trainer.prepare stores one."""
    plan = plans_table.PlanRow(0, on_day, 0.9, 20.0, None, 1e-3, 0, rows[0][0] if rows else 0, 0.0, 0.0)
    with store.write():
        plans_table.replace(store, plan, [(day, card_id, i) for i, (day, card_id) in enumerate(rows)])


def card_ids(store) -> list[int]:
    return [row[0] for row in store.conn.execute("SELECT id FROM cards WHERE status = 'active' ORDER BY id")]


def test_plan_cards_of_today_come_first_then_leave_once_answered_and_the_plan_expires_after_its_date(tmp_path):
    store = fresh_store(tmp_path)
    session = Session(store, Settings(fuzz=False), tz=UTC)
    today = session.calendar.day_of(T0)
    ids = card_ids(store)
    faq = [row[0] for row in store.conn.execute("SELECT id FROM cards WHERE kind = 'faq' ORDER BY id DESC")]
    planned = faq[:2]  # new cards from the end of the decks, in the plan's order
    follow_up = store.conn.execute("SELECT id FROM cards WHERE kind = 'followup'").fetchone()[0]
    store_plan(store, today + 3, [(today, planned[0]), (today, follow_up), (today, planned[1]), (today + 1, ids[0])])
    queue = session.queue(T0)
    assert [item.id for item in queue.reviews] == planned  # the follow-up waits for its drill
    assert queue.planned == 2 and [item.id for item in queue.cards[:2]] == planned  # before any new card
    assert planned[0] not in {item.id for item in queue.new_cards}
    card = get_card(store, queue.reviews[0].key)
    assert session.plan_date_for(card, T0) == session.calendar.date(today + 3)
    assert session.plan_date_for(get_card(store, queue.new_cards[0].key), T0) is None
    session.answer(card, Rating.GOOD, T0, 1000)
    assert planned[0] not in [item.id for item in session.queue(T0).reviews]
    tomorrow = T0 + timedelta(days=1)
    assert ids[0] in [item.id for item in session.queue(tomorrow).reviews]
    after = T0 + timedelta(days=3)  # the plan's date: it has expired
    store_plan(store, today + 3, [(today + 3, ids[1])])
    assert ids[1] not in [item.id for item in Session(store, Settings(fuzz=False), tz=UTC).queue(after).reviews]


def test_plan_cards_in_review_take_review_slots_within_the_limit(tmp_path):
    store = fresh_store(tmp_path)
    session = Session(store, Settings(fuzz=False, new_per_day=20), tz=UTC)
    while (card := session.next_card(T0)) is not None:  # learn everything
        session.answer(card, Rating.GOOD, T0, 1000)
    now = T0 + timedelta(days=5)  # everything is due
    today = session.calendar.day_of(now)
    due = card_ids(store)
    planned = due[-2:]
    store_plan(store, today + 5, [(today, card_id) for card_id in planned])
    queue = Session(store, Settings(fuzz=False, reviews_per_day=3), tz=UTC).queue(now)
    assert [item.id for item in queue.reviews][:2] == planned and len(queue.reviews) == 3
    assert Session(store, Settings(fuzz=False, reviews_per_day=1), tz=UTC).queue(now).reviews[0].id == planned[0]


PLAN_ACTIONS = st.lists(
    st.one_of(
        st.tuples(st.just("answer"), st.sampled_from([1, 2, 3, 3, 4]), st.floats(0, 3)),
        st.tuples(st.just("wait"), st.floats(0.01, 3)),
        st.tuples(st.just("plan"), st.integers(0, 2**16)),
        st.just(("unplan",)),
        st.just(("undo",)),
        st.just(("bury",)),
        st.just(("suspend",)),
        st.just(("other_trainer",)),
    ),
    min_size=5,
    max_size=40,
)


@hypothesis_settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(actions=PLAN_ACTIONS, fuzz=st.booleans(), limits=st.sampled_from([(6, 5), (2, 1), (20, 200)]))
def test_with_a_plan_in_place_the_kept_queue_equals_a_fresh_one_after_anything(actions, fuzz, limits):
    with tempfile.TemporaryDirectory() as folder:
        store = fresh_store(Path(folder))
        settings = Settings(fuzz=fuzz, new_per_day=limits[0], reviews_per_day=limits[1])
        session = Session(store, settings, tz=UTC)
        now = T0
        for action in actions:
            name = action[0]
            after = act(action, session, settings, session.scheduler, now)
            if after is not None:
                now = after
            elif name == "plan":
                rng = random.Random(action[1])
                today = session.calendar.day_of(now)
                ids = card_ids(store)
                rows = sorted({(today + rng.randrange(2), rng.choice(ids)) for _ in range(rng.randrange(1, 8))})
                store_plan(store, today + 2, rows)
            elif name == "unplan":
                with store.write():
                    plans_table.forget(store)
            kept = session.queue(now)
            fresh = Session(store, settings, tz=UTC).queue(now)
            assert (kept.ready, kept.reviews, kept.new_cards, kept.learning, kept.planned) == (
                fresh.ready, fresh.reviews, fresh.new_cards, fresh.learning, fresh.planned), action
            assert kept.first() == (kept.cards[0] if kept.cards else None)
            ids = [item.id for item in kept.ready + kept.reviews + kept.new_cards]
            assert len(ids) == len(set(ids)), "a card is queued twice"
        assert history.check(store, session.scheduler).ok
        store.close()
