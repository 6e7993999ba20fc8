"""The parts of the review screen a drill adds: a countdown, the rubric to tick, a notes box."""

from __future__ import annotations

from datetime import datetime
from typing import Callable

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import SelectionList, Static, TextArea
from textual.widgets.selection_list import Selection

from trainer.kinds.drill import DEFAULT_TIME_S, suggest_rating
from trainer.model import Card, DrillAnswer, Rating

RATING_NAMES = {Rating.AGAIN: "Again", Rating.HARD: "Hard", Rating.GOOD: "Good", Rating.EASY: "Easy"}


def clock_text(seconds: float) -> str:
    seconds = max(0, int(seconds))
    return f"{seconds // 60}:{seconds % 60:02d}"


class RubricList(SelectionList[int]):
    """The rubric as checkboxes: Space ticks, Enter takes the suggested rating."""

    BINDINGS = [
        Binding("space", "select", "Tick", show=False),
        Binding("enter", "accept", "Rate as suggested", show=False),
    ]

    class Accepted(Message):
        """The reviewer took the suggested rating."""

    def action_accept(self) -> None:
        self.post_message(self.Accepted())


class NotesBox(TextArea):
    """What the candidate types while answering; Escape gives the keys back to the review."""

    BINDINGS = [Binding("escape", "leave", "Back to the card", show=False)]

    def action_leave(self) -> None:
        self.screen.set_focus(None)


class DrillPanel(Vertical):
    """Timer, rubric and notes for a drill or a follow-up; hidden for other cards."""

    class TimeUp(Message):
        """The countdown reached zero."""

    def __init__(self, clock: Callable[[], datetime], **kwargs):
        super().__init__(**kwargs)
        self.clock = clock
        self.card: Card | None = None
        self.time_s = DEFAULT_TIME_S
        self.elapsed = 0.0
        self.started_at: datetime | None = None
        self.expired = False
        self.revealed = False

    def compose(self) -> ComposeResult:
        yield Static("", id="timer")
        yield RubricList(id="rubric")
        yield Static("", id="suggestion")
        yield NotesBox(id="notes", soft_wrap=True, show_line_numbers=False,
                       placeholder="n: notes while you answer (kept with the answer; Escape returns)")

    def on_mount(self) -> None:
        self.set_interval(0.25, self._tick)

    # -- a new card -----------------------------------------------------------
    def load(self, card: Card) -> None:
        """Show the panel for a drill or follow-up (reset), or hide it for any other card."""
        drill = card.kind in ("drill", "followup")
        self.display = drill
        self.card = card if drill else None
        if not drill:
            return
        self.time_s = int(card.extra.get("time_s", DEFAULT_TIME_S))
        self.elapsed, self.started_at, self.expired, self.revealed = 0.0, None, False, False
        rubric = self.query_one(RubricList)
        rubric.clear_options()
        rubric.add_options([Selection(Text(" ".join(item.split())), i) for i, item in
                            enumerate(self.rubric)])
        rubric.display = False
        self.query_one("#suggestion", Static).display = False
        notes = self.query_one(NotesBox)
        notes.text = ""
        notes.display = True
        self._draw_timer()

    @property
    def rubric(self) -> list[str]:
        return list(self.card.extra.get("rubric", [])) if self.card and self.card.kind == "drill" else []

    # -- the countdown ----------------------------------------------------------
    @property
    def running(self) -> bool:
        return self.started_at is not None

    def seconds(self) -> float:
        extra = (self.clock() - self.started_at).total_seconds() if self.started_at else 0.0
        return self.elapsed + max(0.0, extra)

    def toggle(self) -> None:
        if self.expired:
            return
        if self.running:
            self.elapsed = self.seconds()
            self.started_at = None
        else:
            self.started_at = self.clock()
        self._draw_timer()

    def stop(self) -> None:
        if self.running:
            self.elapsed = self.seconds()
            self.started_at = None
        self._draw_timer()

    def _tick(self) -> None:
        if self.card is None or not self.running:
            return
        if self.seconds() >= self.time_s:
            self.stop()
            self.expired = True
            self._draw_timer()
            self.post_message(self.TimeUp())
            return
        self._draw_timer()

    def _draw_timer(self) -> None:
        left = self.time_s - self.seconds()
        text = Text()
        text.append(f"⏱ {clock_text(self.seconds())} of {clock_text(self.time_s)}", style="bold")
        if self.expired:
            text.append("  time is up", style="bold red")
        elif self.revealed:
            pass
        elif self.running:
            text.append(f"  {clock_text(left)} left · Space pauses", style="dim")
        elif self.seconds():
            text.append("  paused · Space goes on", style="dim")
        else:
            text.append("  Space starts the clock; answer out loud · n: notes", style="dim")
        self.query_one("#timer", Static).update(text)

    # -- after the reveal ---------------------------------------------------------
    def reveal(self) -> None:
        self.revealed = True
        self.stop()
        notes = self.query_one(NotesBox)
        notes.display = bool(notes.text.strip())  # kept in view only if something was typed
        if self.rubric:
            rubric = self.query_one(RubricList)
            rubric.display = True
            rubric.highlighted = 0
            rubric.focus()
        self.query_one("#suggestion", Static).display = True
        self.draw_suggestion()

    def ticked(self) -> int:
        return len(self.query_one(RubricList).selected)

    def suggestion(self) -> Rating | None:
        """The rating the ticks suggest (None for a follow-up: no rubric)."""
        if not self.rubric:
            return None
        return suggest_rating(self.ticked(), len(self.rubric), self.seconds(), self.time_s)

    def draw_suggestion(self) -> None:
        suggested = self.suggestion()
        text = Text()
        if suggested is None:
            text.append("Rate how well your answer held up: 1 Again · 2 Hard · 3 Good · 4 Easy", style="dim")
        else:
            text.append(f"Suggested: {int(suggested)} {RATING_NAMES[suggested]}", style="bold")
            text.append(f" ({self.ticked()}/{len(self.rubric)} met, {clock_text(self.seconds())}"
                        f"/{clock_text(self.time_s)})  ", style="")
            text.append("Space ticks · Enter takes it", style="dim")
        self.query_one("#suggestion", Static).update(text)

    def on_selection_list_selected_changed(self, event: SelectionList.SelectedChanged) -> None:
        event.stop()
        self.draw_suggestion()

    def answer(self, duration_ms: int) -> DrillAnswer:
        """What goes in the log with the rating."""
        time_ms = int(self.seconds() * 1000) if self.seconds() else duration_ms
        total = len(self.rubric) or None
        return DrillAnswer(time_ms, self.ticked() if total else None, total, self.query_one(NotesBox).text.strip())
