"""Aggregate reads for `trainer stats`: the SQL does the counting, Python the shaping.

Every function takes `deck` (None: all decks) and returns plain numbers,
tuples or dicts. Times go in as integer milliseconds (trainer.days.to_ms),
so ranges use the indexes. Answers are the log's rows of kind 0; the manual
events (forget, reschedule) are not study and are not counted.
"""

from __future__ import annotations

import json
import sqlite3
from bisect import bisect_right
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


# An answer read through reviews_at costs a jump into the table; reading the
# table in id order costs about a twentieth of that per row.
_JUMP_COST = 20


def _window(store: Store, start: int, end: int) -> tuple[str, tuple]:
    """A condition on reviews `r` keeping the answers in [start, end), read the cheaper way.

    A short window is read through reviews_at. A long one (the 84 days of
    activity hold tens of thousands of answers) is cheaper read from the
    table in id order, from the first id in the window: ids follow time
    (answers are appended), so little outside the window is read, and a log
    whose ids do not follow time costs one sequential scan at worst. Both
    give exactly the same rows: the window is always checked on `at`.
    """
    inside, first, last = store.conn.execute(
        # INDEXED BY: left to itself, SQLite finds min(id) by walking ids until one is in the window.
        "SELECT (SELECT count(*) FROM reviews WHERE at >= :start AND at < :end), "
        "(SELECT min(id) FROM reviews INDEXED BY reviews_at WHERE at >= :start), (SELECT max(id) FROM reviews)",
        {"start": start, "end": end},
    ).fetchone()
    if inside and inside * _JUMP_COST > last - first + 1:
        return "r.id >= ? AND +r.at >= ? AND +r.at < ?", (first, start, end)
    return "r.at >= ? AND r.at < ?", (start, end)


def _deck_where(deck: str | None, prefix: str = "AND") -> tuple[str, tuple]:
    return (f"{prefix} deck = ?", (deck,)) if deck is not None else ("", ())


def review_count(store: Store, deck: str | None) -> int:
    if deck is None:
        # Every event, off the smallest index, less the few that are not answers (reviews_events).
        sql = "SELECT (SELECT count(*) FROM reviews) - (SELECT count(*) FROM reviews WHERE kind != 0)"
        return store.conn.execute(sql).fetchone()[0]
    # The deck's cards first, then their reviews through reviews_card_at.
    sql = "SELECT count(*) FROM cards c JOIN reviews r ON r.card_id = c.id WHERE c.deck = ? AND r.kind = 0"
    return store.conn.execute(sql, (deck,)).fetchone()[0]


def window_totals(store: Store, start: int, end: int, deck: str | None) -> dict[str, int]:
    """Answers, distinct cards, Again answers, time and first answers in [start, end)."""
    in_deck, params = _review_in_deck(deck)
    window, bounds = _window(store, start, end)
    sql = (
        "SELECT count(*), count(DISTINCT r.card_id), coalesce(sum(r.rating = 1), 0), "
        "coalesce(sum(r.duration_ms), 0), coalesce(sum(r.state = 0), 0) "
        f"FROM reviews r WHERE {window} AND r.kind = 0 {in_deck}"
    )
    reviews, cards, again, time_ms, new = store.conn.execute(sql, bounds + params).fetchone()
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


def reviews_per_day(store: Store, day_sql: str, start: int, end: int, deck: str | None) -> dict[int, tuple[int, int]]:
    """study day -> (answers, time in ms) for answers in [start, end); `day_sql` numbers `r.at` in study days."""
    in_deck, params = _review_in_deck(deck)
    window, bounds = _window(store, start, end)
    sql = (
        f"SELECT {day_sql} AS day, count(*), coalesce(sum(r.duration_ms), 0) FROM reviews r "
        f"WHERE {window} AND r.kind = 0 {in_deck} GROUP BY day"
    )
    return {day: (n, ms) for day, n, ms in store.conn.execute(sql, bounds + params)}


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


