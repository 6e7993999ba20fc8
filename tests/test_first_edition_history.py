"""A database that studied the FIRST edition of the bundled decks keeps its history
when the second edition is imported over it.

The database is tests/fixtures/database-v0.1.sql: trainer 0.1 imported the
first-edition decks (tests/fixtures/first-edition/, the decks of commit c991532)
from /home/user/trainer/decks and answered 84 reviews. Here it is loaded with
that folder moved to tmp, opened (and so migrated) by this version, and the
current decks/*.md are copied over the first-edition files and imported: every
studied card that a pin's `was:` names must carry its reviews and schedule to
the new card, and everything else must retire with its history.
"""

from __future__ import annotations

import re
import shutil
import sqlite3
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path

import pytest

from trainer import history
from trainer.config import Settings
from trainer.importer import import_paths
from trainer.parse import parse_deck
from trainer.scheduler import Scheduler
from trainer.store import open_db

HERE = Path(__file__).resolve().parent
DUMP = HERE / "fixtures" / "database-v0.1.sql"
FIRST_EDITION = HERE / "fixtures" / "first-edition"
SECOND_EDITION = HERE.parent / "decks"
DOC = HERE.parent / "docs" / "decks.md"
OLD_FOLDER = "/home/user/trainer/decks"
# After the last review in the dump (2026-03-07), so the import is a later event.
NOW = datetime(2026, 4, 1, 9, 0, tzinfo=timezone.utc)
MEMORY = "state, step, stability, difficulty, due, last_review, reps, lapses, buried_until"


def rows(store, sql: str, *args) -> list[tuple]:
    return store.conn.execute(sql, args).fetchall()


def reviews_by_card_id(store) -> Counter:
    return Counter(dict(rows(store, "SELECT c.id, count(*) FROM reviews r JOIN cards c ON c.id = r.card_id GROUP BY c.id")))


def review_log(store) -> list[tuple]:
    return rows(store, "SELECT * FROM reviews ORDER BY id")


def doc_history() -> dict[str, str | None]:
    """First-edition key -> the pin docs/decks.md says carries its history (None: starts afresh)."""
    table = re.findall(r"^\| `\w+:\d+` \| \w+ \| `([0-9a-f]{20})` \|(.*)$", DOC.read_text(encoding="utf-8"), re.M)
    return {key: (m.group(1) if (m := re.search(r"`pin: ([\w.-]+)`", rest)) else None) for key, rest in table}


def second_edition_was() -> dict[str, tuple[str, tuple[str, ...]]]:
    """New key -> (kind, the old keys its pin names) for every card of the current decks that names any."""
    named = {}
    for path in sorted(SECOND_EDITION.glob("*.md")):
        deck = parse_deck(path.read_text(encoding="utf-8"), str(path))
        assert deck.errors == ()
        named.update({card.key: (card.kind.value, card.was) for card in deck.cards if card.was})
    return named


@pytest.fixture
def folder(tmp_path) -> Path:
    """tmp/decks holding the first edition, as 0.1 saw it in /home/user/trainer/decks."""
    decks = (tmp_path / "decks").resolve()
    decks.mkdir()
    for path in sorted(FIRST_EDITION.glob("*.md")):
        shutil.copyfile(path, decks / path.name)
    return decks


@pytest.fixture
def db(tmp_path, folder) -> Path:
    """The 0.1 dump loaded into a sqlite file, its deck paths pointing at `folder`."""
    path = tmp_path / "v01.db"
    conn = sqlite3.connect(path)
    conn.executescript(DUMP.read_text(encoding="utf-8").replace(OLD_FOLDER, str(folder)))
    conn.close()
    return path


def test_the_fixture_is_the_first_edition_as_trainer_0_1_imported_it(db, folder):
    assert sorted(p.name for p in folder.glob("*.md")) == ["contrasts.md", "faq.md", "metrics.md", "mistakes.md"]
    with open_db(db) as store:
        # The dump is exactly these files: importing them again finds every deck unchanged.
        report = import_paths(store, [folder], NOW, dry_run=True)
        assert report.ok and [d.unchanged for d in report.decks] == [25, 33, 27, 25]
        assert sum(report.total(n) for n in ("added", "updated", "retired", "restored")) == 0
        keys = {key for (key,) in rows(store, "SELECT key FROM cards")}
    # docs/decks.md lists the first edition's keys as this checkout's parser computes them;
    # they are the keys trainer 0.1 stored.
    assert set(doc_history()) == keys and len(keys) == 110


