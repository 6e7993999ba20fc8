"""`trainer optimize`: fit FSRS to the review log, keep the fit only if it predicts better.

The steps: build training items from the log (once), score FSRS's defaults,
the parameters in force and a new fit on the same five time-series folds;
if the new fit predicts better than the parameters in force, fit again on
everything, save the parameters into the user's settings file (the rest of
the file untouched) and rebuild every card's schedule by replaying its
reviews with them. The database and the settings file change together: the
settings are written inside the database transaction, so a failure to write
them rolls the rebuilt schedules back.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, replace
from datetime import datetime, tzinfo
from pathlib import Path

from trainer import current, history, optimize
from trainer.config import Settings, config_path, load_settings
from trainer.config_file import update_settings_file
from trainer.days import StudyCalendar, to_utc_text
from trainer.errors import TrainerError
from trainer.scheduler import Scheduler
from trainer.store import Store
from trainer.store.cards import resolve_deck


@dataclass(frozen=True)
class Outcome:
    reviews: int
    items: int
    evaluation: optimize.Evaluation
    fitted_before: bool  # the parameters in force were fitted (not FSRS's defaults)
    parameters: tuple[float, ...]  # fitted on all items; empty when the fit did not win
    saved: bool
    cards_rebuilt: int
    advice: optimize.RetentionAdvice | None


def load_items(store: Store, deck: str | None, calendar: StudyCalendar) -> optimize.Items:
    """The training items of the log (of one deck, or all), from one time-ordered query of integers."""
    if deck is None:
        rows_sql = "SELECT card_id, kind, rating, at, id FROM reviews"
        resets_sql = "SELECT card_id, at, id FROM reviews WHERE kind = 1 ORDER BY at, id"
        params: tuple = ()
    else:
        rows_sql = ("SELECT r.card_id, r.kind, r.rating, r.at, r.id FROM reviews r "
                    "WHERE +r.card_id IN (SELECT id FROM cards WHERE deck = ?)")
        resets_sql = (
            "SELECT r.card_id, r.at, r.id FROM reviews r JOIN cards c ON c.id = r.card_id "
            "WHERE r.kind = 1 AND c.deck = ? ORDER BY r.at, r.id"
        )
        params = (deck,)
    # The last FORGET of each card (later rows overwrite earlier ones).
    resets = {card_id: (at, row_id) for card_id, at, row_id in store.conn.execute(resets_sql, params)}
    # Answers are appended as they come, so ids follow time: read the table in id
    # order, straight through (a third of the time of reading it by time through
    # reviews_at, which jumps into the table for every row). A log whose ids do
    # not follow time (merged from elsewhere) is noticed and read by time instead.
    try:
        return optimize.build_items(store.conn.execute(rows_sql + " ORDER BY id", params), calendar, resets,
                                    check_order=True)
    except optimize.OutOfOrder:
        return optimize.build_items(store.conn.execute(rows_sql + " ORDER BY at, id", params), calendar, resets)


def rebuild_schedules(store: Store, settings: Settings, tz: tzinfo | None, before_commit=lambda: None) -> int:
    """Replay every card's reviews with `settings` and write the states, in one transaction."""
    try:
        scheduler = Scheduler(settings, tz=tz)
    except ValueError as exc:  # py-fsrs refuses parameters outside its bounds
        raise TrainerError(f"the fitted parameters cannot be used by the scheduler: {exc}") from None
    return history.rebuild(store, scheduler, before_commit)


def save_parameters(settings: Settings, path: Path | None) -> None:
    update_settings_file(
        path or config_path(),
        {
            "parameters": list(settings.parameters),
            "parameters_fitted_at": settings.parameters_fitted_at,
            "parameters_fitted_on": settings.parameters_fitted_on,
        },
        header="# trainer settings; `trainer config` shows what is in force.\n",
    )


