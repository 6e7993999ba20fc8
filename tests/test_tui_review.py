"""The review flow driven through Textual's Pilot, with a fixed clock and fuzz off."""

from __future__ import annotations

import html
import re

from dataclasses import replace
from datetime import timedelta, timezone

from textual.widgets import Button, DataTable, Markdown, Static

from trainer.model import Rating
from trainer.store.cards import cards_where, get_card
from trainer.store.reviews import review_count, reviews_for
from trainer.tui.app import TrainerApp
from trainer.tui.screens.review import ReviewScreen
from trainer.tui.screens.summary import SummaryScreen

UTC = timezone.utc


def make_app(store, settings, clock, **kw):
    return TrainerApp(store, settings, clock=clock, tz=UTC, **kw)


def screen_text(app) -> str:
    """Everything the current screen shows as text (Statics and Markdown sources)."""
    parts = []
    for widget in app.screen.query("*"):
        if isinstance(widget, Markdown) and widget.display:
            parts.append(widget.source)
        elif isinstance(widget, Static) and widget.display:
            parts.append(str(widget.content))
    return "\n".join(parts)


def painted_text(app) -> str:
    """The characters on the terminal, from a screenshot of it."""
    svg = app.export_screenshot()
    return html.unescape(re.sub(r"<[^>]+>", "", svg)).replace("\xa0", " ")


def store_with_deck(tmp_path, name: str, text: str, now):
    """A database of its own holding one deck written from `text`."""
    from trainer.importer import import_paths
    from trainer.store import open_db

    deck = tmp_path / f"{name}.md"
    deck.write_text(text, encoding="utf-8")
    db = open_db(tmp_path / f"{name}.db")
    import_paths(db, [deck], now)
    return db


async def open_review(pilot, deck_row: int = 0):
    await pilot.pause()
    await pilot.press("a")
    await pilot.pause()
    assert isinstance(pilot.app.screen, ReviewScreen)
    return pilot.app.screen


