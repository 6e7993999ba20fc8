"""Practice: chosen cards, answered as often as you like, and never a change to their schedule."""

from __future__ import annotations

import tempfile
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings as hypothesis_settings, strategies as st

from test_history import T0, UTC, fresh_store
from trainer import history
from trainer.config import Settings
from trainer.errors import TrainerError
from trainer.model import EventKind, Rating
from trainer.practice import COMES_BACK_AFTER, PracticeSession, Selection, select_cards
from trainer.session import Session
from trainer.store.cards import MEMORY_COLUMNS, get_card
from trainer.store.reviews import reviews_for

SETTINGS = Settings(fuzz=False)


def studied_store(folder: Path):
    """The property decks, every card learned at T0 and reviewed once two days later."""
    store = fresh_store(folder)
    session = Session(store, replace(SETTINGS, new_per_day=100), tz=UTC)
    for when in (T0, T0 + timedelta(days=2)):
        while (card := session.next_card(when)) is not None:
            session.answer(card, Rating.GOOD if card.source_line % 3 else Rating.EASY, when, 2000)
            when += timedelta(minutes=11)
    return store


def schedule(store) -> list[tuple]:
    cards = store.conn.execute(f"SELECT key, status, {MEMORY_COLUMNS} FROM cards ORDER BY id").fetchall()
    log = store.conn.execute("SELECT * FROM reviews ORDER BY id").fetchall()
    return cards, log


def keys_in_order(store) -> list[str]:
    return [row[0] for row in store.conn.execute("SELECT key FROM cards ORDER BY path, source_line")]


def test_a_missed_card_comes_back_after_three_others_as_often_as_it_is_missed(tmp_path):
    store = fresh_store(tmp_path)
    keys = keys_in_order(store)[:6]
    practice = PracticeSession(store, SETTINGS, keys, tz=UTC)
    shown = []
    first_answers = [Rating.AGAIN, Rating.AGAIN, Rating.GOOD]
    while (card := practice.next_card(T0)) is not None:
        shown.append(card.key)
        practice.answer(card, first_answers.pop(0) if card.key == keys[0] else Rating.GOOD, T0, 1500)
        assert len(shown) < 20
    first = keys[0]
    assert shown == [first, *keys[1:4], first, *keys[4:6], first]
    assert COMES_BACK_AFTER == 3
    assert practice.tally.reviewed == 8 and practice.tally.again == 2
    assert store.conn.execute("SELECT count(*) FROM practice").fetchone()[0] == 8


def test_the_queue_counts_cards_left_and_misses_waiting_and_shows_no_intervals(tmp_path):
    store = fresh_store(tmp_path)
    keys = keys_in_order(store)[:4]
    practice = PracticeSession(store, SETTINGS, keys, tz=UTC)
    card, queue = practice.peek(T0)
    assert practice.practice and practice.intervals(card, T0) is None and not practice.is_early(card, T0)
    assert (queue.review, queue.learning, queue.new) == (4, 0, 0) and queue.first().key == keys[0]
    practice.answer(card, Rating.AGAIN, T0, 1000)
    _, queue = practice.peek(T0)
    assert (queue.review, queue.learning) == (3, 1) and [i.key for i in queue.cards][3] == keys[0]
    assert practice.next_due(T0) is None and not practice.limit_reached(T0)
    assert practice.plan_date_for(card, T0) is None


def test_undo_takes_back_the_answer_and_shows_the_card_again(tmp_path):
    store = fresh_store(tmp_path)
    keys = keys_in_order(store)[:3]
    practice = PracticeSession(store, SETTINGS, keys, tz=UTC)
    card = practice.next_card(T0)
    practice.answer(card, Rating.AGAIN, T0, 1000)
    assert practice.undo().key == card.key
    assert practice.next_card(T0).key == card.key
    assert store.conn.execute("SELECT count(*) FROM practice").fetchone()[0] == 0
    _, queue = practice.peek(T0)
    assert queue.learning == 0 and queue.review == 3
    practice.bury(card, T0)
    assert card.key not in [i.key for i in practice.queue(T0).cards]
    assert get_card(store, card.key).buried_until is None  # a practice bury only skips it in this run


def test_missed_cards_can_be_made_due_today_by_a_logged_event_that_replay_honours(tmp_path):
    store = studied_store(tmp_path)
    now = T0 + timedelta(days=3)
    settings = replace(SETTINGS, practice_misses_due_today=True)
    scheduler = Session(store, settings, tz=UTC).scheduler
    key = next(k for k in keys_in_order(store) if get_card(store, k).memory.due.date() > now.date())
    practice = PracticeSession(store, settings, [key], tz=UTC, scheduler=scheduler)
    answered = practice.answer_card(get_card(store, key), Rating.AGAIN, now, 1000)
    assert answered.made_due
    event = reviews_for(store, key)[-1]
    assert event.kind == EventKind.RESCHEDULE and event.scheduled_days == 0
    assert get_card(store, key).memory.due <= now + timedelta(hours=12)
    assert key in [item.key for item in Session(store, settings, tz=UTC, scheduler=scheduler).queue(now).reviews]
    assert history.check(store, scheduler).ok
    practice.undo()
    assert reviews_for(store, key)[-1].kind == EventKind.ANSWER and history.check(store, scheduler).ok


