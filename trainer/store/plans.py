"""Reading and writing interview-day plans (tables plans and plan_reviews)."""

from __future__ import annotations

from typing import Iterable, NamedTuple

from trainer.model import MemoryState
from trainer.store.cards import MEMORY_COLUMNS, memory_from_row
from trainer.store.connection import Store
from trainer.store.queue import _ITEM_COLUMNS, _SHOWABLE, QueueItem


class PlanRow(NamedTuple):
    id: int
    on_day: int  # study day of DATE
    target: float
    minutes: float
    deck: str | None
    price: float  # what a second of study is worth, in cards above the target (trainer.planner)
    created_at: int  # ms
    fitted_day: int  # the study day its rows were last fitted on
    expected: float  # cards expected above the target on DATE, at the last fit
    unplanned: float  # ... with no review before DATE


_PLAN_COLUMNS = "id, on_day, target, minutes, deck, price, created_at, fitted_day, expected, unplanned"


def in_force(store: Store, day: int) -> PlanRow | None:
    """The plan whose date is still ahead of study day `day` (the newest, if several)."""
    row = store.conn.execute(
        f"SELECT {_PLAN_COLUMNS} FROM plans WHERE on_day > ? ORDER BY id DESC LIMIT 1", (day,)
    ).fetchone()
    return PlanRow(*row) if row else None


def replace(store: Store, plan: PlanRow, rows: Iterable[tuple[int, int, int]]) -> int:
    """Store a plan and its (day, card id, position) rows in place of every earlier plan (callers hold the transaction)."""
    store.conn.execute("DELETE FROM plans")
    plan_id = store.conn.execute(
        f"INSERT INTO plans ({_PLAN_COLUMNS}) VALUES (NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?)", plan[1:]
    ).lastrowid
    store.conn.executemany(
        "INSERT INTO plan_reviews (plan_id, day, card_id, position) VALUES (?, ?, ?, ?)",
        ((plan_id, day, card_id, position) for day, card_id, position in rows),
    )
    return plan_id


def refitted(store: Store, plan_id: int, from_day: int, rows: Iterable[tuple[int, int, int]], fitted_day: int,
             expected: float, unplanned: float) -> None:
    """Replace a plan's rows from `from_day` on (callers hold the transaction)."""
    store.conn.execute("DELETE FROM plan_reviews WHERE plan_id = ? AND day >= ?", (plan_id, from_day))
    store.conn.executemany(
        "INSERT INTO plan_reviews (plan_id, day, card_id, position) VALUES (?, ?, ?, ?)",
        ((plan_id, day, card_id, position) for day, card_id, position in rows),
    )
    store.conn.execute("UPDATE plans SET fitted_day = ?, expected = ?, unplanned = ? WHERE id = ?",
                       (fitted_day, expected, unplanned, plan_id))


def rows_from(store: Store, plan_id: int, day: int) -> list[tuple[int, int]]:
    """(day, card id) of a plan from study day `day` on, in order."""
    return store.conn.execute(
        "SELECT day, card_id FROM plan_reviews WHERE plan_id = ? AND day >= ? ORDER BY day, position", (plan_id, day)
    ).fetchall()


def planned_on(store: Store, day: int, now: int, deck: str | None) -> list[QueueItem]:
    """The showable cards a plan in force gives study day `day`, in the plan's order."""
    sql = (
        f"SELECT {_ITEM_COLUMNS} FROM cards JOIN ("
        "  SELECT r.card_id AS planned, r.plan_id AS plan, r.position AS position FROM plan_reviews r "
        "  JOIN plans p ON p.id = r.plan_id WHERE r.day = :day AND p.on_day > :day"
        f") ON planned = cards.id WHERE {_SHOWABLE}" + (" AND deck = :deck" if deck is not None else "")
        + " ORDER BY plan, position"
    )
    return [QueueItem(*row) for row in store.conn.execute(sql, {"day": day, "now": now, "deck": deck})]


def plan_day_of(store: Store, card_id: int, day: int) -> int | None:
    """The date (study day) of the plan that gives this card study day `day`, if one does."""
    row = store.conn.execute(
        "SELECT p.on_day FROM plan_reviews r JOIN plans p ON p.id = r.plan_id "
        "WHERE r.card_id = ? AND r.day = ? AND p.on_day > ?", (card_id, day, day)
    ).fetchone()
    return row[0] if row else None


def forget(store: Store) -> int:
    """Drop every plan (callers hold the transaction); returns how many there were."""
    return store.conn.execute("DELETE FROM plans").rowcount


class CandidateRow(NamedTuple):
    id: int
    key: str
    sibling: str | None
    kind: str
    time_s: int | None  # a drill's TIME
    parent: str | None  # a follow-up's drill (its key)
    state: str
    stability: float | None
    difficulty: float | None
    last_review: int | None  # ms


def candidates(store: Store, deck: str | None) -> list[CandidateRow]:
    """Every active card a plan could give a review, in deck order (file, then line)."""
    sql = (
        "SELECT id, key, sibling, kind, CASE WHEN kind = 'drill' THEN json_extract(extra, '$.time_s') END, "
        "CASE WHEN kind = 'followup' THEN json_extract(extra, '$.drill') END, state, stability, difficulty, last_review "
        "FROM cards WHERE status = 'active'" + (" AND deck = ?" if deck is not None else "") + " ORDER BY path, source_line"
    )
    return [CandidateRow(*row) for row in store.conn.execute(sql, (deck,) if deck is not None else ())]


def answer_times(store: Store, card_ids: list[int]) -> dict[int, list[int]]:
    """card id -> the durations (ms) of its timed answers."""
    found: dict[int, list[int]] = {}
    for start in range(0, len(card_ids), 500):
        chunk = card_ids[start : start + 500]
        sql = (
            f"SELECT card_id, duration_ms FROM reviews WHERE card_id IN ({', '.join('?' * len(chunk))}) "
            "AND kind = 0 AND duration_ms > 0"
        )
        for card_id, ms in store.conn.execute(sql, chunk):
            found.setdefault(card_id, []).append(ms)
    return found


def recent_answer_times(store: Store, count: int) -> list[int]:
    """The durations (ms) of the last `count` timed answers."""
    sql = "SELECT duration_ms FROM reviews WHERE kind = 0 AND duration_ms > 0 ORDER BY id DESC LIMIT ?"
    return [row[0] for row in store.conn.execute(sql, (count,))]


def first_answers(store: Store, count: int) -> tuple[int, int]:
    """(the last `count` first answers of new cards, how many of them were Again)."""
    sql = (
        "SELECT count(*), coalesce(sum(rating = 1), 0) FROM "
        "(SELECT rating FROM reviews WHERE kind = 0 AND state = 0 ORDER BY id DESC LIMIT ?)"
    )
    return tuple(store.conn.execute(sql, (count,)).fetchone())


def memories(store: Store, deck: str | None) -> dict[int, MemoryState]:
    """card id -> FSRS state of every active card of the deck (or all)."""
    sql = f"SELECT id, {MEMORY_COLUMNS} FROM cards WHERE status = 'active'" + (" AND deck = ?" if deck else "")
    return {row[0]: memory_from_row(row[1:]) for row in store.conn.execute(sql, (deck,) if deck else ())}
