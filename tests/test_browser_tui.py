"""The card browser and card info, driven through Textual's Pilot at 80x24 with a fixed clock."""

from __future__ import annotations

from datetime import timezone

import pytest
from textual.widgets import Input

from trainer.model import EventKind
from trainer.store.cards import get_card
from trainer.store.reviews import reviews_for
from trainer.tui.app import TrainerApp
from trainer.tui.screens import browser as browser_module
from trainer.tui.screens.browser import BrowserScreen
from trainer.tui.screens.card_info import CardInfoScreen
from trainer.tui.screens.decks import DecksScreen
from trainer.tui.screens.prompts import ConfirmScreen, DueScreen, days_from
from trainer.tui.widgets.card_table import CardTable

from browse_helpers import NOW

UTC = timezone.utc
SIZE = (80, 24)


def make_app(coll):
    return TrainerApp(coll.store, coll.settings, clock=lambda: NOW, tz=UTC)


def screen_lines(app) -> list[str]:
    """The terminal as text, line by line."""
    return [strip.text for strip in app.screen._compositor.render_strips()]


def table_keys(screen: BrowserScreen) -> list[str]:
    return [screen.browse.row(i).key for i in range(screen.browse.total)]


async def open_browser(pilot, key="b") -> BrowserScreen:
    await pilot.pause()
    await pilot.press(key)
    await pilot.pause()
    assert isinstance(pilot.app.screen, BrowserScreen)
    return pilot.app.screen


async def type_text(pilot, text: str) -> None:
    for char in text:
        await pilot.press("space" if char == " " else char)


async def move_to(pilot, screen: BrowserScreen, key: str) -> None:
    index = table_keys(screen).index(key)
    table = screen.query_one(CardTable)
    await pilot.press("g", *["j"] * index)
    assert table.current.key == key


def status(coll, name):
    return get_card(coll.store, coll.keys[name])


async def test_b_opens_every_card_but_the_retired_in_file_order(coll):
    app = make_app(coll)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_browser(pilot)
        assert screen.browse.total == 10
        lines = screen_lines(app)
        assert lines[1].strip().startswith("10 cards · sorted by location ▲")
        assert "Deck" in lines[2] and "Prompt" in lines[2] and "Recall" in lines[2]
        assert "What is the north" in lines[3] and "review" in lines[3] and "98%" in lines[3]
        assert "leech" in lines[6] and "-10d" in lines[6]
        assert screen.query_one(CardTable).has_focus
        await pilot.press("q")
        assert isinstance(app.screen, DecksScreen)


async def test_slash_opens_with_the_search_focused_and_enter_runs_it(coll):
    app = make_app(coll)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_browser(pilot, "slash")
        assert screen.query_one(Input).has_focus
        await type_text(pilot, "is:due")
        await pilot.press("enter")
        await pilot.pause()
        assert set(table_keys(screen)) == {coll.keys[n] for n in ("proxy", "cold", "second")}
        assert screen_lines(app)[1].strip().startswith("3 cards")
        assert screen.query_one(CardTable).has_focus


async def test_the_search_runs_when_typing_pauses(coll, monkeypatch):
    monkeypatch.setattr(browser_module, "SEARCH_PAUSE_S", 0.05)
    app = make_app(coll)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_browser(pilot, "slash")
        await type_text(pilot, "deck:beta*")
        await pilot.pause(0.2)
        assert screen.browse.total == 3


async def test_a_bad_search_names_the_term_and_keeps_the_results(coll):
    app = make_app(coll)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_browser(pilot, "slash")
        await type_text(pilot, "is:soon")
        await pilot.press("enter")
        await pilot.pause()
        assert screen.browse.total == 10
        assert "search: 'is:soon': is: takes due" in screen_lines(app)[1]
        assert screen.query_one(Input).has_focus  # to fix it
        await pilot.press("escape")
        assert screen.query_one(CardTable).has_focus
        await pilot.press("escape")
        assert isinstance(app.screen, DecksScreen)


async def test_o_sorts_by_the_next_column_and_r_reverses(coll):
    app = make_app(coll)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_browser(pilot)
        await pilot.press("o")  # location -> deck
        assert screen.browse.sort == ("deck", False)
        await pilot.press("O", "O")  # back to location, then status... the one before location
        await pilot.press("o")
        assert screen.browse.sort == ("location", False)
        for _ in range(8):  # deck section kind prompt state due stability recall
            await pilot.press("o")
        assert screen.browse.sort == ("recall", False)
        recalls = [screen.browse.row(i).recall for i in range(screen.browse.total)]
        known = [r for r in recalls if r is not None]
        assert known == sorted(known) and recalls[len(known):] == [None] * (len(recalls) - len(known))
        await pilot.press("r")
        assert screen.browse.sort == ("recall", True)
        assert "Recall▼" in screen_lines(app)[2]
        assert screen.query_one(CardTable).current.recall == max(known)  # a new order starts at its top


