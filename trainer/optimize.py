"""Fitting FSRS to one learner's own history: the only module that imports fsrs_rs_python.

Everything here takes plain values, so `trainer optimize` and
benchmarks/optimize_bench.py run the very same items, folds, fits and scores.
fsrs_rs_python objects never leave this file.

How the log becomes training items follows fsrs-rs's own converter
(convert_to_fsrs_items): a card's answers, oldest first, each with the
number of study days since the previous one (0 for the first and for
same-day repeats); every answer on a later day than the one before it
yields one item, the card's history up to and including it. Same-day repeats
carry no forgetting to learn from, so they only appear as history. A card
sent back to new (a FORGET event) starts its history again, as Anki's
converter drops the reviews before a reset.

Scores compare like with like: the defaults, the parameters in force and a
new fit are scored on the same five time-series folds (fsrs-rs's
TimeSeriesSplit, as Anki's Evaluate: fit on everything before a fold,
predict the fold), with plain, unweighted log loss and RMSE(bins).
"""

from __future__ import annotations

import math
from array import array
from dataclasses import dataclass
from typing import Iterable, Sequence

import fsrs_rs_python as rs

from trainer.days import StudyCalendar
from trainer.errors import NotEnoughDataError

# Below this many items a fit has too little to stand on and the folds too
# little to score it fairly.
MIN_ITEMS = 400
FOLDS = 5
# Four decimals is what Anki shows and stores; it also turns float32 values
# such as 0.80000001 back into the bounds py-fsrs checks (0.8 is a bound).
PARAMETER_DECIMALS = 4
RETENTION_CHOICES = (0.80, 0.85, 0.90, 0.95)
SIMULATED_DAYS = 365
SIMULATION_SEED = 42
FORGET = 1  # trainer.model.EventKind.FORGET; the log's other manual events carry no memory

# (card id, event kind, rating, time in ms), card by card, each card oldest first.
LogRows = Iterable[tuple[int, int, int | None, int]]


@dataclass(frozen=True)
class Score:
    """How well parameters predicted recall: lower is better for both."""

    log_loss: float
    rmse_bins: float

    def to_dict(self) -> dict:
        return {"log_loss": self.log_loss, "rmse_bins": self.rmse_bins}


class Items:
    """A log's training items in time order, and what scoring needs to know of each.

    Everything per item lives in flat arrays, not Python objects: a million
    reviews make about 700,000 items. The card histories are kept once (one
    fsrs-rs item per card), so predicting recall for any item is a lookup in
    its card's states.
    """

    def __init__(self) -> None:
        self.items: list = []  # rs.FSRSItem, in the order of the review each predicts
        self.card_ids: list[int] = []
        self.at = array("q")  # ms of the predicted review
        self.card = array("l")  # index into `histories`
        self.position = array("l")  # the predicted review's place in its card's history
        self.delta = array("l")  # study days since the review before
        self.recalled = array("b")
        self.bins = array("q")  # fsrs-rs's RMSE(bins) cell of each item, as one number
        self.histories: list = []  # rs.FSRSItem per card (since its last reset)
        self.history_ratings: list[bytes] = []  # the same, readable: fsrs-rs's reviews cannot be read back
        self.history_deltas: list[array] = []
        self.reviews = 0

    def __len__(self) -> int:
        return len(self.items)

    def describe(self, i: int) -> tuple[int, tuple[tuple[int, int], ...]]:
        """(card id, ((rating, study days since the review before), ...)) of item i, for people and tests."""
        card, end = self.card[i], self.position[i] + 1
        ratings, deltas = self.history_ratings[card], self.history_deltas[card]
        return self.card_ids[i], tuple(zip(ratings[:end], deltas[:end]))

    def _reorder(self, order: list[int]) -> None:
        self.items = [self.items[i] for i in order]
        self.card_ids = [self.card_ids[i] for i in order]
        for name in ("at", "card", "position", "delta", "recalled", "bins"):
            old = getattr(self, name)
            setattr(self, name, array(old.typecode, (old[i] for i in order)))


def _log_bin(value: int, base: float, scale: float) -> int:
    return round(scale * base ** math.floor(math.log(value, base)))


