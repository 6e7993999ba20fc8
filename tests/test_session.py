"""Today's queue and answering, without any UI."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta, timezone

import pytest

from trainer.errors import TrainerError
from trainer.model import CardKind, Rating, Status
from trainer.scheduler import Scheduler
from trainer.session import Session, resolve_deck
from trainer.store import open_db
from trainer.store.cards import cards_where, get_card, set_status
from trainer.store.reviews import reviews_for

from conftest import T0

UTC = timezone.utc


def make_session(store, settings, **kw):
    return Session(store, settings, tz=UTC, **kw)


def answer_all(session, now, rating=Rating.GOOD):
    """Answer every card ready now once; returns the keys answered."""
    keys = []
    while session.queue(now).cards:
        card = session.next_card(now)
        session.answer(card, rating, now, 1000)
        keys.append(card.key)
    return keys


def test_new_deck_queue_holds_one_rung_per_ladder(store, settings):
    queue = make_session(store, settings).queue(T0)
    kinds = [card.kind for card in queue.cards]
    assert kinds.count("ladder") == 1
    assert sorted(kinds) == ["contrast", "faq", "ladder", "pair"]
    assert (queue.new, queue.learning, queue.review) == (4, 0, 0)


def test_new_cards_come_in_deck_order(store, settings):
    cards = make_session(store, settings).queue(T0).cards
    assert [c.source_line for c in cards] == sorted(c.source_line for c in cards)


def test_answer_is_committed_and_visible_to_another_connection(store, settings, tmp_path):
    session = make_session(store, settings)
    card = session.next_card(T0)
    review_id = session.answer(card, Rating.GOOD, T0, 4000)
    other = open_db(tmp_path / "trainer.db")
    try:
        reviews = reviews_for(other, card.key)
        assert [r.id for r in reviews] == [review_id]
        assert reviews[0].rating == Rating.GOOD and reviews[0].duration_ms == 4000
        assert reviews[0].state == "new" and reviews[0].reviewed_at == T0
        assert get_card(other, card.key).memory == get_card(store, card.key).memory
        assert get_card(other, card.key).memory.state == "learning"
    finally:
        other.close()


def test_learning_card_comes_back_when_due_and_first(store, settings, clock):
    session = make_session(store, settings)
    first = session.next_card(T0)
    session.answer(first, Rating.AGAIN, T0, 1000)  # due again in 1 minute
    assert session.next_card(T0).key != first.key
    later = T0 + timedelta(minutes=2)
    assert session.queue(later).cards[0].key == first.key


def test_reviews_due_sorted_by_lowest_recall_first(store, settings):
    session = make_session(store, settings)
    answer_all(session, T0, Rating.EASY)  # every card to review state, due in days
    cards = {c.key: c for c in cards_where(store, "state = 'review'")}
    assert len(cards) == 4
    # Give them different stabilities so recall differs at the same moment.
    scheduler = Scheduler(settings)
    keys = sorted(cards)
    for i, key in enumerate(keys):
        memory = replace(cards[key].memory, stability=1.0 + 10 * i, due=T0 + timedelta(days=1))
        from trainer.store.cards import write_memory

        with store.atomic():
            write_memory(store, cards[key].id, memory)
    later = T0 + timedelta(days=3)
    queue = session.queue(later)
    recalls = [scheduler.retrievability(get_card(store, c.key).memory, later) for c in queue.cards]
    assert recalls == sorted(recalls)
    assert queue.cards[0].key == keys[0]


def test_sibling_rungs_wait_for_another_day(store, settings):
    session = make_session(store, settings)
    shown = answer_all(session, T0, Rating.EASY)
    ladder_keys = {c.key for c in cards_where(store, "kind = 'ladder'")}
    assert len(ladder_keys & set(shown)) == 1
    # Same day, later: the other rungs still wait.
    assert not [c for c in session.queue(T0 + timedelta(hours=2)).cards if c.kind == "ladder"]
    # Next study day: another rung.
    tomorrow = T0 + timedelta(days=1)
    rungs = [c for c in session.queue(tomorrow).cards if c.kind == "ladder"]
    assert len(rungs) == 1 and rungs[0].key not in shown


def test_new_card_limit_counts_across_two_openings(store, settings):
    limited = replace(settings, new_per_day=3)
    first = make_session(store, limited)
    card = first.next_card(T0)
    first.answer(card, Rating.EASY, T0, 1000)
    # The trainer is closed and opened again the same day.
    second = make_session(store, limited)
    queue = second.queue(T0 + timedelta(minutes=5))
    assert queue.new == 2
    answer_all(second, T0 + timedelta(minutes=5), Rating.EASY)
    assert second.queue(T0 + timedelta(minutes=6)).new == 0
    assert second.limit_reached(T0 + timedelta(minutes=6))


def test_review_limit_counts_reviews_done_today(store, settings):
    session = make_session(store, settings)
    answer_all(session, T0, Rating.EASY)
    due_day = T0 + timedelta(days=40)
    limited = make_session(store, replace(settings, reviews_per_day=1, new_per_day=0))
    assert limited.queue(due_day).review == 1
    card = limited.next_card(due_day)
    limited.answer(card, Rating.GOOD, due_day, 1000)
    assert limited.queue(due_day + timedelta(minutes=1)).review == 0


def test_day_rolls_over_at_the_configured_hour(store, settings):
    limited = replace(settings, new_per_day=1, day_starts_at=4)
    session = make_session(store, limited)
    late_evening = T0.replace(hour=23)
    session.answer(session.next_card(late_evening), Rating.EASY, late_evening, 1000)
    # 03:59 next morning is still the same study day: no new card.
    assert session.queue(late_evening.replace(hour=3, minute=59) + timedelta(days=1)).new == 0
    # 04:00 starts the next day.
    assert session.queue(late_evening.replace(hour=4, minute=0) + timedelta(days=1)).new == 1


def test_retired_and_suspended_cards_never_appear(store, settings):
    session = make_session(store, settings)
    cards = [get_card(store, c.key) for c in session.queue(T0).cards]
    with store.atomic():
        set_status(store, [cards[0].key], Status.RETIRED, T0)
    session.suspend(cards[1], T0)
    keys = {c.key for c in session.queue(T0).cards}
    assert cards[0].key not in keys and cards[1].key not in keys
    assert len(keys) == 2


def test_buried_card_returns_next_study_day(store, settings):
    session = make_session(store, settings)
    card = session.next_card(T0)
    session.bury(card, T0)
    assert card.key not in {c.key for c in session.queue(T0).cards}
    next_day = T0.replace(hour=4) + timedelta(days=1)
    assert card.key in {c.key for c in session.queue(next_day).cards}


def test_learning_card_shown_early_when_nothing_else_is_due(store, settings):
    session = make_session(store, replace(settings, new_per_day=1))
    card = session.next_card(T0)
    session.answer(card, Rating.GOOD, T0, 1000)  # next step in 10 minutes
    assert session.queue(T0).empty
    assert session.next_card(T0).key == card.key  # within 20 minutes: shown early
    session.answer(card, Rating.GOOD, T0 + timedelta(minutes=10), 1000)  # graduates, due in days
    assert session.next_card(T0 + timedelta(minutes=10)) is None
    assert session.next_due(T0 + timedelta(minutes=10)) > T0 + timedelta(days=1)


def test_undo_twice_restores_both_cards_and_removes_their_reviews(store, settings):
    session = make_session(store, settings)
    first = session.next_card(T0)
    session.answer(first, Rating.GOOD, T0, 1000)
    second = session.next_card(T0)
    session.answer(second, Rating.AGAIN, T0, 1000)
    assert session.undo().key == second.key
    assert session.undo().key == first.key
    assert session.undo() is None  # back to when the session started
    for card in (first, second):
        assert reviews_for(store, card.key) == []
        assert get_card(store, card.key).memory.state == "new"
    assert session.tally.reviewed == 0


def test_rebuilt_state_equals_cached_state(store, settings):
    session = make_session(store, settings)
    now = T0
    for step, rating in enumerate([Rating.GOOD, Rating.GOOD, Rating.AGAIN, Rating.HARD, Rating.EASY]):
        card = session.next_card(T0) if step == 0 else get_card(store, key)
        key = card.key
        session.answer(card, rating, now, 1000)
        now = get_card(store, key).memory.due + timedelta(hours=1)
    cached = get_card(store, key).memory
    reviews = reviews_for(store, key)
    rebuilt = Scheduler(settings).replay(key, [(r.rating, r.reviewed_at) for r in reviews])
    assert rebuilt == cached
    assert cached.reps == 5 and cached.lapses == 1


def test_replay_matches_fsrs_reschedule_card_when_answers_come_whole_days_apart(store, settings):
    """Memory is py-fsrs's own: with answers 24-hour multiples apart, study days and fsrs's days agree."""
    import fsrs

    scheduler = Scheduler(settings, tz=UTC)
    start = T0 + timedelta(minutes=10)
    times = [T0, start, start + timedelta(days=3), start + timedelta(days=9)]
    ratings = [Rating.GOOD, Rating.GOOD, Rating.AGAIN, Rating.GOOD]
    ours = scheduler.replay("k", list(zip(ratings, times)))
    theirs_scheduler = fsrs.Scheduler(enable_fuzzing=False)
    logs = [fsrs.ReviewLog(1, fsrs.Rating(int(r)), t, None) for r, t in zip(ratings, times)]
    theirs = theirs_scheduler.reschedule_card(fsrs.Card(card_id=1, due=T0), logs)
    assert ours.stability == theirs.stability
    assert ours.difficulty == theirs.difficulty
    assert ours.due == theirs.due


def test_resolve_deck_is_case_insensitive_and_errors_clearly(store):
    assert resolve_deck(store, "sample deck") == "Sample deck"
    with pytest.raises(TrainerError, match="no deck named 'Nope'; decks: 'Sample deck'"):
        resolve_deck(store, "Nope")
