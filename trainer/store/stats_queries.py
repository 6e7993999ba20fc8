"""Aggregate reads for `trainer stats`: the SQL does the counting, Python the shaping.

Every function takes `deck` (None: all decks) and returns plain numbers,
tuples or dicts. Times go in as integer milliseconds (trainer.days.to_ms),
so ranges use the indexes. Answers are the log's rows of kind 0; the manual
events (forget, reschedule) are not study and are not counted.
"""

from __future__ import annotations

from typing import Iterable, Sequence

from trainer.store.connection import Store

MATURE_DAYS = 21
DAY_MS = 86_400_000


def _review_in_deck(deck: str | None) -> tuple[str, tuple]:
    """A condition on reviews `r` keeping one deck's answers (a review knows its deck only through its card).

    Every caller asks for a time range: the unary + keeps SQLite from
    seeking reviews_card_time once per card of the deck (per day!) and makes
    it walk the range by time, checking each answer's card against the deck.
    """
    if deck is None:
        return "", ()
    return "AND +r.card_id IN (SELECT id FROM cards WHERE deck = ?)", (deck,)


def _deck_where(deck: str | None, prefix: str = "AND") -> tuple[str, tuple]:
    return (f"{prefix} deck = ?", (deck,)) if deck is not None else ("", ())


def review_count(store: Store, deck: str | None) -> int:
    if deck is None:
        return store.conn.execute("SELECT count(*) FROM reviews WHERE kind = 0").fetchone()[0]
    # The deck's cards first, then their reviews through reviews_card_at.
    sql = "SELECT count(*) FROM cards c JOIN reviews r ON r.card_id = c.id WHERE c.deck = ? AND r.kind = 0"
    return store.conn.execute(sql, (deck,)).fetchone()[0]


def window_totals(store: Store, start: int, end: int, deck: str | None) -> dict[str, int]:
    """Answers, distinct cards, Again answers, time and first answers in [start, end)."""
    in_deck, params = _review_in_deck(deck)
    sql = (
        "SELECT count(*), count(DISTINCT r.card_id), coalesce(sum(r.rating = 1), 0), "
        "coalesce(sum(r.duration_ms), 0), coalesce(sum(r.state = 0), 0) "
        f"FROM reviews r WHERE r.at >= ? AND r.at < ? AND r.kind = 0 {in_deck}"
    )
    reviews, cards, again, time_ms, new = store.conn.execute(sql, (start, end) + params).fetchone()
    return {"reviews": reviews, "cards": cards, "again": again, "time_ms": time_ms, "new": new}


def _ranges_cte(ranges: Sequence[tuple[int, int]]) -> tuple[str, tuple]:
    values = ", ".join("(?, ?, ?)" for _ in ranges)
    params = tuple(x for i, (start, end) in enumerate(ranges) for x in (i, start, end))
    return f"WITH ranges(i, start, stop) AS (VALUES {values})", params


def reviews_per_range(
    store: Store, ranges: Sequence[tuple[int, int]], deck: str | None
) -> list[tuple[int, int]]:
    """(answers, time in ms) in each [start, stop) range, in the order given.

    Ranges are study days; their UTC bounds come from Python because a day's
    length changes with daylight saving time, which SQLite knows nothing of.
    """
    if not ranges:
        return []
    found: dict[int, tuple[int, int]] = {}
    # Chunks keep the statement under SQLite's limit on bound parameters.
    for offset in range(0, len(ranges), 2000):
        chunk = ranges[offset : offset + 2000]
        cte, params = _ranges_cte(chunk)
        in_deck, deck_params = _review_in_deck(deck)
        sql = (
            f"{cte} SELECT ranges.i, count(*), coalesce(sum(r.duration_ms), 0) FROM ranges "
            f"JOIN reviews r ON r.at >= ranges.start AND r.at < ranges.stop AND r.kind = 0 {in_deck} "
            "GROUP BY ranges.i"
        )
        for i, count, time_ms in store.conn.execute(sql, params + deck_params):
            found[offset + i] = (count, time_ms)
    return [found.get(i, (0, 0)) for i in range(len(ranges))]


def any_review_between(store: Store, start: int, end: int, deck: str | None) -> bool:
    if deck is None:
        sql = "SELECT EXISTS (SELECT 1 FROM reviews WHERE at >= ? AND at < ? AND kind = 0)"
        return bool(store.conn.execute(sql, (start, end)).fetchone()[0])
    # Called once per day of a streak: CROSS JOIN fixes the order (the day's
    # reviews by time, then each one's card by key) and stops at the first hit,
    # where IN (subquery) would rebuild the deck's key list on every call.
    sql = (
        "SELECT EXISTS (SELECT 1 FROM reviews r CROSS JOIN cards c ON c.id = r.card_id "
        "WHERE r.at >= ? AND r.at < ? AND r.kind = 0 AND c.deck = ?)"
    )
    return bool(store.conn.execute(sql, (start, end, deck)).fetchone()[0])


def card_categories(store: Store, deck: str | None) -> dict[str, dict[str, int]]:
    """deck -> category -> cards; every card is in exactly one category.

    Status beats state: a suspended card is counted as suspended whatever its
    memory. Relearning cards count as learning; young and mature split on the
    interval the scheduler gave (due - last review).
    """
    where, params = _deck_where(deck, "WHERE")
    sql = (
        "SELECT deck, CASE "
        "WHEN status = 'retired' THEN 'retired' "
        "WHEN status = 'suspended' THEN 'suspended' "
        "WHEN state = 'new' THEN 'new' "
        "WHEN state IN ('learning', 'relearning') THEN 'learning' "
        f"WHEN due - last_review < {MATURE_DAYS * DAY_MS} THEN 'young' "
        "ELSE 'mature' END AS category, count(*) "
        f"FROM cards {where} GROUP BY deck, category ORDER BY deck"
    )
    counts: dict[str, dict[str, int]] = {}
    for name, category, n in store.conn.execute(sql, params):
        counts.setdefault(name, {})[category] = n
    return counts


