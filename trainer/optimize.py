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
# A long log is scored on three folds: each still tests the fit on 50,000
# items or more, and the fits and predictions cost two fifths less.
LARGE_LOG_ITEMS = 200_000
LARGE_LOG_FOLDS = 3
# Four decimals is what Anki shows and stores; it also turns float32 values
# such as 0.80000001 back into the bounds py-fsrs checks (0.8 is a bound).
PARAMETER_DECIMALS = 4
RETENTION_CHOICES = (0.80, 0.85, 0.90, 0.95)
SIMULATED_DAYS = 365
SIMULATION_SEED = 42
FORGET = 1  # trainer.model.EventKind.FORGET; the log's other manual events carry no memory

# (card id, event kind, rating, time in ms, row id), in time order.
LogRows = Iterable[tuple[int, int, int | None, int, int]]


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
        self.card_ids: list[int] = []  # one int object per card, shared by its items
        self.card = array("i")  # index into `histories`
        self.position = array("i")  # the predicted review's place in its card's history
        self.delta = array("i")  # study days since the review before
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


class _CardSoFar:
    """One card's history while the log streams by."""

    __slots__ = ("card_id", "reviews", "ratings", "deltas", "previous_day", "long_term", "lapses", "index")

    def __init__(self, card_id: int) -> None:
        self.card_id = card_id
        self.reviews: list = []
        self.ratings = bytearray()
        self.deltas = array("i")
        self.previous_day: int | None = None
        self.long_term = 0
        self.lapses = 0
        self.index = -1  # its place in Items.histories, given with its first item


class OutOfOrder(Exception):
    """The rows given to build_items(..., check_order=True) were not in (time, id) order."""


def build_items(rows: LogRows, calendar: StudyCalendar, resets: dict[int, tuple[int, int]] | None = None,
                *, check_order: bool = False) -> Items:
    """Training items from the log's rows, which come in time order: (card id, kind, rating, ms, row id).

    Streaming in time order makes the items come out in the order the folds
    cut, with no sort and no second copy. `resets` gives each card's last
    FORGET as (ms, row id): what came before it says nothing about the memory
    that follows (Anki's converter drops it too), so it is skipped. With
    `check_order`, rows out of (time, id) order raise OutOfOrder, for a
    caller that tried the cheap order first.
    """
    built = Items()
    bins = _Bins()
    resets = resets or {}
    # Shared: a million reviews are a few hundred distinct (rating, days) objects.
    review_of: list[dict[int, object]] = [{} for _ in range(5)]
    cards: dict[int, _CardSoFar] = {}
    day = calendar.day
    items, card_ids, card_of = built.items, built.card_ids, built.card
    position_of, delta_of, recalled_of, bin_of = built.position, built.delta, built.recalled, built.bins
    last_at, last_id = -1 << 62, -1
    for card_id, kind, rating, at, row_id in rows:
        if check_order:
            if at < last_at or (at == last_at and row_id < last_id):
                raise OutOfOrder
            last_at, last_id = at, row_id
        if kind != 0:
            continue
        reset = resets.get(card_id)
        if reset is not None and (at, row_id) < reset:
            continue
        if rating is None or not 1 <= rating <= 4:
            raise ValueError(f"card {card_id}: rating {rating!r} is not 1-4")
        card = cards.get(card_id)
        if card is None:
            card = cards[card_id] = _CardSoFar(card_id)
        built.reviews += 1
        today = day(at)
        delta = 0 if card.previous_day is None else max(0, today - card.previous_day)
        review = review_of[rating].get(delta)
        if review is None:
            review = review_of[rating][delta] = rs.FSRSReview(rating, delta)
        card.reviews.append(review)
        card.ratings.append(rating)
        card.deltas.append(delta)
        if delta > 0:
            card.long_term += 1
            if card.index < 0:
                card.index = len(built.histories)
                built.histories.append(card)  # replaced by its fsrs-rs item below
            items.append(rs.FSRSItem(card.reviews))
            card_ids.append(card.card_id)
            card_of.append(card.index)
            position_of.append(len(card.reviews) - 1)
            delta_of.append(delta)
            recalled_of.append(rating > 1)
            bin_of.append(bins(delta, card.long_term, card.lapses))
            card.lapses += rating == 1
        card.previous_day = today
    for index, card in enumerate(built.histories):
        built.histories[index] = rs.FSRSItem(card.reviews)
        built.history_ratings.append(bytes(card.ratings))
        built.history_deltas.append(card.deltas)
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
    cuts = folds(len(items), LARGE_LOG_FOLDS if len(items) >= LARGE_LOG_ITEMS else FOLDS)
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
