"""The append-only review log, and the card cache that goes with each answer."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Iterator

from trainer.days import from_utc_text, to_utc_text
from trainer.model import MemoryState, Rating, Review
from trainer.store.cards import write_memory
from trainer.store.connection import Store

DAY = 86400.0
REVIEW_COLUMNS = "id, card_key, rating, reviewed_at, duration_ms, state_before, state_after"


def review_from_row(row: tuple) -> Review:
    rid, key, rating, at, duration, before, after = row
    return Review(
        id=rid,
        card_key=key,
        rating=Rating(rating),
        reviewed_at=from_utc_text(at),
        duration_ms=duration,
        before=MemoryState.from_dict(json.loads(before)),
        after=MemoryState.from_dict(json.loads(after)),
    )


def record_review(
    store: Store,
    key: str,
    rating: Rating,
    reviewed_at: datetime,
    duration_ms: int | None,
    before: MemoryState,
    after: MemoryState,
    retrievability: float | None = None,
) -> int:
    """Append one answer and update the card's cache, in one committed transaction.

    `retrievability` is the recall probability the scheduler predicted at the
    moment of the answer; kept so calibration can be measured later.
    """
    elapsed = scheduled = None
    if before.last_review is not None:
        elapsed = (reviewed_at - before.last_review).total_seconds() / DAY
        if before.due is not None:
            scheduled = (before.due - before.last_review).total_seconds() / DAY
    with store.atomic():
        cursor = store.conn.execute(
            "INSERT INTO reviews (card_key, rating, reviewed_at, duration_ms, state, elapsed_days, "
            "scheduled_days, retrievability, state_before, state_after) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                key,
                int(rating),
                to_utc_text(reviewed_at),
                duration_ms,
                before.state,
                elapsed,
                scheduled,
                retrievability if before.state != "new" else None,
                json.dumps(before.to_dict()),
                json.dumps(after.to_dict()),
            ),
        )
        write_memory(store, key, after)
        # Answering a buried card (shown early, or bury undone) unburies it.
        store.conn.execute("UPDATE cards SET buried_until = NULL WHERE key = ?", (key,))
    return cursor.lastrowid


def undo_review(store: Store, review_id: int) -> Review | None:
    """Take back one answer: the row goes and the card gets its state before it.

    This is the one deletion the log allows: the user withdrawing an answer
    they just gave, so replaying the log still rebuilds every card.
    """
    with store.atomic():
        row = store.conn.execute(f"SELECT {REVIEW_COLUMNS} FROM reviews WHERE id = ?", (review_id,)).fetchone()
        if row is None:
            return None
        review = review_from_row(row)
        store.conn.execute("DELETE FROM reviews WHERE id = ?", (review_id,))
        write_memory(store, review.card_key, review.before)
    return review


def reviews_for(store: Store, key: str) -> list[Review]:
    sql = f"SELECT {REVIEW_COLUMNS} FROM reviews WHERE card_key = ? ORDER BY reviewed_at, id"
    return [review_from_row(row) for row in store.conn.execute(sql, (key,))]


def review_history(store: Store, deck: str | None = None) -> Iterator[tuple[str, int, str]]:
    """(card key, rating, UTC time text) of every review, by card then time."""
    if deck is None:
        sql = "SELECT card_key, rating, reviewed_at FROM reviews ORDER BY card_key, reviewed_at, id"
        return store.conn.execute(sql)
    sql = (
        "SELECT r.card_key, r.rating, r.reviewed_at FROM reviews r JOIN cards c ON c.key = r.card_key "
        "WHERE c.deck = ? ORDER BY r.card_key, r.reviewed_at, r.id"
    )
    return store.conn.execute(sql, (deck,))


def review_count(store: Store) -> int:
    return store.conn.execute("SELECT count(*) FROM reviews").fetchone()[0]