class _Bins:
    """fsrs-rs's r_matrix_index (elapsed days, long-term reviews, lapses, each on a log scale), as one number."""

    def __init__(self) -> None:
        self._cells: dict[tuple[int, int, int], int] = {}

    def __call__(self, delta: int, long_term: int, lapses: int) -> int:
        cell = self._cells.get((delta, long_term, lapses))
        if cell is None:
            d = _log_bin(delta, 3.62, 248)
            n = _log_bin(long_term + 1, 1.89, 1.99)
            k = _log_bin(lapses, 1.73, 1.65) if lapses else 0
            cell = self._cells[(delta, long_term, lapses)] = (d << 40) | (n << 20) | k
        return cell


def build_items(rows: LogRows, calendar: StudyCalendar) -> Items:
    """Training items from the log's rows (card by card, each oldest first)."""
    built = Items()
    bins = _Bins()
    # Shared: a million reviews are a few hundred distinct (rating, days) objects.
    review_of: list[dict[int, object]] = [{} for _ in range(5)]
    current = None
    reviews: list = []
    previous_day = None
    long_term = lapses = 0
    ratings: list[int] = []
    deltas = array("l")
    card_start = 0  # where this card's items begin, to drop them on a reset

    def close_card() -> None:
        if len(built.items) > card_start:
            built.histories.append(rs.FSRSItem(reviews))
            built.history_ratings.append(bytes(ratings))
            built.history_deltas.append(deltas)

    def drop_card_items() -> None:
        for name in ("items", "card_ids", "at", "card", "position", "delta", "recalled", "bins"):
            del getattr(built, name)[card_start:]

    for card_id, kind, rating, at in rows:
        if card_id != current:
            close_card()
            current, reviews, previous_day, long_term, lapses = card_id, [], None, 0, 0
            ratings, deltas = [], array("l")
            card_start = len(built.items)
        if kind == FORGET:
            # A reset: what came before says nothing about the memory that follows.
            drop_card_items()
            reviews, previous_day, long_term, lapses = [], None, 0, 0
            ratings, deltas = [], array("l")
            continue
        if kind != 0:
            continue
        if rating is None or not 1 <= rating <= 4:
            raise ValueError(f"card {card_id}: rating {rating!r} is not 1-4")
        built.reviews += 1
        day = calendar.day(at)
        delta = 0 if previous_day is None else max(0, day - previous_day)
        review = review_of[rating].get(delta)
        if review is None:
            review = review_of[rating][delta] = rs.FSRSReview(rating, delta)
        reviews.append(review)
        ratings.append(rating)
        deltas.append(delta)
        if delta > 0:
            long_term += 1
            built.items.append(rs.FSRSItem(reviews))
            built.card_ids.append(card_id)
            built.at.append(at)
            built.card.append(len(built.histories))
            built.position.append(len(reviews) - 1)
            built.delta.append(delta)
            built.recalled.append(rating > 1)
            built.bins.append(bins(delta, long_term, lapses))
            lapses += rating == 1
        previous_day = day
    close_card()
    # Time order, ties by card (the rows came card by card): one integer key per item.
    shift = max(1, len(built.histories)).bit_length()
    at, card = built.at, built.card
    keys = array("q", ((at[i] << shift) | card[i] for i in range(len(at))))
    built._reorder(sorted(range(len(keys)), key=keys.__getitem__))
    return built


def require_enough(items: Items) -> None:
    """Raise NotEnoughDataError, saying how many more reviews are needed."""
    if len(items) >= MIN_ITEMS:
        return
    n = items.reviews
    raise NotEnoughDataError(
        f"not enough review history to fit FSRS to you: it needs at least {MIN_ITEMS} reviews "
        f"of cards seen on an earlier day (the first review of a card, and repeats on the same "
        f"day, do not count); your {n} review{'s' if n != 1 else ''} give {len(items)}, "
        f"so about {MIN_ITEMS - len(items)} more are needed. Keep reviewing and run it again."
    )


def folds(count: int, splits: int = FOLDS) -> list[tuple[int, int]]:
    """(test start, test end) of each fold, as fsrs-rs's TimeSeriesSplit cuts them; train is [0, start)."""
    segment = count // (splits + 1)
    if segment == 0:
        return []
    return [((i + 1) * segment, count if i == splits - 1 else (i + 2) * segment) for i in range(splits)]


