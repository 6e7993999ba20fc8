"""`trainer optimize` end to end: what it saves, what it rebuilds, what it refuses."""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from trainer import optimize, optimize_view
from dataclasses import replace

from trainer.config import Settings, load_settings
from trainer.days import to_utc_text
from trainer.errors import NotEnoughDataError, TrainerError
from trainer.model import MemoryState, Rating
from trainer.optimize import Evaluation, Score
from trainer.scheduler import DEFAULT_PARAMETERS, Scheduler
from trainer.store import open_db
from trainer.store.cards import cards_where, insert_cards
from trainer import history
from trainer.store.reviews import reviews_for

START = datetime(2026, 1, 5, 14, 0, tzinfo=timezone.utc)  # 14:00 UTC: mid-day in most zones
NOW = START + timedelta(days=90)
DAYS = 80


def add_cards(store, count: int, deck: str) -> list[str]:
    rows = [
        {
            "key": f"{deck}-{i:03d}", "status": "active", "kind": "pair", "deck": deck, "path": f"{deck}.md",
            "section": "", "prompt": f"prompt {i}", "answer": f"answer {i}", "extra": "{}", "sibling": None,
            "source_line": i + 1,
        }
        for i in range(count)
    ]
    insert_cards(store, rows, START)
    return [row["key"] for row in rows]


# The learner's true memory: FSRS-6 with weaker first memories and slower
# growth than the defaults the trainer schedules with.
TRUE_PARAMETERS = (0.1, 0.3, 0.6, 2.0) + DEFAULT_PARAMETERS[4:8] + (1.0,) + DEFAULT_PARAMETERS[9:]


def simulate_learner(store, keys: list[str], seed: int) -> int:
    """Record the reviews of a learner who forgets faster than FSRS's defaults expect.

    Cards are shown when the default scheduler says (as the trainer would);
    whether each is recalled is drawn from the learner's true memory, so
    fitted parameters have something real to find. Returns the review count.
    """
    rng = random.Random(seed)
    app, mind = Scheduler(Settings(fuzz=False)), Scheduler(Settings(parameters=TRUE_PARAMETERS, fuzz=False))
    count = 0
    with store.atomic():
        for index, key in enumerate(keys):
            shown = felt = MemoryState()
            when = START + timedelta(days=index % 20, minutes=index)
            rating = Rating.AGAIN if rng.random() < 0.3 else Rating.GOOD
            while when < START + timedelta(days=DAYS):
                after = history.answer(store, app, key, rating, when, 4000).memory
                count += 1
                shown, felt = after, mind.review(key, felt, rating, when)
                when = shown.due
                rating = Rating.GOOD if rng.random() < mind.retrievability(felt, when) else Rating.AGAIN
    return count


@pytest.fixture(scope="module")
def learner_db(tmp_path_factory) -> tuple[Path, int]:
    """A database with 120 cards in two decks and a few months of reviews (built once)."""
    path = tmp_path_factory.mktemp("template") / "trainer.db"
    with open_db(path) as store:
        with store.atomic():
            keys = add_cards(store, 100, "english") + add_cards(store, 20, "sql")
        reviews = simulate_learner(store, keys, seed=7)
    return path, reviews


@pytest.fixture
def env(tmp_path, monkeypatch, learner_db):
    """A copy of the learner's database and a settings file with fuzz off, both in tmp_path."""
    template, reviews = learner_db
    db = tmp_path / "trainer.db"
    shutil.copy(template, db)
    config = tmp_path / "config.toml"
    monkeypatch.setenv("TRAINER_DB", str(db))
    monkeypatch.setenv("TRAINER_CONFIG", str(config))
    config.write_text(USER_CONFIG, encoding="utf-8")
    return db, config, reviews


# A settings file as a person writes one: comments, order and layout of their own.
USER_CONFIG = """\
# My trainer settings

fuzz = false   # keep intervals exact while I compare with Anki
new_per_day = 20

# steps I like
learning_steps = [
    "1m",
    "10m",
]
"""


def memories(db: Path) -> dict:
    with open_db(db) as store:
        return {card.key: card.memory for card in cards_where(store)}


