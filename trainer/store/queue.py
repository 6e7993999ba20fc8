"""The reads behind today's queue: which cards could be shown, and what was done today."""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

from trainer.days import from_utc_text, to_utc_text
from trainer.store.connection import Store


class QueueItem(NamedTuple):
    """Just enough of a card to place it in the queue; the full card is read only when shown."""

    key: str
    kind: str
    sibling: str | None
    state: str
    due: datetime | None
    stability: float | None
    last_review: datetime | None
    source_line: int


_ITEM_COLUMNS = "key, kind, sibling, state, due, stability, last_review, source_line"
_SHOWABLE = "status = 'active' AND (buried_until IS NULL OR buried_until <= :now)"


def _deck_filter(deck: str | None) -> str:
    return "" if deck is None else " AND deck = :deck"


def _item(row: tuple) -> QueueItem:
    key, kind, sibling, state, due, stability, last_review, line = row
    return QueueItem(
        key, kind, sibling, state,
        from_utc_text(due) if due else None, stability,
        from_utc_text(last_review) if last_review else None, line,
    )


def _cards(store: Store, where: str, params: dict, order: str, limit: int | None = None) -> list[QueueItem]:
    sql = f"SELECT {_ITEM_COLUMNS} FROM cards WHERE {where} ORDER BY {order}"
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    return [_item(row) for row in store.conn.execute(sql, params)]


def learning_due(store: Store, before: datetime, now: datetime, deck: str | None) -> list[QueueItem]:
    """Learning and relearning cards due before `before`, earliest first."""
    where = f"{_SHOWABLE} AND state IN ('learning', 'relearning') AND due <= :before" + _deck_filter(deck)
    params = {"now": to_utc_text(now), "before": to_utc_text(before), "deck": deck}
    return _cards(store, where, params, "due")


def reviews_due(store: Store, before: datetime, now: datetime, deck: str | None) -> list[QueueItem]:
    """Review-state cards due before `before` (the end of the study day)."""
    where = f"{_SHOWABLE} AND state = 'review' AND due < :before" + _deck_filter(deck)
    params = {"now": to_utc_text(now), "before": to_utc_text(before), "deck": deck}
    return _cards(store, where, params, "due")


def new_cards(store: Store, now: datetime, deck: str | None, limit: int, exclude_siblings: set[str]) -> list[QueueItem]:
    """New cards in deck order (file, then line), skipping sibling groups already used."""
    where = f"state = 'new' AND {_SHOWABLE}" + _deck_filter(deck)
    params = {"now": to_utc_text(now), "deck": deck}
    found: list[QueueItem] = []
    seen = set(exclude_siblings)
    # Rows stream in index order (cards_new_order); stop once the limit is met,
    # skipping siblings that must wait.
    sql = f"SELECT {_ITEM_COLUMNS} FROM cards WHERE {where} ORDER BY state, status, path, source_line"
    for row in store.conn.execute(sql, params):
        card = _item(row)
        if card.sibling and card.sibling in seen:
            continue
        if card.sibling:
            seen.add(card.sibling)
        found.append(card)
        if len(found) >= limit:
            break
    return found


def answered_today(store: Store, start: datetime, end: datetime) -> tuple[dict[str, int], set[str], set[str]]:
    """(answers by state before, keys answered, sibling groups answered) in [start, end)."""
    params = (to_utc_text(start), to_utc_text(end))
    counts = {"new": 0, "learning": 0, "review": 0, "relearning": 0}
    for state, n in store.conn.execute(
        "SELECT state, count(*) FROM reviews WHERE reviewed_at >= ? AND reviewed_at < ? GROUP BY state", params
    ):
        counts[state] = n
    keys, siblings = set(), set()
    for key, sibling in store.conn.execute(
        "SELECT DISTINCT r.card_key, c.sibling FROM reviews r JOIN cards c ON c.key = r.card_key "
        "WHERE r.reviewed_at >= ? AND r.reviewed_at < ?",
        params,
    ):
        keys.add(key)
        if sibling:
            siblings.add(sibling)
    return counts, keys, siblings


def next_due(store: Store, after: datetime, deck: str | None) -> datetime | None:
    """The earliest due time after `after` of any card that has been studied."""
    where = "status = 'active' AND state != 'new' AND due > :after" + _deck_filter(deck)
    row = store.conn.execute(
        f"SELECT min(due) FROM cards WHERE {where}", {"after": to_utc_text(after), "deck": deck}
    ).fetchone()
    return datetime.fromisoformat(row[0]) if row and row[0] else None


def has_new_cards(store: Store, deck: str | None) -> bool:
    where = "status = 'active' AND state = 'new'" + _deck_filter(deck)
    return store.conn.execute(f"SELECT 1 FROM cards WHERE {where} LIMIT 1", {"deck": deck}).fetchone() is not None


def deck_overview(store: Store) -> list[tuple[str, int, int]]:
    """(deck, active cards, new active cards) for every deck with active cards."""
    sql = (
        "SELECT deck, count(*), sum(state = 'new') FROM cards WHERE status = 'active' "
        "GROUP BY deck ORDER BY deck"
    )
    return [(deck, total, new or 0) for deck, total, new in store.conn.execute(sql)]