async def test_clicking_a_column_title_sorts_by_it(coll):
    app = make_app(coll)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_browser(pilot)
        line = screen_lines(app)[2]
        first, last = line.index(" Lapses"), line.index("Lapses") + 5  # the column's cells (right-aligned)
        await pilot.click("#browser-header", offset=(first, 0))
        assert screen.browse.sort == ("lapses", False)
        await pilot.click("#browser-header", offset=(last, 0))
        assert screen.browse.sort == ("lapses", True)  # the same column again: the other way
        await pilot.click("#browser-header", offset=(line.index("Deck"), 0))
        assert screen.browse.sort == ("deck", False)


async def test_s_suspends_the_card_and_again_unsuspends_it(coll):
    app = make_app(coll)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_browser(pilot)
        await move_to(pilot, screen, coll.keys["north"])
        await pilot.press("s")
        await pilot.pause()
        assert status(coll, "north").status.value == "suspended"
        assert "susp" in screen_lines(app)[3]
        await pilot.press("s")
        assert status(coll, "north").status.value == "active"


async def test_marked_cards_are_acted_on_together_and_u_undoes(coll):
    app = make_app(coll)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_browser(pilot)
        await move_to(pilot, screen, coll.keys["north"])
        await pilot.press("x")  # marks and moves down to the guardrail
        await pilot.press("space")  # and the guardrail
        assert "2 marked" in screen_lines(app)[1]
        await pilot.press("b")
        await pilot.pause()
        assert status(coll, "north").buried_until is not None and status(coll, "guardrail").buried_until is not None
        await pilot.press("u")
        assert status(coll, "north").buried_until is None and status(coll, "guardrail").buried_until is None


async def test_f_forgets_after_asking_and_keeps_the_history(coll):
    app = make_app(coll)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_browser(pilot)
        await move_to(pilot, screen, coll.keys["cold"])
        before = len(reviews_for(coll.store, coll.keys["cold"]))
        await pilot.press("f")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        assert status(coll, "cold").memory.state == "review"
        await pilot.press("f")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert status(coll, "cold").memory.state == "new"
        log = reviews_for(coll.store, coll.keys["cold"])
        assert len(log) == before + 1 and log[-1].kind == EventKind.FORGET
        assert "new" in screen_lines(app)[6]


async def test_d_sets_a_due_date(coll):
    app = make_app(coll)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_browser(pilot)
        await move_to(pilot, screen, coll.keys["second"])
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, DueScreen)
        await type_text(pilot, "soon")
        await pilot.press("enter")
        assert isinstance(app.screen, DueScreen)  # not a number: it says so and waits
        await pilot.press(*["backspace"] * 4, "3", "enter")
        await pilot.pause()
        assert isinstance(app.screen, BrowserScreen)
        calendar = screen.browse.scheduler.calendar
        due = status(coll, "second").memory.due
        assert calendar.day_of(due) - calendar.day_of(NOW) == 3
        assert reviews_for(coll.store, coll.keys["second"])[-1].kind == EventKind.RESCHEDULE


def test_a_due_date_is_days_or_a_date():
    from datetime import date

    today = date(2026, 3, 22)
    assert days_from("3", today) == 3 and days_from("+0", today) == 0
    assert days_from("2026-04-01", today) == 10
    with pytest.raises(ValueError, match="in the past"):
        days_from("2026-03-01", today)
    with pytest.raises(ValueError, match="neither a number"):
        days_from("soon", today)


async def test_enter_and_i_open_card_info_and_escape_closes_it(coll):
    app = make_app(coll)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_browser(pilot)
        await move_to(pilot, screen, coll.keys["cold"])
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, CardInfoScreen) and app.screen.card_key == coll.keys["cold"]
        text = "\n".join(screen_lines(app))
        assert "leech (2 lapses)" in text and "Recall now  59%" in text
        await pilot.press("escape")
        await pilot.press("i")
        await pilot.pause()
        assert isinstance(app.screen, CardInfoScreen)
        await pilot.press("escape")
        assert app.screen is screen


async def test_card_info_lists_every_answer_and_draws_the_recall_chart(coll):
    app = make_app(coll)
    async with app.run_test(size=(100, 50)) as pilot:
        await pilot.pause()
        app.push_screen(CardInfoScreen(coll.keys["cold"]))
        await pilot.pause()
        text = "\n".join(screen_lines(app))
        assert text.count("Again") == 2 and text.count("Good") == 4
        assert "Recall over time" in text and "100%" in text and "50%" in text
        assert "What does [bold]cold start[/bold] mean?" in text  # card text is never markup


async def test_card_info_for_an_unknown_key_says_so(coll):
    app = make_app(coll)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.push_screen(CardInfoScreen("nope"))
        await pilot.pause()
        assert "no card with key 'nope'" in "\n".join(screen_lines(app))


