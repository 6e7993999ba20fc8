"""The reads behind today's queue and the deck counts: bounded, indexed, no per-card Python work.

Times are integer milliseconds (see trainer.days). Every read here costs what
the day's limits allow, not what the collection holds: due reviews are ranked
and cut in SQL, new cards stream from an index in deck order.
"""

from __future__ import annotations

import heapq
from typing import Callable, Iterable, Iterator, NamedTuple

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
    parent: str | None = None  # a drill follow-up's drill (its key)


_ITEM_COLUMNS = (
    "key, kind, sibling, state, due, stability, last_review, source_line, id, "
    "CASE WHEN kind = 'followup' THEN json_extract(extra, '$.drill') END"
)
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
        found.update((row[8], QueueItem(*row)) for row in store.conn.execute(sql, chunk))
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


def new_cards_mixed(
    store: Store, now: int, introduced: dict[str, int], skip: Callable[[QueueItem], bool]
) -> Iterator[QueueItem]:
    """New cards taking turns across decks: each deck's n-th card of the day before any deck's (n+1)-th.

    A card's turn is (cards of its deck introduced today + its place among
    the deck's waiting cards, the deck's name), so answering the head of the
    queue leaves every other card's turn as it was: the order a fresh build
    gives is the order kept since morning. Cards `skip` turns down (a sibling
    already shown today, a follow-up waiting for its drill) take no turn. A
    deck's cards are read only when its turn comes, so twenty new cards from
    a thousand decks read twenty decks.
    """
    decks = [row[0] for row in store.conn.execute(
        "SELECT DISTINCT deck FROM cards WHERE status = 'active' AND state = 'new' ORDER BY deck"
    )]
    sql = (
        f"SELECT {_ITEM_COLUMNS} FROM cards WHERE deck = :deck AND status = 'active' AND state = 'new' "
        "AND (buried_until IS NULL OR buried_until <= :now) ORDER BY path, source_line"
    )
    cursors: dict[int, Iterator] = {}
    turns = [(introduced.get(name, 0), index) for index, name in enumerate(decks)]
    heapq.heapify(turns)
    while turns:
        turn, index = heapq.heappop(turns)
        cursor = cursors.get(index)
        if cursor is None:
            cursor = cursors[index] = iter(store.conn.execute(sql, {"deck": decks[index], "now": now}).fetchall())
        for row in cursor:
            card = QueueItem(*row)
            if skip(card):
                continue
            yield card
            heapq.heappush(turns, (turn + 1, index))
            break


def introduced_per_deck(store: Store, start: int, end: int, drills_today: Iterable[str],
                        outside: Iterable[int] = ()) -> dict[str, int]:
    """deck -> answers given to new cards in [start, end).

    Answers, not cards: a card forgotten and answered again the same day has
    been introduced twice, as the day's new-card count says. The follow-ups
    of a drill introduced the same day are left out: they came with their
    drill, outside the decks' turns; so are the cards (ids) in `outside` (an
    interview plan's: they too took no turn).
    """
    drills, skipped = set(drills_today), set(outside)
    sql = (
        "SELECT c.id, c.deck, CASE WHEN c.kind = 'followup' THEN json_extract(c.extra, '$.drill') END "
        "FROM reviews r JOIN cards c ON c.id = r.card_id WHERE r.at >= ? AND r.at < ? AND r.kind = 0 AND r.state = 0"
    )
    counts: dict[str, int] = {}
    for card_id, deck, parent in store.conn.execute(sql, (start, end)):
        if (parent is None or parent not in drills) and card_id not in skipped:
            counts[deck] = counts.get(deck, 0) + 1
    return counts


def drills_introduced(store: Store, start: int, end: int) -> list[str]:
    """Keys of the drills answered for the first time in [start, end), in that order."""
    sql = (
        "SELECT c.key FROM reviews r JOIN cards c ON c.id = r.card_id WHERE r.at >= ? AND r.at < ? "
        "AND r.kind = 0 AND r.state = 0 AND c.kind = 'drill' ORDER BY r.at, r.id"
    )
    return list(dict.fromkeys(row[0] for row in store.conn.execute(sql, (start, end))))


def followups_of(store: Store, drills: list[str], now: int, deck: str | None) -> list[QueueItem]:
    """New, showable follow-ups of these drills: drill by drill, each in its questions' order."""
    if not drills:
        return []
    marks = ", ".join("?" * len(drills))
    sql = (
        f"SELECT {_ITEM_COLUMNS}, json_extract(extra, '$.index') FROM cards WHERE kind = 'followup' "
        f"AND state = 'new' AND status = 'active' AND (buried_until IS NULL OR buried_until <= ?) "
        f"AND json_extract(extra, '$.drill') IN ({marks})" + (" AND deck = ?" if deck is not None else "")
    )
    params = [now, *drills] + ([deck] if deck is not None else [])
    rows = store.conn.execute(sql, params).fetchall()
    order = {key: i for i, key in enumerate(drills)}
    rows.sort(key=lambda row: (order[row[9]], row[10] or 0))
    return [QueueItem(*row[:10]) for row in rows]


def followups_of_drill(store: Store, drill: str, now: int) -> list[QueueItem]:
    return followups_of(store, [drill], now, None)


def is_new(store: Store, key: str) -> bool:
    row = store.conn.execute("SELECT state FROM cards WHERE key = ?", (key,)).fetchone()
    return bool(row) and row[0] == "new"


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
    learning: int  # learning cards due today
    total: int  # active cards


def deck_counts(store: Store, now: int, end: int) -> list[DeckCounts]:
    """Every deck's learning cards due today and active cards, in one pass over the cards_deck_state index."""
    sql = (
        "SELECT deck, "
        "coalesce(sum(state IN ('learning', 'relearning') AND due < :end "
        "AND (buried_until IS NULL OR buried_until <= :now)), 0), count(*) "
        "FROM cards WHERE status = 'active' GROUP BY deck ORDER BY deck"
    )
    return [DeckCounts(*row) for row in store.conn.execute(sql, {"now": now, "end": end})]
