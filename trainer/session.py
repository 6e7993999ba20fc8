"""A sitting of review: today's queue, the answers given, and everything undo can take back. No UI.

The queue itself lives in trainer.today (built once, kept in step with each
answer). This module is what the review screen talks to: the card to show,
the intervals on its buttons, the answer (committed before it returns), and
an undo stack of every action of the sitting (answers, suspends, buries,
forgets), so `u` works from any screen of the sitting, back to its start.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo
from typing import Callable

from trainer import history, today
from trainer.config import Settings
from trainer.days import from_ms, to_ms
from trainer.model import Card, DrillAnswer, EventKind, Rating, Status
from trainer.scheduler import Scheduler
from trainer.store import Store
from trainer.store import cards as card_table
from trainer.store import plans as plans_table
from trainer.store import queue as queue_table
from trainer.store.cards import resolve_deck  # noqa: F401  (callers find it here)
from trainer.store.queue import QueueItem
from trainer.today import Queue  # noqa: F401  (re-exported: the review screen's type)

# When nothing is due, a learning card due this soon may be shown early.
LEARN_AHEAD = timedelta(minutes=20)
LEARN_AHEAD_MS = int(LEARN_AHEAD.total_seconds() * 1000)
MAX_DURATION_MS = history.MAX_DURATION_MS


@dataclass(frozen=True)
class Action:
    """One undoable thing done in the sitting."""

    kind: str  # "answer", "forget", "suspend", "bury"
    key: str
    review_id: int | None = None  # answer, forget
    rating: int = 0
    duration_ms: int = 0
    before: object = None  # suspend: the status before; bury: buried_until before
    leech_suspended: bool = False  # the answer made a leech and suspended it


@dataclass
class Tally:
    """What this sitting did, newest last (undo pops it)."""

    actions: list[Action] = field(default_factory=list)

    @property
    def answers(self) -> list[Action]:
        return [a for a in self.actions if a.kind == "answer"]

    @property
    def ratings(self) -> list[tuple[int, int, int]]:
        """(review id, rating, ms) of each answer."""
        return [(a.review_id, a.rating, a.duration_ms) for a in self.answers]

    @property
    def reviewed(self) -> int:
        return len(self.answers)

    @property
    def again(self) -> int:
        return sum(1 for a in self.answers if a.rating == Rating.AGAIN)

    @property
    def time_ms(self) -> int:
        return sum(a.duration_ms for a in self.answers)


@dataclass(frozen=True)
class Answered:
    """What an answer did, for the screen to say."""

    review_id: int
    clock_went_back: bool = False
    leech: bool = False  # the card just became (or stays) a leech at this lapse
    suspended: bool = False  # ... and leech_action suspended it


def leech_threshold_met(lapses: int, threshold: int) -> bool:
    """At the threshold, then every half threshold (rounded up) after it: Anki's rule."""
    if threshold <= 0:
        return False
    half = max(1, math.ceil(threshold / 2))
    return lapses >= threshold and (lapses - threshold) % half == 0


class Sitting:
    """What every review source holds (this module's Session, trainer.practice's PracticeSession):
    the store, the settings, a scheduler and its calendar, and the sitting's tally."""

    def __init__(self, store: Store, settings: Settings, *, deck: str | None = None,
                 scheduler: Scheduler | None = None, tz: tzinfo | None = None):
        self.store = store
        self.settings = settings
        self.deck = deck
        self.scheduler = scheduler or Scheduler(settings, tz=tz)
        self.tz = self.scheduler.tz
        self.calendar = self.scheduler.calendar
        self.tally = Tally()
        self.last_clock_went_back = False


