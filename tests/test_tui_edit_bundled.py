"""`e` on a bundled card: the deck is copied into the user's decks folder (after asking), the copy
takes the cards over with their history, and the edit lands in the copy, never in the installed file."""

from __future__ import annotations

import contextlib
import shutil
from datetime import timezone

import pytest

from trainer.config import bundled_decks_dir
from trainer.first_run import sync_bundled_decks
from trainer.model import Rating
from trainer.store import open_db
from trainer.store.cards import cards_where, get_card
from trainer.tui.app import TrainerApp
from trainer.tui.screens.prompts import ConfirmScreen
from trainer.tui.screens.review import ReviewScreen

from conftest import T0

ADDED = "Q: A question added in my copy?\nA: Yes."


@pytest.fixture
def installed(tmp_path, monkeypatch):
    """The bundled decks as an installed copy this test may look at (and must not change)."""
    folder = tmp_path / "installed" / "decks"
    shutil.copytree(bundled_decks_dir(), folder)
    for module in ("trainer.first_run", "trainer.bundled"):
        monkeypatch.setattr(f"{module}.bundled_decks_dir", lambda: folder)
    return folder


@pytest.fixture
def editor(tmp_path, monkeypatch):
    """Stands in for $EDITOR: records its arguments and adds a card at the end of the file."""
    log = tmp_path / "editor.log"
    script = tmp_path / "fake-editor"
    script.write_text(f'#!/bin/sh\necho "$@" > {log}\nprintf "\\n\\n{ADDED}\\n" >> "$2"\n')
    script.chmod(0o755)
    monkeypatch.setenv("EDITOR", str(script))
    monkeypatch.delenv("VISUAL", raising=False)
    return log


async def start(tmp_path, settings, clock, monkeypatch):
    store = open_db(tmp_path / "trainer.db")
    sync_bundled_decks(store, T0)
    app = TrainerApp(store, settings, clock=clock, tz=timezone.utc)
    monkeypatch.setattr(app, "suspend", contextlib.nullcontext)
    return store, app


async def test_e_on_a_bundled_card_edits_a_copy_that_keeps_the_history(
        tmp_path, settings, clock, monkeypatch, installed, editor):
    store, app = await start(tmp_path, settings, clock, monkeypatch)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("a")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        card = screen.card
        original = card.path
        before = (installed / original.rsplit("/", 1)[1]).read_bytes()
        screen.session.answer(card, Rating.GOOD, clock(), 1000)  # some history to carry over
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await pilot.pause()
        copy = tmp_path / "my-decks" / original.rsplit("/", 1)[1]
        assert editor.read_text().split() == [f"+{card.source_line}", str(copy.resolve())]
        assert (installed / copy.name).read_bytes() == before  # the installed deck is untouched
        moved = get_card(store, card.key)
        assert moved.path == str(copy.resolve())
        assert store.conn.execute("SELECT count(*) FROM reviews WHERE card_id = ?", (moved.id,)).fetchone()[0] == 1
        added = [c for c in cards_where(store, "status = 'active'") if c.prompt == "A question added in my copy?"]
        assert [c.path for c in added] == [str(copy.resolve())]
        assert screen.card.key == card.key
        assert any("Copied to" in n.message for n in app._notifications)
    store.close()


async def test_saying_no_copies_nothing_and_opens_no_editor(tmp_path, settings, clock, monkeypatch, installed, editor):
    store, app = await start(tmp_path, settings, clock, monkeypatch)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("a")
        await pilot.pause()
        card = app.screen.card
        await pilot.press("e")
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen) and app.screen.card.key == card.key
        assert not editor.exists() and not (tmp_path / "my-decks").exists()
        assert get_card(store, card.key).path == card.path
    store.close()
