"""Every figure of `trainer stats` on a small hand-built history with known answers.

The clock is fixed and the zone is Paris (UTC+2 in May), with study days
starting at 04:00 local, i.e. 02:00 UTC: a review at 01:30 UTC belongs to the
day before. Card b2 is retired after its review; b3 is suspended.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from trainer.config import Settings
from trainer.days import to_ms
from trainer.errors import TrainerError
from trainer.model import MemoryState, Rating, Status
from trainer.scheduler import DEFAULT_PARAMETERS, Scheduler
from trainer.stats import compute_stats, stats_to_dict
from trainer.store import open_db
from trainer.store.cards import get_card, insert_cards, set_status

from conftest import log_answer

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2024, 5, 10, 10, 0, tzinfo=timezone.utc)  # noon in Paris, study day 2024-05-10
SETTINGS = Settings(day_starts_at=4, fuzz=False)
LINES = {"a1": 3, "a2": 7, "a3": 11, "a4": 15, "b1": 3, "b2": 7, "b3": 11}


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=timezone.utc)


def review_state(stability, difficulty, last, days, lapses=0, state="review"):
    """A memory whose last review was `last` and next is `days` later."""
    return MemoryState(state, None, stability, difficulty, last + timedelta(days=days), last, 1, lapses)


def add_cards(store, deck: str, path: str, keys: list[str]) -> None:
    rows = [
        dict(key=k, status="active", kind="faq", deck=deck, path=path, section="", prompt=f"prompt of {k}",
             answer="answer", extra="{}", sibling=None, source_line=LINES[k])
        for k in keys
    ]
    with store.atomic():
        insert_cards(store, rows, at("2024-04-01T00:00:00"))


def log(store, key, rating, when, after, *, seconds, retrievability=None):
    log_answer(store, key, rating, when, after, duration_ms=seconds * 1000, recall=retrievability, tz=PARIS)


def build_history(store) -> None:
    add_cards(store, "Alpha", "alpha.md", ["a1", "a2", "a3", "a4"])
    add_cards(store, "Beta", "beta.md", ["b1", "b2", "b3"])
    t0 = at("2024-04-09T01:30:00")
    log(store, "a2", 3, t0, review_state(30, 5, t0, 30), seconds=30)
    t_a3 = at("2024-05-01T12:00:00")
    log(store, "a3", 4, t_a3, review_state(9, 4, t_a3, 9), seconds=12)
    t1 = at("2024-05-08T09:00:00")
    log(store, "a1", 3, t1, review_state(3, 5, t1, 3), seconds=10)
    t2 = at("2024-05-08T09:05:00")
    log(store, "b2", 3, t2, review_state(2, 5, t2, 2), seconds=10)
    with store.atomic():
        set_status(store, ["b2"], Status.RETIRED, at("2024-05-09T00:00:00"))
        set_status(store, ["b3"], Status.SUSPENDED, at("2024-05-09T00:00:00"))
    # 03:30 in Paris: still study day 2024-05-09. A mature lapse.
    t3 = at("2024-05-10T01:30:00")
    lapsed = MemoryState("relearning", 0, 1.5, 7, t3 + timedelta(minutes=10), t3, 2, 1)
    log(store, "a2", 1, t3, lapsed, seconds=20, retrievability=0.8)
    # 04:30 in Paris: today. A young card passes and becomes mature.
    t4 = at("2024-05-10T02:30:00")
    log(store, "a3", 3, t4, review_state(25, 4, t4, 25), seconds=8, retrievability=0.95)
    t5 = at("2024-05-10T03:00:00")
    log(store, "b1", 1, t5, MemoryState("learning", 0, 0.5, 8, t5 + timedelta(minutes=1), t5, 1, 0), seconds=5)
    t6 = at("2024-05-10T03:10:00")
    log(store, "b1", 3, t6, review_state(2.5, 7.5, t6, 2.5), seconds=6)


@pytest.fixture
def store(tmp_path, monkeypatch):
    monkeypatch.setenv("TRAINER_DB", str(tmp_path / "trainer.db"))
    monkeypatch.setenv("TRAINER_CONFIG", str(tmp_path / "config.toml"))
    with open_db(tmp_path / "trainer.db") as opened:
        build_history(opened)
        yield opened


def stats(store, **kwargs):
    kwargs.setdefault("tz", PARIS)
    return compute_stats(store, kwargs.pop("settings", SETTINGS), kwargs.pop("now", NOW), **kwargs)


def test_today_counts_only_reviews_after_the_configured_day_start(store):
    today = stats(store).today
    assert today.date == "2024-05-10"
    assert (today.reviews, today.cards, today.again, today.new_learned) == (3, 2, 1, 1)
    assert today.again_rate == pytest.approx(1 / 3)
    assert today.time_ms == 19_000


def test_streak_counts_consecutive_study_days_and_survives_an_unfinished_today(store):
    assert stats(store).today.streak_days == 3  # 05-08, 05-09 (the 01:30 UTC review), 05-10
    next_morning = at("2024-05-11T03:00:00")  # 05:00 in Paris: a new day, nothing done yet
    assert stats(store, now=next_morning).today.streak_days == 3
    assert stats(store, now=at("2024-05-12T03:00:00")).today.streak_days == 0


def test_streak_longer_than_the_activity_window_is_counted_in_full(store):
    assert stats(store, days=1).today.streak_days == 3


def test_card_counts_put_each_card_in_one_category_per_deck(store):
    report = stats(store)
    alpha, beta = report.cards["Alpha"], report.cards["Beta"]
    assert (alpha.new, alpha.learning, alpha.young, alpha.mature, alpha.total) == (1, 1, 1, 1, 4)
    assert (beta.young, beta.suspended, beta.retired, beta.total) == (1, 1, 1, 3)
    total = report.cards_total
    assert (total.new, total.learning, total.young, total.mature, total.suspended, total.retired, total.total) == (
        1, 1, 2, 1, 1, 1, 7,
    )


def test_forecast_counts_active_cards_per_study_day_and_overdue_apart(store):
    forecast = stats(store).forecast
    assert forecast.overdue == 1  # a2, due 01:40 UTC, before today began
    assert len(forecast.days) == 30 and forecast.days[0].date == "2024-05-10"
    due = {i: d.count for i, d in enumerate(forecast.days) if d.count}
    assert due == {1: 1, 2: 1, 25: 1}  # a1, b1, a3; retired b2 (due today) is left out


def test_activity_sums_reviews_and_time_per_study_day(store):
    activity = stats(store, days=7).activity
    assert [d.date for d in activity.days][0] == "2024-05-04"
    assert {d.date: (d.reviews, d.time_ms) for d in activity.days if d.reviews} == {
        "2024-05-08": (2, 20_000),
        "2024-05-09": (1, 20_000),
        "2024-05-10": (3, 19_000),
    }
    assert (activity.total_reviews, activity.total_time_ms, activity.active_days) == (6, 59_000, 3)


def test_true_retention_splits_review_answers_young_and_mature_by_window(store):
    windows = {w.days: w for w in stats(store).retention}
    assert (windows[1].young.passed, windows[1].young.total, windows[1].mature.total) == (1, 1, 0)
    assert windows[1].mature.rate is None
    assert (windows[7].mature.passed, windows[7].mature.total, windows[7].mature.rate) == (0, 1, 0.0)
    assert (windows[30].all.passed, windows[30].all.total, windows[30].all.rate) == (1, 2, 0.5)


def test_memory_averages_fsrs_recall_of_studied_active_cards_now_and_on_the_day(store):
    memory = stats(store).memory
    assert memory.on_date == "2024-05-17"
    on_moment = at("2024-05-17T10:00:00")  # noon in Paris
    assert memory.on_moment == on_moment.isoformat(timespec="microseconds")
    scheduler = Scheduler(SETTINGS, tz=PARIS)
    for deck, keys, active in (("Alpha", ["a1", "a2", "a3"], 4), ("Beta", ["b1"], 1)):
        cards = [get_card(store, k).memory for k in keys]
        now = [scheduler.retrievability(m, NOW) for m in cards]
        later = [scheduler.retrievability(m, on_moment) for m in cards]
        found = next(d for d in memory.decks if d.deck == deck)
        assert (found.studied, found.active) == (len(keys), active)
        assert found.recall_now == pytest.approx(sum(now) / len(now))
        assert found.recall_on == pytest.approx(sum(later) / len(later))
        assert found.expected_known_on == pytest.approx(sum(later))
    assert memory.decks[0].recall_on < memory.decks[0].recall_now
    assert (memory.total.studied, memory.total.active) == (4, 5)


def test_memory_distributions_bin_stability_and_difficulty_of_studied_cards(store):
    memory = stats(store).memory
    stability = {b.label: b.count for b in memory.stability if b.count}
    assert stability == {"1-7d": 3, "21-90d": 1}  # 3, 1.5, 2.5 and 25 days
    difficulty = {b.label: b.count for b in memory.difficulty if b.count}
    assert difficulty == {"4-5": 1, "5-6": 1, "7-8": 2}


def test_interview_day_is_noon_local_on_the_date_given(store):
    memory = stats(store, on=date(2024, 5, 30)).memory
    assert memory.on_moment == at("2024-05-30T10:00:00").isoformat(timespec="microseconds")


def test_interview_day_in_the_past_is_refused(store):
    with pytest.raises(TrainerError, match="in the past"):
        stats(store, on=date(2024, 5, 1))


def test_calibration_bins_predictions_against_recall(store):
    bins = stats(store).calibration
    assert len(bins) == 10 and (bins[0].low, bins[9].high) == (0.0, 1.0)
    filled = {i: (b.count, b.predicted, b.actual) for i, b in enumerate(bins) if b.count}
    assert filled == {8: (1, pytest.approx(0.8), 0.0), 9: (1, pytest.approx(0.95), 1.0)}
    assert bins[3].predicted is None and bins[3].actual is None


def test_hardest_cards_rank_lapses_then_lowest_recall_with_their_location(store):
    # Only cards with a lapse or recall below the target are listed; retired b2 never is.
    hardest = stats(store).hardest
    assert [c.key for c in hardest] == ["a2"]  # a1's recall (0.93) is above the 0.9 target
    assert (hardest[0].location, hardest[0].lapses) == ("alpha.md:7", 1)
    stricter = stats(store, settings=replace(SETTINGS, desired_retention=0.95)).hardest
    assert [c.key for c in stricter] == ["a2", "a1"]  # lapses first, then lowest recall
    assert stricter[1].recall_now == pytest.approx(0.925, abs=0.001)


def test_parameters_report_defaults_or_the_fitted_set_and_recall_uses_them(store):
    assert stats(store).parameters.source == "default"
    fitted = list(DEFAULT_PARAMETERS)
    fitted[20] = 0.5  # a steeper forgetting curve than the default decay
    settings = replace(SETTINGS, parameters=tuple(fitted), parameters_fitted_at="2024-05-01T00:00:00+00:00",
                       parameters_fitted_on=1234)
    report = stats(store, settings=settings)
    assert (report.parameters.source, report.parameters.fitted_on) == ("fitted", 1234)
    assert report.parameters.values[20] == 0.5
    a1 = get_card(store, "a1").memory
    alpha = next(d for d in report.memory.decks if d.deck == "Alpha")
    expected = sum(Scheduler(settings, tz=PARIS).retrievability(get_card(store, k).memory, NOW) for k in ("a1", "a2", "a3"))
    assert alpha.expected_known_now == pytest.approx(expected)
    assert Scheduler(settings, tz=PARIS).retrievability(a1, NOW) != Scheduler(SETTINGS).retrievability(a1, NOW)


def test_one_deck_is_counted_alone(store):
    report = stats(store, deck="Beta")
    assert list(report.cards) == ["Beta"]
    assert (report.today.reviews, report.today.again) == (2, 1)
    assert report.today.streak_days == 1  # Beta was reviewed on 05-08 and 05-10, not on 05-09
    assert report.hardest == []  # b1 never lapsed and is well remembered
    assert all(b.count == 0 for b in report.calibration)


def test_unknown_deck_is_an_error_naming_the_decks(store):
    with pytest.raises(TrainerError, match=r"no deck named 'Gamma'.*Alpha.*Beta"):
        stats(store, deck="Gamma")


def test_empty_database_and_unreviewed_deck_give_a_friendly_message(tmp_path):
    with open_db(tmp_path / "empty.db") as empty:
        report = stats(empty)
        assert report.message and "trainer import" in report.message
        assert report.today.reviews == 0 and report.memory.total.recall_now is None
        add_cards(empty, "Alpha", "alpha.md", ["a1", "a2"])
        message = stats(empty, deck="Alpha").message
        assert "No reviews in deck 'Alpha'" in message and "2 cards" in message


def test_json_form_has_stable_top_level_keys(store):
    data = stats_to_dict(stats(store))
    assert list(data) == [
        "generated_at", "deck", "day_starts_at", "reviews_ever", "message", "today", "cards", "cards_total",
        "forecast", "activity", "retention", "memory", "calibration", "hardest", "parameters", "drills", "leeches",
        "practice",
    ]


def test_recall_after_days_matches_fsrs_for_each_card():
    scheduler = Scheduler(SETTINGS, tz=PARIS)
    last = at("2024-05-01T08:00:00")
    for stability, days in ((0.5, 0), (3.0, 2), (25.0, 40), (300.0, 9)):
        memory = review_state(stability, 5, last, 10)
        expected = scheduler.retrievability(memory, last + timedelta(days=days, hours=5))
        assert scheduler.recall_after_days([(stability, days)]) == [pytest.approx(expected)]


def test_drill_rubric_scores_are_reported_by_week(tmp_path):
    from trainer.importer import import_paths
    from trainer.model import DrillAnswer
    from trainer.session import Session

    deck = tmp_path / "drills.md"
    deck.write_text("DRILL: Pitch Home.\nTIME: 60s\nRUBRIC:\n- a user state\n- a metric\n", encoding="utf-8")
    with open_db(tmp_path / "t.db") as store:
        import_paths(store, [deck], NOW - timedelta(days=10))
        session = Session(store, SETTINGS, tz=PARIS)
        card = session.next_card(NOW - timedelta(days=9))
        session.answer(card, Rating.HARD, NOW - timedelta(days=9), 40_000, DrillAnswer(45_000, 1, 2, "notes"))
        card = get_card(store, card.key)
        session = Session(store, SETTINGS, tz=PARIS)
        session.answer(card, Rating.EASY, NOW, 30_000, DrillAnswer(30_000, 2, 2))
        drills = stats(store).drills
    assert [(w.answers, w.rubric_met, w.time_share) for w in drills] == [(1, 0.5, 0.75), (1, 1.0, 0.5)]
    assert stats_to_dict(stats(open_db(tmp_path / "t.db")))["drills"][-1]["recalled"] == 1.0


def test_practice_is_counted_apart_and_changes_no_other_figure(store):
    from trainer.store import practice as practice_table

    before = stats_to_dict(stats(store))
    card_id = store.conn.execute("SELECT id FROM cards WHERE key = 'a1'").fetchone()[0]
    for rating in (1, 3, 3):
        practice_table.record(store, card_id, rating, to_ms(NOW) - 60_000, 4000)
    after = stats_to_dict(stats(store))
    assert after["practice"] == {"today": 3, "today_cards": 1, "today_again": 1, "last_30_days": 3,
                                 "time_ms_30_days": 12000}
    assert {k: v for k, v in after.items() if k not in ("practice", "generated_at")} == {
        k: v for k, v in before.items() if k not in ("practice", "generated_at")}


def test_readiness_shows_the_plans_expected_figure_beside_the_unplanned_one(store):
    from trainer.days import StudyCalendar
    from trainer.store import plans as plans_table

    calendar = StudyCalendar(4, PARIS)
    on = date(2024, 5, 20)
    plan = plans_table.PlanRow(0, calendar.number(on), 0.9, 20.0, None, 1e-3, 0, calendar.day_of(NOW), 5.5, 1.0)
    with store.write():
        plans_table.replace(store, plan, [])
    report = stats(store)  # no date asked: the plan's
    assert report.memory.on_date == "2024-05-20"
    readiness = report.memory.plan
    assert readiness.expected == 5.5 and readiness.cards == 5 and readiness.fitted_on == "2024-05-10"
    studied = [d for d in report.memory.decks if d.studied]
    assert 0 <= readiness.unplanned <= sum(d.studied for d in studied)
    assert stats(store, on=date(2024, 5, 25)).memory.plan is None  # another date: no plan figure


@pytest.mark.parametrize("cost", [0, 10**9])
def test_review_windows_read_by_time_or_by_id_give_the_same_figures(store, monkeypatch, cost):
    # The log's ids need not follow time (here they run backwards): either way of reading a
    # window (through reviews_at, or the table in id order from the window's first id) is exact.
    from trainer.store import stats_queries

    expected = stats_to_dict(stats(store))
    rows = store.conn.execute("SELECT id, at FROM reviews ORDER BY at").fetchall()
    top = max(row[0] for row in rows) + len(rows)
    with store.write():
        store.conn.execute("PRAGMA defer_foreign_keys = ON")
        for i, (review_id, _) in enumerate(rows):  # newest answers get the smallest ids
            store.conn.execute("UPDATE reviews SET id = ? WHERE id = ?", (top - i, review_id))
    monkeypatch.setattr(stats_queries, "_JUMP_COST", cost)  # 0: always reviews_at; huge: always by id
    found = stats_to_dict(stats(store))
    keep = ("today", "activity", "retention", "reviews_ever")
    assert {k: found[k] for k in keep} == {k: expected[k] for k in keep}
