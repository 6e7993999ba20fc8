"""The core of `trainer optimize`: review log -> training items -> split -> fit -> scores."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from trainer import optimize
from trainer.errors import NotEnoughDataError
from trainer.optimize import HeldOutTest, Score, TrainingItem

UTC = timezone.utc
REPO = Path(__file__).resolve().parents[1]
REAL_HISTORY = Path(__file__).resolve().parents[2] / "shared" / "data" / "anki-review-logs-12k.csv"


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 3, day, hour, minute, tzinfo=UTC)


def reviews_of(items, card_id):
    return [item.reviews for item in items if item.card_id == card_id]


def test_same_day_repeats_are_history_but_never_an_item():
    history = [
        ("a", 1, at(2, 10)),
        ("a", 3, at(2, 10, 10)),  # learning step, same study day
        ("a", 3, at(3, 9)),
        ("a", 1, at(6, 18)),
        ("a", 3, at(6, 18, 10)),  # relearning step, same day
        ("a", 3, at(7, 9)),
    ]
    items = optimize.build_items(history, day_starts_at=4, tz=UTC)
    assert [item.reviews for item in items] == [
        ((1, 0), (3, 0), (3, 1)),
        ((1, 0), (3, 0), (3, 1), (1, 3)),
        ((1, 0), (3, 0), (3, 1), (1, 3), (3, 0), (3, 1)),
    ]
    assert [item.reviewed_at for item in items] == [at(3, 9), at(6, 18), at(7, 9)]


def test_a_card_seen_on_one_day_only_gives_no_item():
    history = [("a", 1, at(2, 10)), ("a", 3, at(2, 10, 5)), ("a", 3, at(2, 20))]
    assert optimize.build_items(history, day_starts_at=4, tz=UTC) == []


def test_reviews_after_midnight_belong_to_the_day_before_the_day_start():
    # 23:00 and 02:00 the next morning: one study day when days start at 4.
    history = [("a", 3, at(2, 23)), ("a", 3, at(3, 2)), ("a", 3, at(4, 5))]
    items = optimize.build_items(history, day_starts_at=4, tz=UTC)
    assert [item.reviews for item in items] == [((3, 0), (3, 0), (3, 2))]
    # With days starting at midnight the 02:00 review is on a new day.
    items = optimize.build_items(history, day_starts_at=0, tz=UTC)
    assert [item.reviews for item in items] == [((3, 0), (3, 1)), ((3, 0), (3, 1), (3, 1))]


def test_days_are_counted_in_the_learners_time_zone_not_in_24_hour_spans():
    # 22:00 UTC and 09:00 UTC next day are 11 hours apart but on different days in UTC;
    # in Tokyo (UTC+9) they are 07:00 and 18:00 on the same study day.
    history = [("a", 3, at(2, 22)), ("a", 3, at(3, 9))]
    assert reviews_of(optimize.build_items(history, 4, UTC), "a") == [((3, 0), (3, 1))]
    assert optimize.build_items(history, 4, ZoneInfo("Asia/Tokyo")) == []


def test_items_of_many_cards_come_in_time_order_whatever_the_input_order():
    history = [
        ("b", 3, at(5, 9)),
        ("a", 3, at(4, 9)),
        ("b", 3, at(2, 9)),
        ("a", 1, at(3, 9)),
    ]
    items = optimize.build_items(history, 4, UTC)
    assert [(item.card_id, item.reviews) for item in items] == [
        ("a", ((1, 0), (3, 1))),
        ("b", ((3, 0), (3, 3))),
    ]


def test_a_rating_outside_1_to_4_is_refused():
    with pytest.raises(ValueError, match="rating 5"):
        optimize.build_items([("a", 5, at(2, 9))], 4, UTC)


def item_at(moment: datetime) -> TrainingItem:
    return TrainingItem("x", moment, ((3, 0), (3, 1)))


def test_split_holds_out_the_latest_items():
    items = [item_at(at(2, 9) + timedelta(hours=i)) for i in range(10)]
    train, held_out = optimize.split_by_time(list(reversed(items)), held_out_fraction=0.3)
    assert train == items[:7]
    assert held_out == items[7:]


def test_split_puts_every_item_at_the_cut_moment_on_the_held_out_side():
    same = at(3, 9)
    items = [item_at(at(2, 9)), item_at(at(2, 10)), item_at(same), item_at(same), item_at(same)]
    train, held_out = optimize.split_by_time(items, held_out_fraction=0.2)
    assert train == items[:2]
    assert all(item.reviewed_at == same for item in held_out) and len(held_out) == 3


def test_too_little_history_says_how_many_more_reviews_are_needed():
    items = [item_at(at(2, 9))] * 10
    with pytest.raises(NotEnoughDataError) as raised:
        optimize.require_enough(items, reviews=25)
    message = str(raised.value)
    assert f"at least {optimize.MIN_ITEMS}" in message
    assert "25 reviews give 10" in message
    assert f"about {optimize.MIN_ITEMS - 10} more" in message


def test_enough_history_passes_the_check():
    optimize.require_enough([item_at(at(2, 9))] * optimize.MIN_ITEMS, reviews=optimize.MIN_ITEMS)


@pytest.mark.parametrize(
    "default, fitted, improved",
    [
        (Score(0.40, 0.05), Score(0.39, 0.06), True),  # log loss decides, not RMSE(bins)
        (Score(0.40, 0.05), Score(0.40, 0.01), False),  # a tie is not an improvement
        (Score(0.40, 0.05), Score(0.41, 0.04), False),
    ],
)
def test_a_fit_counts_as_better_only_when_its_held_out_log_loss_is_lower(default, fitted, improved):
    test = HeldOutTest(100, 25, at(2, 9), default, fitted)
    assert test.improved is improved


def test_fit_on_too_few_first_reviews_is_a_clear_error_not_a_library_error():
    # fsrs-rs raises ValueError('NotEnoughData') when it cannot pre-train the
    # first-review stabilities: here 10 cards per first rating, spread over many gaps.
    items = [TrainingItem("g", at(2, 9), ((3, 0), (3, 1 + i % 5))) for i in range(10)]
    items += [TrainingItem("a", at(2, 9), ((1, 0), (3, 2), (1, 3 + i % 4))) for i in range(10)]
    with pytest.raises(NotEnoughDataError, match="Keep reviewing"):
        optimize.fit_parameters(items)


def test_fitted_parameters_are_21_numbers_rounded_to_four_decimals():
    items = [
        TrainingItem(str(i), at(2, 9) + timedelta(minutes=i), ((3, 0), (1 if i % 3 == 0 else 3, 1 + i % 6)))
        for i in range(200)
    ]
    parameters = optimize.fit_parameters(items)
    assert len(parameters) == 21
    assert all(round(p, 4) == p for p in parameters)


@pytest.mark.skipif(not REAL_HISTORY.exists(), reason="real review history not present in ../shared/data/")
def test_on_a_real_history_the_fitted_parameters_beat_the_defaults_on_held_out_reviews():
    result = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "optimize_bench.py"), str(REAL_HISTORY)],
        capture_output=True, text=True, check=True, cwd=REPO,
    )
    figures = json.loads(result.stdout)
    assert figures["reviews"] == 12580
    assert figures["train_items"] + figures["held_out_items"] == figures["items"]
    assert figures["fitted"]["log_loss"] < figures["default"]["log_loss"]
    assert figures["fitted"]["rmse_bins"] < figures["default"]["rmse_bins"]
