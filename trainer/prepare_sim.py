"""`trainer prepare --simulate`: the plan against plain FSRS and a greedy baseline, on a simulated learner.

The learner is trainer.outlook's: every answer goes through the project's own
`Scheduler.review` (study days elapsed, learning steps, fuzz as configured);
a card in review is recalled with FSRS's predicted probability, a new card
is answered Again at first sight with the learner's measured share, and
each answer takes the card's answer time. Runs are seeded: the same
collection, date and seed give the same figures.

Three ways of spending the days before DATE, each played `runs` times:
- plain FSRS: every day, the cards due (lowest recall first, within the
  daily review limit) and the day's new cards in deck order, whatever the
  minutes;
- greedy: every day, within the plan's minutes, the cards below the target
  on DATE, lowest predicted recall on DATE first (a new card counts as 0,
  so new cards come first, in deck order);
- the plan: every day, the plan fitted again that morning from the memory
  the simulated answers left (as `trainer` does each study day), and its
  cards for the day.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Callable, Sequence

from trainer.days import from_ms, to_ms
from trainer.model import MemoryState, Rating
from trainer.outlook import Learner, PlanCard
from trainer.plan_values import Values
from trainer.planner import Planner
from trainer.scheduler import Scheduler

DAY_HOUR = 10  # simulated answers are given 10 hours into their study day
STEP = timedelta(minutes=10)  # between the steps of a card learned or relearned


@dataclass(frozen=True)
class Strategy:
    name: str
    above: float  # expected cards with recall on DATE at or above the target
    known: float  # expected recall on DATE, summed over the cards
    minutes: list[float]  # expected minutes on each day before DATE
    answers: list[float]  # expected answers on each day

    @property
    def max_minutes(self) -> float:
        return max(self.minutes, default=0.0)


@dataclass
class Run:
    """One simulated learner's cards, day after day."""

    memory: list[MemoryState]
    last: list[int | None]
    seconds: list[float] = field(default_factory=list)
    answers: list[int] = field(default_factory=list)


Policy = Callable[["Simulation", Run, int, random.Random], None]


class Simulation:
    """One collection, DATE and learner; `play` runs a strategy `runs` times and averages."""

    def __init__(self, scheduler: Scheduler, cards: Sequence[PlanCard], memories: Sequence[MemoryState],
                 learner: Learner, first_day: int, on_day: int, target: float):
        self.scheduler = scheduler
        self.calendar = scheduler.calendar
        self.cards = list(cards)
        self.memories = list(memories)
        self.learner = learner
        self.first_day = first_day
        self.on_day = on_day
        self.target = target
        self.index = {card.id: i for i, card in enumerate(self.cards)}

    def _moment(self, day: int) -> datetime:
        return from_ms(self.calendar.start_ms(day)) + timedelta(hours=DAY_HOUR)

    def answer(self, run: Run, i: int, day: int, rng: random.Random) -> None:
        """The learner answers card `i` on `day`, and its learning or relearning steps after."""
        card, memory = self.cards[i], run.memory[i]
        review, at = self.scheduler.review, self._moment(day)
        if memory.state == "new":
            rating = Rating.AGAIN if rng.random() < self.learner.first_again else Rating.GOOD
            elapsed = None
        else:
            elapsed = day - run.last[i]
            rating = Rating.GOOD if rng.random() < self.scheduler.recall_after(memory, elapsed) else Rating.AGAIN
        memory = review(card.key, memory, rating, at, elapsed)
        answers = 1
        while memory.state in ("learning", "relearning"):
            at += STEP
            memory = review(card.key, memory, Rating.GOOD, at, 0)
            answers += 1
        run.memory[i] = memory
        run.last[i] = day
        run.seconds[day - self.first_day] += answers * card.seconds
        run.answers[day - self.first_day] += answers

    def recall_on(self, run: Run, i: int) -> float:
        """Recall on the morning of DATE (0 for a card never seen)."""
        memory = run.memory[i]
        if memory.state == "new":
            return 0.0
        return self.scheduler.recall_after(memory, self.on_day - run.last[i])

    def expected_seconds(self, run: Run, i: int, day: int) -> float:
        """What answering card `i` on `day` costs on average, its steps included."""
        card, memory = self.cards[i], run.memory[i]
        steps = self.scheduler.settings
        if memory.state == "new":
            return card.seconds * (len(steps.learning_steps) + self.learner.first_again)
        miss = 1 - self.scheduler.recall_after(memory, day - run.last[i])
        return card.seconds * (1 + miss * len(steps.relearning_steps))

    def plan_cards(self, run: Run) -> list[PlanCard]:
        """The cards with the memory this run has left them, as the planner reads them."""
        found = []
        for i, card in enumerate(self.cards):
            memory = run.memory[i]
            if memory.state == "new":
                drill_seen = card.parent is not None and run.memory[self.index[card.parent]].state != "new"
                found.append(card._replace(parent=None) if drill_seen else card)
            else:
                found.append(card._replace(stability=memory.stability, difficulty=memory.difficulty,
                                           last=run.last[i], parent=None))
        return found

    def play(self, name: str, policy: Policy, runs: int, seed: int) -> Strategy:
        days = self.on_day - self.first_day
        above = known = 0.0
        seconds, answers = [0.0] * days, [0.0] * days
        for number in range(runs):
            rng = random.Random(seed * 1_000_003 + number)
            run = Run(list(self.memories), [c.last for c in self.cards], [0.0] * days, [0] * days)
            for day in range(self.first_day, self.on_day):
                policy(self, run, day, rng)
            recalls = [self.recall_on(run, i) for i in range(len(self.cards))]
            above += sum(1 for r in recalls if r >= self.target)
            known += sum(recalls)
            seconds = [a + b for a, b in zip(seconds, run.seconds)]
            answers = [a + b for a, b in zip(answers, run.answers)]
        return Strategy(name, above / runs, known / runs, [s / runs / 60 for s in seconds], [a / runs for a in answers])


