"""Escape sequences and HTML in a deck, on the screens: shown as typed, never sent to the terminal.

The deck below has an OSC (set the window title), ESC[2J (clear the screen),
C1, NUL and bidi characters and `<div>` in its title, a section, a prompt and
an answer. What the terminal is sent is read back from a screenshot.
"""

from __future__ import annotations

import html
import re
from datetime import timedelta, timezone

import pytest

from trainer.config import Settings
from trainer.importer import import_paths
from trainer.store import open_db
from trainer.tui.app import TrainerApp

from conftest import T0, Clock

UTC = timezone.utc
DECK = (
    "# Evil \x1b]0;pwned\x07 \x00 <div>deck</div>\n\n"
    "## Part \x1b[2J\n\n"
    "Q: What is <div>hidden</div> \x1b[2J here\u202e?\n"
    "A: The \x1b]0;pwned\x07 answer <span>shown</span>.\n"
)
RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def painted_text(app) -> str:
    svg = app.export_screenshot()
    return html.unescape(re.sub(r"<[^>]+>", "", svg)).replace("\xa0", " ")


@pytest.fixture
def evil_store(tmp_path):
    deck = tmp_path / "evil.md"
    deck.write_text(DECK, encoding="utf-8")
    store = open_db(tmp_path / "evil.db")
    assert import_paths(store, [deck], T0).ok
    yield store
    store.close()


def make_app(store, clock=None, **kw):
    return TrainerApp(store, Settings(fuzz=False), clock=clock or Clock(), tz=UTC, **kw)


async def test_decks_screen_shows_a_hostile_title_as_text(evil_store):
    app = make_app(evil_store)
    async with app.run_test(size=(100, 24)) as pilot:
        await pilot.pause()
        shown = painted_text(app)
    assert "Evil \\x1b]0;pwned\\x07 \\x00 <div>deck</div>" in shown
    assert not RAW.search(shown)


async def test_a_raw_title_left_by_an_older_trainer_neither_crashes_nor_reaches_the_terminal(evil_store):
    # Titles are made safe on import; a database written before that may hold
    # anything, even a title equal to the screen's old "all decks" row key.
    evil_store.conn.execute("UPDATE cards SET deck = ?", ("\x00all",))
    evil_store.conn.commit()
    app = make_app(evil_store)
    async with app.run_test(size=(100, 24)) as pilot:
        await pilot.pause()
        shown = painted_text(app)
        assert "\\x00all" in shown and "All decks" in shown
        await pilot.press("enter")  # the deck row is first and opens that deck
        await pilot.pause()
        assert app.screen.deck == "\x00all"


async def test_stats_screen_shows_hostile_deck_text_as_text(evil_store):
    from trainer import history
    from trainer.model import Rating
    from trainer.scheduler import Scheduler
    from trainer.store.cards import cards_where
    from trainer.tui.screens.stats import StatsScreen

    card = cards_where(evil_store)[0]
    scheduler = Scheduler(Settings(fuzz=False), tz=UTC)
    for rating, later in ((Rating.GOOD, 0), (Rating.GOOD, 10), (Rating.AGAIN, 60 * 24 * 5)):
        history.answer(evil_store, scheduler, card.key, rating, T0 + timedelta(minutes=later))
    app = make_app(evil_store, clock=Clock(T0 + timedelta(days=6)))
    async with app.run_test(size=(160, 120)) as pilot:
        await pilot.pause()
        app.push_screen(StatsScreen(None))
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        shown = painted_text(app)
    assert "Evil \\x1b]0;pwned\\x07" in shown
    assert "<div>hidden</div> \\x1b[2J here\\u202e?" in shown
    assert not RAW.search(shown)


async def test_review_screen_shows_hostile_card_text_as_text(evil_store):
    app = make_app(evil_store, straight_to_review=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        before = painted_text(app)
        await pilot.press("space")
        await pilot.pause()
        after = painted_text(app)
    assert "<div>hidden</div> \\x1b[2J here\\u202e?" in before
    assert "\\x1b]0;pwned\\x07 answer <span>shown</span>" in after
    assert not RAW.search(before + after)


def test_decks_screen_snapshot_with_a_hostile_title(snap_compare, evil_store):
    assert snap_compare(make_app(evil_store), press=["_"], terminal_size=(80, 24))


async def test_browser_and_card_info_show_hostile_text_as_text(evil_store):
    from trainer.tui.screens.browser import BrowserScreen
    from trainer.tui.screens.card_info import CardInfoScreen

    # As an older trainer left it: the title raw too.
    evil_store.conn.execute("UPDATE cards SET deck = ?", ("Raw \x1b]0;pwned\x07 deck",))
    evil_store.conn.commit()
    app = make_app(evil_store)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        await pilot.press("b")
        await pilot.pause()
        assert isinstance(app.screen, BrowserScreen)
        browser = painted_text(app)
        await pilot.press("i")
        await pilot.pause()
        assert isinstance(app.screen, CardInfoScreen)
        info = painted_text(app)
    assert "<div>hidden</div> \\x1b[2J here\\u202e?" in browser and "Raw \\x1b]0;" in browser
    assert "Raw \\x1b]0;pwned\\x07 deck" in info and "<div>hidden</div> \\x1b[2J here" in info
    assert not RAW.search(browser + info)