def due_per_range(store: Store, ranges: Sequence[tuple[int, int]], deck: str | None) -> list[int]:
    """Active studied cards falling due in each [start, stop) range (ranges in order, touching).

    Reads only the cards due in the whole span, through cards_state_due, and
    counts them into the ranges here.
    """
    if not ranges:
        return []
    where, params = _deck_where(deck)
    starts = [start for start, _ in ranges]
    counts = [0] * len(ranges)
    sql = (
        "SELECT due FROM cards WHERE state IN ('learning', 'relearning', 'review') AND status = 'active' "
        f"AND due >= ? AND due < ? {where}"
    )
    for (due,) in store.conn.execute(sql, (ranges[0][0], ranges[-1][1]) + params):
        counts[bisect_right(starts, due) - 1] += 1
    return counts


def overdue_count(store: Store, before: int, deck: str | None) -> int:
    where, params = _deck_where(deck)
    sql = (
        "SELECT count(*) FROM cards WHERE state IN ('learning', 'relearning', 'review') AND status = 'active' "
        f"AND due < ? {where}"
    )
    return store.conn.execute(sql, (before,) + params).fetchone()[0]


def review_state_answers(store: Store, start: int, end: int, deck: str | None) -> dict[str, tuple[int, int]]:
    """'young'/'mature' -> (passed, answered) for answers given in review state on a later study day.

    Young or mature by the interval the card had when answered (scheduled_days).
    A same-day answer (a card seen again the day it was reviewed) says nothing
    about retention over an interval, so it is left out, as in calibration.
    """
    in_deck, params = _review_in_deck(deck)
    window, bounds = _window(store, start, end)
    sql = (
        f"SELECT coalesce(r.scheduled_days, 0) >= {MATURE_DAYS} AS mature, sum(r.rating > 1), count(*) "
        f"FROM reviews r WHERE {window} AND r.kind = 0 AND r.state = 2 AND r.elapsed_days > 0 "
        f"{in_deck} GROUP BY mature"
    )
    found = {"young": (0, 0), "mature": (0, 0)}
    for mature, passed, total in store.conn.execute(sql, bounds + params):
        found["mature" if mature else "young"] = (passed, total)
    return found


def _recall_sql(day_sql: str, on_day: str) -> str:
    """FSRS-6's forgetting curve in SQL: R = (1 + factor * t / S) ** decay, t in study days."""
    return f"pow(1 + :factor * max({on_day} - {day_sql}, 0) / stability, :decay)"


_STUDIED = "status = 'active' AND state != 'new' AND stability IS NOT NULL AND last_review IS NOT NULL"


def _bin_case(column: str, edges: Sequence[float]) -> str:
    arms = " ".join(f"WHEN {column} < {edge!r} THEN {i}" for i, edge in enumerate(edges))
    return f"CASE {arms} ELSE {len(edges)} END"


def card_summary(
    store: Store, day_sql: str, today: int, on_day: int, factor: float, decay: float,
    stability_edges: Sequence[float], difficulty_edges: Sequence[float], deck: str | None,
) -> list[tuple[str, str, int, int, int, float, float]]:
    """(deck, category, stability bin, difficulty bin, cards, sum of recall now, sum on the day), in one pass.

    Every card is in exactly one category: status beats state (a suspended
    card is suspended whatever its memory); relearning counts as learning;
    young and mature split on the interval the scheduler gave (due - last
    review). Bins and recall are for studied cards (active, with a memory);
    the others have bin -1 and no recall. Summed in SQL: the caller folds
    the rows into the card counts, per-deck memory and the two histograms.
    """
    where, _ = _deck_where(deck, "WHERE")
    studied = f"({_STUDIED})"
    sql = (
        "SELECT deck, CASE "
        "WHEN status = 'retired' THEN 'retired' "
        "WHEN status = 'suspended' THEN 'suspended' "
        "WHEN state = 'new' THEN 'new' "
        "WHEN state IN ('learning', 'relearning') THEN 'learning' "
        f"WHEN due - last_review < {MATURE_DAYS * DAY_MS} THEN 'young' "
        "ELSE 'mature' END AS category, "
        f"CASE WHEN {studied} THEN {_bin_case('stability', stability_edges)} ELSE -1 END AS sb, "
        f"CASE WHEN {studied} THEN {_bin_case('coalesce(difficulty, 0)', difficulty_edges)} ELSE -1 END AS db, "
        f"count(*), total(CASE WHEN {studied} THEN {_recall_sql(day_sql, ':today')} END), "
        f"total(CASE WHEN {studied} THEN {_recall_sql(day_sql, ':on_day')} END) "
        f"FROM cards {where.replace('?', ':deck')} GROUP BY deck, category, sb, db"
    )
    return store.conn.execute(sql, {"today": today, "on_day": on_day, "factor": factor, "decay": decay,
                                    "deck": deck}).fetchall()


