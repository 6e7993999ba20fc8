"""`trainer prepare`: a plan that has every card it can above the target on an interview date.

This module reads the collection (each card's memory and answer time, the
learner's habits), asks trainer.planner for the plan, stores it, and fits
it again each study day from the memory the answers left. docs/prepare.md
explains the algorithm and its limits.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from trainer.config import Settings
from trainer.days import EPOCH, to_ms
from trainer.errors import TrainerError
from trainer.model import MemoryState
from trainer.outlook import FOLLOWUP_ANSWER_MS, Learner, PlanCard
from trainer.plan_values import Values
from trainer.planner import Fit, Planner
from trainer.scheduler import MemoryMath, Scheduler
from trainer.store import Store
from trainer.store import plans as plans_table
from trainer.store.cards import deck_names, resolve_deck

MAX_DAYS = 60  # a plan looks at most this far ahead
# Enough of the learner's own answers to trust them over the reference learner.
MEASURED_FROM = 30
RECENT_ANSWERS = 2000


@dataclass(frozen=True)
class PlanDay:
    """One day of the plan, as shown."""

    date: str
    reviews: int  # cards to answer that day
    new: int  # ... of which new
    minutes: float  # expected, misses' relearning steps included
    above: int  # cards above the target on DATE if every answer until then goes the likely way


@dataclass
class Plan:
    on: date
    on_day: int
    first_day: int
    target: float
    minutes: float
    deck: str | None
    learner: Learner
    cards: list[PlanCard]
    fit: Fit
    values: Values  # the tables the plan was made with (the simulation fits it again with them)

    @property
    def days(self) -> list[PlanDay]:
        learned_on: dict[int, int] = {}  # day -> new cards first seen that day
        for card in self.cards:
            if card.new and card.id in self.fit.days_of:
                first = self.fit.days_of[card.id][0]
                learned_on[first] = learned_on.get(first, 0) + 1
        shown = []
        above = int(self.fit.unplanned)
        for day in range(self.first_day, self.on_day):
            above = self.fit.above_after.get(day, above)
            shown.append(PlanDay(day_date(day).isoformat(), len(self.fit.by_day.get(day, [])), learned_on.get(day, 0),
                                 self.fit.seconds.get(day, 0.0) / 60, above))
        return shown


def day_date(day: int) -> date:
    """The date of a study-day number (trainer.days.StudyCalendar numbers days from 1970-01-01)."""
    return EPOCH + timedelta(days=day)


def measure_learner(store: Store) -> Learner:
    """The learner's share of Again at first sight and median answer time, from the log when long enough."""
    first, again = plans_table.first_answers(store, RECENT_ANSWERS)
    times = plans_table.recent_answer_times(store, RECENT_ANSWERS)
    default = Learner()
    return Learner(
        first_again=again / first if first >= MEASURED_FROM else default.first_again,
        answer_ms=int(statistics.median(times)) if len(times) >= MEASURED_FROM else default.answer_ms,
    )


def load_cards(store: Store, scheduler: Scheduler, deck: str | None, learner: Learner, on_day: int,
               target: float) -> list[PlanCard]:
    """Every active card of the deck (or all) as the planner sees it."""
    calendar, math = scheduler.calendar, MemoryMath(scheduler)
    rows = plans_table.candidates(store, deck)
    new_keys = {row.key: row.id for row in rows if row.state == "new"}
    lasts = [None if row.last_review is None else calendar.day(row.last_review) for row in rows]
    # Answer times are read only for cards that may need a review: at scale most are sure already.
    needy = [row.id for row, last in zip(rows, lasts)
             if row.stability is not None and math.recall(row.stability, on_day - last) < target]
    times = plans_table.answer_times(store, needy)
    cards = []
    for order, (row, last) in enumerate(zip(rows, lasts)):
        own = times.get(row.id)
        if own:
            seconds = statistics.median(own) / 1000
        elif row.kind == "drill" and row.time_s:
            seconds = float(row.time_s)  # answered out loud against its clock
        elif row.kind == "followup":
            seconds = max(learner.answer_ms, FOLLOWUP_ANSWER_MS) / 1000
        else:
            seconds = learner.answer_ms / 1000
        studied = row.stability is not None and row.state != "new"
        parent = new_keys.get(row.parent) if row.state == "new" and row.parent else None
        cards.append(PlanCard(row.id, row.key, row.sibling, row.stability if studied else None,
                              row.difficulty if studied else None, last if studied else None,
                              max(seconds, 1.0), order, parent))
    return cards


