"""Today's queue and what a review does: answer, undo, suspend, bury. No UI.

The queue is built once when a sitting starts, bounded by the day's limits,
and then kept: an answer removes its card and puts it back among the
learning cards if it is due again today. It is built afresh when the study
day changes, after a bury, suspend or undo, and whenever the database was
changed by anything else (another trainer, an import, another screen): the
connection's change count and SQLite's data_version tell, at no cost. So the
queue always equals the one a fresh build would give, and an answer costs
what one card costs, not what the collection holds.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from datetime import datetime, timedelta, tzinfo
from typing import Callable

from trainer import history
from trainer.config import Settings
from trainer.days import from_ms, to_ms
from trainer.model import Card, EventKind, Rating, Status
from trainer.scheduler import Scheduler
from trainer.store import Store
from trainer.store import cards as card_table
from trainer.store import queue as queue_table
from trainer.store.cards import resolve_deck  # noqa: F401  (callers find it here)
from trainer.store.queue import QueueItem

# When nothing is due, a learning card due this soon may be shown early.
LEARN_AHEAD = timedelta(minutes=20)
LEARN_AHEAD_MS = int(LEARN_AHEAD.total_seconds() * 1000)
MAX_DURATION_MS = history.MAX_DURATION_MS


@dataclass(frozen=True)
class Queue:
    """Today's cards and what is left of each kind.

    The order is: learning cards due now, then the reviews (lowest recall
    first) with the new cards spread evenly among them. `first()` finds the
    head without ordering the rest, so drawing a card costs the same with
    twenty cards left or ten thousand.
    """

    ready: tuple[QueueItem, ...]  # learning cards due now, by due time
    reviews: tuple[QueueItem, ...]
    new_cards: tuple[QueueItem, ...]
    learning: int  # learning cards due later today, the ready ones included

    @property
    def new(self) -> int:
        return len(self.new_cards)

    @property
    def review(self) -> int:
        return len(self.reviews)

    @property
    def cards(self) -> tuple[QueueItem, ...]:
        """Every card ready now, in the order they will be shown."""
        return self.ready + tuple(_spread(list(self.reviews), list(self.new_cards)))

    @property
    def empty(self) -> bool:
        return not (self.ready or self.reviews or self.new_cards)

    def first(self) -> QueueItem | None:
        if self.ready:
            return self.ready[0]
        if self.reviews and self.new_cards:
            # The heads of _spread: review 0 sits at 1/(R+1), new card 0 at 1/(N+1); a tie goes to the review.
            return self.reviews[0] if len(self.reviews) >= len(self.new_cards) else self.new_cards[0]
        return (self.reviews or self.new_cards or (None,))[0]


@dataclass
class Tally:
    """What this sitting did: its answers, newest last (undo pops them)."""

    ratings: list[tuple[int, int, int]] = field(default_factory=list)  # (review id, rating, ms)

    @property
    def reviewed(self) -> int:
        return len(self.ratings)

    @property
    def again(self) -> int:
        return sum(1 for _, rating, _ in self.ratings if rating == Rating.AGAIN)

    @property
    def time_ms(self) -> int:
        return sum(ms for _, _, ms in self.ratings)


def _spread(reviews: list[QueueItem], new: list[QueueItem]) -> list[QueueItem]:
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
class _Kept:
    """The day's queue as built, and what it was built from."""

    start: int  # the study day, in ms
    end: int
    seen: tuple[int, int]  # (data_version, total_changes) when last in step with the database
    learning: list[QueueItem]  # learning cards due today, by due time
    reviews: list[QueueItem]  # review cards, lowest recall first, within the day's limit
    new: list[QueueItem]  # new cards within the day's limit, in deck order


