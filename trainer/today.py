"""Today's queue: built once, bounded by the day's limits, then kept in step with each answer.

A build reads what the limits allow and no more: learning cards due today,
the due reviews ranked by recall in SQL (at most the day's review limit),
new cards streamed in deck order until the day's new-card limit is met. An
answer then updates the kept queue: the card leaves its list and rejoins the
learning cards if it is due again today; a drill answered for the first time
brings its follow-ups right after it. Anything else (another trainer, an
import, a bury or suspend, an undo, a new study day) makes the next look
build afresh; SQLite's data_version and the connection's change count tell,
at no cost. So the kept queue always equals a fresh build.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from trainer.store import Store
from trainer.store import plans as plans_table
from trainer.store import queue as queue_table
from trainer.store.queue import QueueItem


@dataclass(frozen=True)
class Queue:
    """Today's cards and what is left of each kind.

    The order is: follow-ups of a drill just introduced, learning cards due
    now, the cards of an interview plan for today, then the other reviews
    (lowest recall first) with the new cards spread evenly among them.
    `first()` finds the head without ordering the rest, so drawing a card
    costs the same with twenty cards left or ten thousand.
    """

    ready: tuple[QueueItem, ...]  # follow-ups, then learning cards due now (by due time)
    reviews: tuple[QueueItem, ...]  # the plan's cards for today first, then the reviews
    new_cards: tuple[QueueItem, ...]
    learning: int  # learning cards due later today, the ready ones included
    planned: int = 0  # how many of `reviews`, from the head, an interview plan gives today

    @property
    def new(self) -> int:
        return len(self.new_cards)

    @property
    def review(self) -> int:
        return len(self.reviews)

    @property
    def cards(self) -> tuple[QueueItem, ...]:
        """Every card ready now, in the order they will be shown."""
        head, rest = self.reviews[: self.planned], list(self.reviews[self.planned :])
        return self.ready + head + tuple(spread(rest, list(self.new_cards)))

    @property
    def empty(self) -> bool:
        return not (self.ready or self.reviews or self.new_cards)

    def first(self) -> QueueItem | None:
        if self.ready:
            return self.ready[0]
        if self.planned:
            return self.reviews[0]
        if self.reviews and self.new_cards:
            # The heads of spread(): review 0 sits at 1/(R+1), new card 0 at 1/(N+1); a tie goes to the review.
            return self.reviews[0] if len(self.reviews) >= len(self.new_cards) else self.new_cards[0]
        return (self.reviews or self.new_cards or (None,))[0]


def spread(reviews: list[QueueItem], new: list[QueueItem]) -> list[QueueItem]:
    """Mix new cards evenly among the reviews instead of piling them at one end.

    Review i goes at (i+1)/(R+1) of the way, new card j at (j+1)/(N+1); the
    positions are compared as exact integers, a tie going to the review.
    """
    r, n = len(reviews) + 1, len(new) + 1
    placed = [((i + 1) * n, 0, i) for i in range(len(reviews))] + [((j + 1) * r, 1, j) for j in range(len(new))]
    placed.sort()
    return [reviews[i] if kind == 0 else new[i] for _, kind, i in placed]


def _learning_order(item: QueueItem) -> tuple[int, int]:
    return (item.due, item.id)


def _due(item: QueueItem) -> int:
    return item.due


@dataclass
class Kept:
    """The day's queue as built, and what it was built from."""

    start: int  # the study day, in ms
    end: int
    seen: tuple[int, int]  # (data_version, total_changes) when last in step with the database
    follow: list[QueueItem]  # new follow-ups of drills introduced today, in drill and question order
    learning: list[QueueItem]  # learning cards due today, by due time
    reviews: list[QueueItem]  # review cards, lowest recall first, within the day's limit
    new: list[QueueItem]  # new cards within the day's limit, in deck order (decks mixed)
    new_left: int  # new cards today's limit still allows (follow-ups count too)
    planned: int = 0  # the plan's cards at the head of `reviews`

    def queue(self, now_ms: int) -> Queue:
        ready = self.learning[: bisect.bisect_right(self.learning, now_ms, key=_due)]
        return Queue(tuple(self.follow) + tuple(ready), tuple(self.reviews), tuple(self.new), len(self.learning),
                     self.planned)

    def take(self, key: str) -> QueueItem | None:
        """Remove a card from whichever list holds it."""
        for bucket in (self.follow, self.learning, self.reviews, self.new):
            for i, queued in enumerate(bucket):
                if queued.key == key:
                    if bucket is self.reviews and i < self.planned:
                        self.planned -= 1
                    return bucket.pop(i)
        return None

    def put_learning(self, item: QueueItem) -> None:
        bisect.insort(self.learning, item, key=_learning_order)


