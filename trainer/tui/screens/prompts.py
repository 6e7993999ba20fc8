"""Small questions the browser asks: yes or no, and a due date. Answers come back through dismiss()."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static


CSS_PATH = str(Path(__file__).resolve().parent.parent / "browser.tcss")


class ConfirmScreen(ModalScreen[bool]):
    """`y` or Enter says yes; `n` or Escape says no."""

    CSS_PATH = CSS_PATH
    BINDINGS = [
        Binding("y,enter", "answer(True)", "Yes"),
        Binding("n,escape,q", "answer(False)", "No"),
    ]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(classes="prompt-box"):
            yield Static(Text(self.question))
            yield Static(Text("y: yes    n / Escape: no", style="dim"))

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


def days_from(text: str, today: date) -> int:
    """Study days from today for `3`, `+3`, `0` or a date `2026-12-01`; ValueError with a message otherwise."""
    text = text.strip()
    try:
        days = int(text.removeprefix("+"))
    except ValueError:
        try:
            days = (date.fromisoformat(text) - today).days
        except ValueError:
            raise ValueError(f"{text!r} is neither a number of days nor a date (YYYY-MM-DD)") from None
    if days < 0:
        raise ValueError("that is in the past: give 0 (today) or more days")
    return days


class DueScreen(ModalScreen[int | None]):
    """Asks when the cards should be due: a number of study days from today, or a date."""

    CSS_PATH = CSS_PATH
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, today: date, count: int) -> None:
        super().__init__()
        self.today = today
        self.count = count

    def compose(self) -> ComposeResult:
        cards = "this card" if self.count == 1 else f"these {self.count} cards"
        with Vertical(classes="prompt-box"):
            yield Static(Text(f"When should {cards} be due?"))
            yield Input(placeholder="days from today (0 = today), or a date like 2026-12-01", id="due-input")
            yield Static("", id="due-error")
            yield Static(Text("Enter: set    Escape: cancel    (new cards have no due date and are left alone)",
                              style="dim"))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        try:
            days = days_from(event.value, self.today)
        except ValueError as exc:
            self.query_one("#due-error", Static).update(Text(str(exc), style="red"))
            return
        self.dismiss(days)

    def action_cancel(self) -> None:
        self.dismiss(None)


BROWSER_KEYS = """\
Browser (docs/browse.md has every search term)
  /            search: words deck:NAME is:due -is:new prop:recall<0.8
               (Enter runs it; Escape goes back to the table)
  j k ↑ ↓      move; PgUp PgDn, g G: a page, first, last
  Enter / i    card info: every answer and recall over time
  space / x    mark several cards (M: every card found, or none)
  s  b         suspend / unsuspend, bury / unbury
  f  d         forget (back to new, history kept), set a due date
  e            edit the card's file in $EDITOR, then re-import it
  p            practise the marked cards, else those found (no effect on the schedule)
  o O r        sort by the next / previous column, reverse (or click a title)
  u, ctrl+z    undo the browser's last action
  R            run the search again (cards that stopped matching go)
  ?            these keys
  q / Escape   back"""


class KeysScreen(ModalScreen[None]):
    """The browser's keys, on `?`."""

    CSS_PATH = CSS_PATH
    BINDINGS = [Binding("escape,q,question_mark", "close", "Close")]

    def compose(self) -> ComposeResult:
        with Vertical(classes="prompt-box keys-box"):
            yield Static(Text(BROWSER_KEYS))
            yield Static(Text("Escape closes", style="dim"))

    def action_close(self) -> None:
        self.dismiss(None)
