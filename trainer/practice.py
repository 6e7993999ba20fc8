"""Practice: answer cards as often as you like without touching their schedule. No UI.

Practice answers go to their own table (trainer.store.practice), never to
the review log: no card's FSRS columns change, nothing is replayed, and
`trainer check` does not see them. The one exception is opt-in: with
`practice_misses_due_today = true` a card in review missed in practice is
made due today in the real schedule, as a logged manual event
(EventKind.RESCHEDULE, set_days 0) that replay honours, never a silent
write to its columns.

`PracticeSession` offers what the review screen asks of trainer.session.
Session (peek, answer_card, undo, suspend, bury ...), with `practice = True`
and no interval previews. Cards come in the order selected; a missed card
comes back after a few others, as often as it is missed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, tzinfo

from trainer import history
from trainer.config import Settings
from trainer.days import from_ms, to_ms
from trainer.errors import TrainerError
from trainer.model import Card, DrillAnswer, EventKind, Rating, Status
from trainer.scheduler import Scheduler
from trainer.session import Action, Sitting, recorded_duration
from trainer.store import Store
from trainer.store import cards as card_table
from trainer.store import practice as practice_table
from trainer.store.cards import resolve_deck
from trainer.store.queue import QueueItem

COMES_BACK_AFTER = 3  # a missed card returns after this many other cards


@dataclass(frozen=True)
class Selection:
    """Which cards to practise; every filter given must hold."""

    deck: str | None = None
    section: str | None = None  # part of the headings above the card, any case
    search: str | None = None  # part of its prompt or answer, any case
    weakest: int | None = None  # the N studied cards with the lowest predicted recall now
    below: float | None = None  # studied cards whose predicted recall on `on` is below this
    on: date | None = None
    limit: int | None = None

    def describe(self) -> str:
        parts = [f"deck {self.deck!r}" if self.deck else "all decks"]
        if self.section:
            parts.append(f"section containing {self.section!r}")
        if self.search:
            parts.append(f"text containing {self.search!r}")
        if self.below is not None:
            parts.append(f"recall below {self.below:.0%} on {self.on.isoformat()}")
        if self.weakest:
            parts.append(f"the {self.weakest} weakest")
        return ", ".join(parts)


def select_cards(store: Store, settings: Settings, now: datetime, selection: Selection,
                 scheduler: Scheduler | None = None) -> list[str]:
    """The keys of the cards to practise, in the order to show them.

    Deck order, unless --weakest or --below ranks them: lowest predicted recall
    first (now, or on the date). Those two only consider studied cards: a new
    card has no memory to predict.
    """
    scheduler = scheduler or Scheduler(settings, fuzz=False, tz=settings.zone)
    calendar = scheduler.calendar
    today = calendar.day_of(now)
    if (selection.below is None) != (selection.on is None):
        raise TrainerError("--below and --on go together: practise the cards below a recall on a date, "
                           "as in --below 0.9 --on 2026-12-15")
    if selection.below is not None and not 0 < selection.below <= 1:
        raise TrainerError(f"--below: {selection.below} is not a recall; give one between 0 and 1, like 0.9")
    if selection.on is not None and calendar.number(selection.on) < today:
        raise TrainerError(f"--on: {selection.on.isoformat()} is in the past; give today or a later date")
    deck = resolve_deck(store, selection.deck)
    rows = practice_table.candidates(store, deck)
    if selection.section:
        wanted = selection.section.casefold()
        rows = [row for row in rows if wanted in row.section.casefold()]
    if selection.search:
        wanted = selection.search.casefold()
        rows = [row for row in rows if wanted in row.prompt.casefold() or wanted in row.answer.casefold()]
    if selection.weakest is not None or selection.below is not None:
        rows = [row for row in rows if row.state != "new" and row.stability is not None]
        lasts = [calendar.day(row.last_review) for row in rows]
        if selection.below is not None:
            on_day = calendar.number(selection.on)
            recall = scheduler.recall_after_days((row.stability, on_day - last) for row, last in zip(rows, lasts))
            kept = sorted((r, i) for i, r in enumerate(recall) if r < selection.below)
            rows, lasts = [rows[i] for _, i in kept], [lasts[i] for _, i in kept]
        if selection.weakest is not None:
            recall = scheduler.recall_after_days((row.stability, today - last) for row, last in zip(rows, lasts))
            rows = [rows[i] for _, i in sorted((r, i) for i, r in enumerate(recall))[: selection.weakest]]
    if selection.limit is not None:
        rows = rows[: selection.limit]
    if not rows:
        raise TrainerError(f"no cards to practise ({selection.describe()}); widen the selection")
    return [row.key for row in rows]


@dataclass(frozen=True)
class Practised:
    """What a practice answer did, for the screen (the same fields as trainer.session.Answered)."""

    review_id: int  # the practice row's id (table practice), not a review's
    clock_went_back: bool = False
    leech: bool = False
    suspended: bool = False
    made_due: bool = False  # practice_misses_due_today made the card due today (a logged event)


@dataclass(frozen=True)
class PracticeQueue:
    """What is left of a practice run, shaped like trainer.today.Queue for the screen's counts."""

    cards: tuple[QueueItem, ...]  # every card still to show, in order
    ready: tuple[QueueItem, ...]  # missed cards waiting to come back
    reviews: tuple[QueueItem, ...]  # cards not yet answered in this run
    new_cards: tuple[QueueItem, ...] = ()

    @property
    def learning(self) -> int:
        return len(self.ready)

    @property
    def new(self) -> int:
        return 0

    @property
    def review(self) -> int:
        return len(self.reviews)

    @property
    def empty(self) -> bool:
        return not self.cards

    def first(self) -> QueueItem | None:
        return self.cards[0] if self.cards else None