def hardest(store: Store, day_sql: str, today: int, forgotten_ratio: float, count: int,
            deck: str | None) -> list[tuple[int, float, str]]:
    """(lapses, elapsed study days / stability, key) of the cards that showed trouble, worst first.

    Trouble is a lapse, or recall under the target, which is elapsed / S
    above `forgotten_ratio` (recall falls as that ratio grows, for every card
    alike): no forgetting curve has to be computed for a hundred thousand
    cards. Lapsed cards rank first, and come off cards_lapsed most lapses
    first; the cards that never lapsed are read only when fewer than `count`
    cards did.
    """
    where, _ = _deck_where(deck)
    ratio = f"(max(:today - {day_sql}, 0) * 1.0 / stability)"
    params = {"today": today, "forgotten": forgotten_ratio, "count": count, "deck": deck}
    lapsed = store.conn.execute(
        f"SELECT lapses, {ratio} AS ratio, key FROM cards WHERE lapses > 0 AND {_STUDIED} "
        f"{where.replace('?', ':deck')} ORDER BY lapses DESC, ratio DESC, key LIMIT :count", params,
    ).fetchall()
    if len(lapsed) >= count:
        return lapsed
    params["count"] = count - len(lapsed)
    return lapsed + store.conn.execute(
        f"SELECT lapses, {ratio} AS ratio, key FROM cards WHERE lapses = 0 AND {_STUDIED} "
        f"{where.replace('?', ':deck')} AND ratio > :forgotten ORDER BY ratio DESC, key LIMIT :count", params,
    ).fetchall()


def recalled_at_least(store: Store, day_sql: str, on_day: int, ratio: float, deck: str | None) -> int:
    """Studied cards whose recall on study day `on_day` is at least where elapsed / S equals `ratio`."""
    where, _ = _deck_where(deck)
    sql = (f"SELECT count(*) FROM cards WHERE {_STUDIED} {where.replace('?', ':deck')} "
           f"AND max(:on_day - {day_sql}, 0) * 1.0 / stability <= :ratio")
    return store.conn.execute(sql, {"on_day": on_day, "ratio": ratio, "deck": deck}).fetchone()[0]


def oldest_review(store: Store) -> int | None:
    """The earliest answer in the log (reviews_at gives it at once): no card's last review is older."""
    return store.conn.execute("SELECT min(at) FROM reviews").fetchone()[0]


def _bins_since(store: Store, bins: int, after_id: int) -> dict[int, list]:
    sql = (
        f"SELECT min(CAST(recall * {bins} AS INTEGER), {bins - 1}) AS bin, count(*), total(recall), "
        "total(rating > 1) FROM reviews WHERE id > ? AND recall IS NOT NULL GROUP BY bin"
    )
    return {b: [n, total, int(passed)] for b, n, total, passed in store.conn.execute(sql, (after_id,))}


