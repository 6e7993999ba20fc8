"""Today's queue and what a review does: answer, undo, suspend, bury. No UI.

The queue is recomputed from the database after every answer rather than kept
in memory: limits then count everything answered today, by this trainer or
another one open on the same database, and nothing is lost if it dies.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, tzinfo

from trainer.config import Settings
from trainer.days import day_bounds
from trainer.model import Card, Rating, Status
from trainer.scheduler import Scheduler
from trainer.store import Store
from trainer.store import cards as card_table
from trainer.store import queue as queue_table
from trainer.store.queue import QueueItem
from trainer.store.cards import resolve_deck  # noqa: F401  (callers find it here)
from trainer.store.reviews import record_review, undo_review

# When nothing is due, a learning card due this soon may be shown early.
LEARN_AHEAD = timedelta(minutes=20)
# A card left on screen while the learner walked away should not count as an
# hour of study.
MAX_DURATION_MS = 5 * 60 * 1000


@dataclass(frozen=True)
class Queue:
    """Today's cards, in the order they will be shown, and what is left of each kind."""

    cards: tuple[QueueItem, ...]
    new: int
    learning: int
    review: int
    limit_reached: bool = False

    @property
    def empty(self) -> bool:
        return not self.cards


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
    """Mix new cards evenly among the reviews instead of piling them at one end."""
    placed = [((i + 1) / (len(reviews) + 1), 0, card) for i, card in enumerate(reviews)]
    placed += [((j + 1) / (len(new) + 1), 1, card) for j, card in enumerate(new)]
    return [card for _, _, card in sorted(placed, key=lambda item: (item[0], item[1]))]


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
        self.scheduler = scheduler or Scheduler(settings)
        self.tz = tz
        self.tally = Tally()

    # -- the queue -----------------------------------------------------------
    def queue(self, now: datetime) -> Queue:
        start, end = day_bounds(now, self.settings.day_starts_at, self.tz)
        done, keys_today, siblings_today = queue_table.answered_today(self.store, start, end)

        def allowed(card: QueueItem, used: set[str]) -> bool:
            # Ladder rungs are siblings: one a day, though that one may come back
            # through its learning steps.
            return not card.sibling or card.sibling not in used or card.key in keys_today

        learning_today = [c for c in queue_table.learning_due(self.store, end, now, self.deck) if allowed(c, siblings_today)]
        learning_now = [c for c in learning_today if c.due <= now]
        used = set(siblings_today) | {c.sibling for c in learning_today if c.sibling}

        reviews_left = max(0, self.settings.reviews_per_day - done["review"])
        due = queue_table.reviews_due(self.store, end, now, self.deck)
        # Lowest recall first: the cards closest to being forgotten.
        recall = self.scheduler.recall_after_days(
            (c.stability or 1.0, (now - c.last_review).days if c.last_review else 0) for c in due
        )
        due = [card for _, _, card in sorted(zip(recall, range(len(due)), due))]
        reviews: list[QueueItem] = []
        for card in due:
            if len(reviews) >= reviews_left:
                break
            if allowed(card, used):
                reviews.append(card)
                if card.sibling:
                    used.add(card.sibling)

        new_left = max(0, self.settings.new_per_day - done["new"])
        new = queue_table.new_cards(self.store, now, self.deck, new_left, used) if new_left else []
        limit_reached = (new_left == 0 and queue_table.has_new_cards(self.store, self.deck)) or (
            reviews_left < len(due)
        )
        cards = learning_now + _spread(reviews, new)
        return Queue(tuple(cards), len(new), len(learning_today), len(reviews), limit_reached)

    def peek(self, now: datetime) -> tuple[Card | None, Queue]:
        """The card to show now (None when the day is done) and the queue it came from."""
        queue = self.queue(now)
        if queue.cards:
            return card_table.get_card(self.store, queue.cards[0].key), queue
        ahead = queue_table.learning_due(self.store, now + LEARN_AHEAD, now, self.deck)
        return (card_table.get_card(self.store, ahead[0].key) if ahead else None), queue

    def next_card(self, now: datetime) -> Card | None:
        return self.peek(now)[0]

    def next_due(self, now: datetime) -> datetime | None:
        """When the next card will be due, for the 'all done' screen."""
        return queue_table.next_due(self.store, now, self.deck)

    def tomorrow(self, now: datetime) -> datetime:
        """When the next study day starts (new cards come back then)."""
        return day_bounds(now, self.settings.day_starts_at, self.tz)[1]

    # -- answering -----------------------------------------------------------
    def intervals(self, card: Card, now: datetime) -> dict[Rating, timedelta]:
        return self.scheduler.preview(card.key, card.memory, now)

    def answer(self, card: Card, rating: Rating, now: datetime, duration_ms: int | None) -> int:
        """Record an answer; it is committed before this returns."""
        # Read the card again: another trainer on this database may have moved it on.
        current = card_table.get_card(self.store, card.key) or card
        before = current.memory
        after = self.scheduler.review(card.key, before, rating, now)
        recall = self.scheduler.retrievability(before, now)
        if duration_ms is not None:
            duration_ms = max(0, min(int(duration_ms), MAX_DURATION_MS))
        review_id = record_review(self.store, card.key, rating, now, duration_ms, before, after, recall)
        self.tally.ratings.append((review_id, int(rating), duration_ms or 0))
        return review_id

    def undo(self) -> Card | None:
        """Take back the last answer of this sitting; returns the card to show again."""
        while self.tally.ratings:
            review_id, _, _ = self.tally.ratings.pop()
            review = undo_review(self.store, review_id)
            if review is not None:  # None: already gone (undone by another trainer)
                return card_table.get_card(self.store, review.card_key)
        return None

    def suspend(self, card: Card, now: datetime) -> None:
        with self.store.atomic():
            card_table.set_status(self.store, [card.key], Status.SUSPENDED, now)

    def bury(self, card: Card, now: datetime) -> None:
        """Hide the card until the next study day starts."""
        card_table.bury(self.store, card.key, self.tomorrow(now))