def test_fitted_parameters_are_saved_when_they_predict_held_out_reviews_better(env, capsys):
    db, config, reviews = env
    assert optimize_view.run_optimize(db, NOW) == 0
    out = capsys.readouterr().out
    settings = load_settings()
    assert len(settings.parameters) == 21
    assert settings.parameters != tuple(Scheduler(Settings()).parameters)
    assert settings.parameters_fitted_on == reviews
    assert settings.parameters_fitted_at == to_utc_text(NOW)
    assert settings.fuzz is False  # the other settings survive the save
    assert "predicts better" in out and "saved to" in out


def test_saving_keeps_the_users_file_as_written_and_only_adds_the_fitted_lines(env):
    db, config, _ = env
    optimize_view.run_optimize(db, NOW)
    text = config.read_text(encoding="utf-8")
    assert text.startswith(USER_CONFIG)  # comments, order, blank lines, the multi-line list: untouched
    added = text[len(USER_CONFIG):].strip().splitlines()
    assert [line.split(" = ")[0] for line in added] == ["parameters", "parameters_fitted_at", "parameters_fitted_on"]
    # A second fit replaces those lines in place instead of adding more.
    with open_db(db) as store:
        history.answer(store, Scheduler(load_settings()), "english-000", Rating.AGAIN, NOW + timedelta(days=1), 1000)
    optimize_view.optimize_store(open_db(db), replace(load_settings(), parameters=DEFAULT_PARAMETERS), NOW,
                                 settings_path=config)
    again = config.read_text(encoding="utf-8")
    assert again.startswith(USER_CONFIG) and again.count("parameters = ") == 1


def test_every_card_is_rebuilt_to_what_a_replay_with_the_new_parameters_gives(env):
    db, _, _ = env
    before = memories(db)
    optimize_view.run_optimize(db, NOW)
    scheduler = Scheduler(load_settings())
    after = memories(db)
    with open_db(db) as store:
        for key, memory in after.items():
            replayed = scheduler.replay(key, [(r.rating, r.reviewed_at) for r in reviews_for(store, key)])
            assert memory == replayed, key
        assert history.check(store, scheduler).ok
    changed = [key for key in after if after[key].stability != before[key].stability]
    assert len(changed) == len(after)  # new parameters, new stabilities for every reviewed card


def test_nothing_is_saved_or_rebuilt_when_the_fit_does_not_predict_better(env, monkeypatch, capsys):
    db, config, _ = env
    settings_before, cards_before = config.read_bytes(), memories(db)
    worse = Evaluation(500, ((100, 200),), default=Score(0.40, 0.05), in_force=Score(0.40, 0.05),
                       fitted=Score(0.45, 0.04))
    monkeypatch.setattr(optimize_view.optimize, "evaluate", lambda *args, **kwargs: worse)
    assert optimize_view.run_optimize(db, NOW) == 0
    assert config.read_bytes() == settings_before
    assert memories(db) == cards_before
    assert "nothing was changed" in capsys.readouterr().out


def test_dry_run_reports_the_scores_and_saves_nothing(env, capsys):
    db, config, _ = env
    settings_before, cards_before = config.read_bytes(), memories(db)
    assert optimize_view.run_optimize(db, NOW, dry_run=True, as_json=True) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["improved"] is True and report["saved"] is False and report["dry_run"] is True
    assert report["fitted"]["log_loss"] < report["default"]["log_loss"]
    assert len(report["parameters"]) == 21
    assert config.read_bytes() == settings_before
    assert memories(db) == cards_before


def test_a_failed_settings_write_rolls_the_rebuilt_schedules_back(env, monkeypatch):
    db, config, _ = env
    settings_before, cards_before = config.read_bytes(), memories(db)

    def disk_full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(optimize_view, "update_settings_file", disk_full)
    with pytest.raises(OSError):
        optimize_view.run_optimize(db, NOW)
    assert config.read_bytes() == settings_before
    assert memories(db) == cards_before


def test_json_reports_counts_and_both_scores(env, capsys):
    db, _, reviews = env
    optimize_view.run_optimize(db, NOW, as_json=True)
    report = json.loads(capsys.readouterr().out)
    assert report["reviews"] == reviews
    assert report["folds"][-1][1] == report["items"] and len(report["folds"]) == 5
    assert set(report["default"]) == set(report["in_force"]) == set(report["fitted"]) == {"log_loss", "rmse_bins"}
    assert report["saved"] is True and report["cards_rebuilt"] == 120