def build(
    store: Store,
    deck: str | None,
    start: int,
    end: int,
    now_ms: int,
    new_per_day: int,
    reviews_per_day: int,
    mix_decks: bool,
    stamp: tuple[int, int],
    plan_day: int | None = None,
) -> Kept:
    """Today's queue from the database: the reads are bounded by the day's limits.

    `plan_day` is today's study-day number: an interview plan in force puts
    its cards for that day ahead of the other reviews (planned_today).
    """
    done, ids_today, siblings_today = queue_table.answered_today(store, start, end)

    def allowed(card_id: int, sibling: str | None, used: set[str]) -> bool:
        # Ladder rungs and cloze deletions are siblings: one a day, though
        # that one may come back through its learning steps.
        return not sibling or sibling not in used or card_id in ids_today

    drills_today = queue_table.drills_introduced(store, start, end)
    follow = queue_table.followups_of(store, drills_today, now_ms, deck)
    learning = [c for c in queue_table.learning_due(store, end, now_ms, deck) if allowed(c.id, c.sibling, siblings_today)]
    used = set(siblings_today) | {c.sibling for c in learning if c.sibling}
    reviews_left = max(0, reviews_per_day - done["review"])
    todays_plan = [] if plan_day is None else plans_table.planned_on(store, plan_day, now_ms, deck)
    planned = planned_today(store, todays_plan, reviews_left, ids_today, follow + learning)
    reviews_left -= sum(1 for card in planned if card.state == "review")
    in_plan = {card.id for card in planned}
    used |= {card.sibling for card in planned if card.sibling}

    chosen: list[int] = []
    fetch = reviews_left + 16
    while len(chosen) < reviews_left:
        # Siblings answered today are skipped, so a few more than the limit
        # are asked for, and more again in the rare case that is not enough.
        ranked = queue_table.reviews_due(store, end, now_ms, start, deck, fetch)
        chosen, seen = [], set(used)
        for card_id, sibling in ranked:
            if card_id in in_plan or not allowed(card_id, sibling, seen):
                continue
            if sibling:
                seen.add(sibling)
            chosen.append(card_id)
            if len(chosen) >= reviews_left:
                break
        if len(ranked) < fetch:
            break
        fetch *= 4
    reviews = planned + queue_table.items_by_id(store, chosen)
    used |= {card.sibling for card in reviews if card.sibling}

    new: list[QueueItem] = []
    new_left = max(0, new_per_day - done["new"])
    if new_left:
        waiting_drills: dict[str, bool] = {}

        def drill_waits(parent: str) -> bool:
            # A follow-up comes right after its drill the first time: never
            # before the drill is introduced, nor again from this stream on
            # the day it was (the follow list has it).
            if parent not in waiting_drills:
                waiting_drills[parent] = parent in drills_today or queue_table.is_new(store, parent)
            return waiting_drills[parent]

        def skip(card: QueueItem) -> bool:
            if card.id in in_plan or (card.parent and drill_waits(card.parent)):
                return True
            if card.sibling:
                if card.sibling in used:
                    return True
                used.add(card.sibling)
            return False

        if mix_decks and deck is None:
            introduced = queue_table.introduced_per_deck(store, start, end, drills_today, (c.id for c in todays_plan))
            stream = queue_table.new_cards_mixed(store, now_ms, introduced, skip)
        else:
            stream = (card for card in queue_table.new_cards(store, now_ms, deck) if not skip(card))
        for card in stream:
            new.append(card)
            if len(new) >= new_left:
                break
    return Kept(start, end, stamp, follow, learning, reviews, new, new_left, len(planned))


def planned_today(
    store: Store, todays_plan: list[QueueItem], reviews_left: int, answered: set[int], queued: list[QueueItem],
) -> list[QueueItem]:
    """The cards of today's plan (trainer.store.plans.planned_on) still to show today.

    Left out: cards answered today (the plan asks one answer a day), cards
    already in the queue (a learning step, a follow-up after its drill), a
    new follow-up whose drill is still new (it comes with its drill), and
    cards in review beyond the day's review limit. New cards of the plan are
    not held to the new-card limit (the plan chose them within its minutes),
    but their answers count against it as any first answer does.
    """
    taken = answered | {card.id for card in queued}
    found, reviews = [], 0
    for card in todays_plan:
        if card.id in taken or (card.parent and card.state == "new" and queue_table.is_new(store, card.parent)):
            continue
        if card.state == "review":
            if reviews >= reviews_left:
                continue
            reviews += 1
        found.append(card)
    return found
