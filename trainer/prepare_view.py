"""`trainer prepare` on a terminal: the plan as a table and a chart, the comparison, or JSON."""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from datetime import date, datetime
from pathlib import Path
from typing import Callable

from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from trainer import prepare
from trainer.config import Settings
from trainer.errors import TrainerError
from trainer.current import open_current
from trainer.prepare import Plan
from trainer.prepare_sim import Comparison, compare

BAR_WIDTH = 24
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def run_prepare(
    db_path: Path,
    settings: Settings,
    now: datetime,
    *,
    on: date | None,
    target: float,
    minutes: float,
    deck: str | None,
    accept: bool,
    simulate: bool,
    as_json: bool,
    runs: int,
    seed: int,
    cancel: bool = False,
    confirm: Callable[[], bool] = lambda: False,
) -> int:
    """Make (and maybe store) a plan, or simulate it; print it. Returns the exit code."""
    say = (lambda message: print(message, file=sys.stderr))
    console = Console(highlight=False)
    with open_current(db_path, settings, create=False, say=say) as store:
        if cancel:
            dropped = prepare.forget(store)
            console.print("Plan dropped: the daily review is FSRS's alone again." if dropped else "No plan to drop.")
            return 0
        price = None
        if on is None:
            # The plan in force, fitted again to today as opening trainer would.
            prepare.refit(store, settings, now)
            row = prepare.in_force(store, settings, now)
            if row is None:
                raise TrainerError("no plan in force; give the interview date: trainer prepare --on YYYY-MM-DD")
            on, target, minutes = prepare.day_date(row.on_day), row.target, row.minutes
            deck, price = row.deck, row.price
        plan = prepare.make_plan(store, settings, now, on, target=target, minutes=minutes, deck=deck, price=price)
        if price is not None and not simulate:  # the plan in force: shown, already stored
            if as_json:
                sys.stdout.write(json.dumps(plan_to_dict(plan, accepted=True), indent=2) + "\n")
            else:
                for part in render_plan(plan):
                    console.print(part)
            return 0
        if simulate:
            result = compare(plan, prepare.memories(store, plan), settings, runs=runs, seed=seed)
            if as_json:
                sys.stdout.write(json.dumps(asdict(result), indent=2) + "\n")
            else:
                for part in render_comparison(result):
                    console.print(part)
            return 0
        if as_json:
            sys.stdout.write(json.dumps(plan_to_dict(plan, accepted=accept), indent=2) + "\n")
        else:
            for part in render_plan(plan):
                console.print(part)
        if accept or (not as_json and confirm()):
            prepare.accept(store, plan, now)
            if not as_json:
                console.print(Text(f"Plan stored: the daily review serves its cards until {plan.on.isoformat()} "
                                   "and fits it again each morning. `trainer prepare --cancel` drops it."))
        elif not as_json:
            console.print(Text("Not stored: run again with --accept to follow it.", style="dim"))
    return 0


def plan_to_dict(plan: Plan, *, accepted: bool) -> dict:
    return {
        "on": plan.on.isoformat(),
        "target": plan.target,
        "minutes_per_day": plan.minutes,
        "deck": plan.deck,
        "cards": len(plan.cards),
        "expected_above": plan.fit.expected,
        "unplanned_above": plan.fit.unplanned,
        "price_per_minute": plan.fit.price * 60,
        "learner": asdict(plan.learner),
        "days": [asdict(day) for day in plan.days],
        "accepted": accepted,
    }


def _label(text: str) -> str:
    day = date.fromisoformat(text)
    return f"{WEEKDAYS[day.weekday()]} {day:%m-%d}"


def _bar(value: float, most: float) -> str:
    return "█" * max(1, round(BAR_WIDTH * value / most)) if value > 0 and most > 0 else ""


def render_plan(plan: Plan) -> list[RenderableType]:
    scope = "all decks" if plan.deck is None else plan.deck
    title = Text.assemble(
        ("Plan for ", "bold"), (plan.on.isoformat(), "bold"),
        f": every card it can at {plan.target:.0%} recall or more on the morning of that day, "
        f"{plan.minutes:g} minutes a day, ",
    )
    title.append(Text(scope))
    on = f"{plan.on:%m-%d}"
    table = Table("day", "cards", "new", "minutes", "", f"above target on {on}", box=None, pad_edge=False)
    for column in table.columns[1:4]:
        column.justify = "right"
    table.columns[5].justify = "right"
    for day in plan.days:
        table.add_row(_label(day.date), str(day.reviews), str(day.new), f"{day.minutes:.1f}",
                      Text(_bar(day.minutes, plan.minutes), style="cyan"), f"{day.above}")
    total = len(plan.cards)
    summary = Text(
        f"Expected on {plan.on.isoformat()}: {plan.fit.expected:.1f} of {total} cards at or above the target "
        f"with the plan; {plan.fit.unplanned:.0f} with no more study."
    )
    note = Text(
        "'above target' counts the cards if every answer until that day goes the likely way; the plan is "
        "fitted again each morning from what you actually remembered (`--simulate` plays it out).",
        style="dim",
    )
    return [title, Text(""), table, Text(""), summary, note]


def render_comparison(result: Comparison) -> list[RenderableType]:
    title = Text(
        f"Simulated {result.runs} learners (seed {result.seed}), {result.cards} cards, target {result.target:.0%} "
        f"on {result.on}, {result.minutes_per_day:g} minutes a day for greedy and the plan",
        style="bold",
    )
    table = Table("", "above target", "recall (sum)", "minutes a day: most", "mean", box=None, pad_edge=False)
    for column in table.columns[1:]:
        column.justify = "right"
    for s in result.strategies:
        mean = sum(s.minutes) / len(s.minutes) if s.minutes else 0.0
        table.add_row(s.name, f"{s.above:.1f}", f"{s.known:.1f}", f"{s.max_minutes:.1f}", f"{mean:.1f}")
    days = len(result.strategies[0].minutes)
    per_day = Table("minutes", *[str(i + 1) for i in range(days)], box=None, pad_edge=False)
    for s in result.strategies:
        per_day.add_row(s.name, *[f"{m:.0f}" for m in s.minutes])
    learner = result.learner
    note = Text(
        f"The learner misses {learner.first_again:.0%} of new cards at first sight and answers in "
        f"{learner.answer_ms / 1000:.1f} s (a card's own median when it has one). The plan expected "
        f"{result.plan_expected:.1f} for itself.",
        style="dim",
    )
    return [title, Text(""), table, Text(""), Group(Text("Minutes on each day", style="italic"), per_day), note]
