"""Suspend, bury, forget and set a due date on many cards at once, and take it back."""

from __future__ import annotations

from datetime import timezone

import pytest

from trainer import card_actions, history
from trainer.model import EventKind
from trainer.store.cards import get_card
from trainer.store.reviews import reviews_for

from browse_helpers import NOW

UTC = timezone.utc


def card(coll, name):
    return get_card(coll.store, coll.keys[name])


def keys(coll, *names):
    return [coll.keys[n] for n in names]


def test_suspend_skips_the_suspended_and_the_retired_and_undo_restores(coll):
    result = card_actions.suspend(coll.store, keys(coll, "north", "loops", "retired"), NOW)
    assert result.changed == (coll.keys["north"],)
    assert result.message() == "Suspended 1 card (2 already suspended, or retired)."
    assert card(coll, "north").status.value == "suspended" and card(coll, "retired").status.value == "retired"
    card_actions.undo(coll.store, coll.scheduler, result, NOW)
    assert card(coll, "north").status.value == "active" and card(coll, "loops").status.value == "suspended"


def test_unsuspend_touches_only_suspended_cards(coll):
    result = card_actions.unsuspend(coll.store, keys(coll, "loops", "retired", "north"), NOW)
    assert result.changed == (coll.keys["loops"],)
    assert card(coll, "loops").status.value == "active" and card(coll, "retired").status.value == "retired"


def test_bury_hides_until_the_next_study_day_and_unbury_and_undo_put_it_back(coll):
    result = card_actions.bury(coll.store, coll.scheduler, keys(coll, "north", "ete"), NOW)
    assert result.changed == (coll.keys["north"],)  # ete was buried already
    tomorrow = coll.scheduler.calendar.bounds_ms(int(NOW.timestamp() * 1000))[1]
    assert card(coll, "north").buried_until.timestamp() * 1000 == tomorrow
    card_actions.undo(coll.store, coll.scheduler, result, NOW)
    assert card(coll, "north").buried_until is None
    unburied = card_actions.unbury(coll.store, keys(coll, "north", "ete"), NOW)
    assert unburied.changed == (coll.keys["ete"],) and card(coll, "ete").buried_until is None
    card_actions.undo(coll.store, coll.scheduler, unburied, NOW)
    assert card(coll, "ete").buried_until is not None


def test_forget_logs_an_event_keeps_the_history_and_undo_takes_it_back(coll):
    before = card(coll, "cold")
    answers = len(reviews_for(coll.store, before.key))
    result = card_actions.forget(coll.store, coll.scheduler, keys(coll, "cold", "guardrail"), NOW)
    assert result.changed == (coll.keys["cold"],)  # a new card has nothing to forget
    after = card(coll, "cold")
    assert after.memory.state == "new" and after.memory.lapses == before.memory.lapses
    log = reviews_for(coll.store, before.key)
    assert len(log) == answers + 1 and log[-1].kind == EventKind.FORGET
    assert history.check(coll.store, coll.scheduler).ok
    card_actions.undo(coll.store, coll.scheduler, result, NOW)
    assert card(coll, "cold").memory == before.memory
    assert len(reviews_for(coll.store, before.key)) == answers


def test_set_due_makes_cards_due_that_many_study_days_from_today(coll):
    result = card_actions.set_due(coll.store, coll.scheduler, keys(coll, "north", "guardrail", "second"), 3, NOW)
    assert set(result.changed) == set(keys(coll, "north", "second"))  # a new card has no due date
    calendar = coll.scheduler.calendar
    expected = calendar.start_ms(calendar.day_of(NOW) + 3)
    for name in ("north", "second"):
        due = card(coll, name).memory.due
        assert int(due.timestamp() * 1000) == expected and card(coll, name).memory.state == "review"
        assert reviews_for(coll.store, coll.keys[name])[-1].kind == EventKind.RESCHEDULE
    assert history.check(coll.store, coll.scheduler).ok
    north = card(coll, "north").memory
    card_actions.undo(coll.store, coll.scheduler, result, NOW)
    assert card(coll, "north").memory != north


def test_an_action_is_all_or_nothing(coll, monkeypatch):
    calls = []
    real = history.record

    def failing(*args, **kwargs):
        calls.append(args[2])
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return real(*args, **kwargs)

    monkeypatch.setattr(card_actions.history, "record", failing)
    before = {name: card(coll, name).memory for name in ("north", "cold")}
    with pytest.raises(RuntimeError):
        card_actions.forget(coll.store, coll.scheduler, keys(coll, "north", "cold"), NOW)
    assert {name: card(coll, name).memory for name in ("north", "cold")} == before


def test_set_due_refuses_a_day_in_the_past(coll):
    with pytest.raises(ValueError):
        card_actions.set_due(coll.store, coll.scheduler, keys(coll, "north"), -1, NOW)
