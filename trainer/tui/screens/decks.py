"""Home: every deck with what is waiting in it today."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from trainer.session import Session
from trainer.store.queue import deck_overview

ALL_DECKS = "\x00all"  # a row key no deck title can take


class DecksScreen(Screen):
    BINDINGS = [
        Binding("enter", "review_selected", "Review deck", show=True),
        Binding("a", "review_all", "Review all"),
        Binding("t", "stats", "Stats"),
        Binding("question_mark", "help", "Keys"),
        Binding("q", "app.quit", "Quit"),
    ]

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False)
        yield Static("", id="decks-intro")
        table = DataTable(id="decks", cursor_type="row", zebra_stripes=True)
        yield table
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        # The deck column takes what the counts leave, so all fit at 80 columns.
        table.add_column("Deck", key="deck", width=max(16, self.app.size.width - 46))
        for label in ("New", "Learning", "Due", "Cards"):
            table.add_column(label, key=label.lower())
        self.refresh_counts()

    def on_screen_resume(self) -> None:
        self.refresh_counts()

    def refresh_counts(self) -> None:
        app = self.app
        now = app.clock()
        table = self.query_one(DataTable)
        table.clear()
        overview = deck_overview(app.store)
        intro = self.query_one("#decks-intro", Static)
        if not overview:
            intro.update(
                Text(
                    "No cards yet.\n\nWrite a deck in Markdown (see docs/deck-format.md), then run\n"
                    "    trainer import PATH\nand open trainer again."
                )
            )
            table.display = False
            return
        table.display = True
        totals = Session(app.store, app.settings, tz=app.tz).queue(now)
        due_anything = totals.new + totals.learning + totals.review
        intro.update(
            Text.assemble(
                f"Today: {totals.new} new · {totals.learning} learning · {totals.review} due",
                "" if due_anything else "  —  all done for now",
                ("\nEnter reviews the selected deck · a reviews all decks · t shows your stats", "dim"),
            )
        )
        for deck, total, _new in overview:
            queue = Session(app.store, app.settings, deck=deck, tz=app.tz).queue(now)
            table.add_row(Text(deck, overflow="ellipsis", no_wrap=True), queue.new, queue.learning, queue.review, total, key=deck)
        table.add_row(
            Text("All decks", style="bold"), totals.new, totals.learning, totals.review,
            sum(total for _, total, _ in overview), key=ALL_DECKS,
        )
        table.focus()

    def _selected_deck(self) -> str | None:
        table = self.query_one(DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return None if key == ALL_DECKS else key

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

    def action_stats(self) -> None:
        from trainer.tui.screens.stats import StatsScreen

        self.app.push_screen(StatsScreen(None))

    def action_help(self) -> None:
        from trainer.tui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen())
