"""Rewritten cards that keep their history: a pin's `was:` names the keys a card had before.

`<!-- id: new-slug; was: 3f2a9c0d1e2b3c4d5e6f -->` says "this card used to be
that one". When the import meets a card whose key is not in the database yet
and one of its old keys is, the old card takes the new key: its reviews
point at the card's row id, so the whole history (and the schedule) follows
without a single review row being touched.
"""

from __future__ import annotations

from typing import Callable, Iterable

from trainer.model import ParsedCard
from trainer.store import Store
from trainer.store import cards as card_table


def take_over(
    store: Store,
    cards: Iterable[ParsedCard],
    existing: dict[str, dict],
    live_elsewhere: Callable[[dict], str | None],
) -> list[str]:
    """Give each new pinned card the history of one of its old keys; returns notes for the report.

    `existing` (key -> content row) is updated in place so the rest of the
    import treats a card that took over as the card it was. An old key is
    taken by one card at most; when several are named, the one with the most
    reviews wins (merged twins keep the longer history; the others retire
    with theirs). An old key that is still a card somewhere else is left
    alone: `live_elsewhere(row)` says where.
    """
    wanting = [card for card in cards if card.was and card.key not in existing]
    if not wanting:
        return []
    present = {card.key for card in cards}
    old_rows = card_table.content_by_keys(store, {key for card in wanting for key in card.was})
    reps = card_table.reps_by_key(store, old_rows)
    notes: list[str] = []
    taken: set[str] = set()
    for card in wanting:
        free = []
        for old in card.was:
            row = old_rows.get(old)
            if row is None or old in taken or old in present:
                continue
            where = live_elsewhere(row)
            if where:
                notes.append(f"was: {old} is still a card in {where}; its history stays there")
                continue
            free.append(old)
        if not free:
            continue
        chosen = max(free, key=lambda old: reps.get(old, 0))
        card_table.rename_key(store, chosen, card.key)
        existing[card.key] = dict(old_rows[chosen], key=card.key)
        existing.pop(chosen, None)
        taken.add(chosen)
    return notes
