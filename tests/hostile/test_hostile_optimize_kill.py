"""`trainer optimize` killed after writing config.toml and before its database COMMIT.

The settings file is written inside the database transaction (as its
`before_commit`), so a kill between the two leaves new parameters in the file
and the old schedules in the database. That state never reaches a review:
the database records the fingerprint of the settings its schedules were
computed with (meta `schedule`), and every open through
`current.open_current` (the app, `trainer review`, `stats`, `optimize`)
replays the whole log when the settings in force differ. This test kills a
real process at that point and checks the next start heals it.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from datetime import timedelta, timezone
from pathlib import Path

from trainer import current, history
from trainer.config import Settings, load_settings
from trainer.importer import import_paths
from trainer.model import Rating
from trainer.optimize import default_parameters
from trainer.scheduler import Scheduler, fingerprint
from trainer.store import open_db

from conftest import T0

ROOT = Path(__file__).parents[2]
UTC = timezone.utc

DRIVER = """
import os, signal, sys
from dataclasses import replace
from trainer.config import load_settings
from trainer.optimize_view import rebuild_schedules, save_parameters
from trainer.store import open_db

fitted = tuple(float(x) for x in sys.argv[2].split(","))
settings = load_settings()
new = replace(settings, parameters=fitted, parameters_fitted_at="2026-03-09T10:00:00+00:00",
              parameters_fitted_on=60).validated()

def write_then_die():
    save_parameters(new, None)  # config.toml now holds the new parameters ...
    os.kill(os.getpid(), signal.SIGKILL)  # ... and the process dies before COMMIT

store = open_db(sys.argv[1])
rebuild_schedules(store, new, new.zone, write_then_die)
"""


def fitted_parameters() -> tuple[float, ...]:
    values = list(default_parameters())
    values[0], values[1], values[2], values[3] = 0.5, 0.9, 4.0, 12.0  # another first-review curve
    return tuple(values)


def build(tmp_path: Path) -> Path:
    deck = tmp_path / "deck.md"
    deck.write_text("# D\n\n" + "".join(f"Q: Question {i}?\nA: a\n\n" for i in range(20)))
    db = tmp_path / "t.db"
    settings = Settings(timezone="UTC")
    scheduler = Scheduler(settings, tz=settings.zone)
    with open_db(db) as store:
        import_paths(store, [deck], T0)
        keys = [row[0] for row in store.conn.execute("SELECT key FROM cards")]
        for day in range(3):
            for key in keys:
                history.answer(store, scheduler, key, Rating.GOOD, T0 + timedelta(days=day * 4, minutes=15 * day))
        current.ensure_current(store, scheduler)
    return db


def test_a_kill_between_the_settings_file_and_the_commit_heals_at_the_next_start(tmp_path, monkeypatch):
    config = tmp_path / "config.toml"
    config.write_text('# mine\ntimezone = "UTC"\n')
    monkeypatch.setenv("TRAINER_CONFIG", str(config))
    db = build(tmp_path)
    with open_db(db) as store:
        before = dict(store.conn.execute("SELECT key, due FROM cards"))
        old_fingerprint = store.meta("schedule")

    fitted = fitted_parameters()
    env = dict(os.environ, PYTHONPATH=str(ROOT), TRAINER_CONFIG=str(config))
    done = subprocess.run(
        [sys.executable, "-c", DRIVER, str(db), ",".join(map(repr, fitted))], env=env, capture_output=True, text=True
    )
    assert done.returncode == -signal.SIGKILL, done.stderr

    # The dangerous state: new parameters in the file, old schedules in the database.
    settings = load_settings()
    assert settings.parameters == fitted and "# mine" in config.read_text()
    with open_db(db) as store:
        assert store.meta("schedule") == old_fingerprint
        assert dict(store.conn.execute("SELECT key, due FROM cards")) == before

    # The next start (the app, review, stats and optimize all open this way) replays the log.
    scheduler = Scheduler(settings, tz=settings.zone)
    with current.open_current(db, settings) as store:
        assert store.meta("schedule") == fingerprint(scheduler) != old_fingerprint
        report = history.check(store, scheduler)
        assert report.ok and report.reviews == 60
        after = dict(store.conn.execute("SELECT key, due FROM cards"))
    assert after != before  # the schedules are the new parameters' now


def test_the_same_kill_before_the_file_is_written_changes_nothing(tmp_path, monkeypatch):
    config = tmp_path / "config.toml"
    config.write_text('timezone = "UTC"\n')
    monkeypatch.setenv("TRAINER_CONFIG", str(config))
    db = build(tmp_path)
    with open_db(db) as store:
        before = dict(store.conn.execute("SELECT key, due FROM cards"))
    driver = DRIVER.replace("    save_parameters(new, None)  # config.toml now holds the new parameters ...\n", "")
    env = dict(os.environ, PYTHONPATH=str(ROOT), TRAINER_CONFIG=str(config))
    done = subprocess.run([sys.executable, "-c", driver, str(db), ",".join(map(repr, fitted_parameters()))],
                          env=env, capture_output=True, text=True)
    assert done.returncode == -signal.SIGKILL, done.stderr
    settings = load_settings()
    assert settings.parameters == ()
    with current.open_current(db, settings) as store:
        assert dict(store.conn.execute("SELECT key, due FROM cards")) == before
        assert history.check(store, Scheduler(settings, tz=settings.zone)).ok
