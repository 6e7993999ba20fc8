"""The reads behind today's queue and the deck counts: bounded, indexed, no per-card Python work.

Times are integer milliseconds (see trainer.days). Every read here costs what
the day's limits allow, not what the collection holds: due reviews are ranked
and cut in SQL, new cards stream from an index in deck order.
"""

from __future__ import annotations

from typing import Iterator, NamedTuple

from trainer.store.connection import Store


class QueueItem(NamedTuple):
    """Just enough of a card to place it in the queue; the full card is read only when shown."""

    key: str
    kind: str
    sibling: str | None
    state: str
    due: int | None  # ms
    stability: float | None
    last_review: int | None  # ms
    source_line: int
    id: int


_ITEM_COLUMNS = "key, kind, sibling, state, due, stability, last_review, source_line, id"
_SHOWABLE = "status = 'active' AND (buried_until IS NULL OR buried_until <= :now)"


def _deck_filter(deck: str | None) -> str:
    return "" if deck is None else " AND deck = :deck"


def _items(store: Store, sql: str, params: dict) -> list[QueueItem]:
    return [QueueItem(*row) for row in store.conn.execute(sql, params)]


def learning_due(store: Store, before: int, now: int, deck: str | None) -> list[QueueItem]:
    """Learning and relearning cards due before `before`, earliest first."""
    sql = (
        f"SELECT {_ITEM_COLUMNS} FROM cards WHERE state IN ('learning', 'relearning') AND due < :before "
        f"AND {_SHOWABLE}{_deck_filter(deck)} ORDER BY due, id"
    )
    return _items(store, sql, {"now": now, "before": before, "deck": deck})


def reviews_due(
    store: Store, before: int, now: int, day_start: int, deck: str | None, limit: int
) -> list[tuple[int, str | None]]:
    """(id, sibling) of review cards due before `before` (the end of the study day), lowest recall first.

    Recall falls as (time since the last review) / stability grows, for every
    card alike, so ranking by that ratio is ranking by recall. It is measured
    from the start of the study day, so the order holds all day long and a
    queue kept since morning agrees with one built now. For all decks the
    ranking reads only the covering cards_state_due index, and LIMIT lets
    SQLite keep the best `limit` rows instead of sorting every due card.
    """
    sql = (
        "SELECT id, sibling FROM cards WHERE state = 'review' AND due < :before "
        f"AND {_SHOWABLE}{_deck_filter(deck)} "
        "ORDER BY (:day_start - last_review) / max(stability, 0.001) DESC, id LIMIT :limit"
    )
    params = {"now": now, "before": before, "day_start": day_start, "deck": deck, "limit": limit}
    return store.conn.execute(sql, params).fetchall()


def items_by_id(store: Store, ids: list[int]) -> list[QueueItem]:
    """The queue items of these cards, in the order given."""
    found: dict[int, QueueItem] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        sql = f"SELECT {_ITEM_COLUMNS} FROM cards WHERE id IN ({', '.join('?' * len(chunk))})"
        found.update((row[-1], QueueItem(*row)) for row in store.conn.execute(sql, chunk))
    return [found[i] for i in ids]


def new_cards(store: Store, now: int, deck: str | None) -> Iterator[QueueItem]:
    """New cards in deck order (file, then line), streamed from the cards_new_order index."""
    # All decks: walk the partial cards_new_order index in order and stop
    # early; the planner would otherwise sort every new card first.
    source = "cards" if deck is not None else "cards INDEXED BY cards_new_order"
    sql = (
        f"SELECT {_ITEM_COLUMNS} FROM {source} WHERE state = 'new' AND status = 'active' "
        f"AND (buried_until IS NULL OR buried_until <= :now){_deck_filter(deck)} ORDER BY path, source_line"
    )
    return (QueueItem(*row) for row in store.conn.execute(sql, {"now": now, "deck": deck}))


def answered_today(store: Store, start: int, end: int) -> tuple[dict[str, int], set[int], set[str]]:
    """(answers by state before, ids of the cards answered, sibling groups answered) in [start, end)."""
    names = {0: "new", 1: "learning", 2: "review", 3: "relearning"}
    counts = {name: 0 for name in names.values()}
    for state, n in store.conn.execute(
        "SELECT state, count(*) FROM reviews WHERE at >= ? AND at < ? AND kind = 0 GROUP BY state", (start, end)
    ):
        counts[names[state]] = n
    ids, siblings = set(), set()
    for card_id, sibling in store.conn.execute(
        "SELECT DISTINCT c.id, c.sibling FROM reviews r JOIN cards c ON c.id = r.card_id "
        "WHERE r.at >= ? AND r.at < ? AND r.kind = 0",
        (start, end),
    ):
        ids.add(card_id)
        if sibling:
            siblings.add(sibling)
    return counts, ids, siblings


def next_learning_due(store: Store, after: int, deck: str | None) -> int | None:
    """The earliest due time after `after` of a learning or relearning card."""
    sql = (
        "SELECT min(due) FROM cards WHERE state IN ('learning', 'relearning') AND status = 'active' "
        f"AND due > :after{_deck_filter(deck)}"
    )
    return store.conn.execute(sql, {"after": after, "deck": deck}).fetchone()[0]


def next_review_due(store: Store, after: int, deck: str | None) -> int | None:
    """The earliest due time at or after `after` of a review card."""
    sql = f"SELECT min(due) FROM cards WHERE state = 'review' AND status = 'active' AND due >= :after{_deck_filter(deck)}"
    return store.conn.execute(sql, {"after": after, "deck": deck}).fetchone()[0]


def has_new_cards(store: Store, deck: str | None) -> bool:
    where = "state = 'new' AND status = 'active'" + _deck_filter(deck)
    return store.conn.execute(f"SELECT 1 FROM cards WHERE {where} LIMIT 1", {"deck": deck}).fetchone() is not None


class DeckCounts(NamedTuple):
    deck: str
    new: int  # new cards, a sibling group (a ladder, a cloze) counting once
    learning: int  # learning cards due today
    due: int  # review cards due today
    total: int  # active cards


def deck_counts(store: Store, now: int, end: int) -> list[DeckCounts]:
    """Every deck's counts in one pass over the cards_deck_state index (no queue is built)."""
    sql = (
        "SELECT deck, "
        "count(DISTINCT CASE WHEN state = 'new' AND (buried_until IS NULL OR buried_until <= :now) "
        "  THEN coalesce(sibling, key) END), "
        "sum(state IN ('learning', 'relearning') AND due < :end AND (buried_until IS NULL OR buried_until <= :now)), "
        "sum(state = 'review' AND due < :end AND (buried_until IS NULL OR buried_until <= :now)), "
        "count(*) "
        "FROM cards WHERE status = 'active' GROUP BY deck ORDER BY deck"
    )
    return [DeckCounts(*row) for row in store.conn.execute(sql, {"now": now, "end": end})]
