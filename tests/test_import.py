"""Importing deck files: what keeps history, what retires, what is refused."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from click.testing import CliRunner

from trainer.cli import cli
from trainer.config import bundled_decks_dir
from trainer.first_run import sync_bundled_decks
from trainer.import_report import format_report
from trainer.importer import find_deck_files, import_paths
from trainer.model import MemoryState, Rating, Status
from trainer.store import open_db
from trainer.store.cards import card_count, get_card
from trainer.store.reviews import reviews_for

from conftest import log_answer

NOW = datetime(2025, 3, 3, 9, 0, tzinfo=timezone.utc)
LATER = NOW + timedelta(days=1)
REVIEWED = MemoryState(state="review", stability=3.0, difficulty=5.0, due=NOW + timedelta(days=3), last_review=NOW, reps=1)


@pytest.fixture
def home(tmp_path, monkeypatch):
    """A working folder with TRAINER_DB and TRAINER_CONFIG inside it."""
    monkeypatch.setenv("TRAINER_DB", str(tmp_path / "data" / "trainer.db"))
    monkeypatch.setenv("TRAINER_CONFIG", str(tmp_path / "config.toml"))
    monkeypatch.chdir(tmp_path)
    (tmp_path / "decks").mkdir()
    return tmp_path


@pytest.fixture
def store(home):
    with open_db(home / "data" / "trainer.db") as opened:
        yield opened


def write(home: Path, name: str, text: str) -> Path:
    path = home / "decks" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def run(store, home, now=NOW, **kw):
    return import_paths(store, [home / "decks"], now, **kw)


def deck_report(report, name):
    return next(d for d in report.decks if d.path.endswith(name))


def key_of(store, prompt: str) -> str:
    row = store.conn.execute("SELECT key FROM cards WHERE prompt = ?", (prompt,)).fetchone()
    assert row, f"no card with prompt {prompt!r}"
    return row[0]


def review(store, key: str) -> None:
    log_answer(store, key, Rating.GOOD, NOW, REVIEWED)


def history(store, key: str) -> int:
    return len(reviews_for(store, key))


FAQ = "# FAQ\n\nQ: What is cold start?\nA: No history yet.\n\nQ: What is a guardrail?\nA: A metric that must not drop.\n"


# -- what keeps history ---------------------------------------------------------------


def test_answer_edit_keeps_history(store, home):
    write(home, "faq.md", FAQ)
    run(store, home)
    key = key_of(store, "What is cold start?")
    review(store, key)

    write(home, "faq.md", FAQ.replace("No history yet.", "No **history** yet: use content signals."))
    report = run(store, home, LATER)

    assert (report.total("added"), report.total("updated"), report.total("unchanged")) == (0, 1, 1)
    assert get_card(store, key).answer == "No **history** yet: use content signals."
    assert get_card(store, key).memory.state == "review"  # the schedule cache is not reset
    assert history(store, key) == 1


def test_prompt_edit_makes_a_new_card_and_the_report_says_so(store, home):
    write(home, "faq.md", FAQ)
    run(store, home)
    old_key = key_of(store, "What is cold start?")
    review(store, old_key)

    write(home, "faq.md", FAQ.replace("What is cold start?", "What is the cold-start problem?"))
    report = run(store, home, LATER)

    new_key = key_of(store, "What is the cold-start problem?")
    assert new_key != old_key
    assert (report.total("added"), report.total("retired")) == (1, 1)
    assert get_card(store, old_key).status is Status.RETIRED
    assert history(store, old_key) == 1 and history(store, new_key) == 0
    out, _ = format_report(report)
    assert "decks/faq.md:3: the prompt changed, so this is a new card" in out


def test_retired_card_returns_with_its_history(store, home):
    write(home, "faq.md", FAQ)
    run(store, home)
    key = key_of(store, "What is a guardrail?")
    review(store, key)

    write(home, "faq.md", "# FAQ\n\nQ: What is cold start?\nA: No history yet.\n")
    gone = run(store, home, LATER)
    assert gone.total("retired") == 1
    assert get_card(store, key).status is Status.RETIRED
    assert history(store, key) == 1

    write(home, "faq.md", FAQ)
    back = run(store, home, LATER + timedelta(days=1))
    assert back.total("restored") == 1 and back.total("added") == 0
    card = get_card(store, key)
    assert card.status is Status.ACTIVE
    assert card.memory.state == "review"
    assert history(store, key) == 1


def test_moved_card_keeps_history(store, home):
    write(home, "faq.md", FAQ)
    write(home, "other.md", "# Other\n\nQ: Something else?\nA: Yes.\n")
    run(store, home)
    key = key_of(store, "What is cold start?")
    review(store, key)

    write(home, "faq.md", "# FAQ\n\nQ: What is a guardrail?\nA: A metric that must not drop.\n")
    write(home, "other.md", "# Other\n\nQ: Something else?\nA: Yes.\n\n## Moved\nQ: What is cold start?\nA: No history yet.\n")
    report = run(store, home, LATER)

    card = get_card(store, key)
    assert card.status is Status.ACTIVE
    assert (card.deck, card.section, Path(card.path).name) == ("Other", "Moved", "other.md")
    assert history(store, key) == 1
    assert (report.total("added"), report.total("retired")) == (0, 0)


def test_moving_a_card_into_a_subfolder_keeps_history(store, home):
    path = write(home, "faq.md", FAQ)
    run(store, home)
    key = key_of(store, "What is cold start?")
    review(store, key)

    path.unlink()
    write(home, "sub/faq.md", FAQ)
    report = run(store, home, LATER)

    assert get_card(store, key).status is Status.ACTIVE
    assert history(store, key) == 1
    assert report.total("retired") == 0


def test_suspended_card_stays_suspended_on_reimport(store, home):
    write(home, "faq.md", FAQ)
    run(store, home)
    key = key_of(store, "What is cold start?")
    store.conn.execute("UPDATE cards SET status = 'suspended' WHERE key = ?", (key,))
    write(home, "faq.md", FAQ.replace("No history yet.", "Nothing yet."))
    run(store, home, LATER)
    assert get_card(store, key).status is Status.SUSPENDED


# -- re-import and dry run -------------------------------------------------------------------


def test_unchanged_reimport_changes_nothing(store, home):
    write(home, "faq.md", FAQ)
    write(home, "more.md", "- Not a, but b.\n")
    run(store, home)
    before = store.conn.execute("SELECT * FROM cards ORDER BY key").fetchall()
    decks_before = store.conn.execute("SELECT * FROM decks ORDER BY path").fetchall()

    report = run(store, home, LATER)

    assert (report.total("added"), report.total("updated"), report.total("unchanged"), report.total("retired")) == (0, 0, 3, 0)
    assert store.conn.execute("SELECT * FROM cards ORDER BY key").fetchall() == before
    assert store.conn.execute("SELECT * FROM decks ORDER BY path").fetchall() == decks_before


def test_only_moving_lines_counts_as_unchanged(store, home):
    write(home, "faq.md", FAQ)
    run(store, home)
    write(home, "faq.md", FAQ.replace("# FAQ\n", "# FAQ\n\nAn intro paragraph.\n"))
    report = run(store, home, LATER)
    assert (report.total("updated"), report.total("unchanged")) == (0, 2)
    assert get_card(store, key_of(store, "What is cold start?")).source_line == 5


def test_dry_run_writes_nothing(store, home):
    write(home, "faq.md", FAQ)
    run(store, home)
    db_file = Path(store.path)
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    rows_before = store.conn.execute("SELECT * FROM cards ORDER BY key").fetchall()
    bytes_before = db_file.read_bytes()

    write(home, "faq.md", "# FAQ\n\nQ: A brand new question?\nA: Yes.\n")
    write(home, "new.md", "BAD: b\nGOOD: g\n")
    report = run(store, home, LATER, dry_run=True)

    assert (report.total("added"), report.total("retired")) == (2, 2)
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    assert store.conn.execute("SELECT * FROM cards ORDER BY key").fetchall() == rows_before
    assert db_file.read_bytes() == bytes_before
    out, _ = format_report(report)
    assert out.startswith("Dry run: nothing is written.")


def test_dry_run_creates_no_database(home):
    write(home, "faq.md", FAQ)
    result = CliRunner().invoke(cli, ["import", "--dry-run", "decks"])
    assert result.exit_code == 0, result.output
    assert "2 added" in result.output
    assert not (home / "data").exists()


def test_cli_dry_run_leaves_an_existing_database_byte_for_byte(home):
    write(home, "faq.md", FAQ)
    db_file = home / "data" / "trainer.db"
    with open_db(db_file) as opened:
        import_paths(opened, [home / "decks"], NOW)
        # Pretend the file predates the newest migration: a dry run must not upgrade it either.
        opened.conn.execute("DELETE FROM _sqlite_migrations WHERE name = 'm003_new_card_order_index'")
        opened.conn.execute("DROP INDEX cards_new_order")
        opened.conn.commit()
    before = db_file.read_bytes()
    write(home, "faq.md", "# FAQ\n\nQ: A brand new question?\nA: Yes.\n")
    result = CliRunner().invoke(cli, ["import", "--dry-run", "decks"])
    assert result.exit_code == 0, result.output
    assert "1 added" in result.output and "2 retired" in result.output
    assert db_file.read_bytes() == before


# -- bad input -----------------------------------------------------------------------------


def test_file_with_errors_is_skipped_whole_and_others_import(store, home):
    write(home, "faq.md", FAQ)
    run(store, home)
    key = key_of(store, "What is cold start?")

    write(home, "faq.md", "# FAQ\n\nQ: A new question?\nA: Yes.\n\n## Orphans\nA: an answer with no question\n")
    write(home, "good.md", "BAD: b\nGOOD: g\n")
    report = run(store, home, LATER)

    assert not report.ok
    assert [str(e) for e in report.all_errors] == [
        "decks/faq.md:7: A: without a Q: above it; put the Q: line right above it "
        "(one card's lines are not separated by prose or a heading)"
    ]
    assert get_card(store, key).status is Status.ACTIVE  # its earlier cards stay as they were
    assert store.conn.execute("SELECT count(*) FROM cards WHERE prompt = 'A new question?'").fetchone()[0] == 0
    assert deck_report(report, "good.md").added == 1
    _, err = format_report(report)
    assert "1 file(s) had errors and were skipped whole" in err


def test_the_same_card_in_two_files_is_an_error_in_the_later_file(store, home):
    write(home, "a.md", FAQ)
    run(store, home)
    write(home, "b.md", "# B\n\nQ: Other?\nA: x\n\nQ: What is cold start?\nA: a copy\n")
    report = run(store, home, LATER)
    assert [str(e) for e in report.all_errors] == [
        "decks/b.md:6: the same card is already in decks/a.md:3; keep one of them"
    ]
    assert store.conn.execute("SELECT count(*) FROM cards WHERE prompt = 'Other?'").fetchone()[0] == 0


def test_non_utf8_file_is_reported_with_its_line(store, home):
    (home / "decks" / "latin.md").write_bytes("# Deck\n\nQ: caf\xe9?\nA: a\n".encode("latin-1"))
    write(home, "good.md", FAQ)
    report = run(store, home)
    assert [str(e) for e in report.all_errors] == ["decks/latin.md:3: not UTF-8 (byte 0xe9); save the file as UTF-8"]
    assert deck_report(report, "good.md").added == 2


def test_unreadable_file_is_reported_and_others_import(store, home, monkeypatch):
    locked = write(home, "locked.md", FAQ)
    write(home, "good.md", "BAD: b\nGOOD: g\n")
    real_read = Path.read_bytes

    def read_bytes(self):
        # Simulated: tests may run as root, who can read a chmod 000 file.
        if self == locked:
            raise PermissionError(13, "Permission denied", str(self))
        return real_read(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    report = run(store, home)
    assert [str(e) for e in report.all_errors] == [
        "decks/locked.md:1: cannot read the file: Permission denied; check its permissions"
    ]
    assert deck_report(report, "good.md").added == 1


def test_missing_path_is_an_error(store, home):
    report = import_paths(store, ["nowhere.md"], NOW)
    out, err = format_report(report)
    assert err.startswith("nowhere.md: no such file or folder")


def test_cli_exit_status_is_non_zero_on_errors_and_counts_the_rest(home):
    write(home, "bad.md", "GOOD: g\n")
    write(home, "good.md", FAQ)
    result = CliRunner().invoke(cli, ["import", "decks"])
    assert result.exit_code == 1
    assert "decks/good.md  2 added, 0 updated, 0 unchanged, 0 retired" in result.output
    assert "decks/bad.md:1: GOOD: without a BAD: above it" in result.output
    assert "total: 2 added, 0 updated, 0 unchanged, 0 retired" in result.output


def test_bad_deck_through_the_real_command_prints_no_traceback(home):
    (home / "decks" / "latin.md").write_bytes(b"Q: caf\xe9\nA: a\n")
    done = subprocess.run(
        [sys.executable, "-m", "trainer", "import", "decks"], capture_output=True, text=True, cwd=home
    )
    assert done.returncode == 1
    assert "decks/latin.md:1: not UTF-8" in done.stderr
    assert "Traceback" not in done.stderr + done.stdout
    assert (home / "data" / "trainer.db").exists()  # TRAINER_DB was honoured


# -- finding files ---------------------------------------------------------------------------


def test_hidden_folders_and_files_are_skipped(home):
    write(home, "visible.md", FAQ)
    write(home, "sub/nested.md", FAQ)
    write(home, ".git/notes.md", FAQ)
    write(home, "sub/.cache/x.md", FAQ)
    write(home, ".#lock.md", FAQ)
    write(home, "readme.txt", "not a deck")
    files, _, errors = find_deck_files([home / "decks"])
    assert errors == []
    assert [p.relative_to(home / "decks").as_posix() for p in files] == ["sub/nested.md", "visible.md"]


def test_vanished_file_cards_are_retired_with_history(store, home):
    write(home, "faq.md", FAQ)
    doomed = write(home, "old.md", "# Old\n\nQ: Going away?\nA: yes\n")
    run(store, home)
    key = key_of(store, "Going away?")
    review(store, key)

    doomed.unlink()
    report = run(store, home, LATER)

    assert deck_report(report, "old.md").retired == 1
    assert get_card(store, key).status is Status.RETIRED
    assert history(store, key) == 1
    assert store.conn.execute("SELECT count(*) FROM decks").fetchone()[0] == 1


def test_importing_one_file_does_not_retire_the_others(store, home):
    write(home, "faq.md", FAQ)
    other = write(home, "other.md", "Q: Other?\nA: x\n")
    run(store, home)
    report = import_paths(store, [other], LATER)
    assert report.total("retired") == 0
    assert store.conn.execute("SELECT count(*) FROM cards WHERE status = 'active'").fetchone()[0] == 3


# -- the bundled decks ---------------------------------------------------------------------------


def assert_bundled_decks_imported(store, report):
    assert report.all_errors == []
    assert report.total("added") == card_count(store) > 0
    kinds = {row[0] for row in store.conn.execute("SELECT DISTINCT kind FROM cards")}
    assert kinds == {"contrast", "pair", "ladder", "faq", "cloze", "drill", "followup"}


def test_bundled_decks_import_with_zero_errors(store):
    assert_bundled_decks_imported(store, import_paths(store, [bundled_decks_dir()], NOW))


def test_first_run_imports_the_bundled_decks_once(store):
    message = sync_bundled_decks(store, NOW)
    assert message and message.startswith("First run: imported ")
    count = card_count(store)
    assert count > 0
    assert sync_bundled_decks(store, LATER) is None
    assert card_count(store) == count


def test_edited_bundled_decks_reach_an_existing_database_with_history(store, home, monkeypatch):
    monkeypatch.setattr("trainer.first_run.bundled_decks_dir", lambda: home / "decks")
    write(home, "faq.md", FAQ)
    sync_bundled_decks(store, NOW)
    key = key_of(store, "What is cold start?")
    review(store, key)
    assert sync_bundled_decks(store, LATER) is None  # unchanged: nothing to say
    write(home, "faq.md", FAQ.replace("No history yet.", "No history yet: lean on content."))
    message = sync_bundled_decks(store, LATER)
    assert message == "The bundled decks were updated by this version of trainer: 1 updated (history kept)."
    assert get_card(store, key).answer == "No history yet: lean on content." and history(store, key) == 1


def test_bundled_decks_stay_out_of_a_database_that_never_had_them(store, home, monkeypatch):
    write(home, "mine/own.md", "Q: Mine?\nA: yes\n")
    import_paths(store, [home / "decks" / "mine"], NOW)
    write(home, "bundled/faq.md", FAQ)
    monkeypatch.setattr("trainer.first_run.bundled_decks_dir", lambda: home / "decks" / "bundled")
    assert sync_bundled_decks(store, NOW) is None
    assert card_count(store) == 1


def test_cli_import_writes_to_trainer_db(home):
    write(home, "faq.md", FAQ)
    result = CliRunner().invoke(cli, ["import", "decks"])
    assert result.exit_code == 0, result.output
    with sqlite3.connect(home / "data" / "trainer.db") as conn:
        assert conn.execute("SELECT count(*) FROM cards").fetchone()[0] == 2


def test_first_run_says_when_a_bundled_deck_was_skipped(store, home, monkeypatch):
    write(home, "ok.md", FAQ)
    write(home, "broken.md", "A: orphan\n")
    monkeypatch.setattr("trainer.first_run.bundled_decks_dir", lambda: home / "decks")
    message = sync_bundled_decks(store, NOW)
    assert message.startswith("First run: imported 2 cards")
    assert "Some bundled decks were skipped" in message


def test_unreadable_folder_is_an_error_and_its_decks_are_not_retired(store, home, monkeypatch):
    write(home, "faq.md", FAQ)
    write(home, "locked/inside.md", "Q: Inside?\nA: yes\n")
    run(store, home)
    key = key_of(store, "Inside?")
    real_walk = __import__("os").walk

    def walk(top, onerror=None, **kw):
        # Simulated: tests may run as root, who can list a chmod 000 folder.
        for folder, subfolders, names in real_walk(top, onerror=onerror, **kw):
            if Path(folder).name == "locked":
                onerror(PermissionError(13, "Permission denied", folder))
                subfolders[:] = []
                continue
            yield folder, subfolders, names

    monkeypatch.setattr("trainer.importer.os.walk", walk)
    report = run(store, home, LATER)

    assert [str(e) for e in report.all_errors] == [
        "decks/locked:0: cannot read the folder: Permission denied; check its permissions"
    ]
    assert report.total("retired") == 0
    assert get_card(store, key).status is Status.ACTIVE
    _, err = format_report(report)
    assert err.startswith("decks/locked: cannot read the folder")
