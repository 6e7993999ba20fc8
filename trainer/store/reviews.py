"""The review log: one compact row per event, appended; trainer.history decides what goes in."""

from __future__ import annotations

from typing import Iterable, Iterator, NamedTuple

from trainer.days import from_ms
from trainer.model import DrillAnswer, EventKind, Rating, Review
from trainer.store.connection import Store

STATE_CODES = {"new": 0, "learning": 1, "review": 2, "relearning": 3}
STATE_NAMES = {code: name for name, code in STATE_CODES.items()}
# The columns trainer.history derives by replay (trainer check compares them).
DERIVED_COLUMNS = ("state", "elapsed_days", "scheduled_days", "recall")


class Event(NamedTuple):
    """A row of the log as replay reads it."""

    id: int
    card_id: int
    kind: int
    rating: int | None
    at: int  # ms
    scheduled_days: int | None  # input for RESCHEDULE events


class Derived(NamedTuple):
    state: int
    elapsed_days: int | None
    scheduled_days: int | None
    recall: float | None


def insert_event(
    store: Store,
    card_id: int,
    at_ms: int,
    kind: EventKind,
    rating: Rating | None,
    duration_ms: int | None,
    derived: Derived,
) -> int:
    """Append one event (callers hold the transaction); returns its id."""
    sql = (
        "INSERT INTO reviews (card_id, at, kind, rating, duration_ms, state, elapsed_days, "
        "scheduled_days, recall) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
    )
    values = (card_id, at_ms, int(kind), int(rating) if rating else None, duration_ms) + tuple(derived)
    return store.conn.execute(sql, values).lastrowid


def insert_drill_answer(store: Store, review_id: int, drill: DrillAnswer) -> None:
    store.conn.execute(
        "INSERT INTO drill_answers (review_id, time_ms, ticked, total, notes) VALUES (?, ?, ?, ?, ?)",
        (review_id, drill.time_ms, drill.ticked, drill.total, drill.notes or None),
    )


def drill_answer(store: Store, review_id: int) -> DrillAnswer | None:
    row = store.conn.execute(
        "SELECT time_ms, ticked, total, notes FROM drill_answers WHERE review_id = ?", (review_id,)
    ).fetchone()
    return DrillAnswer(row[0], row[1], row[2], row[3] or "") if row else None


def delete_event(store: Store, review_id: int) -> int | None:
    """Remove one row (undo); returns its card id, or None when it was already gone."""
    row = store.conn.execute("SELECT card_id FROM reviews WHERE id = ?", (review_id,)).fetchone()
    if row is None:
        return None
    store.conn.execute("DELETE FROM reviews WHERE id = ?", (review_id,))
    return row[0]


_EVENT_COLUMNS = "id, card_id, kind, rating, at, scheduled_days"


def events_for(store: Store, card_id: int) -> list[Event]:
    """One card's log, in the order replay applies it."""
    sql = f"SELECT {_EVENT_COLUMNS} FROM reviews WHERE card_id = ? ORDER BY at, id"
    return [Event(*row) for row in store.conn.execute(sql, (card_id,))]


def events_between(store: Store, low: int, high: int) -> Iterator[tuple[Event, Derived]]:
    """The logs of cards with ids in [low, high), with their stored derived columns, card by card.

    Streamed from one ordered walk of reviews_card_at, so a million rows never
    sit in memory at once.
    """
    sql = (
        f"SELECT {_EVENT_COLUMNS}, {', '.join(DERIVED_COLUMNS)} FROM reviews "
        "WHERE card_id >= ? AND card_id < ? ORDER BY card_id, at, id"
    )
    return ((Event(*row[:6]), Derived(*row[6:])) for row in store.conn.execute(sql, (low, high)))


def write_derived(store: Store, rows: Iterable[tuple[int, Derived]]) -> None:
    store.conn.executemany(
        "UPDATE reviews SET state = ?, elapsed_days = ?, scheduled_days = ?, recall = ? WHERE id = ?",
        (tuple(derived) + (review_id,) for review_id, derived in rows),
    )


_REVIEW_SELECT = (
    "SELECT r.id, c.key, r.kind, r.rating, r.at, r.duration_ms, r.state, r.elapsed_days, "
    "r.scheduled_days, r.recall FROM reviews r JOIN cards c ON c.id = r.card_id"
)


def _review(row: tuple) -> Review:
    rid, key, kind, rating, at, duration, state, elapsed, scheduled, recall = row
    return Review(
        id=rid, card_key=key, kind=EventKind(kind), rating=Rating(rating) if rating else None,
        reviewed_at=from_ms(at), duration_ms=duration, state=STATE_NAMES[state],
        elapsed_days=elapsed, scheduled_days=scheduled, recall=recall,
    )


def device_id(store: Store) -> str:
    """This database's random id: with a review's row id, the review's id anywhere."""
    return store.conn.execute("SELECT value FROM meta WHERE key = 'device'").fetchone()[0]


def global_id(store: Store, review_id: int) -> str:
    return f"{device_id(store)}-{review_id}"


def reviews_for(store: Store, key: str) -> list[Review]:
    """A card's log, oldest first, as people read it."""
    sql = f"{_REVIEW_SELECT} WHERE c.key = ? ORDER BY r.at, r.id"
    return [_review(row) for row in store.conn.execute(sql, (key,))]


def review_by_id(store: Store, review_id: int) -> Review | None:
    row = store.conn.execute(f"{_REVIEW_SELECT} WHERE r.id = ?", (review_id,)).fetchone()
    return _review(row) if row else None


def answer_history(store: Store, deck: str | None = None) -> Iterator[tuple[int, int, int]]:
    """(card id, rating, ms) of every answer, card by card, oldest first: what optimize fits on."""
    if deck is None:
        sql = "SELECT card_id, rating, at FROM reviews WHERE kind = 0 ORDER BY card_id, at, id"
        return store.conn.execute(sql)
    sql = (
        "SELECT r.card_id, r.rating, r.at FROM cards c JOIN reviews r ON r.card_id = c.id "
        "WHERE c.deck = ? AND r.kind = 0 ORDER BY r.card_id, r.at, r.id"
    )
    return store.conn.execute(sql, (deck,))


def review_count(store: Store) -> int:
    return store.conn.execute("SELECT count(*) FROM reviews").fetchone()[0]