def calibration_bins(store: Store, bins: int, deck: str | None) -> dict[int, tuple[int, float, int]]:
    """bin -> (answers, sum of predicted recall, recalled) over every scored answer.

    Bin b holds predictions in [b/bins, (b+1)/bins); the last one also holds 1.
    Only answers on a later study day than the previous one carry a
    prediction (trainer.history stores `recall` for those alone).

    For all decks the sums are kept in meta (`calibration`) with the last
    review id and the log's size and generation they cover, and brought up
    to date by reading only the reviews added since: the log is appended to,
    and anything else (an undo, a rebuild) changes its size or generation
    and makes a full count. A cache, never a source: `trainer check` ignores it.
    """
    if deck is not None:
        sql = (
            f"SELECT min(CAST(r.recall * {bins} AS INTEGER), {bins - 1}) AS bin, count(*), "
            "total(r.recall), total(r.rating > 1) FROM cards c "
            "JOIN reviews r ON r.card_id = c.id AND r.recall IS NOT NULL WHERE c.deck = ? GROUP BY bin"
        )
        return {b: (n, total, int(passed)) for b, n, total, passed in store.conn.execute(sql, (deck,))}
    # Two subqueries: max(id) alone is one step down the table's b-tree; beside count(*) it is a scan.
    last_id, count = store.conn.execute(
        "SELECT (SELECT coalesce(max(id), 0) FROM reviews), (SELECT count(*) FROM reviews)").fetchone()
    generation = store.meta("derived_generation") or "0"
    cached = json.loads(store.meta("calibration") or "{}")
    usable = (cached.get("bins") == bins and cached.get("generation") == generation
              and cached.get("last_id", 0) <= last_id and cached.get("count", count + 1) <= count)
    found: dict[int, list] = {int(b): v for b, v in cached.get("found", {}).items()} if usable else {}
    after = cached.get("last_id", 0) if usable else 0
    added = store.conn.execute("SELECT count(*) FROM reviews WHERE id > ?", (after,)).fetchone()[0]
    if usable and cached.get("count") + added != count:
        found, after = {}, 0  # rows went (an undo): count afresh
    for b, (n, total, passed) in _bins_since(store, bins, after).items():
        acc = found.setdefault(b, [0, 0.0, 0])
        acc[0] += n
        acc[1] += total
        acc[2] += passed
    keep = {"bins": bins, "generation": generation, "last_id": last_id, "count": count,
            "found": {str(b): v for b, v in found.items()}}
    if keep != cached:
        try:
            with store.write():
                store.set_meta("calibration", json.dumps(keep))
        except sqlite3.Error:
            pass  # a read-only database still gets its figures, just not remembered
    return {b: (n, total, int(passed)) for b, (n, total, passed) in found.items()}


def drill_weeks(store: Store, day_sql: str, start: int, end: int, deck: str | None) -> dict[int, tuple]:
    """study day -> (answers, sum ticked, sum rubric items, sum time ms, sum allowed ms, recalled) of drill answers."""
    deck_filter = "AND c.deck = ?" if deck is not None else ""
    sql = (
        f"SELECT {day_sql} AS day, count(*), total(d.ticked), total(d.total), total(d.time_ms), "
        "total(json_extract(c.extra, '$.time_s') * 1000), total(r.rating > 1) "
        "FROM drill_answers d JOIN reviews r ON r.id = d.review_id JOIN cards c ON c.id = r.card_id "
        f"WHERE r.at >= ? AND r.at < ? {deck_filter} GROUP BY day"
    )
    params = (start, end) + ((deck,) if deck is not None else ())
    return {row[0]: row[1:] for row in store.conn.execute(sql, params)}


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

    Read off cards_lapsed (the written `lapses > 0` lets SQLite use it), the
    count riding along as a window over the few leeches.
    """
    where, params = _deck_where(deck)
    sql = (
        "SELECT key, deck, path, source_line, prompt, lapses, status, count(*) OVER () FROM cards "
        f"WHERE lapses > 0 AND status != 'retired' AND lapses >= ? {where} ORDER BY lapses DESC, id LIMIT ?"
    )
    rows = store.conn.execute(sql, (threshold,) + params + (limit,)).fetchall()
    return (rows[0][-1] if rows else 0), [row[:-1] for row in rows]
