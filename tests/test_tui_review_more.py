"""The review screen under pressure and in daily use: one frame per card, a busy or full database,
editors that fail, drills with their clock and rubric, undo of every action, and the keys of a first week."""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import sys
from datetime import timezone

import pytest
from textual.widgets import Markdown, Static

from trainer.model import Rating, Status
from trainer.store import open_db
from trainer.store.cards import get_card
from trainer.store.reviews import drill_answer, review_count, reviews_for
from trainer.tui.app import TrainerApp
from trainer.tui.screens.review import ReviewScreen
from trainer.tui.widgets.drill_panel import DrillPanel

from test_tui_review import make_app, open_review, screen_text, store_with_deck

UTC = timezone.utc

DRILL_DECK = """\
# Drills

<!-- id: home -->
DRILL: Design Home for returning listeners.
TIME: 90s
RUBRIC:
- names a user state
- names a primary metric
- names a guardrail
A: Returning listeners; repeat listening; diversity.
FOLLOWUP: How would you know it works after two weeks?
FOLLOWUP: The data is sparse. What now?
"""


async def test_header_body_and_hint_change_in_one_frame(store, settings, clock, monkeypatch):
    """Whenever the screen may repaint, the header and the body show the same card."""
    app = make_app(store, settings, clock)
    seen = []
    original = TrainerApp._end_batch

    def end_batch(self):
        if self._batch_count == 1 and isinstance(self.screen, ReviewScreen) and self.screen.card is not None:
            screen = self.screen
            header = str(screen.query_one("#where", Static).content)
            body = screen.query_one("#prompt", Markdown).source
            seen.append((screen.card.deck in header, screen.card.prompt.split()[0] in body or screen.card.kind == "ladder"))
        original(self)

    monkeypatch.setattr(TrainerApp, "_end_batch", end_batch)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_review(pilot)
        for _ in range(3):
            await pilot.press("space", "3")
            await pilot.pause()
        assert screen.card is not None
    assert len(seen) >= 6 and all(header and body for header, body in seen)


