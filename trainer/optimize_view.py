"""`trainer optimize`: fit FSRS to the review log, keep the fit only if it predicts better.

The steps: build training items from the log, fit on the earlier 80% and
score default and fitted parameters on the latest 20%; if the fit wins, fit
again on everything, save the parameters and rebuild every card's schedule
by replaying its reviews with them. The database and the settings file are
changed together: the settings are written inside the database transaction,
so a failure to write them rolls the rebuilt schedules back.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from trainer import optimize
from trainer.config import Settings, config_path, load_settings, save_settings
from trainer import history
from trainer.days import from_ms, to_utc_text
from trainer.errors import TrainerError
from trainer.model import Rating, Status
from trainer.scheduler import Scheduler
from trainer.store import Store
from trainer.store.cards import cards_where, resolve_deck
from trainer.store.reviews import answer_history


@dataclass(frozen=True)
class Outcome:
    reviews: int
    items: int
    test: optimize.HeldOutTest
    parameters: tuple[float, ...]  # fitted on all items; empty when the fit did not win
    saved: bool
    cards_rebuilt: int
    advice: optimize.RetentionAdvice | None


def load_history(store: Store, deck: str | None) -> list[tuple[str, int, datetime]]:
    """(card key, rating, UTC time) of every review, of one deck or all."""
    return [(card_id, rating, from_ms(at)) for card_id, rating, at in answer_history(store, deck)]


def rebuild_schedules(store: Store, settings: Settings, before_commit=lambda: None) -> int:
    """Replay every card's reviews with `settings` and write the states, in one transaction."""
    try:
        scheduler = Scheduler(settings)
    except ValueError as exc:  # py-fsrs refuses parameters outside its bounds
        raise TrainerError(f"the fitted parameters cannot be used by the scheduler: {exc}") from None
    return history.rebuild(store, scheduler, before_commit)


def optimize_store(
    store: Store,
    settings: Settings,
    now: datetime,
    *,
    deck: str | None = None,
    dry_run: bool = False,
    retention: bool = False,
    settings_path: Path | None = None,
) -> Outcome:
    """Everything `trainer optimize` does, with the database already open."""
    deck = resolve_deck(store, deck)
    history = load_history(store, deck)
    items = optimize.build_items(history, settings.day_starts_at)
    optimize.require_enough(items, len(history))
    relearning_steps = len(settings.relearning_steps)
    test = optimize.held_out_test(items, relearning_steps)
    parameters: tuple[float, ...] = ()
    saved = False
    rebuilt = 0
    if test.improved:
        parameters = optimize.fit_parameters(items, relearning_steps)
        if not dry_run:
            new_settings = replace(
                settings,
                parameters=parameters,
                parameters_fitted_at=to_utc_text(now),
                parameters_fitted_on=len(history),
            ).validated()
            rebuilt = rebuild_schedules(store, new_settings, lambda: save_settings(new_settings, settings_path))
            saved = True
    advice = None
    if retention:
        in_force = parameters or tuple(settings.parameters) or optimize.default_parameters()
        where, params = ("status = ?", [Status.ACTIVE.value])
        if deck is not None:
            where, params = ("status = ? AND deck = ?", [Status.ACTIVE.value, deck])
        advice = optimize.suggest_retention(
            in_force,
            deck_size=len(cards_where(store, where, params)),
            new_per_day=settings.new_per_day,
            reviews_per_day=settings.reviews_per_day,
        )
    return Outcome(len(history), len(items), test, parameters, saved, rebuilt, advice)


def run_optimize(
    db_path: Path, now: datetime, *, deck: str | None = None, dry_run: bool = False,
    as_json: bool = False, retention: bool = False,
) -> int:
    """The command: print the scores (and what was saved); return the exit code."""
    settings = load_settings()
    with history.open_current(db_path, settings, create=False, say=lambda m: print(m, file=sys.stderr)) as store:
        outcome = optimize_store(store, settings, now, deck=deck, dry_run=dry_run, retention=retention)
    print(json.dumps(to_json(outcome, dry_run), indent=2) if as_json else format_text(outcome, dry_run, deck))
    return 0


def to_json(outcome: Outcome, dry_run: bool) -> dict:
    test = outcome.test
    data = {
        "reviews": outcome.reviews,
        "items": outcome.items,
        "train_items": test.train_items,
        "held_out_items": test.held_out_items,
        "held_out_from": to_utc_text(test.held_out_from),
        "default": test.default.to_dict(),
        "fitted": test.fitted.to_dict(),
        "improved": test.improved,
        "parameters": list(outcome.parameters),
        "dry_run": dry_run,
        "saved": outcome.saved,
        "cards_rebuilt": outcome.cards_rebuilt,
    }
    if outcome.advice is not None:
        data["retention"] = {
            "suggested": outcome.advice.suggested,
            "workloads": [vars(w) for w in outcome.advice.workloads],
        }
    return data


def format_text(outcome: Outcome, dry_run: bool, deck: str | None) -> str:
    test = outcome.test
    scope = f"deck {deck!r}" if deck else "all decks"
    lines = [
        f"{outcome.reviews:,} reviews ({scope}); {outcome.items:,} of them follow a review on an earlier day "
        "and can be predicted.",
        f"Fitted on the earliest {test.train_items:,}, scored on the latest {test.held_out_items:,} "
        f"(from {test.held_out_from:%Y-%m-%d}):",
        "",
        f"  {'':<12}{'log loss':>10}{'RMSE(bins)':>12}",
        f"  {'defaults':<12}{test.default.log_loss:>10.4f}{test.default.rmse_bins:>12.4f}",
        f"  {'fitted':<12}{test.fitted.log_loss:>10.4f}{test.fitted.rmse_bins:>12.4f}",
        "",
        "Lower is better for both; log loss decides.",
    ]
    if not test.improved:
        lines.append(
            "The fitted parameters do not predict your latest reviews better than FSRS's defaults, "
            "so nothing was changed; the parameters in force stay as they are."
        )
    elif dry_run:
        lines.append("The fitted parameters predict better. Dry run: nothing saved.")
    else:
        lines.append(
            f"The fitted parameters predict better: fitted again on all {outcome.items:,}, saved to "
            f"{config_path()}, and {outcome.cards_rebuilt:,} cards' schedules rebuilt from their reviews."
        )
        if deck:
            lines.append("The parameters apply to every deck, though they were fitted on this one.")
    if outcome.advice is not None:
        lines += ["", *format_advice(outcome.advice)]
    return "\n".join(lines)


def format_advice(advice: optimize.RetentionAdvice) -> list[str]:
    lowest = min(optimize.RETENTION_CHOICES + (0.70,))
    note = " (the lowest the simulator tries)" if advice.suggested <= lowest else ""
    lines = [
        f"Desired retention with the least study time per card remembered: {advice.suggested:.2f}{note}.",
        f"Simulated over {optimize.SIMULATED_DAYS} days with your daily limits:",
        "",
        f"  {'retention':<11}{'reviews/day':>12}{'new/day':>9}{'min/day':>9}{'remembered':>12}",
    ]
    for w in advice.workloads:
        lines.append(
            f"  {w.retention:<11.2f}{w.reviews_per_day:>12.1f}{w.new_per_day:>9.1f}"
            f"{w.minutes_per_day:>9.1f}{w.remembered:>12.0f}"
        )
    lines += ["", "Set it with desired_retention in the settings file (`trainer config` shows where)."]
    return lines
