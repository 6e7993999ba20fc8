"""Decks stay in sync: imported paths are followed, imported again bare and at every start;
bundled decks are edited through a copy that carries their cards and history."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from trainer import sync
from trainer.bundled import editable_copy
from trainer.cli import cli
from trainer.config import bundled_decks_dir
from trainer.errors import TrainerError
from trainer.first_run import sync_bundled_decks
from trainer.importer import import_paths
from trainer.model import Rating, Status
from trainer.store import open_db
from trainer.store.cards import cards_where, get_card

from conftest import T0

LATER = T0 + timedelta(hours=1)
FAQ = "# Mine\n\nQ: First?\nA: one\n\nQ: Second?\nA: two\n"


@pytest.fixture
def home(tmp_path, monkeypatch):
    (tmp_path / "decks").mkdir()
    (tmp_path / "decks" / "mine.md").write_text(FAQ, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def store(tmp_path):
    with open_db(tmp_path / "trainer.db") as db:
        yield db


def active(store) -> set[str]:
    return {card.prompt for card in cards_where(store, "status = 'active'")}


def answer(store, key: str, when=T0) -> None:
    from trainer import history
    from trainer.config import Settings
    from trainer.scheduler import Scheduler

    history.answer(store, Scheduler(Settings(fuzz=False)), key, Rating.GOOD, when)


def reviews(store, key: str) -> int:
    card = get_card(store, key)
    return store.conn.execute("SELECT count(*) FROM reviews WHERE card_id = ?", (card.id,)).fetchone()[0]


# -- following ---------------------------------------------------------------------------------


def test_an_import_follows_its_paths_as_absolute_paths(home, store):
    sync.import_and_follow(store, ["decks"], T0)
    assert sync.followed_paths(store) == [str((home / "decks").resolve())]


def test_a_dry_run_follows_nothing(home, store):
    sync.import_and_follow(store, ["decks"], T0, dry_run=True)
    assert sync.followed_paths(store) == []


def test_a_bare_import_imports_every_followed_path_again(home):
    runner = CliRunner()
    assert runner.invoke(cli, ["import", "decks"]).exit_code == 0
    (home / "decks" / "mine.md").write_text(FAQ + "\nQ: Third?\nA: three\n")
    result = runner.invoke(cli, ["import"])
    assert result.exit_code == 0, result.output
    assert "decks/mine.md  1 added, 0 updated, 2 unchanged, 0 retired" in result.output


def test_a_bare_import_with_nothing_followed_says_how_to_start(home):
    result = CliRunner().invoke(cli, ["import"])
    assert result.exit_code == 1
    assert "nothing to import: no deck file or folder is followed yet" in str(result.exception)


def test_forget_stops_following_and_keeps_the_cards(home):
    runner = CliRunner()
    runner.invoke(cli, ["import", "decks"])
    result = runner.invoke(cli, ["import", "--forget", "decks"])
    assert result.exit_code == 0, result.output
    assert f"No longer following {(home / 'decks').resolve()}; its cards stay as they are" in result.output
    with open_db(home / "trainer.db") as store:
        assert sync.followed_paths(store) == []
        assert active(store) == {"First?", "Second?"}


def test_forget_of_a_path_not_followed_names_the_followed_ones(home, store):
    sync.import_and_follow(store, ["decks"], T0)
    with pytest.raises(TrainerError, match=r"elsewhere is not followed; the followed paths are: decks"):
        sync.forget(store, "elsewhere")


# -- the rescan at start ---------------------------------------------------------------------


def test_rescan_says_nothing_when_nothing_changed(home, store):
    assert sync.rescan(store, T0) is None  # nothing followed
    sync.import_and_follow(store, ["decks"], T0)
    assert sync.rescan(store, LATER) is None


def test_rescan_imports_an_edit_and_says_what_changed(home, store):
    sync.import_and_follow(store, ["decks"], T0)
    (home / "decks" / "mine.md").write_text(FAQ.replace("A: one", "A: one, edited") + "\nQ: Third?\nA: three\n")
    (home / "decks" / "new.md").write_text("Q: Brand new?\nA: yes\n")
    report = sync.rescan(store, LATER)
    assert report is not None and report.ok
    assert sync.summary(report) == "Your decks changed since last time: 2 added, 1 updated (history kept)."
    assert active(store) == {"First?", "Second?", "Third?", "Brand new?"}


def test_rescan_takes_no_write_lock_when_nothing_changed(home, tmp_path):
    db = tmp_path / "trainer.db"
    with open_db(db) as first, open_db(db) as second:
        sync.import_and_follow(first, ["decks"], T0)
        first.conn.execute("BEGIN IMMEDIATE")
        second.conn.execute("PRAGMA busy_timeout = 0")
        assert sync.rescan(second, LATER) is None
        first.conn.execute("COMMIT")


def test_a_followed_folder_that_is_gone_is_reported_and_retires_nothing(home, store):
    sync.import_and_follow(store, ["decks"], T0)
    shutil.move(home / "decks", home / "moved")  # an unmounted drive, a renamed folder
    report = sync.rescan(store, LATER)
    assert report is not None and report.total("retired") == 0
    assert active(store) == {"First?", "Second?"}
    assert "1 followed path(s) are missing" in sync.summary(report)
    assert "`trainer import --forget PATH` stops following one" in sync.summary(report)


def test_rescan_says_a_shrink_warning_once(home, store):
    deck = home / "decks" / "mine.md"
    deck.write_text("".join(f"Q: Q{i}?\nA: a\n\n" for i in range(10)))
    sync.import_and_follow(store, ["decks"], T0)
    deck.write_text("Q: Q0?\nA: a\n")
    report = sync.rescan(store, LATER)
    assert "Warning: decks/mine.md: 10 cards at the last import, 1 now" in sync.summary(report)
    assert sync.rescan(store, LATER + timedelta(hours=1)) is None


def test_the_app_start_rescans_and_prints_what_changed(home):
    runner = CliRunner()
    runner.invoke(cli, ["import", "decks"])
    quiet = runner.invoke(cli, [])  # no terminal here: the app stops at once, after the rescan
    assert "Your decks changed" not in quiet.output
    (home / "decks" / "mine.md").write_text(FAQ + "\nQ: Third?\nA: three\n")
    result = runner.invoke(cli, [])
    assert "Your decks changed since last time: 1 added (history kept)." in result.output
    with open_db(home / "trainer.db") as store:
        assert "Third?" in active(store)


# -- bundled decks: an editable copy takes the cards over ---------------------------------------------


@pytest.fixture
def bundled(tmp_path, monkeypatch):
    """A copy of the bundled decks where a test can play the next version of trainer."""
    folder = tmp_path / "installed" / "decks"
    shutil.copytree(bundled_decks_dir(), folder)
    for module in ("trainer.first_run", "trainer.bundled"):
        monkeypatch.setattr(f"{module}.bundled_decks_dir", lambda: folder)
    return folder


def a_card_of(store, deck_file: str):
    return next(card for card in cards_where(store, "status = 'active'") if card.path.endswith(deck_file))


def test_editing_a_bundled_deck_copies_it_and_the_cards_move_with_their_history(tmp_path, bundled, store):
    sync_bundled_decks(store, T0)
    card = a_card_of(store, "metrics.md")
    answer(store, card.key)
    in_deck = {c.key for c in cards_where(store, "path = ?", [card.path])}

    copy = editable_copy(store, get_card(store, card.key), LATER)

    assert copy == (tmp_path / "my-decks" / "metrics.md").resolve()
    assert copy.read_bytes() == (bundled / "metrics.md").read_bytes()
    moved = get_card(store, card.key)
    assert moved.path == str(copy) and moved.status is Status.ACTIVE and reviews(store, card.key) == 1
    assert {c.key for c in cards_where(store, "path = ?", [str(copy)])} == in_deck
    assert sync.followed_paths(store) == [str(copy.parent)]
    assert editable_copy(store, card, LATER) == copy  # again, even from the stale card: the same copy


def test_a_card_of_your_own_deck_opens_its_own_file(home, store):
    import_paths(store, ["decks"], T0)
    card = cards_where(store)[0]
    assert editable_copy(store, card, T0) == Path(card.path)


def test_a_copied_bundled_deck_is_not_brought_back_by_a_new_version(tmp_path, bundled, store):
    sync_bundled_decks(store, T0)
    card = a_card_of(store, "metrics.md")
    copy = editable_copy(store, card, LATER)
    copy.write_text(copy.read_text().replace(card.answer, card.answer + " (in my words)"))
    assert sync.rescan(store, LATER).total("updated") == 1

    # The next version of trainer ships an edited metrics deck (and another deck changes too).
    (bundled / "metrics.md").write_text((bundled / "metrics.md").read_text() + "\nQ: Shipped later?\nA: yes\n")
    message = sync_bundled_decks(store, LATER + timedelta(days=1))

    assert message is None or "skipped" not in message
    prompts = {c.prompt for c in cards_where(store, "status = 'active'")}
    assert "Shipped later?" not in prompts
    assert get_card(store, card.key).path == str(copy)
    assert get_card(store, card.key).answer.endswith("(in my words)")
    assert not cards_where(store, "path = ?", [str(bundled / "metrics.md")])


def test_a_copy_never_overwrites_a_file_of_yours(tmp_path, bundled, store):
    sync_bundled_decks(store, T0)
    mine = tmp_path / "my-decks" / "metrics.md"
    mine.parent.mkdir()
    mine.write_text("# Not the bundled one\n\nQ: Mine?\nA: yes\n")
    copy = editable_copy(store, a_card_of(store, "metrics.md"), LATER)
    assert copy.name == "metrics-2.md" and mine.read_text().startswith("# Not the bundled one")


def test_the_decks_folder_is_shown_by_trainer_config(tmp_path):
    result = CliRunner().invoke(cli, ["config"])
    assert f"decks folder:  {tmp_path / 'my-decks'}" in result.output


def test_schema_has_the_followed_tables(store):
    tables = {row[0] for row in store.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"followed", "replaced_decks"} <= tables
    with sqlite3.connect(store.path) as conn:
        names = [row[0] for row in conn.execute("SELECT name FROM _sqlite_migrations ORDER BY id")]
    assert "m007_followed_paths" in names
