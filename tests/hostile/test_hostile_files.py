"""What a deck folder can hold besides decks: every odd file is an error with its path,
the other files import, and no card is retired because of a file it could not see."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from trainer.import_report import format_report
from trainer.importer import import_paths
from trainer.store import open_db
from trainer.store.cards import cards_where

from conftest import T0
from unprivileged import run_unprivileged, shared_tmp  # noqa: F401  (a fixture)

ROOT = Path(__file__).parents[2]
FAQ = "# Good\n\nQ: Still here?\nA: yes\n"


def trainer(home: Path, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, TRAINER_DB=str(home / "t.db"), PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-m", "trainer", *args], capture_output=True, env=env, cwd=home)


@pytest.fixture
def home(tmp_path, monkeypatch):
    (tmp_path / "decks").mkdir()
    (tmp_path / "decks" / "good.md").write_text(FAQ, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def active(store) -> set[str]:
    return {card.prompt for card in cards_where(store, "status = 'active'")}


# -- file names ------------------------------------------------------------------------------


@pytest.mark.parametrize("dry_run", [False, True])
def test_a_file_name_that_is_not_utf8_is_reported_and_the_others_import(home, dry_run):
    (home / "decks").joinpath(os.fsdecode(b"caf\xe9.md")).write_text("Q: Latin-1 name?\nA: a\n")
    done = trainer(home, "import", *(["--dry-run"] if dry_run else []), "decks")
    out, err = done.stdout.decode("utf-8"), done.stderr.decode("utf-8")  # both are UTF-8 text
    assert done.returncode == 1
    assert "decks/caf\\xe9.md: file name is not UTF-8; rename it" in err
    assert "decks/good.md  1 added" in out
    assert "Traceback" not in err and "unexpected" not in err


def test_a_folder_name_that_is_not_utf8_is_reported_and_the_others_import(home, tmp_path):
    odd = home / "decks" / os.fsdecode(b"d\xfcr")
    odd.mkdir()
    (odd / "inside.md").write_text("Q: Inside?\nA: a\n")
    with open_db(tmp_path / "t.db") as store:
        report = import_paths(store, ["decks"], T0)
        assert [str(e) for e in report.all_errors] == [
            "decks/d\\xfcr:0: folder name is not UTF-8; rename it (its decks were not read)"
        ]
        assert active(store) == {"Still here?"}


def test_a_path_given_that_is_not_utf8_is_an_error(home, tmp_path):
    with open_db(tmp_path / "t.db") as store:
        report = import_paths(store, [os.fsdecode(b"decks/\xff")], T0)
    assert [e.message for e in report.all_errors] == ["the path is not UTF-8; rename it or give another path"]


# -- links -------------------------------------------------------------------------------------


def test_a_symlink_loop_given_on_the_command_line_is_an_error_with_its_path(home):
    (home / "loop").symlink_to(home / "loop")
    done = trainer(home, "import", "loop")
    err = done.stderr.decode()
    assert done.returncode == 1
    assert "error: " not in err and "unexpected" not in err  # an import problem, not a crash
    assert "loop: is a symbolic link that loops back on itself; fix or remove the link" in err


def test_a_symlink_loop_in_a_folder_is_an_error_and_the_others_import(home, tmp_path):
    (home / "decks" / "loop.md").symlink_to(home / "decks" / "loop.md")
    with open_db(tmp_path / "t.db") as store:
        report = import_paths(store, ["decks"], T0)
        assert [str(e) for e in report.all_errors] == [
            "decks/loop.md:0: is a symbolic link that loops back on itself; fix or remove the link"
        ]
        assert active(store) == {"Still here?"}


def test_a_deck_whose_link_now_leads_nowhere_keeps_its_cards(home, tmp_path):
    target = home / "elsewhere.md"
    target.write_text("Q: Linked?\nA: yes\n")
    (home / "decks" / "linked.md").symlink_to(target)
    with open_db(tmp_path / "t.db") as store:
        assert import_paths(store, ["decks"], T0).ok
        target.unlink()  # an unmounted drive, a moved folder
        report = import_paths(store, ["decks"], T0)
        assert [str(e) for e in report.all_errors] == [
            "decks/linked.md:0: is a symbolic link to something that is not there; fix or remove the link"
        ]
        assert report.total("retired") == 0
        assert active(store) == {"Still here?", "Linked?"}


def test_a_symlinked_folder_loop_is_not_walked_forever(home, tmp_path):
    (home / "decks" / "again").symlink_to(home / "decks")
    with open_db(tmp_path / "t.db") as store:
        report = import_paths(store, ["decks"], T0)
    assert report.ok and report.total("added") == 1


# -- unreadable, too big -------------------------------------------------------------------------


def test_an_unreadable_folder_is_an_error_and_its_decks_are_not_retired(shared_tmp):  # noqa: F811
    decks = shared_tmp / "decks"
    (decks / "locked").mkdir(parents=True)
    (decks / "good.md").write_text(FAQ)
    (decks / "locked" / "inside.md").write_text("Q: Inside?\nA: yes\n")
    db = shared_tmp / "data" / "t.db"
    db.parent.mkdir()
    with open_db(db) as store:
        assert import_paths(store, [decks], T0).ok
    for path in (shared_tmp, db.parent, db, decks, decks / "good.md"):
        os.chmod(path, 0o777 if path.is_dir() else 0o666)
    os.chmod(decks / "locked", 0o000)
    try:
        code, out, err = run_unprivileged(db, ["import", str(decks)])
    finally:
        os.chmod(decks / "locked", 0o755)
    assert code == 1, err
    assert f"{decks / 'locked'}: cannot read the folder: Permission denied; check its permissions" in err
    assert "0 retired" in out
    with open_db(db) as store:
        assert active(store) == {"Still here?", "Inside?"}


def test_a_file_too_big_to_be_a_deck_is_an_error_and_not_read(home, tmp_path):
    with open(home / "decks" / "dump.md", "wb") as handle:
        handle.truncate(25 * 1024 * 1024)  # sparse: costs no disk
    with open_db(tmp_path / "t.db") as store:
        report = import_paths(store, ["decks"], T0)
        assert [str(e) for e in report.all_errors] == [
            "decks/dump.md:1: the file is 25 MiB, too big to be a deck (at most 20 MiB); "
            "split it, or move it out of the deck folder"
        ]
        assert active(store) == {"Still here?"}


# -- a deck that lost most of its cards -----------------------------------------------------------


def deck_of(count: int) -> str:
    return "# Shrinking\n\n" + "".join(f"Q: Question {i}?\nA: a\n\n" for i in range(count))


def test_a_deck_that_loses_more_than_half_its_cards_is_a_warning_naming_it(home, tmp_path):
    deck = home / "decks" / "shrink.md"
    deck.write_text(deck_of(10))
    with open_db(tmp_path / "t.db") as store:
        assert import_paths(store, ["decks"], T0).ok
        deck.write_text(deck_of(4))
        report = import_paths(store, ["decks"], T0)
    assert report.ok  # a warning, not an error
    out, err = format_report(report)
    assert "decks/shrink.md  0 added, 0 updated, 4 unchanged, 6 retired" in out
    assert err == (
        "warning: decks/shrink.md: 10 cards at the last import, 4 now; if that was not meant "
        "(a marker or heading typed wrong, a block left open), fix the file and import again: "
        "the retired cards come back with their history"
    )


def test_the_command_exits_zero_on_a_shrink_warning(home):
    deck = home / "decks" / "shrink.md"
    deck.write_text(deck_of(9))
    assert trainer(home, "import", "decks").returncode == 0
    deck.write_text(deck_of(2))
    done = trainer(home, "import", "decks")
    assert done.returncode == 0
    assert "warning: decks/shrink.md: 9 cards at the last import, 2 now" in done.stderr.decode()


def test_losing_half_or_less_is_no_warning(home, tmp_path):
    deck = home / "decks" / "shrink.md"
    deck.write_text(deck_of(10))
    with open_db(tmp_path / "t.db") as store:
        import_paths(store, ["decks"], T0)
        deck.write_text(deck_of(5))
        report = import_paths(store, ["decks"], T0)
    assert report.warnings == []