def test_a_first_edition_database_keeps_its_history_through_the_second_edition(db, folder):
    named = second_edition_was()
    carries_to = {old: new for new, (_, was) in named.items() for old in was}
    documented = doc_history()

    with open_db(db) as store:  # migrates the 0.1 database
        log_before = review_log(store)
        assert len(log_before) == 84
        old = {key: dict(id=card_id, status=status, reps=reps, memory=memory) for key, card_id, status, reps, *memory
               in rows(store, f"SELECT key, id, status, reps, {MEMORY} FROM cards")}
        assert len(old) == 110
        reviewed = reviews_by_card_id(store)
        studied = {key: reviewed[card["id"]] for key, card in old.items() if reviewed[card["id"]]}
        # trainer 0.1 counted every answer in reps: the tie-break (most reps) is the one by most reviews.
        assert all(old[key]["reps"] == n for key, n in studied.items())

        # The second edition replaces the first in the same folder; drills.md is new.
        for path in folder.glob("*.md"):
            path.unlink()
        for path in sorted(SECOND_EDITION.glob("*.md")):
            shutil.copyfile(path, folder / path.name)
        report = import_paths(store, [folder], NOW)
        assert report.ok, [str(e) for e in report.all_errors]
        assert report.all_errors == []

        after = {card_id: dict(key=key, kind=kind, status=status, memory=memory)
                 for card_id, key, kind, status, *memory in
                 rows(store, f"SELECT id, key, kind, status, {MEMORY} FROM cards")}
        reviewed_after = reviews_by_card_id(store)

        # No review row was lost or touched: the log is the same, row for row.
        assert review_log(store) == log_before

        # Which old row each new card took: among the old keys its pin names, the one with most reviews.
        expected_winner = {}
        for new, (_, was) in named.items():
            present = [key for key in was if key in old]
            if present:
                expected_winner[new] = max(present, key=lambda key: studied.get(key, 0))
        carried = {old_key: new for new, old_key in expected_winner.items()}

        for key, card in old.items():
            now = after[card["id"]]
            if key in carried:
                new = carried[key]
                # The old row now lives under the new pinned key: its reviews, its schedule.
                assert now["key"] == new and now["kind"] == named[new][0]
                assert reviewed_after[card["id"]] == studied.get(key, 0)
                assert now["memory"] == card["memory"]
                assert now["status"] == card["status"]  # the one suspended card stays suspended
            else:
                # Not carried over: retired under its old key, its reviews still in the log.
                assert now["key"] == key and now["status"] == "retired", key
                assert reviewed_after[card["id"]] == studied.get(key, 0)

        # No new card names two studied twins here, so every studied card whose key a pin names
        # carried its history to that pin's card (the loop above checked its reviews and schedule).
        studied_and_named = sorted(key for key in studied if key in carries_to)
        assert max(Counter(carries_to[key] for key in studied_and_named).values()) == 1
        carried_history = sorted(key for key in studied if key in carried)
        assert carried_history == studied_and_named
        assert all(after[old[key]["id"]]["key"] == carries_to[key] for key in studied_and_named)

        # What docs/decks.md says: a studied card carries when its row names a pin, one card per pin
        # (merged twins: only the most-studied one carries; the table names the same pin for each).
        doc_pins = {}
        for key in studied:
            pin = documented[key]
            if pin is not None and studied[key] > studied.get(doc_pins.get(pin), 0):
                doc_pins[pin] = key
        assert carried_history == sorted(doc_pins.values())
        assert {carried[key] for key in carried_history} == {f"id:{pin}" for pin in doc_pins}
        # The fixture studied 25 cards (all of the first edition's contrasts deck), 84 reviews. Two
        # of them were list cards that became clozes (docs/decks.md: contrasts:7, contrasts:40) and
        # start afresh, so 23 cards carry 71 of the 84 reviews; the rest stay in the log, retired.
        assert (len(studied), sum(studied.values())) == (25, 84)
        assert (len(carried_history), sum(studied[key] for key in carried_history)) == (23, 71)

        # The other second-edition cards are new rows; every old row not carried over is retired.
        old_ids = {card["id"] for card in old.values()}
        assert report.total("added") == len(after) - 110 == sum(1 for card_id in after if card_id not in old_ids)
        assert sorted(card["key"] for card in after.values() if card["status"] == "retired") == \
            sorted(key for key in old if key not in carried)

        scheduler = Scheduler(Settings())
        history.rebuild(store, scheduler)
        check = history.check(store, scheduler)
        assert check.ok, check.mismatched[:3]
        assert check.reviews == 84 and len(review_log(store)) == 84
        # Replaying the log gives the carried cards the reps they had.
        reps = dict(rows(store, "SELECT id, reps FROM cards"))
        assert all(reps[old[key]["id"]] == old[key]["reps"] for key in carried_history)
