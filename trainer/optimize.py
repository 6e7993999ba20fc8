"""Fitting FSRS to one learner's own history: the only module that imports fsrs_rs_python.

Everything here takes plain values, a history being a sequence of
(card id, rating 1-4, UTC datetime), so `trainer optimize` and
benchmarks/optimize_bench.py run the very same split, fit and scoring.
fsrs_rs_python objects never leave this file.

How the review log becomes training items follows fsrs-rs's own converter
(src/convertor_tests.rs, convert_to_fsrs_items): a card's reviews, oldest
first, each with the number of study days since the previous one (0 for the
first and for same-day repeats); every review on a later day than the one
before it yields one item, the card's history up to and including it. Same-day
repeats carry no forgetting to learn from, so they only appear as history.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Hashable, Iterable, Sequence

import fsrs_rs_python as rs

from trainer.days import study_day
from trainer.errors import NotEnoughDataError

# Below 64 items fsrs-rs only pre-trains the four initial stabilities; we ask
# for more so the held-out part (a fifth) has enough reviews to score fairly.
MIN_ITEMS = 400
HELD_OUT_FRACTION = 0.2
# Four decimals is what Anki shows and stores; it also turns float32 values
# such as 0.80000001 back into the bounds py-fsrs checks (0.8 is a bound).
PARAMETER_DECIMALS = 4
RETENTION_CHOICES = (0.80, 0.85, 0.90, 0.95)
SIMULATED_DAYS = 365
SIMULATION_SEED = 42

History = Iterable[tuple[Hashable, int, datetime]]


@dataclass(frozen=True)
class TrainingItem:
    """One predictable review: was the card recalled, given its history?"""

    card_id: Hashable
    reviewed_at: datetime
    # (rating, study days since the previous review), oldest first; the last is the one predicted.
    reviews: tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class Score:
    """How well parameters predicted recall: lower is better for both."""

    log_loss: float
    rmse_bins: float

    def to_dict(self) -> dict:
        return {"log_loss": self.log_loss, "rmse_bins": self.rmse_bins}


@dataclass(frozen=True)
class HeldOutTest:
    """Default and fitted parameters scored on the latest reviews, after fitting on the earlier ones."""

    train_items: int
    held_out_items: int
    held_out_from: datetime
    default: Score
    fitted: Score

    @property
    def improved(self) -> bool:
        # Log loss is the proper scoring rule the fit minimises; RMSE(bins) is
        # shown too but is noisy on a few hundred reviews, so it does not decide.
        return self.fitted.log_loss < self.default.log_loss


@dataclass(frozen=True)
class Workload:
    retention: float
    reviews_per_day: float
    new_per_day: float
    minutes_per_day: float
    remembered: float  # cards expected to be remembered at the end of the simulated year


@dataclass(frozen=True)
class RetentionAdvice:
    suggested: float
    workloads: tuple[Workload, ...]


def default_parameters() -> tuple[float, ...]:
    return tuple(rs.DEFAULT_PARAMETERS)


def build_items(history: History, day_starts_at: int, tz: tzinfo | None = None) -> list[TrainingItem]:
    """The trainable items of a review history, ordered by the time of the review each predicts."""
    by_card: dict[Hashable, list[tuple[datetime, int]]] = {}
    for card_id, rating, at in history:
        if not 1 <= int(rating) <= 4:
            raise ValueError(f"card {card_id!r}: rating {rating!r} is not 1-4")
        by_card.setdefault(card_id, []).append((at, int(rating)))
    items: list[TrainingItem] = []
    for card_id, answers in by_card.items():
        answers.sort(key=lambda answer: answer[0])
        reviews: list[tuple[int, int]] = []
        previous_day = None
        for at, rating in answers:
            day = study_day(at, day_starts_at, tz)
            delta = 0 if previous_day is None else (day - previous_day).days
            reviews.append((rating, delta))
            if delta > 0:
                items.append(TrainingItem(card_id, at, tuple(reviews)))
            previous_day = day
    items.sort(key=lambda item: item.reviewed_at)
    return items


def split_by_time(
    items: Sequence[TrainingItem], held_out_fraction: float = HELD_OUT_FRACTION
) -> tuple[list[TrainingItem], list[TrainingItem]]:
    """(earlier, later): the latest `held_out_fraction` of items is held out.

    Items at the very moment of the cut all go to the held-out side, so
    nothing fitted on happens at or after the first held-out review.
    """
    ordered = sorted(items, key=lambda item: item.reviewed_at)
    cut = min(len(ordered), math.ceil(len(ordered) * (1 - held_out_fraction)))
    while 0 < cut < len(ordered) and ordered[cut - 1].reviewed_at == ordered[cut].reviewed_at:
        cut -= 1
    return ordered[:cut], ordered[cut:]


def require_enough(items: Sequence[TrainingItem], reviews: int) -> None:
    """Raise NotEnoughDataError, saying how many more reviews are needed."""
    if len(items) >= MIN_ITEMS:
        return
    raise NotEnoughDataError(
        f"not enough review history to fit FSRS to you: it needs at least {MIN_ITEMS} reviews "
        f"of cards seen on an earlier day (the first review of a card, and repeats on the same "
        f"day, do not count); your {reviews} review{'s' if reviews != 1 else ''} give {len(items)}, "
        f"so about {MIN_ITEMS - len(items)} more are needed. Keep reviewing and run it again."
    )


def _to_rs(items: Sequence[TrainingItem]) -> list:
    return [rs.FSRSItem([rs.FSRSReview(rating, delta) for rating, delta in item.reviews]) for item in items]


def fit_parameters(items: Sequence[TrainingItem], relearning_steps: int | None = None) -> tuple[float, ...]:
    """The 21 FSRS-6 parameters that best predict these items."""
    try:
        fitted = rs.FSRS(rs.DEFAULT_PARAMETERS).compute_parameters(
            _to_rs(items), num_relearning_steps=relearning_steps
        )
    except ValueError as exc:
        if "NotEnoughData" in str(exc):
            raise NotEnoughDataError(
                f"FSRS could not fit parameters to these {len(items)} reviews: too few cards were "
                "seen again on a later day to tell how fast you forget after a first review. "
                "Keep reviewing and run it again."
            ) from None
        raise
    if not all(math.isfinite(p) for p in fitted):
        raise NotEnoughDataError("FSRS's fit did not converge on this history; keep reviewing and run it again.")
    return tuple(round(p, PARAMETER_DECIMALS) for p in fitted)


def score(parameters: Sequence[float], items: Sequence[TrainingItem]) -> Score:
    """Log loss and RMSE(bins) of these parameters' recall predictions on `items`."""
    try:
        evaluation = rs.FSRS(list(parameters)).evaluate(_to_rs(items))
    except ValueError as exc:
        if "NotEnoughData" in str(exc):
            raise NotEnoughDataError("there are no reviews to score the parameters on") from None
        raise
    return Score(float(evaluation.log_loss), float(evaluation.rmse_bins))