class Session(Sitting):
    """One sitting of review over one deck (or all): the queue, and what was done."""

    practice = False  # a practice source (trainer.practice) says True: no FSRS, no intervals

    def __init__(
        self,
        store: Store,
        settings: Settings,
        *,
        deck: str | None = None,
        scheduler: Scheduler | None = None,
        tz: tzinfo | None = None,
    ):
        Sitting.__init__(self, store, settings, deck=deck, scheduler=scheduler, tz=tz)
        self._kept: today.Kept | None = None
        self.on_rebuild: Callable[[], None] | None = None  # for tests and benchmarks
        self.plan_day: int | None = None  # the study day of the queue last built

    # -- the queue -----------------------------------------------------------
    def _stamp(self) -> tuple[int, int]:
        return self.store.data_version(), self.store.conn.total_changes

    def _current(self, now: datetime) -> today.Kept:
        now_ms = to_ms(now)
        kept = self._kept
        if kept is None or not kept.start <= now_ms < kept.end or kept.seen != self._stamp():
            if self.on_rebuild:
                self.on_rebuild()
            start, end = self.calendar.bounds_ms(now_ms)
            self.plan_day = self.calendar.day(now_ms)
            kept = self._kept = today.build(
                self.store, self.deck, start, end, now_ms, self.settings.new_per_day,
                self.settings.reviews_per_day, self.settings.new_card_order == "mixed", self._stamp(),
                plan_day=self.plan_day,
            )
        return kept

    def queue(self, now: datetime) -> Queue:
        return self._current(now).queue(to_ms(now))

    def invalidate(self) -> None:
        """Build the queue afresh next time."""
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

    def plan_date_for(self, card: Card, now: datetime | None = None) -> date | None:
        """The date of the interview plan that serves this card today (the screen says "for DATE"), or None.

        Today is `now`'s study day, or without it the day of the queue last drawn.
        """
        day = self.calendar.day_of(now) if now is not None else self.plan_day
        if day is None:
            return None
        on_day = plans_table.plan_day_of(self.store, card.id, day)
        return None if on_day is None else self.calendar.date(on_day)

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

    def allowance(self, now: datetime) -> tuple[int, int]:
        """(new cards, reviews) today's limits still allow, counting every answer given today."""
        start, end = self.calendar.bounds_ms(to_ms(now))
        done = queue_table.answered_today(self.store, start, end)[0]
        return (max(0, self.settings.new_per_day - done["new"]),
                max(0, self.settings.reviews_per_day - done["review"]))

    def deck_counts(self, now: datetime) -> list[queue_table.DeckCounts]:
        """Every deck's learning cards due today and active cards: one aggregate query, no queue per deck."""
        now_ms = to_ms(now)
        _, end = self.calendar.bounds_ms(now_ms)
        return queue_table.deck_counts(self.store, now_ms, end)

    def decks_of(self, items) -> dict[str, tuple[int, int]]:
        """deck -> (new cards, reviews) among these queue items."""
        items = list(items)
        decks = card_table.decks_by_id(self.store, [item.id for item in items])
        found: dict[str, list[int]] = {}
        for item in items:
            counts = found.setdefault(decks[item.id], [0, 0])
            counts[0 if item.state == "new" else 1] += 1
        return {deck: (new, due) for deck, (new, due) in found.items()}

    # -- answering -----------------------------------------------------------
    def intervals(self, card: Card, now: datetime) -> dict[Rating, timedelta]:
        """What each button gives: the very computation the answer makes (the log keeps milliseconds)."""
        current = card_table.get_card(self.store, card.key) or card
        return self.scheduler.preview(card.key, current.memory, from_ms(to_ms(now)))

    def answer(self, card: Card, rating: Rating, now: datetime, duration_ms: int | None,
               drill: DrillAnswer | None = None) -> int:
        """Record an answer; it is committed before this returns. Returns the review's id."""
        return self.answer_card(card, rating, now, duration_ms, drill).review_id

    def answer_card(self, card: Card, rating: Rating, now: datetime, duration_ms: int | None,
                    drill: DrillAnswer | None = None) -> Answered:
        """Record an answer and say what it did (a leech, a clock set back)."""
        kept = self._kept
        in_step = kept is not None and kept.seen == self._stamp()
        recorded = history.answer(self.store, self.scheduler, card.key, rating, now, duration_ms, drill)
        self.last_clock_went_back = recorded.clock_went_back
        leech = recorded.lapsed and leech_threshold_met(recorded.memory.lapses, self.settings.leech_threshold)
        suspended = leech and self.settings.leech_action == "suspend"
        if suspended:
            with self.store.write():
                card_table.set_status(self.store, [card.key], Status.SUSPENDED, now)
        self.tally.actions.append(Action("answer", card.key, recorded.review_id, int(rating),
                                         recorded_duration(duration_ms), leech_suspended=suspended))
        # Our own commit leaves data_version alone: a change there is another writer's.
        if in_step and not suspended and self.store.data_version() == kept.seen[0]:
            self._after_answer(kept, card, recorded, to_ms(now))
        else:
            self.invalidate()
        return Answered(recorded.review_id, recorded.clock_went_back, leech, suspended)

    def _after_answer(self, kept: today.Kept, card: Card, recorded: history.Recorded, now_ms: int) -> None:
        """What a fresh build would now give: the card leaves its list, and rejoins the learning cards if due today."""
        memory = recorded.memory
        item = kept.take(card.key)
        if recorded.state_before == "new":
            kept.new_left -= 1
            del kept.new[max(0, kept.new_left):]  # a follow-up counts against the day's new cards too
        if item is None:
            item = QueueItem(card.key, str(getattr(card.kind, "value", card.kind)), card.sibling, memory.state,
                             None, None, None, card.source_line, card.id, card.extra.get("drill"))
        if memory.state in ("learning", "relearning") and to_ms(memory.due) < kept.end:
            kept.put_learning(item._replace(state=memory.state, due=to_ms(memory.due), stability=memory.stability,
                                            last_review=to_ms(memory.last_review)))
        kept.seen = self._stamp()
        if item.kind == "drill" and recorded.state_before == "new":
            # Its follow-ups come right after a drill's first answer (they were held back till now),
            # and its follow-ups' answers stop counting as new cards of their own (an undone drill's
            # follow-up answered meanwhile did): rare enough to build the queue afresh.
            self._kept = None

    # -- the other actions, and undo ------------------------------------------
    def suspend(self, card: Card, now: datetime) -> None:
        with self.store.write():
            before = card_table.status_of(self.store, card.key)
            card_table.set_status(self.store, [card.key], Status.SUSPENDED, now)
        self.tally.actions.append(Action("suspend", card.key, before=before))
        self.invalidate()

    def bury(self, card: Card, now: datetime) -> None:
        """Hide the card until the next study day starts."""
        before = card_table.buried_until_of(self.store, card.key)
        card_table.bury(self.store, card.key, self.tomorrow(now))
        self.tally.actions.append(Action("bury", card.key, before=before))
        self.invalidate()

    def forget(self, card: Card, now: datetime) -> int:
        """Send a card back to new; its history stays in the log."""
        recorded = history.record(self.store, self.scheduler, card.key, EventKind.FORGET, now)
        self.tally.actions.append(Action("forget", card.key, recorded.review_id))
        self.invalidate()
        return recorded.review_id

    def undo(self) -> Card | None:
        """Take back the last action of this sitting; returns the card it concerned, to show again."""
        while self.tally.actions:
            action = self.tally.actions.pop()
            self.invalidate()
            if action.kind in ("answer", "forget"):
                key = history.undo(self.store, self.scheduler, action.review_id)
                if key is None:  # already gone (undone by another trainer)
                    continue
                if action.leech_suspended:
                    with self.store.write():
                        self.store.conn.execute("UPDATE cards SET status = 'active' WHERE key = ? AND status = 'suspended'",
                                                (action.key,))
            elif action.kind == "suspend":
                with self.store.write():
                    self.store.conn.execute("UPDATE cards SET status = ? WHERE key = ?", (action.before, action.key))
            elif action.kind == "bury":
                with self.store.write():
                    self.store.conn.execute("UPDATE cards SET buried_until = ? WHERE key = ?", (action.before, action.key))
            return card_table.get_card(self.store, action.key)
        return None

    def last_action(self) -> Action | None:
        return self.tally.actions[-1] if self.tally.actions else None


def recorded_duration(duration_ms: int | None) -> int:
    if duration_ms is None:
        return 0
    return max(0, min(int(duration_ms), MAX_DURATION_MS))
