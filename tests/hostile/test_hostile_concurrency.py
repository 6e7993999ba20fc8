"""Trainers sharing one database: imports, reviews and openings wait for each other and all succeed."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

from trainer.config import Settings
from trainer.importer import import_paths
from trainer.model import Rating
from trainer.store import open_db
from trainer.store.connection import BUSY_TIMEOUT_MS

from conftest import T0

ROOT = Path(__file__).parents[2]


def big_folder(folder: Path, files: int = 20, cards: int = 100, tag: str = "") -> Path:
    folder.mkdir(exist_ok=True)
    for number in range(files):
        (folder / f"deck{number:02}.md").write_text(
            f"# Deck {number}\n\n"
            + "".join(f"Q: Question {number}-{i}{tag}?\nA: Answer {i}.\n\n" for i in range(cards)),
            encoding="utf-8",
        )
    return folder


def start_import(db: Path, *paths: Path) -> subprocess.Popen:
    env = dict(os.environ, TRAINER_DB=str(db), PYTHONPATH=str(ROOT))
    return subprocess.Popen(
        [sys.executable, "-m", "trainer", "import", *map(str, paths)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )


def test_every_connection_waits_long_enough_for_the_longest_write(tmp_path):
    assert BUSY_TIMEOUT_MS >= 30_000
    with open_db(tmp_path / "t.db") as store:
        assert store.conn.execute("PRAGMA busy_timeout").fetchone()[0] == BUSY_TIMEOUT_MS


def test_two_imports_of_the_same_big_folder_started_together_both_succeed(tmp_path):
    folder = big_folder(tmp_path / "decks")
    failures = []
    for attempt in range(15):
        db = tmp_path / f"race{attempt}.db"  # a new database: both also race to create the schema
        first, second = start_import(db, folder), start_import(db, folder)
        for process in (first, second):
            out, err = process.communicate(timeout=120)
            if process.returncode != 0:
                failures.append((attempt, process.returncode, err[-500:]))
        with open_db(db) as store:
            assert store.conn.execute("SELECT count(*) FROM cards WHERE status = 'active'").fetchone()[0] == 2000
    assert failures == []


def test_an_import_waits_for_a_write_lock_held_two_seconds(tmp_path):
    folder = big_folder(tmp_path / "decks", files=3)
    db = tmp_path / "t.db"
    with open_db(db) as holder:
        holder.conn.execute("BEGIN IMMEDIATE")
        holder.conn.execute("INSERT INTO meta (key, value) VALUES ('holding', 'yes')")
        process = start_import(db, folder)
        time.sleep(2)
        holder.conn.execute("COMMIT")
        out, err = process.communicate(timeout=60)
    assert process.returncode == 0, err
    assert "total: 300 added" in out


def test_a_no_op_reimport_takes_no_write_lock(tmp_path):
    folder = big_folder(tmp_path / "decks", files=3, cards=10)
    db = tmp_path / "t.db"
    with open_db(db) as first, open_db(db) as second:
        assert import_paths(first, [folder], T0).ok
        first.conn.execute("BEGIN IMMEDIATE")  # another trainer writing, for as long as it likes
        second.conn.execute("PRAGMA busy_timeout = 0")  # waiting at all would fail at once
        report = import_paths(second, [folder], T0)
        first.conn.execute("COMMIT")
    assert report.ok and report.total("unchanged") == 30


def test_an_import_beside_a_review_both_succeed(tmp_path):
    from trainer.session import Session

    deck = big_folder(tmp_path / "study", files=1, cards=200)
    db = tmp_path / "t.db"
    with open_db(db) as store:
        assert import_paths(store, [deck], T0).ok
    folder = big_folder(tmp_path / "decks", files=20, cards=100, tag=" (other)")
    answered = []
    errors = []

    def review() -> None:
        try:
            with open_db(db) as store:
                session = Session(store, Settings(new_per_day=1000, fuzz=False))
                while len(answered) < 60:
                    card = session.next_card(T0)
                    session.answer(card, Rating.GOOD, T0, 1000)
                    answered.append(card.key)
        except Exception as exc:  # reported below with the import's outcome
            errors.append(exc)

    process = start_import(db, folder)
    reviewer = threading.Thread(target=review)
    reviewer.start()
    out, err = process.communicate(timeout=120)
    reviewer.join(timeout=120)
    assert process.returncode == 0, err
    assert errors == [] and len(answered) == 60