def plain_fsrs(new_per_day: int, reviews_per_day: int) -> Policy:
    """Every day: the due cards, lowest recall first, within the review limit; then new cards in deck order."""
    def policy(sim: Simulation, run: Run, day: int, rng: random.Random) -> None:
        end = sim.calendar.start_ms(day + 1)
        due, fresh = [], []
        for i, memory in enumerate(run.memory):
            if memory.state == "new":
                fresh.append(i)
            elif to_ms(memory.due) < end:
                due.append((sim.scheduler.recall_after(memory, day - run.last[i]), i))
        for _, i in sorted(due)[:reviews_per_day]:
            sim.answer(run, i, day, rng)
        for i in sorted(fresh, key=lambda i: sim.cards[i].order)[:new_per_day]:
            sim.answer(run, i, day, rng)
    return policy


def greedy(minutes: float) -> Policy:
    """Every day, within `minutes`: the cards below the target on DATE, lowest predicted recall on DATE first."""
    budget = minutes * 60

    def policy(sim: Simulation, run: Run, day: int, rng: random.Random) -> None:
        ranked = sorted(
            (recall, sim.cards[i].order, i)
            for i in range(len(sim.cards))
            if run.last[i] != day and (recall := sim.recall_on(run, i)) < sim.target
        )
        spent = 0.0
        for _, _, i in ranked:
            if spent + sim.expected_seconds(run, i, day) > budget:
                continue
            before = run.seconds[day - sim.first_day]
            sim.answer(run, i, day, rng)
            spent += run.seconds[day - sim.first_day] - before
    return policy


def planned(values: Values, minutes: float, price: float) -> Policy:
    """Every day: the plan fitted again from this run's memory, and its cards for that day."""
    def policy(sim: Simulation, run: Run, day: int, rng: random.Random) -> None:
        fit = Planner(values, day, sim.on_day, minutes * 60).fit(sim.plan_cards(run), price=price)
        for card_id in fit.by_day.get(day, ()):
            sim.answer(run, sim.index[card_id], day, rng)
    return policy


@dataclass(frozen=True)
class Comparison:
    """The three strategies on one collection, for `trainer prepare --simulate`."""

    on: str
    target: float
    minutes_per_day: float
    cards: int
    runs: int
    seed: int
    learner: Learner
    plan_expected: float  # what the plan itself expects (trainer.planner), to set beside the simulation
    strategies: list[Strategy]


def compare(plan, memories: Sequence[MemoryState], settings, *, runs: int, seed: int,
            scheduler: Scheduler | None = None) -> Comparison:
    """Play plain FSRS, greedy and the plan (a trainer.prepare.Plan) on the simulated learner."""
    scheduler = scheduler or Scheduler(settings, tz=settings.zone)
    sim = Simulation(scheduler, plan.cards, memories, plan.learner, plan.first_day, plan.on_day, plan.target)
    values = plan.values
    played = [
        sim.play("plain FSRS", plain_fsrs(settings.new_per_day, settings.reviews_per_day), runs, seed),
        sim.play("greedy", greedy(plan.minutes), runs, seed),
        sim.play("plan", planned(values, plan.minutes, plan.fit.price), runs, seed),
    ]
    return Comparison(plan.on.isoformat(), plan.target, plan.minutes, len(plan.cards), runs, seed, plan.learner,
                      plan.fit.expected, played)
