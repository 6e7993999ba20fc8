"""Practice from the TUI and the CLI: the review screen opens on a PracticeSession; the schedule is untouched."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

import trainer.cli
from conftest import T0, Clock
from trainer.config import Settings
from trainer.errors import TrainerError
from trainer.practice import PracticeSession
from trainer.tui.app import TrainerApp


async def test_p_on_the_decks_screen_opens_the_review_screen_on_a_practice_run_of_the_deck(store):
    # What the review screen draws on a practice run (PRACTICE marker, no intervals) is the
    # review screen's to test; here: the decks screen hands it a PracticeSession of the right cards.
    app = TrainerApp(store, Settings(fuzz=False), clock=Clock(T0))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("p")
        await pilot.pause()
        session = app.screen.session
        assert isinstance(session, PracticeSession) and session.practice
        assert len(session.queue(T0).cards) == 6 and app.screen.card.key == session.queue(T0).first().key


def test_trainer_practice_opens_the_app_on_a_practice_run(store, monkeypatch):
    store.close()
    opened = {}

    def fake_run(db_path, settings, **kwargs):
        from trainer.store import open_db

        with open_db(db_path) as db:
            source = kwargs["source"](db)
            opened.update(source=source, cards=len(source.queue(T0).cards), straight=kwargs["straight_to_review"])
        return 0

    monkeypatch.setattr(trainer.cli, "now_utc", lambda: T0)
    monkeypatch.setattr(trainer.cli, "has_terminal", lambda: True)
    monkeypatch.setattr("trainer.tui.app.run_app", fake_run)
    result = CliRunner().invoke(trainer.cli.cli, ["practice", "--search", "engagement", "--limit", "3"])
    assert result.exit_code == 0, result.output
    assert isinstance(opened["source"], PracticeSession) and opened["cards"] == 1 and opened["straight"]


@pytest.mark.parametrize("args, message", [
    (["--below", "2", "--on", "2026-03-09"], "--below: 2.0 is not a recall"),
    (["--below", "0.9"], "--below and --on go together"),
    (["--below", "0.9", "--on", "2020-01-01"], "is in the past"),
    (["--search", "nothing like this"], "no cards to practise"),
])
def test_trainer_practice_refuses_a_selection_that_cannot_work(store, monkeypatch, args, message):
    store.close()
    monkeypatch.setattr(trainer.cli, "now_utc", lambda: T0)
    monkeypatch.setattr("trainer.tui.app.TrainerApp.run", lambda self, **kw: pytest.fail("the app must not open"))
    result = CliRunner().invoke(trainer.cli.cli, ["practice", *args])
    assert isinstance(result.exception, TrainerError) and message in str(result.exception)


async def test_a_practice_run_on_the_review_screen_shows_no_intervals_and_leaves_the_log_alone(store):
    from textual.widgets import Button, Static

    app = TrainerApp(store, Settings(fuzz=False), clock=Clock(T0))
    before = store.conn.execute("SELECT count(*) FROM reviews").fetchone()[0]
    cards_before = store.conn.execute("SELECT key, state, due FROM cards ORDER BY key").fetchall()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("p")
        await pilot.pause()
        screen = app.screen
        assert "PRACTICE" in str(screen.query_one("#counts", Static).content)
        await pilot.press("space")
        await pilot.pause()
        labels = [str(screen.query_one(f"#rate-{n}", Button).label) for n in (1, 2, 3, 4)]
        assert labels == ["1 Again", "2 Hard", "3 Good", "4 Easy"]  # no interval: nothing is scheduled
        missed = screen.card.key
        await pilot.press("1")  # a miss comes back after three other cards
        shown = []
        while screen.card is not None and len(shown) < 20:
            shown.append(screen.card.key)
            await pilot.press("space", "3")
            await pilot.pause()
        assert missed in shown and shown.index(missed) == 3
        assert "Practice done: 7 answers." in str(screen.query_one("#done", Static).content)
    assert store.conn.execute("SELECT count(*) FROM reviews").fetchone()[0] == before
    assert store.conn.execute("SELECT key, state, due FROM cards ORDER BY key").fetchall() == cards_before
    assert store.conn.execute("SELECT count(*) FROM practice").fetchone()[0] == 7


async def test_p_in_the_browser_practises_the_marked_cards(store):
    from trainer.tui.screens.browser import BrowserScreen
    from trainer.tui.screens.review import ReviewScreen

    app = TrainerApp(store, Settings(fuzz=False), clock=Clock(T0))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("b")
        await pilot.pause()
        browser = app.screen
        assert isinstance(browser, BrowserScreen)
        await pilot.press("x", "j", "x")  # mark the first and third cards
        marked = browser.browse.keys(browser.table.selected_indexes())
        await pilot.press("p")
        await pilot.pause()
        review = app.screen
        assert isinstance(review, ReviewScreen) and review.practice
        assert [item.key for item in review.session.queue(T0).cards] == marked and len(marked) == 2
