"""The keys, on `?`: a table whose descriptions wrap under themselves, scrolling when the terminal is small."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

KEYS = {
    "Decks screen": [
        ("Enter", "review the selected deck"),
        ("a", "review all decks"),
        ("p", "practise the selected deck (nothing scheduled, answers kept apart)"),
        ("/ or b", "browse and search every card"),
        ("t", "statistics"),
        ("j k / ↓ ↑", "move"),
        ("Ctrl+P", "every action by name, and the themes"),
        ("q", "quit"),
    ],
    "Review screen": [
        ("Space / Enter", "show the answer; once shown, answer Good (space_answers_good)"),
        ("1 2 3 4", "Again, Hard, Good, Easy; each button shows the interval it gives"),
        ("u / Ctrl+Z", "undo the last action (answer, suspend, bury), again and again, back to the start of the sitting"),
        ("s", "suspend the card (hidden until unsuspended in the browser; u undoes)"),
        ("b", "bury the card until tomorrow (u undoes)"),
        ("e", "edit the card's file in $EDITOR at its line; re-imported if it changed"),
        ("i", "the card's history: every answer, interval, stability and recall"),
        ("/", "browse and search every card (suspend, unsuspend, forget, set due...)"),
        ("?", "these keys"),
        ("q / Escape", "back"),
    ],
    "Browser": [
        ("/", "search: words, deck:NAME, is:due, is:suspended, is:leech, prop:recall<0.8"),
        ("Space / x", "mark several cards; M marks all"),
        ("s b f d", "suspend/unsuspend, bury/unbury, forget, set due"),
        ("i or Enter", "card info"),
        ("e", "edit the card's file at its line"),
        ("p", "practise the marked cards, else those found"),
        ("o O r", "sort by the next/previous column, reverse"),
        ("u / Ctrl+Z", "undo the browser's last action"),
    ],
    "Drills": [
        ("Space", "start or pause the clock while you answer out loud"),
        ("n", "type notes (Escape returns); they are kept with the answer"),
        ("Enter", "show the model answer and the rubric"),
        ("Space (rubric)", "tick the item under the cursor; ↑ ↓ move"),
        ("Enter (rubric)", "rate as the ticks suggest; or 1-4"),
    ],
}


def keys_table() -> Table:
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold", no_wrap=True)
    table.add_column(overflow="fold")
    for title, rows in KEYS.items():
        table.add_row(Text(title, style="bold underline"), "")
        for key, what in rows:
            table.add_row(Text(key), Text(what))
        table.add_row("", "")
    table.add_row("", Text("Every answer is saved the moment you give it.", style="italic"))
    return table


class HelpScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape", "dismiss", "Close"),
        Binding("q", "dismiss", "Close"),
        Binding("question_mark", "dismiss", "Close"),
        Binding("j", "scroll(1)", "Down", show=False),
        Binding("k", "scroll(-1)", "Up", show=False),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(id="help"):
            with VerticalScroll(id="help-keys"):
                yield Static(keys_table())
            yield Static(Text("Escape closes · ↑ ↓ j k scroll", style="dim"))

    def action_scroll(self, lines: int) -> None:
        self.query_one("#help-keys", VerticalScroll).scroll_relative(y=lines, animate=False)

    def action_dismiss(self) -> None:
        self.dismiss(None)
