"""The keys, on `?`."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

KEYS = """\
Decks screen
  Enter      review the selected deck
  a          review all decks
  p          practise the selected deck (nothing scheduled, answers kept apart)
  t          statistics
  q          quit

Review screen
  Space/Enter  show the answer
  1 2 3 4      Again, Hard, Good, Easy (after the answer is shown)
  u            undo the last answer (again and again)
  s            suspend the card (never shown until unsuspended)
  b            bury the card until tomorrow
  e            edit the card's file in $EDITOR, then re-import it
  ?            these keys
  q / Escape   back

Every answer is saved the moment you give it."""


class HelpScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape", "dismiss", "Close"),
        Binding("q", "dismiss", "Close"),
        Binding("question_mark", "dismiss", "Close"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(id="help"):
            yield Static(Text(KEYS))
            yield Static(Text("Escape closes", style="dim"))

    def action_dismiss(self) -> None:
        self.dismiss(None)