def optimize_store(
    store: Store,
    settings: Settings,
    now: datetime,
    *,
    deck: str | None = None,
    dry_run: bool = False,
    retention: bool = False,
    settings_path: Path | None = None,
    tz: tzinfo | None = None,
) -> Outcome:
    """Everything `trainer optimize` does, with the database already open."""
    deck = resolve_deck(store, deck)
    items = load_items(store, deck, StudyCalendar(settings.day_starts_at, tz))
    optimize.require_enough(items)
    relearning_steps = len(settings.relearning_steps)
    in_force = tuple(settings.parameters) or optimize.default_parameters()
    evaluation = optimize.evaluate(items, in_force, relearning_steps)
    reviews, count = items.reviews, len(items)
    parameters: tuple[float, ...] = ()
    saved = False
    rebuilt = 0
    if evaluation.improved:
        parameters = optimize.fit_parameters(items, relearning_steps=relearning_steps)
    del items  # the replay below needs the memory more
    if parameters and not dry_run:
        new_settings = replace(
            settings,
            parameters=parameters,
            parameters_fitted_at=to_utc_text(now),
            parameters_fitted_on=reviews,
        ).validated()
        rebuilt = rebuild_schedules(store, new_settings, tz, lambda: save_parameters(new_settings, settings_path))
        saved = True
    advice = None
    if retention:
        advice = optimize.suggest_retention(
            parameters or in_force,
            deck_size=_active_cards(store, deck),
            new_per_day=settings.new_per_day,
            reviews_per_day=settings.reviews_per_day,
        )
    return Outcome(reviews, count, evaluation, bool(settings.parameters), parameters, saved, rebuilt, advice)


def _active_cards(store: Store, deck: str | None) -> int:
    if deck is None:
        return store.conn.execute("SELECT count(*) FROM cards WHERE status = 'active'").fetchone()[0]
    return store.conn.execute("SELECT count(*) FROM cards WHERE status = 'active' AND deck = ?", (deck,)).fetchone()[0]


def run_optimize(
    db_path: Path, now: datetime, *, deck: str | None = None, dry_run: bool = False,
    as_json: bool = False, retention: bool = False,
) -> int:
    """The command: print the scores (and what was saved); return the exit code."""
    settings = load_settings()
    say = lambda message: print(message, file=sys.stderr)  # noqa: E731
    with current.open_current(db_path, settings, create=False, say=say) as store:
        # A fit on a damaged log would be rewritten into every schedule: refuse it.
        store.quick_check()
        outcome = optimize_store(store, settings, now, deck=deck, dry_run=dry_run, retention=retention,
                                 tz=settings.zone)
    print(json.dumps(to_json(outcome, dry_run), indent=2) if as_json else format_text(outcome, dry_run, deck))
    return 0


def to_json(outcome: Outcome, dry_run: bool) -> dict:
    evaluation = outcome.evaluation
    data = {
        "reviews": outcome.reviews,
        "items": outcome.items,
        "folds": [list(fold) for fold in evaluation.folds],
        "scored_items": evaluation.scored,
        "default": evaluation.default.to_dict(),
        "in_force": evaluation.in_force.to_dict(),
        "in_force_source": "fitted" if outcome.fitted_before else "default",
        "fitted": evaluation.fitted.to_dict(),
        "improved": evaluation.improved,
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
    evaluation = outcome.evaluation
    scope = f"deck {deck!r}" if deck else "all decks"
    in_force_note = "your fitted parameters" if outcome.fitted_before else "FSRS's defaults"
    lines = [
        f"{outcome.reviews:,} reviews ({scope}); {outcome.items:,} of them follow a review on an earlier day "
        "and can be predicted.",
        f"Scored on five time-series folds: each of the latest {evaluation.scored:,} is predicted by "
        "parameters fitted only on what came before it.",
        "",
        f"  {'':<12}{'log loss':>10}{'RMSE(bins)':>12}",
        f"  {'defaults':<12}{evaluation.default.log_loss:>10.4f}{evaluation.default.rmse_bins:>12.4f}",
        f"  {'in force':<12}{evaluation.in_force.log_loss:>10.4f}{evaluation.in_force.rmse_bins:>12.4f}"
        f"   ({in_force_note})",
        f"  {'new fit':<12}{evaluation.fitted.log_loss:>10.4f}{evaluation.fitted.rmse_bins:>12.4f}",
        "",
        "Lower is better for both; log loss decides, against the parameters in force.",
    ]
    if not evaluation.improved:
        lines.append(
            "A new fit does not predict your reviews better than the parameters in force, "
            "so nothing was changed."
        )
    elif dry_run:
        lines.append("A new fit predicts better. Dry run: nothing saved.")
    else:
        lines.append(
            f"A new fit predicts better: fitted again on all {outcome.items:,}, saved to "
            f"{config_path()} (the rest of the file as it was), and {outcome.cards_rebuilt:,} cards' "
            "schedules rebuilt from their reviews."
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