def _item(card: Card) -> QueueItem:
    memory = card.memory
    due = None if memory.due is None else to_ms(memory.due)
    last = None if memory.last_review is None else to_ms(memory.last_review)
    return QueueItem(card.key, str(card.kind), card.sibling, memory.state, due, memory.stability, last,
                     card.source_line, card.id, card.extra.get("drill"))


class PracticeSession(Sitting):
    """A practice run over chosen cards: the review screen's source, with nothing scheduled."""

    practice = True

    def __init__(self, store: Store, settings: Settings, keys: list[str], *, deck: str | None = None,
                 scheduler: Scheduler | None = None, tz: tzinfo | None = None):
        super().__init__(store, settings, deck=deck, scheduler=scheduler, tz=tz)
        self._order: list[str] = list(dict.fromkeys(keys))  # still to show, head first
        self._missed: set[str] = set()  # missed and waiting to come back
        self._seen: set[str] = set()  # answered at least once in this run
        self._items: dict[str, QueueItem] = {}

    # -- what to show ------------------------------------------------------------
    def _queue_item(self, key: str) -> QueueItem | None:
        item = self._items.get(key)
        if item is None:
            card = card_table.get_card(self.store, key)
            if card is None:
                return None
            item = self._items[key] = _item(card)
        return item

    def queue(self, now: datetime) -> PracticeQueue:
        items = [item for key in self._order if (item := self._queue_item(key)) is not None]
        return PracticeQueue(
            tuple(items),
            tuple(item for item in items if item.key in self._missed),
            tuple(item for item in items if item.key not in self._seen),
        )

    def peek(self, now: datetime) -> tuple[Card | None, PracticeQueue]:
        """The card to show now (None when the run is over) and what is left."""
        while self._order:
            card = card_table.get_card(self.store, self._order[0])
            if card is not None and card.status == Status.ACTIVE:
                return card, self.queue(now)
            self._order.pop(0)  # suspended or retired since it was chosen
        return None, self.queue(now)

    def next_card(self, now: datetime) -> Card | None:
        return self.peek(now)[0]

    def intervals(self, card: Card, now: datetime) -> None:
        """Practice gives no intervals: the screen shows the buttons without them."""
        return None

    def is_early(self, card: Card, now: datetime) -> bool:
        return False

    def next_due(self, now: datetime) -> datetime | None:
        return None  # nothing is scheduled by practice

    def limit_reached(self, now: datetime) -> bool:
        return False  # practice has no daily limits

    def tomorrow(self, now: datetime) -> datetime:
        return from_ms(self.calendar.bounds_ms(to_ms(now))[1])

    def plan_date_for(self, card: Card, now: datetime | None = None) -> date | None:
        return None  # an interview plan serves the daily review, not practice

    # -- answering -------------------------------------------------------------------
    def answer(self, card: Card, rating: Rating, now: datetime, duration_ms: int | None,
               drill: DrillAnswer | None = None) -> int:
        return self.answer_card(card, rating, now, duration_ms, drill).review_id

    def answer_card(self, card: Card, rating: Rating, now: datetime, duration_ms: int | None,
                    drill: DrillAnswer | None = None) -> Practised:
        """Record a practice answer (committed before this returns); a miss comes back after a few cards.

        A drill's rubric and notes are not kept in practice, only its rating and time.
        """
        if duration_ms is None and drill is not None:
            duration_ms = drill.time_ms
        before = self._snapshot()
        ms = recorded_duration(duration_ms) if duration_ms is not None else None
        practice_id = practice_table.record(self.store, card.id, int(rating), to_ms(now), ms)
        event = self._make_due_today(card, now) if rating == Rating.AGAIN else None
        if card.key in self._order:
            self._order.remove(card.key)
        self._seen.add(card.key)
        if rating == Rating.AGAIN:
            self._order.insert(min(COMES_BACK_AFTER, len(self._order)), card.key)
            self._missed.add(card.key)
        else:
            self._missed.discard(card.key)
        self._items.pop(card.key, None)
        self.tally.actions.append(Action("answer", card.key, practice_id, int(rating), ms or 0, before=(before, event)))
        return Practised(practice_id, made_due=event is not None)

    def _make_due_today(self, card: Card, now: datetime) -> int | None:
        """With practice_misses_due_today, a card in review missed here is due today: a logged event."""
        if not self.settings.practice_misses_due_today:
            return None
        memory = card_table.get_card(self.store, card.key).memory
        end = self.calendar.bounds_ms(to_ms(now))[1]
        if memory.state != "review" or memory.due is None or to_ms(memory.due) < end:
            return None  # not in review, or due today already
        return history.record(self.store, self.scheduler, card.key, EventKind.RESCHEDULE, now, set_days=0).review_id

    # -- the other actions, and undo ----------------------------------------------------
    def _snapshot(self) -> tuple:
        return (list(self._order), set(self._missed), set(self._seen))

    def suspend(self, card: Card, now: datetime) -> None:
        """Suspend the card for good (the daily review too), and leave it out of this run."""
        with self.store.write():
            status = card_table.status_of(self.store, card.key)
            card_table.set_status(self.store, [card.key], Status.SUSPENDED, now)
        self.tally.actions.append(Action("suspend", card.key, before=(self._snapshot(), status)))
        self._drop(card.key)

    def bury(self, card: Card, now: datetime) -> None:
        """Skip the card for the rest of this run; its schedule and the daily review are untouched."""
        self.tally.actions.append(Action("bury", card.key, before=(self._snapshot(), None)))
        self._drop(card.key)

    def _drop(self, key: str) -> None:
        self._order = [k for k in self._order if k != key]
        self._missed.discard(key)

    def undo(self) -> Card | None:
        """Take back the last action of the run; returns the card it concerned, to show again."""
        if not self.tally.actions:
            return None
        action = self.tally.actions.pop()
        (order, missed, seen), extra = action.before
        if action.kind == "answer":
            practice_table.withdraw(self.store, action.review_id)
            if extra is not None:  # the miss had made the card due today
                history.undo(self.store, self.scheduler, extra)
        elif action.kind == "suspend":
            with self.store.write():
                self.store.conn.execute("UPDATE cards SET status = ? WHERE key = ?", (extra, action.key))
        self._order, self._missed, self._seen = order, missed, seen
        if action.key in self._order:  # shown again first, as the review does after an undo
            self._order.remove(action.key)
        self._order.insert(0, action.key)
        self._items.pop(action.key, None)
        return card_table.get_card(self.store, action.key)

    def last_action(self) -> Action | None:
        return self.tally.actions[-1] if self.tally.actions else None
