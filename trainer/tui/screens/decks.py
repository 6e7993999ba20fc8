"""Home: every deck with what is waiting in it today."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from trainer.safe_text import visible_line
from trainer.session import Session

# Row keys: "all", or "deck:" and the title, so no deck title can take the first.
ALL_DECKS = "all"
DECK_KEY = "deck:"
COUNT_COLUMNS = ("new", "learning", "due", "cards")
COUNTS_WIDTH = 40  # the four count columns and the table's padding


class DecksScreen(Screen):
    BINDINGS = [
        Binding("enter", "review_selected", "Review deck", show=True),
        Binding("a", "review_all", "Review all"),
        Binding("p", "practice", "Practice"),
        Binding("t", "stats", "Stats"),
        Binding("j", "move(1)", "Down", show=False),
        Binding("k", "move(-1)", "Up", show=False),
        Binding("slash", "browse(True)", "Search cards", show=False),
        Binding("b", "browse(False)", "Browse"),
        Binding("question_mark", "help", "Keys"),
        Binding("q", "app.quit", "Quit"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._rows: dict[str, tuple] = {}  # row key -> what it shows, to update only what changed
        self._session: Session | None = None

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False)
        yield Static("", id="decks-intro")
        yield DataTable(id="decks", cursor_type="row", zebra_stripes=True)
        yield Footer(show_command_palette=False)  # at 80 columns "q Quit" matters more; Ctrl+P still works

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column("Deck", key="deck", width=self._deck_width())
        for label in ("New", "Learning", "Due", "Cards"):
            table.add_column(label, key=label.lower())

    def on_screen_resume(self) -> None:
        # Counted only when shown: under `trainer review` this screen waits
        # below the review and costs nothing until the user comes back to it.
        if self.app.screen is self:
            self.refresh_counts()

    def on_resize(self) -> None:
        table = self.query_one(DataTable)
        column = table.columns.get("deck")
        if column is not None and column.width != self._deck_width():
            column.width = self._deck_width()
            table.refresh()

    def _deck_width(self) -> int:
        # The deck column takes what the counts leave, so all fit at 80 columns.
        return max(16, self.app.size.width - COUNTS_WIDTH)

    @property
    def session(self) -> Session:
        if self._session is None:
            self._session = Session(self.app.store, self.app.settings, tz=self.app.tz)
        return self._session

    def refresh_counts(self) -> None:
        now = self.app.clock()
        table = self.query_one(DataTable)
        rows = self.session.deck_counts(now)
        intro = self.query_one("#decks-intro", Static)
        if not rows:
            intro.update(
                Text(
                    "No cards yet.\n\nWrite a deck in Markdown (see docs/deck-format.md), then run\n"
                    "    trainer import PATH\nand open trainer again."
                )
            )
            table.display = False
            return
        table.display = True
        queue = self.session.queue(now)
        due_anything = queue.new + queue.learning + queue.review
        intro.update(
            Text.assemble(
                f"Today: {queue.new} new · {queue.learning} learning · {queue.review} due",
                "" if due_anything else "  —  all done for now",
                ("\nEnter review · a all decks · p practise · t stats · / find · Ctrl+P more", "dim"),
            )
        )
        # New and Due are each deck's share of today's queue, so the column adds
        # up to the day's total (the limits are for all decks together).
        share = self.session.decks_of([*queue.new_cards, *queue.reviews])
        wanted = {DECK_KEY + row.deck: (share.get(row.deck, (0, 0))[0], row.learning, share.get(row.deck, (0, 0))[1],
                                        row.total)
                  for row in rows}
        wanted[ALL_DECKS] = (queue.new, queue.learning, queue.review, sum(row.total for row in rows))
        self._apply(table, wanted)
        table.focus()

    def _apply(self, table: DataTable, wanted: dict[str, tuple]) -> None:
        """Change only the cells that differ, so the cursor stays where the user left it."""
        if list(wanted) != list(self._rows):
            selected = self._selected_key()
            table.clear()
            for key, counts in wanted.items():
                if key == ALL_DECKS:
                    label = Text("All decks", style="bold")
                else:  # a title with an escape sequence shows it, never sends it to the terminal
                    label = Text(visible_line(key.removeprefix(DECK_KEY)), overflow="ellipsis", no_wrap=True)
                table.add_row(label, *counts, key=key)
            if selected in wanted:
                table.move_cursor(row=table.get_row_index(selected))
        else:
            for key, counts in wanted.items():
                if counts != self._rows[key]:
                    for column, value in zip(COUNT_COLUMNS, counts):
                        table.update_cell(key, column, value)
        self._rows = wanted

    def _selected_key(self) -> str | None:
        table = self.query_one(DataTable)
        if not table.row_count:
            return None
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value

    def _selected_deck(self) -> str | None:
        key = self._selected_key()
        return None if key is None or key == ALL_DECKS else key.removeprefix(DECK_KEY)

    def action_move(self, rows: int) -> None:
        table = self.query_one(DataTable)
        if table.row_count:
            table.move_cursor(row=max(0, min(table.row_count - 1, table.cursor_row + rows)))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_review_selected()

    def action_review_selected(self) -> None:
        from trainer.tui.screens.review import ReviewScreen

        if not self.query_one(DataTable).row_count:
            self.notify("Import a deck first: trainer import PATH", severity="warning")
            return
        self.app.push_screen(ReviewScreen(self._selected_deck()))

    def action_review_all(self) -> None:
        from trainer.tui.screens.review import ReviewScreen

        self.app.push_screen(ReviewScreen(None))

    def action_practice(self) -> None:
        """Practise the selected deck (or all): its cards in deck order, nothing scheduled."""
        from trainer.errors import TrainerError
        from trainer.practice import PracticeSession, Selection, select_cards
        from trainer.tui.screens.review import ReviewScreen

        if not self.query_one(DataTable).row_count:
            self.notify("Import a deck first: trainer import PATH", severity="warning")
            return
        deck, app = self._selected_deck(), self.app
        try:
            keys = select_cards(app.store, app.settings, app.clock(), Selection(deck=deck))
        except TrainerError as exc:
            self.notify(str(exc), severity="warning")
            return
        self.app.push_screen(ReviewScreen(deck, session=PracticeSession(app.store, app.settings, keys, deck=deck,
                                                                        tz=app.tz)))

    def action_stats(self) -> None:
        from trainer.tui.screens.stats import StatsScreen

        self.app.push_screen(StatsScreen(None))

    def action_browse(self, search_first: bool) -> None:
        from trainer.tui.screens.browser import BrowserScreen

        self.app.push_screen(BrowserScreen(search_first=search_first))

    def action_help(self) -> None:
        from trainer.tui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen())