PRACTICE_ACTIONS = st.lists(
    st.one_of(
        st.tuples(st.just("answer"), st.sampled_from([1, 1, 2, 3, 4]), st.floats(0, 600)),
        st.just(("undo",)),
        st.just(("bury",)),
        st.just(("suspend",)),
    ),
    min_size=1, max_size=40,
)


@hypothesis_settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(actions=PRACTICE_ACTIONS, weakest=st.integers(1, 12))
def test_practice_never_changes_a_cards_schedule_or_the_review_log(actions, weakest):
    with tempfile.TemporaryDirectory() as folder:
        store = studied_store(Path(folder))
        now = T0 + timedelta(days=4)
        keys = select_cards(store, SETTINGS, now, Selection(weakest=weakest))
        practice = PracticeSession(store, SETTINGS, keys, tz=UTC)
        cards_before, log_before = schedule(store)
        suspended = set()
        for action in actions:
            card = practice.next_card(now)
            if action[0] == "answer" and card is not None:
                practice.answer(card, Rating(action[1]), now, int(action[2] * 1000))
                now += timedelta(seconds=action[2])
            elif action[0] == "undo":
                undone = practice.last_action()
                practice.undo()
                if undone is not None and undone.kind == "suspend":
                    suspended.discard(undone.key)
            elif action[0] == "bury" and card is not None:
                practice.bury(card, now)
            elif action[0] == "suspend" and card is not None:
                practice.suspend(card, now)
                suspended.add(card.key)
        cards_after, log_after = schedule(store)
        assert log_after == log_before
        # Only a suspend (a status, not the schedule) may differ, and only for the cards suspended.
        assert [row[:1] + row[2:] for row in cards_after] == [row[:1] + row[2:] for row in cards_before]
        assert {row[0] for row in cards_after if row[1] == "suspended"} == suspended
        answers = sum(1 for a in practice.tally.actions if a.kind == "answer")
        assert store.conn.execute("SELECT count(*) FROM practice").fetchone()[0] == answers
        assert history.check(store, practice.scheduler).ok
        store.close()


# -- choosing the cards -----------------------------------------------------------
def test_cards_are_chosen_by_deck_section_text_and_limit_in_deck_order(tmp_path):
    store = fresh_store(tmp_path)
    everything = select_cards(store, SETTINGS, T0, Selection())
    assert everything == keys_in_order(store)
    drills = select_cards(store, SETTINGS, T0, Selection(deck="drills"))  # deck names any case
    assert drills and all(get_card(store, k).deck == "Drills" for k in drills)
    ladder = select_cards(store, SETTINGS, T0, Selection(section="LADDER"))
    assert ladder and all("Ladder" in get_card(store, k).section for k in ladder)
    found = select_cards(store, SETTINGS, T0, Selection(search="SECOND ANSWER"))
    assert [get_card(store, k).answer for k in found] == ["second answer."]
    assert select_cards(store, SETTINGS, T0, Selection(limit=2)) == everything[:2]


def test_weakest_and_below_rank_studied_cards_by_predicted_recall(tmp_path):
    store = studied_store(tmp_path)
    now = T0 + timedelta(days=6)
    scheduler = Session(store, SETTINGS, tz=UTC).scheduler
    recall_now = {k: scheduler.recall(get_card(store, k).memory, now) for k in keys_in_order(store)}
    recall_now = {k: r for k, r in recall_now.items() if r is not None}  # new cards have no prediction
    assert len(recall_now) > 5
    weakest = select_cards(store, SETTINGS, now, Selection(weakest=3))
    assert weakest == sorted(recall_now, key=recall_now.get)[:3]
    on = (now + timedelta(days=10)).date()
    below = select_cards(store, SETTINGS, now, Selection(below=0.85, on=on))
    moment = now + timedelta(days=10)
    assert set(below) == {k for k in recall_now if scheduler.recall(get_card(store, k).memory, moment) < 0.85}


@pytest.mark.parametrize("selection, message", [
    (Selection(below=1.5, on=T0.date()), "--below: 1.5 is not a recall"),
    (Selection(below=0.9), "--below and --on go together"),
    (Selection(on=T0.date()), "--below and --on go together"),
    (Selection(below=0.9, on=T0.date() - timedelta(days=1)), "is in the past"),
    (Selection(search="no card says this"), "no cards to practise"),
    (Selection(deck="nope"), "no deck named"),
])
def test_a_selection_that_cannot_work_says_why(tmp_path, selection, message):
    store = fresh_store(tmp_path)
    with pytest.raises(TrainerError, match=message):
        select_cards(store, SETTINGS, T0, selection)