async def test_the_table_scrolls_to_keep_the_cursor_on_screen(coll, tmp_path):
    app = make_app(coll)
    async with app.run_test(size=(80, 10)) as pilot:
        screen = await open_browser(pilot)
        table = screen.query_one(CardTable)
        await pilot.press("G")
        assert table.cursor == 9 and table.scroll_offset.y > 0
        assert "Which drills come f" in "\n".join(screen_lines(app))
        await pilot.press("g")
        assert table.cursor == 0 and table.scroll_offset.y == 0


async def test_edit_with_a_missing_editor_says_so(coll, monkeypatch):
    monkeypatch.setenv("EDITOR", "no-such-editor-anywhere")
    monkeypatch.delenv("VISUAL", raising=False)
    app = make_app(coll)
    async with app.run_test(size=SIZE) as pilot:
        await open_browser(pilot)
        await pilot.press("e")
        await pilot.pause()
        assert any("editor not found" in n.message for n in app._notifications)
        assert isinstance(app.screen, BrowserScreen)


async def test_edit_opens_the_line_and_reimports_the_file(coll, tmp_path, monkeypatch):
    log = tmp_path / "editor.log"
    editor = tmp_path / "fake-editor"
    # Stands in for $EDITOR: records its arguments and rewrites the first prompt.
    editor.write_text("#!/bin/sh\n"
                      f'echo "$@" > {log}\n'
                      "sed -i 's/north star/North Star/' \"$2\"\n")
    editor.chmod(0o755)
    monkeypatch.setenv("EDITOR", str(editor))
    monkeypatch.delenv("VISUAL", raising=False)
    app = make_app(coll)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_browser(pilot)
        row = screen.table.current
        assert "north star" in row.prompt
        await pilot.press("e")
        await pilot.pause()
        assert log.read_text().split() == [f"+{row.line}", row.path]
        assert any(n.message.startswith("Re-imported.") for n in app._notifications)
        assert "North Star" in screen.table.current.prompt


async def test_question_mark_lists_the_browsers_keys(coll):
    app = make_app(coll)
    async with app.run_test(size=SIZE) as pilot:
        await open_browser(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        text = "\n".join(screen_lines(app))
        assert "space / x    mark several cards" in text and "undo the browser's last action" in text
        await pilot.press("escape")
        assert isinstance(app.screen, BrowserScreen)


async def test_j_and_k_move_on_the_decks_screen_too(coll):
    from textual.widgets import DataTable

    app = make_app(coll)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        start = table.cursor_row
        await pilot.press("j")
        assert table.cursor_row == start + 1
        await pilot.press("k")
        assert table.cursor_row == start


async def test_card_info_shows_a_drills_time_rubric_and_notes(tmp_path):
    from datetime import timedelta

    from trainer import history
    from trainer.importer import import_paths
    from trainer.model import DrillAnswer, Rating
    from trainer.store import open_db
    from trainer.store.cards import cards_where

    from browse_helpers import SETTINGS
    from conftest import T0

    deck = tmp_path / "drills.md"
    deck.write_text("# Drills\n\nDRILL: Design Home.\nTIME: 90s\nRUBRIC:\n- one user state\n- one metric\n"
                    "- a guardrail\nA: A model answer.\n", encoding="utf-8")
    store = open_db(tmp_path / "drills.db")
    try:
        import_paths(store, [deck], T0)
        key = next(c.key for c in cards_where(store) if c.kind == "drill")
        app = TrainerApp(store, SETTINGS, clock=lambda: T0 + timedelta(days=2), tz=UTC)
        from trainer.scheduler import Scheduler

        history.answer(store, Scheduler(SETTINGS, tz=UTC), key, Rating.HARD, T0, 80_000,
                       DrillAnswer(75_000, 2, 3, "forgot [red]the guardrail[/red]"))
        async with app.run_test(size=(100, 60)) as pilot:
            await pilot.pause()
            app.push_screen(CardInfoScreen(key))
            await pilot.pause()
            text = "\n".join(screen_lines(app))
            assert "↳ answered in 1m 15s, 2/3 rubric items, notes: forgot [red]the guardrail[/red]" in text
    finally:
        store.close()


async def test_slash_in_review_opens_the_browser_and_a_suspend_there_moves_review_on(coll):
    from trainer.tui.screens.review import ReviewScreen

    app = make_app(coll)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("a")
        await pilot.pause()
        review = app.screen
        assert isinstance(review, ReviewScreen)
        shown = review.card.key
        await pilot.press("slash")
        await pilot.pause()
        browser = app.screen
        assert isinstance(browser, BrowserScreen)
        await pilot.press("escape")  # from the search box to the table
        browser.table.cursor = table_keys(browser).index(shown)
        assert browser.table.current.key == shown
        await pilot.press("s")
        await pilot.pause()
        await pilot.press("q")
        await pilot.pause()
        assert app.screen is review
        assert review.card is None or review.card.key != shown