class Session:
    """One sitting of review over one deck (or all): the queue, and the answers given."""

    def __init__(
        self,
        store: Store,
        settings: Settings,
        *,
        deck: str | None = None,
        scheduler: Scheduler | None = None,
        tz: tzinfo | None = None,
    ):
        self.store = store
        self.settings = settings
        self.deck = deck
        self.scheduler = scheduler or Scheduler(settings, tz=tz)
        self.tz = self.scheduler.tz
        self.calendar = self.scheduler.calendar
        self.tally = Tally()
        self._kept: _Kept | None = None
        self.last_clock_went_back = False
        self.on_rebuild: Callable[[], None] | None = None  # for tests and benchmarks

    # -- the queue -----------------------------------------------------------
    def _stamp(self) -> tuple[int, int]:
        return self.store.data_version(), self.store.conn.total_changes

    def _build(self, now_ms: int) -> _Kept:
        """Today's queue from the database: the reads are bounded by the day's limits."""
        if self.on_rebuild:
            self.on_rebuild()
        store, deck = self.store, self.deck
        start, end = self.calendar.bounds_ms(now_ms)
        done, ids_today, siblings_today = queue_table.answered_today(store, start, end)

        def allowed(card_id: int, sibling: str | None, used: set[str]) -> bool:
            # Ladder rungs and cloze deletions are siblings: one a day, though
            # that one may come back through its learning steps.
            return not sibling or sibling not in used or card_id in ids_today

        learning = [c for c in queue_table.learning_due(store, end, now_ms, deck) if allowed(c.id, c.sibling, siblings_today)]
        used = set(siblings_today) | {c.sibling for c in learning if c.sibling}

        chosen: list[int] = []
        reviews_left = max(0, self.settings.reviews_per_day - done["review"])
        fetch = reviews_left + 16
        while len(chosen) < reviews_left:
            # Siblings answered today are skipped, so a few more than the limit
            # are asked for, and more again in the rare case that is not enough.
            ranked = queue_table.reviews_due(store, end, now_ms, start, deck, fetch)
            chosen, seen = [], set(used)
            for card_id, sibling in ranked:
                if not allowed(card_id, sibling, seen):
                    continue
                if sibling:
                    seen.add(sibling)
                chosen.append(card_id)
                if len(chosen) >= reviews_left:
                    break
            if len(ranked) < fetch:
                break
            fetch *= 4
        reviews = queue_table.items_by_id(store, chosen)
        used |= {card.sibling for card in reviews if card.sibling}

        new: list[QueueItem] = []
        new_left = max(0, self.settings.new_per_day - done["new"])
        if new_left:
            for card in queue_table.new_cards(store, now_ms, deck):
                if card.sibling:
                    if card.sibling in used:
                        continue
                    used.add(card.sibling)
                new.append(card)
                if len(new) >= new_left:
                    break
        return _Kept(start, end, self._stamp(), learning, reviews, new)

    def _current(self, now: datetime) -> _Kept:
        now_ms = to_ms(now)
        kept = self._kept
        if kept is None or not kept.start <= now_ms < kept.end or kept.seen != self._stamp():
            kept = self._kept = self._build(now_ms)
        return kept

    def queue(self, now: datetime) -> Queue:
        kept = self._current(now)
        ready = kept.learning[: bisect.bisect_right(kept.learning, to_ms(now), key=_due)]
        return Queue(tuple(ready), tuple(kept.reviews), tuple(kept.new), len(kept.learning))

    def allowance(self, now: datetime) -> tuple[int, int]:
        """(new cards, reviews) today's limits still allow, counting every answer given today."""
        start, end = self.calendar.bounds_ms(to_ms(now))
        done = queue_table.answered_today(self.store, start, end)[0]
        return (max(0, self.settings.new_per_day - done["new"]),
                max(0, self.settings.reviews_per_day - done["review"]))

    def deck_counts(self, now: datetime) -> list[queue_table.DeckCounts]:
        """Every deck's new / learning / due today, capped by what the day's limits allow.

        One aggregate query: no queue is built per deck. A ladder's rungs (or a
        cloze's deletions) count as one new card, as one a day is shown.
        """
        now_ms = to_ms(now)
        _, end = self.calendar.bounds_ms(now_ms)
        new_left, reviews_left = self.allowance(now)
        return [
            row._replace(new=min(row.new, new_left), due=min(row.due, reviews_left))
            for row in queue_table.deck_counts(self.store, now_ms, end)
        ]

    def invalidate(self) -> None:
        """Build the queue afresh next time (after a bury, suspend or undo)."""
        self._kept = None

    def peek(self, now: datetime) -> tuple[Card | None, Queue]:
        """The card to show now (None when the day is done) and the queue it came from."""
        queue = self.queue(now)
        head = queue.first()
        if head is not None:
            return card_table.get_card(self.store, head.key), queue
        kept = self._current(now)
        if kept.learning and kept.learning[0].due <= to_ms(now) + LEARN_AHEAD_MS:
            return card_table.get_card(self.store, kept.learning[0].key), queue
        return None, queue

    def next_card(self, now: datetime) -> Card | None:
        return self.peek(now)[0]

    def is_early(self, card: Card, now: datetime) -> bool:
        """True when a learning card is shown before its due time (learn-ahead)."""
        return card.memory.state in ("learning", "relearning") and card.memory.due is not None and card.memory.due > now

    def next_due(self, now: datetime) -> datetime | None:
        """When the next card can be shown, for the 'all done' screen.

        A learning card at its due time; a review card from the start of the
        study day it is due on.
        """
        now_ms = to_ms(now)
        _, end = self.calendar.bounds_ms(now_ms)
        found = []
        learning = queue_table.next_learning_due(self.store, now_ms, self.deck)
        if learning is not None:
            found.append(learning)
        review = queue_table.next_review_due(self.store, end, self.deck)
        if review is not None:
            found.append(max(self.calendar.start_ms(self.calendar.day(review)), now_ms))
        return from_ms(min(found)) if found else None

    def limit_reached(self, now: datetime) -> bool:
        """True when today's limits, not an empty deck, ended the day: more is waiting."""
        kept = self._current(now)
        done = queue_table.answered_today(self.store, kept.start, kept.end)[0]
        if self.settings.new_per_day - done["new"] <= 0 and queue_table.has_new_cards(self.store, self.deck):
            return True
        if self.settings.reviews_per_day - done["review"] <= 0:
            return bool(queue_table.reviews_due(self.store, kept.end, to_ms(now), kept.start, self.deck, 1))
        return False

    def tomorrow(self, now: datetime) -> datetime:
        """When the next study day starts (new cards come back then)."""
        return from_ms(self.calendar.bounds_ms(to_ms(now))[1])

    # -- answering -----------------------------------------------------------
    def intervals(self, card: Card, now: datetime) -> dict[Rating, timedelta]:
        """What each button gives: the very computation the answer makes (the log keeps milliseconds)."""
        current = card_table.get_card(self.store, card.key) or card
        return self.scheduler.preview(card.key, current.memory, from_ms(to_ms(now)))

    def answer(self, card: Card, rating: Rating, now: datetime, duration_ms: int | None) -> int:
        """Record an answer; it is committed before this returns."""
        kept = self._kept
        in_step = kept is not None and kept.seen == self._stamp()
        recorded = history.answer(self.store, self.scheduler, card.key, rating, now, duration_ms)
        self.last_clock_went_back = recorded.clock_went_back
        self.tally.ratings.append((recorded.review_id, int(rating), recorded_duration(duration_ms)))
        # Our own commit leaves data_version alone: a change there is another writer's.
        if in_step and self.store.data_version() == kept.seen[0]:
            self._after_answer(kept, card, recorded.memory)
        else:
            self.invalidate()
        return recorded.review_id

    def _after_answer(self, kept: _Kept, card: Card, memory) -> None:
        """What a fresh build would now give: the card leaves its list, and rejoins the learning cards if due today."""
        item = None
        for bucket in (kept.learning, kept.reviews, kept.new):
            for i, queued in enumerate(bucket):
                if queued.key == card.key:
                    item = bucket.pop(i)
                    break
            if item is not None:
                break
        if item is None:
            item = QueueItem(card.key, str(getattr(card.kind, "value", card.kind)), card.sibling, memory.state,
                             None, None, None, card.source_line, card.id)
        if memory.state in ("learning", "relearning") and to_ms(memory.due) < kept.end:
            back = item._replace(state=memory.state, due=to_ms(memory.due), stability=memory.stability,
                                 last_review=to_ms(memory.last_review))
            bisect.insort(kept.learning, back, key=_learning_order)
        kept.seen = self._stamp()

    def undo(self) -> Card | None:
        """Take back the last action of this sitting; returns the card to show again."""
        while self.tally.ratings:
            review_id, _, _ = self.tally.ratings.pop()
            key = history.undo(self.store, self.scheduler, review_id)
            if key is not None:  # None: already gone (undone by another trainer)
                self.invalidate()
                return card_table.get_card(self.store, key)
        return None

    def suspend(self, card: Card, now: datetime) -> None:
        with self.store.write():
            card_table.set_status(self.store, [card.key], Status.SUSPENDED, now)
        self.invalidate()

    def bury(self, card: Card, now: datetime) -> None:
        """Hide the card until the next study day starts."""
        card_table.bury(self.store, card.key, self.tomorrow(now))
        self.invalidate()

    def forget(self, card: Card, now: datetime) -> int:
        """Send a card back to new; its history stays in the log."""
        recorded = history.record(self.store, self.scheduler, card.key, EventKind.FORGET, now)
        self.invalidate()
        return recorded.review_id


def recorded_duration(duration_ms: int | None) -> int:
    if duration_ms is None:
        return 0
    return max(0, min(int(duration_ms), MAX_DURATION_MS))
