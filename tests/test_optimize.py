"""The core of `trainer optimize`: review log -> training items -> folds -> fits -> scores."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from trainer import optimize
from trainer.days import StudyCalendar, to_ms
from trainer.errors import NotEnoughDataError
from trainer.optimize import Evaluation, Score

UTC = timezone.utc
REPO = Path(__file__).resolve().parents[1]
REAL_HISTORY = Path(__file__).resolve().parents[2] / "shared" / "data" / "anki-review-logs-12k.csv"
ANSWER, FORGET = 0, 1


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 3, day, hour, minute, tzinfo=UTC)


def build(history, day_starts_at=4, tz=UTC):
    """Items from (card id, rating, time) answers (or (card id, 'forget', time)), in any order."""
    rows, resets = [], {}
    for row_id, (card, rating, when) in enumerate(history):
        kind, rating = (FORGET, None) if rating == "forget" else (ANSWER, rating)
        rows.append((card, kind, rating, to_ms(when), row_id))
        if kind == FORGET:
            resets[card] = max(resets.get(card, (0, 0)), (to_ms(when), row_id))
    rows.sort(key=lambda row: (row[3], row[4]))
    return optimize.build_items(rows, StudyCalendar(day_starts_at, tz), resets)


def described(items):
    return [items.describe(i) for i in range(len(items))]


def test_same_day_repeats_are_history_but_never_an_item():
    history = [
        (1, 1, at(2, 10)),
        (1, 3, at(2, 10, 10)),  # learning step, same study day
        (1, 3, at(3, 9)),
        (1, 1, at(6, 18)),
        (1, 3, at(6, 18, 10)),  # relearning step, same day
        (1, 3, at(7, 9)),
    ]
    items = build(history)
    assert [reviews for _, reviews in described(items)] == [
        ((1, 0), (3, 0), (3, 1)),
        ((1, 0), (3, 0), (3, 1), (1, 3)),
        ((1, 0), (3, 0), (3, 1), (1, 3), (3, 0), (3, 1)),
    ]
    assert list(items.recalled) == [1, 0, 1]


def test_a_card_seen_on_one_day_only_gives_no_item():
    assert len(build([(1, 1, at(2, 10)), (1, 3, at(2, 10, 5)), (1, 3, at(2, 20))])) == 0


def test_reviews_after_midnight_belong_to_the_day_before_the_day_start():
    # 23:00 and 02:00 the next morning: one study day when days start at 4.
    history = [(1, 3, at(2, 23)), (1, 3, at(3, 2)), (1, 3, at(4, 5))]
    assert [r for _, r in described(build(history, 4))] == [((3, 0), (3, 0), (3, 2))]
    # With days starting at midnight the 02:00 review is on a new day.
    assert [r for _, r in described(build(history, 0))] == [((3, 0), (3, 1)), ((3, 0), (3, 1), (3, 1))]


def test_days_are_counted_in_the_learners_time_zone_not_in_24_hour_spans():
    # 22:00 UTC and 09:00 UTC next day are 11 hours apart but on different days in UTC;
    # in Tokyo (UTC+9) they are 07:00 and 18:00 on the same study day.
    history = [(1, 3, at(2, 22)), (1, 3, at(3, 9))]
    assert [r for _, r in described(build(history, 4, UTC))] == [((3, 0), (3, 1))]
    assert len(build(history, 4, ZoneInfo("Asia/Tokyo"))) == 0


def test_items_of_many_cards_come_in_time_order():
    history = [(2, 3, at(5, 9)), (1, 3, at(4, 9)), (2, 3, at(2, 9)), (1, 1, at(3, 9))]
    assert described(build(history)) == [(1, ((1, 0), (3, 1))), (2, ((3, 0), (3, 3)))]


def test_a_forgotten_card_starts_its_history_again():
    history = [(1, 3, at(2, 9)), (1, 3, at(4, 9)), (1, "forget", at(5, 9)), (1, 1, at(6, 9)), (1, 3, at(8, 9))]
    assert described(build(history)) == [(1, ((1, 0), (3, 2)))]


def test_a_rating_outside_1_to_4_is_refused():
    with pytest.raises(ValueError, match="rating 5"):
        build([(1, 5, at(2, 9))])


def test_folds_cut_like_fsrs_rs_time_series_split():
    assert optimize.folds(6) == [(1, 2), (2, 3), (3, 4), (4, 5), (5, 6)]
    assert optimize.folds(20) == [(3, 6), (6, 9), (9, 12), (12, 15), (15, 20)]
    assert optimize.folds(5) == []


def many_items(count: int, seed: int = 3):
    """`count` cards each seen twice, a day or more apart, some forgotten."""
    history = []
    for i in range(count):
        first = at(2, 9) + timedelta(minutes=i)
        history += [(i, 3, first), (i, 1 if i % 3 == 0 else 3, first + timedelta(days=1 + (i * seed) % 6))]
    return build(history)


def test_too_little_history_says_how_many_more_reviews_are_needed():
    items = many_items(10)
    with pytest.raises(NotEnoughDataError) as raised:
        optimize.require_enough(items)
    message = str(raised.value)
    assert f"at least {optimize.MIN_ITEMS}" in message
    assert "20 reviews give 10" in message
    assert f"about {optimize.MIN_ITEMS - 10} more" in message


def test_enough_history_passes_the_check():
    optimize.require_enough(many_items(optimize.MIN_ITEMS))


@pytest.mark.parametrize(
    "in_force, fitted, improved",
    [
        (Score(0.40, 0.05), Score(0.39, 0.06), True),  # log loss decides, not RMSE(bins)
        (Score(0.40, 0.05), Score(0.40, 0.01), False),  # a tie is not an improvement
        (Score(0.40, 0.05), Score(0.41, 0.04), False),
    ],
)
def test_a_fit_counts_as_better_only_when_it_beats_the_parameters_in_force(in_force, fitted, improved):
    defaults = Score(0.30, 0.01)  # better than both: the comparison is with what is in force
    assert Evaluation(100, ((10, 20),), defaults, in_force, fitted).improved is improved


def test_fit_with_nothing_to_pretrain_first_reviews_on_is_a_clear_error_not_a_library_error():
    # fsrs-rs raises ValueError('NotEnoughData') when no item has a single
    # review on a later day to learn the first stabilities from. The log never
    # builds such items, but a deck-filtered or trimmed history could.
    import fsrs_rs_python as rs

    items = optimize.Items()
    for i in range(10):
        items.items.append(rs.FSRSItem([rs.FSRSReview(1, 0), rs.FSRSReview(3, 2), rs.FSRSReview(1, 3 + i % 4)]))
        items.card_ids.append(i)
    with pytest.raises(NotEnoughDataError, match="Keep reviewing"):
        optimize.fit_parameters(items)


def test_fitted_parameters_are_21_numbers_rounded_to_four_decimals():
    parameters = optimize.fit_parameters(many_items(200))
    assert len(parameters) == 21
    assert all(round(p, 4) == p for p in parameters)


def test_scores_are_plain_log_loss_and_rmse_by_bins():
    items = many_items(60)
    predictions = optimize.array("d", [0.9] * len(items))
    found = optimize.score(items, predictions, 0, len(items))
    recalled = sum(items.recalled)
    import math

    expected = -(recalled * math.log(0.9) + (len(items) - recalled) * math.log(0.1)) / len(items)
    assert found.log_loss == pytest.approx(expected)


@pytest.mark.skipif(not REAL_HISTORY.exists(), reason="real review history not present in ../shared/data/")
def test_on_a_real_history_all_three_are_scored_on_the_same_folds_and_the_fit_wins():
    result = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "optimize_bench.py"), str(REAL_HISTORY), "--tz", "America/Chicago"],
        capture_output=True, text=True, check=True, cwd=REPO,
    )
    figures = json.loads(result.stdout)
    assert figures["reviews"] == 12580
    assert [fold[0] for fold in figures["folds"]][1:] == [fold[1] for fold in figures["folds"]][:-1]
    assert figures["in_force"] == figures["default"]  # nothing fitted yet
    assert figures["fitted"]["log_loss"] < figures["default"]["log_loss"]
    assert figures["fitted"]["rmse_bins"] < figures["default"]["rmse_bins"]


@pytest.mark.skipif(not REAL_HISTORY.exists(), reason="real review history not present in ../shared/data/")
def test_our_fold_scores_agree_with_fsrs_rs_evaluate_with_time_series_splits():
    sys.path.insert(0, str(REPO / "benchmarks"))
    from optimize_bench import read_rows

    items = optimize.build_items(read_rows(REAL_HISTORY), StudyCalendar(4, ZoneInfo("America/Chicago")))
    ours = optimize.evaluate(items, optimize.default_parameters()).fitted
    theirs = optimize.library_time_series_score(items)
    assert ours.log_loss == pytest.approx(theirs.log_loss, abs=1e-4)
    assert ours.rmse_bins == pytest.approx(theirs.rmse_bins, abs=1e-4)


def test_a_long_log_is_scored_on_three_folds_a_short_one_on_five(monkeypatch):
    cut = []
    monkeypatch.setattr(optimize, "folds", lambda count, splits=optimize.FOLDS: cut.append(splits) or [])
    for count in (optimize.LARGE_LOG_ITEMS - 1, optimize.LARGE_LOG_ITEMS):
        items = optimize.Items()
        items.items = [None] * count
        with pytest.raises(NotEnoughDataError):
            optimize.evaluate(items, optimize.default_parameters())
    assert cut == [5, 3]
