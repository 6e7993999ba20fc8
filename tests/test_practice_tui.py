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

    monkeypatch.setattr(trainer.cli, "now_utc", lambda: T0)
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