def held_out_test(
    items: Sequence[TrainingItem],
    relearning_steps: int | None = None,
    held_out_fraction: float = HELD_OUT_FRACTION,
) -> HeldOutTest:
    """Fit on the earlier items; score default and fitted parameters on the later ones."""
    train, held_out = split_by_time(items, held_out_fraction)
    if not train or not held_out:
        raise NotEnoughDataError(
            "all your reviews happened at the same moment, so none can be held out to test a fit on"
        )
    fitted = fit_parameters(train, relearning_steps)
    return HeldOutTest(
        train_items=len(train),
        held_out_items=len(held_out),
        held_out_from=held_out[0].reviewed_at,
        default=score(default_parameters(), held_out),
        fitted=score(fitted, held_out),
    )


def suggest_retention(
    parameters: Sequence[float],
    *,
    deck_size: int,
    new_per_day: int,
    reviews_per_day: int,
    choices: Sequence[float] = RETENTION_CHOICES,
    days: int = SIMULATED_DAYS,
) -> RetentionAdvice:
    """The retention with the least work per card remembered, and the daily work at a few retentions.

    Simulated by fsrs-rs over `days` with the library's default answer
    probabilities and answer times, on a collection of `deck_size` cards
    learned within the daily limits.
    """
    config = rs.default_simulator_config()
    config.deck_size = max(1, deck_size)
    config.learn_span = days
    config.learn_limit = new_per_day
    config.review_limit = reviews_per_day
    suggested = float(rs.optimal_retention(config, list(parameters)))
    workloads = []
    for retention in choices:
        result = rs.simulate(list(parameters), retention, config, SIMULATION_SEED)
        span = max(1, len(result.review_cnt_per_day))
        workloads.append(
            Workload(
                retention=retention,
                reviews_per_day=sum(result.review_cnt_per_day) / span,
                new_per_day=sum(result.learn_cnt_per_day) / span,
                minutes_per_day=sum(result.cost_per_day) / span / 60,
                remembered=float(result.memorized_cnt_per_day[-1]) if result.memorized_cnt_per_day else 0.0,
            )
        )
    return RetentionAdvice(round(suggested, 2), tuple(workloads))
