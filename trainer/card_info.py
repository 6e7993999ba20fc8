"""Everything known about one card: its log replayed event by event, and its recall over time. No UI.

The states shown after each event come from replaying the card's log
through trainer.history.step, the function every answer went through, so
they are what the scheduler computed then (fuzz included), not a guess from
the cache. The recall curve follows the FSRS forgetting curve between
events, one value per study day, from the first event's day to today.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo

from trainer import history
from trainer.config import Settings
from trainer.days import from_ms
from trainer.errors import TrainerError
from trainer.model import Card, DrillAnswer, EventKind, MemoryState, Rating
from trainer.scheduler import Scheduler
from trainer.store import Store
from trainer.store import card_log
from trainer.store import reviews as log
from trainer.store.cards import get_card

EVENT_NAMES = {EventKind.ANSWER: "answer", EventKind.FORGET: "forget", EventKind.RESCHEDULE: "set due"}
RATING_NAMES = {Rating.AGAIN: "Again", Rating.HARD: "Hard", Rating.GOOD: "Good", Rating.EASY: "Easy"}


@dataclass(frozen=True)
class InfoEvent:
    """One event of the card's log and the state it left."""

    id: int
    at: datetime
    kind: str  # answer, forget, set due
    rating: Rating | None
    duration_ms: int | None
    state_before: str
    state_after: str
    elapsed_days: int | None  # study days since the previous answer
    recall: float | None  # recall predicted at that moment, before the answer (on a later study day only)
    due: datetime | None  # when the event made the card due
    interval_days: int | None  # study days from the event to its due date, for a card left in review
    stability: float | None  # after the event
    difficulty: float | None  # after the event
    drill: DrillAnswer | None = None

    @property
    def interval(self) -> timedelta | None:
        """From the event to the due date it set."""
        return self.due - self.at if self.due is not None else None

    @property
    def rating_name(self) -> str:
        return RATING_NAMES[self.rating] if self.rating is not None else ""


@dataclass(frozen=True)
class CardInfo:
    card: Card
    events: tuple[InfoEvent, ...]
    replayed: MemoryState  # the state the log gives; equals card.memory unless the cache is stale
    recall_now: float | None
    due_days: int | None  # study days from today to the due date (negative: overdue)
    first_day: date | None  # the study day of the first event
    curve: tuple[float | None, ...]  # recall at the end of each study day from first_day to today
    leech: bool

    @property
    def answers(self) -> tuple[InfoEvent, ...]:
        return tuple(e for e in self.events if e.kind == "answer")

    @property
    def time_ms(self) -> int:
        return sum(e.duration_ms or 0 for e in self.answers)

    @property
    def cache_matches(self) -> bool:
        return self.replayed == self.card.memory


def card_info(store: Store, settings: Settings, key: str, now: datetime, *, tz: tzinfo | None = None,
              scheduler: Scheduler | None = None) -> CardInfo:
    """The card with this key, its log replayed, and its recall from the first review to `now`."""
    card = get_card(store, key)
    if card is None:
        raise TrainerError(f"no card with key {key!r}; `trainer cards` lists the keys")
    scheduler = scheduler or Scheduler(settings, tz=tz)
    calendar = scheduler.calendar
    events = log.events_for(store, card.id)
    durations = card_log.durations(store, card.id)
    drills = card_log.drill_answers(store, card.id)
    memory = MemoryState()
    shown: list[InfoEvent] = []
    states: list[tuple[int, MemoryState]] = []  # (study day of the event, state after it)
    for event in events:
        at = from_ms(event.at)
        after, derived = history.step(scheduler, key, memory, event.kind, event.rating, at, event.scheduled_days)
        interval_days = None
        if after.state == "review" and after.due is not None and event.kind != EventKind.FORGET:
            interval_days = calendar.day_of(after.due) - calendar.day(event.at)
        shown.append(InfoEvent(
            id=event.id, at=at, kind=EVENT_NAMES.get(EventKind(event.kind), str(event.kind)),
            rating=Rating(event.rating) if event.rating else None, duration_ms=durations.get(event.id),
            state_before=memory.state, state_after=after.state, elapsed_days=derived.elapsed_days,
            recall=derived.recall, due=after.due, interval_days=interval_days,
            stability=after.stability, difficulty=after.difficulty, drill=drills.get(event.id),
        ))
        states.append((calendar.day(event.at), after))
        memory = after
    today = calendar.day_of(now)
    first_day = states[0][0] if states else None
    threshold = int(getattr(settings, "leech_threshold", 8))
    return CardInfo(
        card=card,
        events=tuple(shown),
        replayed=memory,
        recall_now=scheduler.recall(card.memory, now),
        due_days=calendar.day_of(card.memory.due) - today if card.memory.due is not None else None,
        first_day=calendar.date(first_day) if first_day is not None else None,
        curve=recall_curve(scheduler, states, today),
        leech=threshold > 0 and card.memory.lapses >= threshold,
    )


def recall_curve(scheduler: Scheduler, states: list[tuple[int, MemoryState]], today: int) -> tuple[float | None, ...]:
    """Recall at the end of each study day, from the first event's day to `today` (None while new).

    On a day with an answer, the state is the one the day's last event left
    (recall 1.0 just after it); between answers it falls along the curve of
    the last state. A day may hold several events: only the last one counts.
    """
    if not states:
        return ()
    values: list[float | None] = []
    index = 0
    memory = MemoryState()
    for day in range(states[0][0], max(today, states[0][0]) + 1):
        while index < len(states) and states[index][0] <= day:
            memory = states[index][1]
            index += 1
        if memory.state == "new" or memory.last_review is None:
            values.append(None)
        else:
            values.append(scheduler.recall_after(memory, day - scheduler.calendar.day_of(memory.last_review)))
    return tuple(values)


BLOCKS = " ▁▂▃▄▅▆▇█"


def resample(values: tuple[float | None, ...], width: int) -> list[float | None]:
    """At most `width` values, each the lowest of its share of days (so a dip is never smoothed away)."""
    n = len(values)
    if n <= width:
        return list(values)
    out: list[float | None] = []
    for column in range(width):
        chunk = [v for v in values[column * n // width : (column + 1) * n // width] if v is not None]
        out.append(min(chunk) if chunk else None)
    return out


def chart_floor(values: tuple[float | None, ...]) -> float:
    """The bottom of the chart: the lowest recall rounded down to a tenth (never above 0.8)."""
    known = [v for v in values if v is not None]
    if not known:
        return 0.0
    return min(0.8, int(min(known) * 10) / 10)


def recall_chart(values: tuple[float | None, ...], width: int, height: int = 4) -> list[str]:
    """The curve as `height` lines of block characters, top line first, from chart_floor to 100%.

    Each column is a day (or the lowest of several days when they do not fit);
    a column left blank is a day the card was new.
    """
    columns = resample(values, max(width, 1))
    floor = chart_floor(values)
    span = 1.0 - floor or 1.0
    lines = []
    for row in range(height - 1, -1, -1):
        line = []
        for value in columns:
            if value is None:
                line.append(" ")
                continue
            eighths = max(1, round((value - floor) / span * height * 8))  # at least a sliver: the day has a value
            line.append(BLOCKS[max(0, min(8, eighths - row * 8))])
        lines.append("".join(line))
    return lines
