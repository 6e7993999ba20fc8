"""Killing a review process loses no acknowledged answer and leaves a sound database."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from trainer.config import Settings
from trainer.history import check
from trainer.scheduler import Scheduler
from trainer.store import open_db
from trainer.store.reviews import review_count

DRIVER = Path(__file__).with_name("kill_driver.py")


def write_big_deck(path: Path, cards: int = 400) -> None:
    path.write_text(
        "# Many\n\n" + "\n".join(f"Q: Question number {i}?\nA: Answer {i}.\n" for i in range(cards)),
        encoding="utf-8",
    )


@pytest.mark.parametrize("acks_before_kill", [5, 37])
def test_kill_9_keeps_every_acknowledged_answer(tmp_path, acks_before_kill):
    db = tmp_path / "kill.db"
    deck = tmp_path / "many.md"
    write_big_deck(deck)
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).parents[1]))
    proc = subprocess.Popen(
        [sys.executable, str(DRIVER), str(db), str(deck)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
    )
    acked = []
    try:
        for line in proc.stdout:
            if line.startswith("ack "):
                acked.append(int(line.split()[1]))
            if len(acked) >= acks_before_kill:
                break
        # Mid-flight: the process is answering the next card as it dies.
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    assert len(acked) >= acks_before_kill

    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        stored = {row[0] for row in conn.execute("SELECT id FROM reviews")}
    finally:
        conn.close()
    assert set(acked) <= stored
    # The cache agrees with the log for every answered card.
    store = open_db(db)
    try:
        assert review_count(store) >= len(acked)
        # Every cached column equals a replay of the log, the answer cut short included.
        report = check(store, Scheduler(Settings(new_per_day=10_000, fuzz=False)))
        assert report.reviews >= len(acked) and report.ok, report.mismatched[:3]
    finally:
        store.close()


def test_two_trainers_on_one_database_both_write(tmp_path):
    """Two sessions answering on one database at once: neither fails, nothing is lost."""
    from datetime import datetime, timezone

    from trainer.config import Settings
    from trainer.importer import import_paths
    from trainer.model import Rating
    from trainer.session import Session

    db = tmp_path / "shared.db"
    deck = tmp_path / "many.md"
    write_big_deck(deck, 40)
    now = datetime(2026, 3, 2, 10, tzinfo=timezone.utc)
    first, second = open_db(db), open_db(db)
    import_paths(first, [deck], now)
    settings = Settings(new_per_day=100, fuzz=False)
    a = Session(first, settings, tz=timezone.utc)
    b = Session(second, settings, tz=timezone.utc)
    # A long read in one connection does not block the other's writes (WAL).
    second.conn.execute("BEGIN")
    second.conn.execute("SELECT count(*) FROM cards").fetchone()
    for _ in range(10):
        a.answer(a.next_card(now), Rating.GOOD, now, 1000)
    second.conn.execute("COMMIT")
    for _ in range(10):
        b.answer(b.next_card(now), Rating.GOOD, now, 1000)
    assert review_count(first) == 20
    # Limits count both trainers' answers.
    assert a.queue(now).new == min(100 - 20, 20)
    first.close()
    second.close()