def fit_parameters(items: Items, end: int | None = None, relearning_steps: int | None = None) -> tuple[float, ...]:
    """The 21 FSRS-6 parameters that best predict the first `end` items (all by default)."""
    end = len(items) if end is None else end
    try:
        fitted = rs.FSRS(rs.DEFAULT_PARAMETERS).compute_parameters(
            items.items[:end], card_ids=items.card_ids[:end], num_relearning_steps=relearning_steps
        )
    except ValueError as exc:
        if "NotEnoughData" in str(exc):
            raise NotEnoughDataError(
                f"FSRS could not fit parameters to these {end} reviews: too few cards were "
                "seen again on a later day to tell how fast you forget after a first review. "
                "Keep reviewing and run it again."
            ) from None
        raise
    if not all(math.isfinite(p) for p in fitted):
        raise NotEnoughDataError("FSRS's fit did not converge on this history; keep reviewing and run it again.")
    return tuple(round(p, PARAMETER_DECIMALS) for p in fitted)


PREDICT_CHUNK = 20_000  # cards per fsrs-rs call: bounds the memory states alive at once


def predict(parameters: Sequence[float], items: Items, start: int, end: int, out: array) -> None:
    """Predicted recall of items [start, end) under `parameters`, written into `out`."""
    fsrs = rs.FSRS(list(parameters))
    decay = -parameters[20]
    factor = 0.9 ** (1 / decay) - 1
    by_card: dict[int, list[int]] = {}
    for i in range(start, end):
        by_card.setdefault(items.card[i], []).append(i)
    cards = sorted(by_card)
    position, delta = items.position, items.delta
    for first in range(0, len(cards), PREDICT_CHUNK):
        chunk = cards[first : first + PREDICT_CHUNK]
        states = fsrs.historical_memory_state_batch([items.histories[card] for card in chunk])
        for card, found in zip(chunk, states):
            for i in by_card[card]:
                out[i] = (1 + factor * delta[i] / found[position[i] - 1].stability) ** decay


def score(items: Items, predictions: array, start: int, end: int) -> Score:
    """Plain log loss and RMSE(bins) of predictions for items [start, end)."""
    loss = 0.0
    cells: dict[tuple, list[float]] = {}
    log = math.log
    for i in range(start, end):
        p = min(max(predictions[i], 1e-7), 1 - 1e-7)
        y = items.recalled[i]
        loss -= log(p) if y else log(1 - p)
        cell = cells.setdefault(items.bins[i], [0.0, 0.0, 0])
        cell[0] += p
        cell[1] += y
        cell[2] += 1
    count = end - start
    rmse = math.sqrt(sum((p / n - y / n) ** 2 * n for p, y, n in cells.values()) / count)
    return Score(loss / count, rmse)


@dataclass(frozen=True)
class Evaluation:
    """Defaults, parameters in force and a new fit, scored on the same folds."""

    items: int
    folds: tuple[tuple[int, int], ...]
    default: Score
    in_force: Score
    fitted: Score

    @property
    def scored(self) -> int:
        return self.folds[-1][1] - self.folds[0][0] if self.folds else 0

    @property
    def improved(self) -> bool:
        # Log loss is the proper scoring rule the fit minimises; RMSE(bins) is
        # shown too but is noisy on a few hundred reviews, so it does not decide.
        return self.fitted.log_loss < self.in_force.log_loss


def evaluate(items: Items, in_force: Sequence[float], relearning_steps: int | None = None) -> Evaluation:
    """Score the defaults, `in_force` and the fitting procedure on time-series folds."""
    cuts = folds(len(items))
    if not cuts:
        raise NotEnoughDataError("too few reviews to hold any out for testing a fit")
    start, end = cuts[0][0], cuts[-1][1]
    predictions = array("d", bytes(8 * len(items)))
    scores = []
    for parameters in (default_parameters(), tuple(in_force)):
        if scores and tuple(parameters) == default_parameters():
            scores.append(scores[0])  # nothing fitted yet: the parameters in force are the defaults
            continue
        predict(parameters, items, start, end, predictions)
        scores.append(score(items, predictions, start, end))
    for fold_start, fold_end in cuts:
        predict(fit_parameters(items, fold_start, relearning_steps), items, fold_start, fold_end, predictions)
    scores.append(score(items, predictions, start, end))
    return Evaluation(len(items), tuple(cuts), *scores)


def default_parameters() -> tuple[float, ...]:
    return tuple(rs.DEFAULT_PARAMETERS)


def library_time_series_score(items: Items) -> Score:
    """fsrs-rs's own evaluate_with_time_series_splits, to check `evaluate` against."""
    found = rs.evaluate_with_time_series_splits(items.items, card_ids=items.card_ids)
    return Score(float(found.log_loss), float(found.rmse_bins))


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
