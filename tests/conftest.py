"""Shared fixtures: a fixed clock, fuzz off, and databases in tmp_path only."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from trainer.config import Settings
from trainer.importer import import_paths
from trainer.store import open_db

# A Monday, 10:00 UTC: well inside a study day that starts at 04:00.
T0 = datetime(2026, 3, 2, 10, 0, tzinfo=timezone.utc)

SAMPLE_DECK = """\
# Sample deck

## Mistakes
BAD: I'd focus on engagement.
GOOD: I'd separate immediate clicks from long-term retention.
WHY: One metric can mislead.

## Contrasts
- Not the first click, but the second session.

## Ladder
LADDER: Home for returning listeners
PRIMARY: repeat listening within 7 days
PROXY: saves and follows
GUARDRAIL: feed diversity

## FAQ
Q: Does Spotify expect deep ML knowledge?
A: No. Enough ML literacy to avoid naive answers.
"""


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, now: datetime = T0):
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta) -> datetime:
        self.now += timedelta(**delta)
        return self.now


@pytest.fixture(autouse=True)
def no_user_folders(tmp_path, monkeypatch):
    """No test ever touches the real user data or config folders."""
    monkeypatch.setenv("TRAINER_DB", str(tmp_path / "trainer.db"))
    monkeypatch.setenv("TRAINER_CONFIG", str(tmp_path / "config.toml"))
    monkeypatch.setenv("TRAINER_DECKS", str(tmp_path / "my-decks"))
    monkeypatch.setenv("TZ", "UTC")


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def settings() -> Settings:
    return Settings(fuzz=False)


@pytest.fixture
def deck_dir(tmp_path) -> Path:
    folder = tmp_path / "decks"
    folder.mkdir()
    (folder / "sample.md").write_text(SAMPLE_DECK, encoding="utf-8")
    return folder


@pytest.fixture
def store(tmp_path, deck_dir):
    """A database with the sample deck imported."""
    db = open_db(tmp_path / "trainer.db")
    report = import_paths(db, [deck_dir], T0)
    assert report.ok, report.all_errors
    yield db
    db.close()


def log_answer(store, key, rating, when, after, *, duration_ms=1000, recall=None, tz=timezone.utc, day_starts_at=4):
    """Write one answer and the cache it leaves, as given: for tests that need a
    hand-made history (arbitrary states) rather than the scheduler's."""
    from trainer.days import StudyCalendar, to_ms
    from trainer.model import EventKind, Rating
    from trainer.store.cards import get_card, write_memory
    from trainer.store.reviews import STATE_CODES, Derived, insert_event

    card = get_card(store, key)
    before = card.memory
    calendar = StudyCalendar(day_starts_at, tz)
    elapsed = scheduled = None
    if before.last_review is not None:
        elapsed = calendar.day_of(when) - calendar.day_of(before.last_review)
        if before.state == "review":
            scheduled = calendar.day_of(before.due) - calendar.day_of(before.last_review)
    derived = Derived(STATE_CODES[before.state], elapsed, scheduled, recall)
    with store.write():
        review_id = insert_event(store, card.id, to_ms(when), EventKind.ANSWER, Rating(rating), duration_ms, derived)
        write_memory(store, card.id, after)
    return review_id


def mark_current(store, settings) -> None:
    """Declare a hand-made cache current for `settings`, so opening through the CLI keeps it as written."""
    from trainer.scheduler import fingerprint
    from trainer.scheduler import Scheduler

    with store.write():
        store.set_meta("schedule", fingerprint(Scheduler(settings, tz=settings.zone)))


@pytest.fixture
def coll(tmp_path):
    """The browser's collection (tests/browse_helpers.py): two decks, cards in every state and flag."""
    from browse_helpers import build

    collection = build(tmp_path)
    yield collection
    collection.store.close()