def due_per_range(store: Store, ranges: Sequence[tuple[int, int]], deck: str | None) -> list[int]:
    """Active cards falling due in each [start, stop) range."""
    if not ranges:
        return []
    cte, params = _ranges_cte(ranges)
    where, deck_params = ("AND cards.deck = ?", (deck,)) if deck is not None else ("", ())
    sql = (
        f"{cte} SELECT ranges.i, count(*) FROM ranges JOIN cards ON cards.status = 'active' "
        f"AND cards.due >= ranges.start AND cards.due < ranges.stop {where} GROUP BY ranges.i"
    )
    found = dict(store.conn.execute(sql, params + deck_params).fetchall())
    return [found.get(i, 0) for i in range(len(ranges))]


def overdue_count(store: Store, before: int, deck: str | None) -> int:
    where, params = _deck_where(deck)
    sql = f"SELECT count(*) FROM cards WHERE status = 'active' AND due < ? {where}"
    return store.conn.execute(sql, (before,) + params).fetchone()[0]


def review_state_answers(store: Store, start: int, end: int, deck: str | None) -> dict[str, tuple[int, int]]:
    """'young'/'mature' -> (passed, answered) for answers given in review state on a later study day.

    Young or mature by the interval the card had when answered (scheduled_days).
    A same-day answer (a card seen again the day it was reviewed) says nothing
    about retention over an interval, so it is left out, as in calibration.
    """
    in_deck, params = _review_in_deck(deck)
    sql = (
        f"SELECT coalesce(r.scheduled_days, 0) >= {MATURE_DAYS} AS mature, sum(r.rating > 1), count(*) "
        "FROM reviews r WHERE r.at >= ? AND r.at < ? AND r.kind = 0 AND r.state = 2 AND r.elapsed_days > 0 "
        f"{in_deck} GROUP BY mature"
    )
    found = {"young": (0, 0), "mature": (0, 0)}
    for mature, passed, total in store.conn.execute(sql, (start, end) + params):
        found["mature" if mature else "young"] = (passed, total)
    return found


def studied_cards(store: Store, deck: str | None) -> list[tuple]:
    """(key, deck, stability, difficulty, last review in ms, lapses) of active studied cards."""
    where, params = _deck_where(deck)
    sql = (
        "SELECT key, deck, stability, difficulty, last_review, lapses "
        "FROM cards WHERE status = 'active' AND state != 'new' AND stability IS NOT NULL "
        f"AND last_review IS NOT NULL {where}"
    )
    return store.conn.execute(sql, params).fetchall()


def active_cards_per_deck(store: Store, deck: str | None) -> dict[str, int]:
    where, params = _deck_where(deck)
    sql = f"SELECT deck, count(*) FROM cards WHERE status = 'active' {where} GROUP BY deck"
    return dict(store.conn.execute(sql, params).fetchall())


def calibration_bins(store: Store, bins: int, deck: str | None) -> dict[int, tuple[int, float, int]]:
    """bin -> (answers, sum of predicted recall, recalled) over every scored answer.

    Bin b holds predictions in [b/bins, (b+1)/bins); the last one also holds 1.
    Only answers on a later study day than the previous one carry a
    prediction (trainer.history stores `recall` for those alone).
    """
    bin_of = f"min(CAST(r.recall * {bins} AS INTEGER), {bins - 1})"
    if deck is not None:
        sql = (
            f"SELECT {bin_of} AS bin, count(*), total(r.recall), total(r.rating > 1) FROM cards c "
            "JOIN reviews r ON r.card_id = c.id AND r.recall IS NOT NULL WHERE c.deck = ? GROUP BY bin"
        )
        params: tuple = (deck,)
    else:
        sql = (
            f"SELECT {bin_of} AS bin, count(*), total(r.recall), total(r.rating > 1) FROM reviews r "
            "WHERE r.recall IS NOT NULL GROUP BY bin"
        )
        params = ()
    return {b: (n, total, int(passed)) for b, n, total, passed in store.conn.execute(sql, params)}


def card_places(store: Store, keys: Iterable[str]) -> dict[str, tuple[str, str, int, str, int]]:
    """key -> (deck, path, line, prompt, reps) for a few cards."""
    keys = list(keys)
    if not keys:
        return {}
    sql = (
        "SELECT key, deck, path, source_line, prompt, reps FROM cards "
        f"WHERE key IN ({', '.join('?' * len(keys))})"
    )
    return {row[0]: tuple(row[1:]) for row in store.conn.execute(sql, keys)}


def leeches(store: Store, threshold: int, deck: str | None, limit: int) -> tuple[int, list[tuple]]:
    """(how many, the `limit` most forgotten as (key, deck, path, line, prompt, lapses, status)) of the
    cards that are not retired and lapsed at least `threshold` times.

    One pass over the cards: the count rides along as a window over the few
    leeches, so 100,000 cards cost one scan (no index on lapses is needed).
    """
    where, params = _deck_where(deck)
    sql = (
        "SELECT key, deck, path, source_line, prompt, lapses, status, count(*) OVER () FROM cards "
        f"WHERE status != 'retired' AND lapses >= ? {where} ORDER BY lapses DESC, id LIMIT ?"
    )
    rows = store.conn.execute(sql, (threshold,) + params + (limit,)).fetchall()
    return (rows[0][-1] if rows else 0), [row[:-1] for row in rows]
