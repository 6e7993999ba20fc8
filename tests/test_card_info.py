"""Card info: every event with the state a replay gives after it, drill answers, and recall over time."""

from __future__ import annotations

from datetime import timedelta, timezone

import pytest

from trainer import card_actions, history
from trainer.card_info import card_info, chart_floor, recall_chart, resample
from trainer.errors import TrainerError
from trainer.importer import import_paths
from trainer.model import DrillAnswer, Rating
from trainer.store import open_db
from trainer.store import reviews as log
from trainer.store.cards import cards_where, get_card
from trainer.store.reviews import reviews_for

from browse_helpers import NOW, SETTINGS
from conftest import T0

UTC = timezone.utc


def test_each_event_shows_the_state_a_replay_of_the_log_up_to_it_gives(coll):
    key = coll.keys["cold"]
    card_actions.set_due(coll.store, coll.scheduler, [key], 2, NOW)
    info = card_info(coll.store, coll.settings, key, NOW, scheduler=coll.scheduler)
    card = get_card(coll.store, key)
    events = log.events_for(coll.store, card.id)
    assert [e.id for e in info.events] == [e.id for e in events]
    for n, shown in enumerate(info.events, start=1):
        memory, _ = history.replay(coll.scheduler, key, events[:n])
        assert (shown.stability, shown.difficulty, shown.state_after, shown.due) == (
            memory.stability, memory.difficulty, memory.state, memory.due)
    stored = reviews_for(coll.store, key)
    assert [e.recall for e in info.events] == [r.recall for r in stored]
    assert [e.elapsed_days for e in info.events] == [r.elapsed_days for r in stored]
    assert [e.duration_ms for e in info.events] == [r.duration_ms for r in stored]
    assert info.replayed == card.memory and info.cache_matches
    assert [e.kind for e in info.events][-1] == "set due"
    assert [e.rating_name for e in info.answers] == ["Good", "Good", "Again", "Good", "Again", "Good"]
    assert info.leech and info.card.memory.lapses == 2


def test_review_intervals_are_in_study_days(coll):
    info = card_info(coll.store, coll.settings, coll.keys["north"], NOW, scheduler=coll.scheduler)
    calendar = coll.scheduler.calendar
    for event in info.events:
        if event.state_after == "review":
            assert event.interval_days == calendar.day_of(event.due) - calendar.day_of(event.at) > 0
        else:
            assert event.interval_days is None and event.interval < timedelta(days=1)


def test_recall_curve_runs_from_the_first_review_to_today_along_the_forgetting_curve(coll):
    key = coll.keys["north"]
    info = card_info(coll.store, coll.settings, key, NOW, scheduler=coll.scheduler)
    calendar = coll.scheduler.calendar
    first, today = calendar.day_of(T0), calendar.day_of(NOW)
    assert info.first_day == calendar.date(first)
    assert len(info.curve) == today - first + 1
    answered = {calendar.day_of(e.at) - first for e in info.events}
    assert all(info.curve[day] == 1.0 for day in answered)
    assert info.curve[-1] == pytest.approx(info.recall_now)
    # Between answers recall only falls.
    assert info.curve[1] > info.curve[2] and info.curve[4] > info.curve[8]


def test_a_new_card_has_no_events_and_no_curve(coll):
    info = card_info(coll.store, coll.settings, coll.keys["guardrail"], NOW, scheduler=coll.scheduler)
    assert info.events == () and info.curve == () and info.recall_now is None and info.first_day is None


def test_a_forgotten_card_has_no_recall_from_the_day_it_was_forgotten(coll):
    key = coll.keys["second"]
    card_actions.forget(coll.store, coll.scheduler, [key], NOW - timedelta(days=2))
    info = card_info(coll.store, coll.settings, key, NOW, scheduler=coll.scheduler)
    assert info.curve[-3:] == (None, None, None) and info.curve[0] == 1.0


def test_drill_answers_are_shown_with_their_review(tmp_path):
    deck = tmp_path / "drills.md"
    deck.write_text("# Drills\n\nDRILL: Design Home.\nTIME: 90s\nRUBRIC:\n- one user state\n- one metric\n"
                    "A: A model answer.\n", encoding="utf-8")
    store = open_db(tmp_path / "d.db")
    try:
        import_paths(store, [deck], T0)
        key = next(c.key for c in cards_where(store) if c.kind == "drill")
        from trainer.scheduler import Scheduler

        scheduler = Scheduler(SETTINGS, tz=UTC)
        history.answer(store, scheduler, key, Rating.HARD, T0, 80_000, DrillAnswer(75_000, 1, 2, "forgot the metric"))
        history.answer(store, scheduler, key, Rating.GOOD, T0 + timedelta(minutes=10), 5_000)
        info = card_info(store, SETTINGS, key, T0 + timedelta(days=1), scheduler=scheduler)
        assert info.events[0].drill == DrillAnswer(75_000, 1, 2, "forgot the metric")
        assert info.events[1].drill is None
    finally:
        store.close()


def test_an_unknown_key_is_a_clear_error(coll):
    with pytest.raises(TrainerError, match="no card with key 'nope'"):
        card_info(coll.store, coll.settings, "nope", NOW)


def test_the_chart_keeps_the_lowest_day_of_each_column_and_its_size():
    values = (None, 1.0, 0.95, 0.9, 1.0, 0.97, 0.5, 1.0)
    assert resample(values, 4) == [1.0, 0.9, 0.97, 0.5]
    assert chart_floor(values) == 0.5 and chart_floor((0.99, 0.95)) == 0.8
    lines = recall_chart(values, 8, height=3)
    assert len(lines) == 3 and all(len(line) == 8 for line in lines)
    assert [line[0] for line in lines] == [" ", " ", " "]  # the day the card was new
    assert lines[0][1] == "█" and lines[-1][6] == "▁"  # 100% fills the column; the floor is a sliver