async def test_decks_screen_lists_deck_counts(store, settings, clock):
    app = make_app(store, settings, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        first = table.get_row_at(0)
        assert str(first[0]) == "Sample deck"
        assert list(first[1:]) == [4, 0, 0, 6]  # new, learning, due, cards (one rung a day)


async def test_reveal_then_rate_saves_answer_and_shows_next_card(store, settings, clock):
    app = make_app(store, settings, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_review(pilot)
        card = screen.card
        assert not screen.query_one("#ratings").display
        await pilot.press("3")  # before reveal: ignored
        assert review_count(store) == 0
        await pilot.press("space")
        assert screen.revealed and screen.query_one("#ratings").display
        labels = [str(b.label) for b in screen.query(Button)]
        assert labels == ["1 Again · <1m", "2 Hard · <6m", "3 Good · <10m", "4 Easy · 8d"]
        clock.advance(seconds=7)
        await pilot.press("3")
        [review] = reviews_for(store, card.key)
        assert review.rating == Rating.GOOD and review.duration_ms == 7000
        assert screen.card.key != card.key and not screen.revealed


async def test_each_rating_is_recorded(store, settings, clock):
    app = make_app(store, settings, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_review(pilot)
        given = {}
        for key in "1234":
            card = screen.card
            await pilot.press("space", key)
            given[card.key] = int(key)
        recorded = {k: [r.rating for r in reviews_for(store, k)] for k in given}
        assert recorded == {k: [v] for k, v in given.items()}


async def test_undo_twice_brings_back_both_cards(store, settings, clock):
    app = make_app(store, settings, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_review(pilot)
        first = screen.card
        await pilot.press("space", "3")
        second = screen.card
        await pilot.press("space", "1")
        assert review_count(store) == 2
        await pilot.press("u")
        assert screen.card.key == second.key and review_count(store) == 1
        await pilot.press("u")
        assert screen.card.key == first.key and review_count(store) == 0
        assert get_card(store, first.key).memory.state == "new"


async def test_suspend_and_bury_remove_the_card_from_today(store, settings, clock):
    app = make_app(store, settings, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_review(pilot)
        suspended = screen.card
        await pilot.press("s")
        buried = screen.card
        await pilot.press("b")
        assert get_card(store, suspended.key).status.value == "suspended"
        assert get_card(store, buried.key).buried_until is not None
        remaining = {screen.card.key}
        while screen.card is not None:
            await pilot.press("space", "4")
            if screen.card is not None:
                remaining.add(screen.card.key)
        assert suspended.key not in remaining and buried.key not in remaining


async def test_ladder_siblings_one_per_day_in_the_app(store, settings, clock):
    app = make_app(store, settings, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_review(pilot)
        kinds = []
        while screen.card is not None and isinstance(app.screen, ReviewScreen):
            kinds.append(screen.card.kind.value)
            await pilot.press("space", "4")
        assert kinds.count("ladder") == 1
        assert isinstance(app.screen, SummaryScreen)


async def test_new_card_limit_holds_across_two_openings(store, settings, clock):
    limited = replace(settings, new_per_day=2)
    app = make_app(store, limited, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_review(pilot)
        await pilot.press("space", "4")
    clock.advance(minutes=30)
    again = make_app(store, limited, clock)
    async with again.run_test(size=(80, 24)) as pilot:
        screen = await open_review(pilot)
        await pilot.press("space", "4")
        await pilot.pause()
        assert isinstance(again.screen, SummaryScreen)  # the day's two new cards are used up
        assert "Today's limit is reached" in painted_text(again)
    assert len(cards_where(store, "state != 'new'")) == 2


async def test_day_rollover_at_configured_hour_brings_new_cards(store, settings, clock):
    limited = replace(settings, new_per_day=1, day_starts_at=6)
    clock.now = clock.now.replace(hour=5)  # 05:00: still yesterday's study day
    app = make_app(store, limited, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_review(pilot)
        await pilot.press("space", "4")
        await pilot.pause()
    clock.now = clock.now.replace(hour=5, minute=59)
    app = make_app(store, limited, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_review(pilot)
        assert screen.card is None
        assert "Nothing to review" in screen_text(app)
    clock.now = clock.now.replace(hour=6, minute=0)
    app = make_app(store, limited, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_review(pilot)
        assert screen.card is not None and screen.card.memory.state == "new"


async def test_empty_database_shows_what_to_do(tmp_path, settings, clock):
    from trainer.store import open_db

    empty = open_db(tmp_path / "empty.db")
    app = make_app(empty, settings, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "trainer import PATH" in screen_text(app)
        await pilot.press("a")
        await pilot.pause()
        assert "Nothing to review" in screen_text(app)
    empty.close()


async def test_finished_day_summary_then_friendly_empty_screen(store, settings, clock):
    app = make_app(store, settings, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_review(pilot)
        for _ in range(4):
            await pilot.press("space", "1")
        clock.advance(minutes=2)
        while isinstance(app.screen, ReviewScreen) and app.screen.card is not None:
            await pilot.press("space", "4")
        assert isinstance(app.screen, SummaryScreen)
        text = painted_text(app)
        assert "Cards reviewed" in text and "Again" in text and "Next card due" in text
        await pilot.press("q")
        await pilot.pause()
        await pilot.press("a")
        await pilot.pause()
        assert "Nothing to review" in screen_text(app)


async def test_rich_markup_in_card_text_is_shown_literally(tmp_path, settings, clock):
    db = store_with_deck(
        tmp_path, "markup", "Q: What does [bold]this[/] and [link=x]that[/link] do?\nA: Nothing [red]at all[/].\n", clock.now
    )
    app = make_app(db, settings, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_review(pilot)
        await pilot.press("space")
        await pilot.pause()
        text = screen_text(app)
        assert "[bold]this[/]" in text and "[link=x]that[/link]" in text and "[red]at all[/]" in text
        # And it reaches the screen as characters, not styles.
        painted = painted_text(app)
        assert "[bold]this[/]" in painted and "[red]at all[/]" in painted
    db.close()


async def test_straight_to_review_opens_on_first_card(store, settings, clock):
    app = make_app(store, settings, clock, straight_to_review=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen) and app.screen.card is not None
        await pilot.press("q")
        await pilot.pause()
        assert not isinstance(app.screen, ReviewScreen)


async def test_edit_opens_editor_at_line_and_reimports_keeping_history(store, settings, clock, tmp_path, monkeypatch):
    import contextlib

    log = tmp_path / "editor.log"
    editor = tmp_path / "fake-editor"
    # Stands in for $EDITOR: records its arguments and edits the FAQ answer.
    editor.write_text(
        "#!/bin/sh\n"
        f'echo "$@" > {log}\n'
        "sed -i 's/Enough ML literacy/Just enough ML literacy/' \"$2\"\n"
    )
    editor.chmod(0o755)
    monkeypatch.setenv("EDITOR", str(editor))
    monkeypatch.delenv("VISUAL", raising=False)
    app = make_app(store, settings, clock)
    monkeypatch.setattr(app, "suspend", contextlib.nullcontext)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_review(pilot)
        while screen.card.kind.value != "faq":
            await pilot.press("space", "3")
        faq = screen.card
        await pilot.press("space", "1")  # some history first
        await pilot.press("u")
        await pilot.press("space", "3")
        await pilot.press("u")
        assert screen.card.key == faq.key
        session_review = screen.session.answer(faq, Rating.GOOD, clock(), 1000)
        await pilot.press("e")
        await pilot.pause()
        assert log.read_text().split() == [f"+{faq.source_line}", faq.path]
        edited = get_card(store, faq.key)
        assert edited.answer.startswith("No. Just enough ML literacy")
        assert [r.id for r in reviews_for(store, faq.key)] == [session_review]
        assert screen.card.key == faq.key


async def test_long_answer_scrolls_at_80x24(tmp_path, settings, clock):
    from textual.containers import VerticalScroll

    body = "\n".join(f"- point number {i} of a long answer" for i in range(40))
    db = store_with_deck(tmp_path, "long", f"Q: What are all the points?\nA: These:\n{body}\n", clock.now)
    app = make_app(db, settings, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_review(pilot)
        await pilot.press("space")
        await pilot.pause()
        scroller = screen.query_one("#card", VerticalScroll)
        assert scroller.max_scroll_y > 0
        await pilot.press("end")
        await pilot.pause()
        assert scroller.scroll_y > 0
        assert "point number 39" in painted_text(app)
    db.close()


async def test_question_mark_shows_the_keys_and_escape_closes_them(store, settings, clock):
    from trainer.tui.screens.help import HelpScreen

    app = make_app(store, settings, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_review(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = painted_text(app)
        assert "undo the last action" in text and "bury the card until tomorrow" in text
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen and screen.card is not None