def make_plan(store: Store, settings: Settings, now: datetime, on: date, *, target: float = 0.9,
              minutes: float = 20.0, deck: str | None = None, price: float | None = None,
              scheduler: Scheduler | None = None) -> Plan:
    """The plan from today to the day before `on`, within `minutes` a day."""
    scheduler = scheduler or Scheduler(settings, fuzz=False, tz=settings.zone)
    calendar = scheduler.calendar
    today, on_day = calendar.day_of(now), calendar.number(on)
    if on_day < today:
        raise TrainerError(f"--on: {on.isoformat()} is in the past; give a date after today")
    if on_day == today:
        raise TrainerError(f"--on: {on.isoformat()} is today; a plan needs at least one day before the date")
    if on_day - today > MAX_DAYS:
        raise TrainerError(
            f"--on: {on.isoformat()} is {on_day - today} days away; prepare plans at most {MAX_DAYS} days ahead "
            "(until then the daily review keeps every card at your desired retention)"
        )
    if not 0 < target < 1:
        raise TrainerError(f"--target: {target} is not a recall between 0 and 1; try 0.9")
    if not minutes > 0:
        raise TrainerError(f"--minutes-per-day: {minutes} leaves no time; give a number of minutes above 0")
    deck = resolve_deck(store, deck)
    learner = measure_learner(store)
    cards = load_cards(store, scheduler, deck, learner, on_day, target)
    if not cards:
        where = f"in deck {deck!r}" if deck else "yet"
        raise TrainerError(f"no cards to plan {where}: run `trainer import PATH` to add your decks")
    values = Values(MemoryMath(scheduler), learner, target, on_day - today)
    fit = Planner(values, today, on_day, minutes * 60).fit(cards, price=price)
    return Plan(on, on_day, today, target, minutes, deck, learner, cards, fit, values)


def _rows(fit: Fit) -> list[tuple[int, int, int]]:
    return [(day, card_id, position) for day, ids in fit.by_day.items() for position, card_id in enumerate(ids)]


def accept(store: Store, plan: Plan, now: datetime) -> int:
    """Store the plan in place of any other; the daily review serves its cards from today. Returns its id."""
    row = plans_table.PlanRow(0, plan.on_day, plan.target, plan.minutes, plan.deck, plan.fit.price, to_ms(now),
                              plan.first_day, plan.fit.expected, plan.fit.unplanned)
    with store.write():
        return plans_table.replace(store, row, _rows(plan.fit))


def in_force(store: Store, settings: Settings, now: datetime) -> plans_table.PlanRow | None:
    calendar = Scheduler(settings, fuzz=False, tz=settings.zone).calendar
    return plans_table.in_force(store, calendar.day_of(now))


def refit(store: Store, settings: Settings, now: datetime) -> Plan | None:
    """Fit the plan in force again from today's memory, once a study day; None when nothing was due."""
    scheduler = Scheduler(settings, fuzz=False, tz=settings.zone)
    today = scheduler.calendar.day_of(now)
    row = plans_table.in_force(store, today)
    if row is None or row.fitted_day >= today:
        return None
    on = day_date(row.on_day)
    deck = row.deck if row.deck in deck_names(store) else None
    plan = make_plan(store, settings, now, on, target=row.target, minutes=row.minutes, deck=deck,
                     price=row.price, scheduler=scheduler)
    with store.write():
        plans_table.refitted(store, row.id, today, _rows(plan.fit), today, plan.fit.expected, plan.fit.unplanned)
    return plan


def memories(store: Store, plan: Plan) -> list[MemoryState]:
    """Each planned card's whole FSRS state, in the plan's order (what the simulation starts from)."""
    found = plans_table.memories(store, plan.deck)
    return [found[card.id] for card in plan.cards]


def forget(store: Store) -> int:
    """Drop the plan in force (and any old one); the daily review is FSRS's alone again."""
    with store.write():
        return plans_table.forget(store)
