"""The end of a sitting: what was done and when to come back."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, Static

from trainer.session import Session
from trainer.tui.when import describe_due, describe_duration


class SummaryScreen(Screen):
    BINDINGS = [
        Binding("q", "back", "Back to decks"),
        Binding("escape", "back", "Back", show=False),
        Binding("enter", "continue", "Keep going", show=False),
        Binding("space", "continue", "Keep going", show=False),
        Binding("u", "undo", "Undo last action"),
        Binding("ctrl+z", "undo", "Undo", show=False),
    ]

    def __init__(self, session: Session):
        super().__init__()
        self.session = session

    def compose(self) -> ComposeResult:
        with Vertical(id="summary"):
            yield Static(self._title(), id="summary-title")
            yield Static(self._table(), id="summary-table")
            yield Static(self._next(), id="summary-next")
        yield Footer()

    def _title(self) -> Text:
        ready = self._ready()
        if ready:
            return Text(f"Paused: {ready} card(s) still ready", style="bold")
        return Text("Done for now", style="bold")

    def _ready(self) -> int:
        card, queue = self.session.peek(self.app.clock())
        if card is None:
            return 0
        return len(queue.ready) + queue.review + queue.new or 1

    def _table(self) -> Table:
        tally = self.session.tally
        table = Table.grid(padding=(0, 2))
        table.add_column(justify="right")
        table.add_column()
        again_share = f" ({tally.again / tally.reviewed:.0%})" if tally.reviewed else ""
        table.add_row("Cards reviewed", str(tally.reviewed))
        table.add_row("Again", f"{tally.again}{again_share}")
        table.add_row("Time spent", describe_duration(tally.time_ms))
        return table

    def _next(self) -> Text:
        now = self.app.clock()
        ready = self._ready()
        if ready:
            return Text(f"{ready} more card(s) are ready now: Enter keeps going, q goes back to your decks.")
        due = self.session.next_due(now)
        text = f"Next card due {describe_due(due, now, self.app.tz)}." if due else "No cards are scheduled yet."
        if self.session.limit_reached(now):
            text += f"\nToday's limit is reached; more new cards {describe_due(self.session.tomorrow(now), now, self.app.tz)}."
        return Text(text)

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_continue(self) -> None:
        from trainer.tui.screens.review import ReviewScreen

        if self.session.next_card(self.app.clock()) is None:
            self.action_back()
            return
        self.app.switch_screen(ReviewScreen(self.session.deck, self.session))

    def action_undo(self) -> None:
        from trainer.tui.screens.review import ReviewScreen

        self.app.switch_screen(ReviewScreen(self.session.deck, self.session, undo_first=True))
