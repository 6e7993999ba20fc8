"""A database written by trainer 0.1 opens in this version: every card and review kept, the log reshaped."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timezone
from pathlib import Path

import pytest

from trainer import current, history
from trainer.config import Settings
from trainer.scheduler import Scheduler
from trainer.store import open_db
from trainer.store.cards import cards_where

DUMP = Path(__file__).with_name("fixtures") / "database-v0.1.sql"
UTC = timezone.utc


@pytest.fixture
def old_db(tmp_path) -> Path:
    """The 0.1 database as that version left it (110 cards, 84 reviews, one suspended, one buried)."""
    path = tmp_path / "v01.db"
    conn = sqlite3.connect(path)
    conn.executescript(DUMP.read_text(encoding="utf-8"))
    conn.close()
    return path


def old_rows(path: Path, sql: str) -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def ms(text: str | None) -> int | None:
    return None if text is None else round(datetime.fromisoformat(text).timestamp() * 1000)


def test_every_card_and_review_survives_the_migration(old_db):
    cards = old_rows(old_db, "SELECT key, kind, deck, path, prompt, answer, status, state, stability, difficulty, "
                             "due, last_review, reps, lapses, buried_until, created_at FROM cards ORDER BY key")
    reviews = old_rows(old_db, "SELECT id, card_key, rating, reviewed_at, duration_ms, state FROM reviews ORDER BY id")
    assert len(cards) == 110 and len(reviews) == 84

    with open_db(old_db) as store:
        new_cards = store.conn.execute(
            "SELECT key, kind, deck, path, prompt, answer, status, state, stability, difficulty, "
            "due, last_review, reps, lapses, buried_until, created_at FROM cards ORDER BY key").fetchall()
        new_reviews = store.conn.execute(
            "SELECT r.id, c.key, r.rating, r.at, r.duration_ms, r.state FROM reviews r "
            "JOIN cards c ON c.id = r.card_id ORDER BY r.id").fetchall()
        assert store.meta("rebuild") == "needed" and len(store.meta("device")) == 32
        assert store.conn.execute("PRAGMA foreign_key_check").fetchall() == []
        assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"

    states = {"new": 0, "learning": 1, "review": 2, "relearning": 3}
    assert new_reviews == [(i, key, rating, ms(at), duration, states[state])
                           for i, key, rating, at, duration, state in reviews]
    assert new_cards == [row[:10] + (ms(row[10]), ms(row[11])) + row[12:14] + (ms(row[14]), ms(row[15]))
                         for row in cards]
    assert sum(1 for row in new_cards if row[6] == "suspended") == 1
    assert sum(1 for row in new_cards if row[14] is not None) == 1


def test_first_open_after_the_migration_replays_the_log_and_check_agrees(old_db):
    counts = dict(old_rows(old_db, "SELECT card_key, count(*) FROM reviews GROUP BY card_key"))
    settings = Settings(fuzz=True)
    with current.open_current(old_db, settings) as store:
        assert store.meta("rebuild") is None
        scheduler = Scheduler(settings, tz=settings.zone)
        report = history.check(store, scheduler)
        assert report.ok and report.reviews == 84 and report.cards == 110
        # Reps still count every answer: nothing was lost on the way.
        reps = {card.key: card.memory.reps for card in cards_where(store)}
    assert {k: n for k, n in reps.items() if n} == counts


def test_review_ids_stay_through_rebuilds(old_db):
    with open_db(old_db) as store:
        before = store.conn.execute("SELECT id, card_id, at FROM reviews ORDER BY id").fetchall()
        device = store.meta("device")
        history.rebuild(store, Scheduler(Settings(fuzz=False)))
        history.rebuild(store, Scheduler(Settings(desired_retention=0.8)))
        assert store.conn.execute("SELECT id, card_id, at FROM reviews ORDER BY id").fetchall() == before
        assert store.meta("device") == device