async def test_a_busy_database_shows_a_notice_keeps_the_card_and_saves_when_free(store, settings, clock, tmp_path):
    app = make_app(store, settings, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_review(pilot)
        card = screen.card
        other = sqlite3.connect(store.path, timeout=0)
        other.execute("BEGIN IMMEDIATE")  # another program holds the write lock
        await pilot.press("space", "3")
        await pilot.pause(0.6)
        assert screen.waiting and screen.card.key == card.key
        assert any("Waiting for the database" in n.message for n in app._notifications)
        assert review_count(store) == 0
        other.execute("COMMIT")
        other.close()
        await pilot.pause(1.0)
        assert not screen.waiting
        assert [r.rating for r in reviews_for(store, card.key)] == [Rating.GOOD]
        assert screen.card.key != card.key


async def test_a_full_disk_is_one_clear_notice_and_the_review_goes_on(store, settings, clock, monkeypatch):
    app = make_app(store, settings, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_review(pilot)
        card = screen.card

        def full(*args, **kwargs):
            raise sqlite3.OperationalError("database or disk is full")

        monkeypatch.setattr(screen.session, "answer_card", full)
        await pilot.press("space", "3")
        await pilot.pause()
        assert any("disk" in n.message and "full" in n.message for n in app._notifications)
        assert screen.card.key == card.key and not screen.waiting
        monkeypatch.undo()
        await pilot.press("3")  # pressing again works once there is room
        assert review_count(store) == 1


async def test_an_unexpected_error_is_logged_to_a_file_and_exits_non_zero(store, settings, clock, monkeypatch, tmp_path):
    app = make_app(store, settings, clock)

    def broken(self):
        raise RuntimeError("a bug")

    monkeypatch.setattr(ReviewScreen, "action_help", broken)
    with pytest.raises(RuntimeError):
        async with app.run_test(size=(80, 24)) as pilot:
            await open_review(pilot)
            await pilot.press("question_mark")
            await pilot.pause()
    assert app.return_code == 1
    assert app.crash_log is not None and app.crash_log.exists()
    assert "RuntimeError: a bug" in app.crash_log.read_text() and app.crash_log.parent.parent == tmp_path


@pytest.mark.parametrize("editor, says", [
    ("no-such-editor-anywhere", "editor not found"),
    ("'unclosed", "cannot read $EDITOR"),
    ("{folder}", "cannot run"),
    ("false", "exited with status 1"),
])
async def test_a_broken_editor_gives_a_notice_and_the_review_goes_on(store, settings, clock, monkeypatch, tmp_path,
                                                                      editor, says):
    monkeypatch.setenv("EDITOR", editor.format(folder=tmp_path))
    monkeypatch.delenv("VISUAL", raising=False)
    app = make_app(store, settings, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_review(pilot)
        card = screen.card
        await pilot.press("e")
        await pilot.pause()
        assert any(says in n.message for n in app._notifications)
        assert screen.card.key == card.key  # still there, still usable
        await pilot.press("space", "3")
        assert review_count(store) == 1


async def test_an_edit_that_changes_the_file_is_reimported_and_the_answer_stays_shown(store, settings, clock,
                                                                                      monkeypatch, tmp_path):
    script = tmp_path / "fake-editor"
    script.write_text("#!/bin/sh\nsed -i 's/Enough ML literacy/Enough ML literacy, edited/' \"$2\"\n")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("EDITOR", str(script))
    app = make_app(store, settings, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_review(pilot)
        while screen.card.kind != "faq":
            await pilot.press("space", "3")
        await pilot.press("space", "e")
        await pilot.pause()
        assert screen.revealed and "edited" in screen.query_one("#answer", Markdown).source
        assert "edited" in get_card(store, screen.card.key).answer


async def test_space_on_a_shown_answer_answers_good_and_ctrl_z_undoes(store, settings, clock):
    app = make_app(store, settings, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_review(pilot)
        card = screen.card
        await pilot.press("space", "space")
        assert [r.rating for r in reviews_for(store, card.key)] == [Rating.GOOD]
        await pilot.press("ctrl+z")
        assert review_count(store) == 0 and screen.card.key == card.key


async def test_suspend_and_bury_are_undone_by_u(store, settings, clock):
    app = make_app(store, settings, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_review(pilot)
        first = screen.card
        await pilot.press("s")
        assert get_card(store, first.key).status is Status.SUSPENDED
        second = screen.card
        await pilot.press("b")
        assert get_card(store, second.key).buried_until is not None
        await pilot.press("u")
        assert get_card(store, second.key).buried_until is None and screen.card.key == second.key
        await pilot.press("u")
        assert get_card(store, first.key).status is Status.ACTIVE and screen.card.key == first.key


async def test_undo_from_the_summary_and_from_the_nothing_to_review_screen(tmp_path, settings, clock):
    from trainer.tui.screens.summary import SummaryScreen

    store = store_with_deck(tmp_path, "one", "Q: only card?\nA: yes\n", clock.now)
    app = make_app(store, replace_settings(settings, new_per_day=1), clock)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_review(pilot)
        card = screen.card
        await pilot.press("space", "4")  # Easy: due in days; the day is done
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        await pilot.press("u")
        await pilot.pause()
        assert review_count(store) == 0
        screen = app.screen
        assert isinstance(screen, ReviewScreen) and screen.card.key == card.key
        await pilot.press("s")  # suspend the only card: nothing to review
        await pilot.pause()
        assert "Nothing to review" in screen_text(app) and "u: undo" in screen_text(app)
        await pilot.press("u")
        await pilot.pause()
        assert get_card(store, card.key).status is Status.ACTIVE and screen.card.key == card.key


def replace_settings(settings, **changes):
    from dataclasses import replace

    return replace(settings, **changes)


async def test_a_learning_card_shown_early_says_so(tmp_path, settings, clock):
    store = store_with_deck(tmp_path, "one", "Q: only card?\nA: yes\n", clock.now)
    app = make_app(store, settings, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_review(pilot)
        await pilot.press("space", "3")  # next step in 10 minutes; nothing else due: shown early
        await pilot.pause()
        assert "early: due in 10m" in str(screen.query_one("#counts", Static).content)


async def test_a_drill_runs_its_clock_ticks_its_rubric_and_brings_its_follow_ups(tmp_path, settings, clock):
    store = store_with_deck(tmp_path, "drills", DRILL_DECK, clock.now)
    app = make_app(store, settings, clock)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_review(pilot)
        assert screen.card.kind == "drill"
        panel = screen.query_one(DrillPanel)
        assert panel.display and "Space starts the clock" in str(panel.query_one("#timer", Static).content)
        await pilot.press("space")  # start
        clock.advance(seconds=70)
        await pilot.press("n", "m", "y", " ", "n", "o", "t", "e", "escape")  # notes while answering
        await pilot.press("enter")  # reveal: model answer and rubric
        await pilot.pause()
        assert screen.revealed and "Returning listeners" in screen.query_one("#answer", Markdown).source
        await pilot.press("space", "down", "space", "down", "space")  # tick all three
        await pilot.pause()
        assert panel.suggestion() == Rating.EASY  # all met in 70 s of 90
        drill = screen.card
        await pilot.press("enter")  # take the suggestion
        [review] = reviews_for(store, drill.key)
        assert review.rating == Rating.EASY
        answer = drill_answer(store, review.id)
        assert (answer.time_ms, answer.ticked, answer.total, answer.notes) == (70_000, 3, 3, "my note")
        assert screen.card.kind == "followup" and screen.card.key == drill.extra["followups"][0]
        await pilot.press("enter", "3")
        assert screen.card.key == drill.extra["followups"][1]


async def test_the_clock_running_out_reveals_the_rubric(tmp_path, settings, clock):
    store = store_with_deck(tmp_path, "drills", DRILL_DECK, clock.now)
    app = make_app(store, settings, clock)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_review(pilot)
        await pilot.press("space")
        clock.advance(seconds=91)
        await pilot.pause(0.5)
        assert screen.revealed
        panel = screen.query_one(DrillPanel)
        assert panel.suggestion() == Rating.AGAIN  # nothing ticked


def test_trainer_without_a_terminal_says_so_and_exits_2(tmp_path):
    env = dict(os.environ, TRAINER_DB=str(tmp_path / "t.db"), TRAINER_CONFIG=str(tmp_path / "c.toml"))
    result = subprocess.run([sys.executable, "-m", "trainer"], capture_output=True, text=True, env=env,
                            stdin=subprocess.DEVNULL, timeout=60)
    assert result.returncode == 2
    assert "needs a terminal" in result.stderr and "\x1b[" not in result.stdout


LONG_CODE_DECK = """\
# Code

Q: What does the long query select?
A: This one:
```sql
SELECT a_really_long_column_name, another_really_long_column_name, yet_another_one FROM a_table_with_a_long_name;
```
"""


async def test_answer_lines_up_with_the_question_lines_stay_readable_and_code_scrolls_sideways(tmp_path, settings, clock):
    store = store_with_deck(tmp_path, "code", LONG_CODE_DECK, clock.now)
    app = make_app(store, settings, clock)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await open_review(pilot)
        await pilot.press("space")
        await pilot.pause()
        prompt, answer = screen.query_one("#prompt", Markdown), screen.query_one("#answer", Markdown)
        assert prompt.region.x == answer.region.x
        assert prompt.region.width <= 100 and answer.region.width <= 100
        fence = answer.query("MarkdownFence").first()
        assert fence.styles.overflow_x == "auto"
        assert fence.virtual_size.width > fence.region.width  # the whole line is there, reachable by scrolling
