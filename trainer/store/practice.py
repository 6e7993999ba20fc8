"""The practice table: answers given in practice, apart from the review log (never replayed)."""

from __future__ import annotations

from typing import NamedTuple

from trainer.store.connection import Store


class Candidate(NamedTuple):
    """What practice selects on: the card's text and its memory in numbers."""

    id: int
    key: str
    section: str
    prompt: str
    answer: str
    state: str
    stability: float | None
    last_review: int | None  # ms


def candidates(store: Store, deck: str | None) -> list[Candidate]:
    """Every active card of the deck (or all), in deck order (file, then line)."""
    sql = (
        "SELECT id, key, section, prompt, answer, state, stability, last_review FROM cards WHERE status = 'active'"
        + (" AND deck = ?" if deck is not None else "") + " ORDER BY path, source_line"
    )
    return [Candidate(*row) for row in store.conn.execute(sql, (deck,) if deck is not None else ())]


def record(store: Store, card_id: int, rating: int, at_ms: int, duration_ms: int | None) -> int:
    """Append one practice answer, committed before this returns; returns its id."""
    with store.write():
        return store.conn.execute(
            "INSERT INTO practice (card_id, rating, at, duration_ms) VALUES (?, ?, ?, ?)",
            (card_id, rating, at_ms, duration_ms),
        ).lastrowid


def withdraw(store: Store, practice_id: int) -> None:
    with store.write():
        store.conn.execute("DELETE FROM practice WHERE id = ?", (practice_id,))


class Counts(NamedTuple):
    answers: int
    cards: int
    again: int
    time_ms: int


def counts(store: Store, start: int, end: int, deck: str | None) -> Counts:
    """Practice answers in [start, end) (ms), for one deck or all."""
    sql = (
        "SELECT count(*), count(DISTINCT p.card_id), coalesce(sum(p.rating = 1), 0), coalesce(sum(p.duration_ms), 0) "
        "FROM practice p WHERE p.at >= ? AND p.at < ?"
        + (" AND p.card_id IN (SELECT id FROM cards WHERE deck = ?)" if deck is not None else "")
    )
    return Counts(*store.conn.execute(sql, (start, end) + ((deck,) if deck is not None else ())).fetchone())