def test_one_deck_too_small_to_fit_is_refused_with_the_reviews_needed(env):
    db, config, _ = env
    settings_before = config.read_bytes()
    with pytest.raises(NotEnoughDataError, match=r"at least 400 reviews.*more are needed"):
        optimize_view.run_optimize(db, NOW, deck="sql")
    assert config.read_bytes() == settings_before


def test_an_unknown_deck_is_named_with_the_decks_there_are(env):
    db, _, _ = env
    with pytest.raises(TrainerError, match="no deck named 'nope'; decks: 'english', 'sql'"):
        optimize_view.run_optimize(db, NOW, deck="nope")


def test_retention_suggestion_shows_more_daily_reviews_for_higher_retention(env, capsys):
    db, _, _ = env
    optimize_view.run_optimize(db, NOW, dry_run=True, as_json=True, retention=True)
    advice = json.loads(capsys.readouterr().out)["retention"]
    assert 0.7 <= advice["suggested"] <= 0.99
    rows = advice["workloads"]
    assert [row["retention"] for row in rows] == [0.80, 0.85, 0.90, 0.95]
    reviews_per_day = [row["reviews_per_day"] for row in rows]
    assert reviews_per_day == sorted(reviews_per_day) and reviews_per_day[0] < reviews_per_day[-1]


def test_the_command_prints_one_clear_line_and_no_traceback_on_too_little_history(tmp_path):
    db = tmp_path / "small.db"
    with open_db(db) as store:
        with store.atomic():
            keys = add_cards(store, 5, "tiny")
        simulate_learner(store, keys, seed=1)
    environment = dict(os.environ, TRAINER_DB=str(db), TRAINER_CONFIG=str(tmp_path / "config.toml"))
    result = subprocess.run(
        [sys.executable, "-m", "trainer", "optimize"], capture_output=True, text=True, env=environment
    )
    assert result.returncode == 1
    assert result.stderr.startswith("error: not enough review history")
    assert "400" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "config.toml").exists()


def test_a_fit_that_beats_the_defaults_but_not_the_parameters_in_force_is_not_saved(env, monkeypatch, capsys):
    db, config, _ = env
    settings_before, cards_before = config.read_bytes(), memories(db)
    mixed = Evaluation(500, ((100, 200),), default=Score(0.45, 0.05), in_force=Score(0.40, 0.05),
                       fitted=Score(0.42, 0.04))
    monkeypatch.setattr(optimize_view.optimize, "evaluate", lambda *args, **kwargs: mixed)
    assert optimize_view.run_optimize(db, NOW, as_json=True) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["improved"] is False and report["saved"] is False
    assert config.read_bytes() == settings_before and memories(db) == cards_before


def test_the_log_read_in_id_order_or_by_time_gives_the_same_items(env, monkeypatch):
    from trainer.days import StudyCalendar

    db, _, _ = env
    calendar = StudyCalendar(4, timezone.utc)
    calls = []
    build = optimize.build_items
    monkeypatch.setattr(optimize, "build_items", lambda *a, **k: calls.append(k.get("check_order")) or build(*a, **k))

    def described(items):
        return [items.describe(i) for i in range(len(items))]

    with open_db(db) as store:
        by_time = described(optimize_view.load_items(store, None, calendar))  # written card by card
        assert calls == [True, None]  # ids out of time order: noticed, read again by time
        rows = store.conn.execute("SELECT id FROM reviews ORDER BY at, id").fetchall()
        top = store.conn.execute("SELECT max(id) FROM reviews").fetchone()[0]
        with store.write():  # renumber the log in time order, as answers given one by one are
            for offset, (review_id,) in enumerate(rows, start=1):
                store.conn.execute("UPDATE reviews SET id = ? WHERE id = ?", (top + offset, review_id))
        calls.clear()
        by_id = described(optimize_view.load_items(store, None, calendar))
        assert calls == [True]  # read once, in id order
    assert by_id == by_time and len(by_id) > 500
