"""The card browser (`/` or `b` on the decks screen): search, sort, and act on any card.

`BrowserScreen(query="")` reads the app's store, settings, clock and zone.
The search runs as you type (after a short pause) and on Enter; the table
draws only the lines on screen (trainer.tui.widgets.card_table), so it is
as quick with 100,000 cards as with ten.
"""

from __future__ import annotations

import os
from pathlib import Path

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Input, Static

from trainer import card_actions
from trainer.browse import SORT_COLUMNS, Browse
from trainer.bundled import is_bundled
from trainer.card_actions import ActionResult
from trainer.errors import TrainerError
from trainer.model import Card
from trainer.safe_text import visible_line
from trainer.store.cards import get_card
from trainer.tui.edit_card import edit_card
from trainer.tui.guarded import GuardedWrites
from trainer.tui.widgets.card_table import CardTable, column_at, header_text

SEARCH_PAUSE_S = 0.3  # search once typing pauses this long
CONFIRM_ABOVE = 20  # acting on more marked cards than this asks first


def _shown_location(path: str, line: int) -> str:
    """`path:line` as the user would type it; a bundled deck by its name (it lives inside the program)."""
    if is_bundled(path):
        return f"bundled deck {Path(path).name}:{line} (e edits a copy in your decks folder)"
    return f"{_shown_path(path)}:{line}"


def _shown_path(path: str) -> str:
    """A path as the user would type it: relative to here when it is below here."""
    try:
        relative = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return path
    return path if relative.startswith("..") else relative


PRACTICE_AT_MOST = 200  # a practice run from the browser: more than a sitting's worth is never meant


class BrowserScreen(GuardedWrites, Screen):
    CSS_PATH = str(Path(__file__).resolve().parent.parent / "browser.tcss")
    BINDINGS = [
        Binding("slash", "focus_search", "Search"),
        Binding("i", "info", "Info"),
        Binding("s", "suspend", "Suspend"),
        Binding("b", "bury", "Bury"),
        Binding("f", "forget", "Forget"),
        Binding("d", "set_due", "Due"),
        Binding("e", "edit", "Edit", show=False),
        Binding("p", "practice", "Practise", show=False),
        Binding("o", "sort(1)", "Sort", show=False),
        Binding("O", "sort(-1)", "Sort back", show=False),
        Binding("r", "reverse", "Reverse", show=False),
        Binding("u", "undo", "Undo"),
        Binding("ctrl+z", "undo", "Undo", show=False),
        Binding("M", "mark_all", "Mark all", show=False),
        Binding("R", "rerun", "Search again", show=False),
        Binding("question_mark", "help", "Keys"),
        Binding("q", "back", "Back"),
        Binding("escape", "escape", "Back", show=False),
    ]

    def __init__(self, query: str = "", *, search_first: bool = False) -> None:
        super().__init__()
        self.initial_query = query
        self.search_first = search_first
        # Focus where the user starts, at once: each change of focus rebuilds the footer's keys.
        self.AUTO_FOCUS = "#browser-search" if search_first else "#browser-table"
        self.browse: Browse | None = None
        self.error: str | None = None
        self.done: list[ActionResult] = []  # this screen's actions, for undo
        self._pending: Timer | None = None

    # -- building -------------------------------------------------------------
    def compose(self) -> ComposeResult:
        app = self.app
        try:
            self.browse = Browse(app.store, app.settings, app.clock(), query=self.initial_query,
                                 tz=getattr(app, "tz", None))
        except TrainerError as exc:
            self.error = str(exc)
            self.browse = Browse(app.store, app.settings, app.clock(), tz=getattr(app, "tz", None))
        yield Input(self.initial_query, placeholder="search: words deck:NAME is:due -is:suspended prop:recall<0.8",
                    id="browser-search", compact=True)
        yield Static("", id="browser-status")
        yield Static("", id="browser-header")
        yield CardTable(self.browse, id="browser-table")
        yield Static("", id="browser-detail")
        yield Footer(show_command_palette=False)  # 80 columns: "q Back" matters more; ctrl+p still works

    def on_mount(self) -> None:
        self._show_status()

    @property
    def table(self) -> CardTable:
        return self.query_one(CardTable)

    def on_screen_resume(self) -> None:
        # Back from card info or the editor: the cards may have changed.
        if self.browse is not None and self.is_mounted:
            self.table.redraw()

    # -- status lines ---------------------------------------------------------
    def _show_status(self) -> None:
        browse = self.browse
        status = self.query_one("#browser-status", Static)
        if self.error:
            status.update(Text(self.error, style="bold red"))
        else:
            column, descending = browse.sort
            text = Text(f"{browse.total:,} card{'' if browse.total == 1 else 's'}", style="bold")
            text.append(f" · sorted by {column}{' ▼' if descending else ' ▲'}")
            if self.table.marked:
                text.append(f" · {len(self.table.marked)} marked", style="bold yellow")
            if not browse.query.wants_retired:
                text.append(" · retired hidden (is:retired)", style="dim")
            status.update(text)
        self._show_header()

    def _show_header(self) -> None:
        width = self.table.scrollable_content_region.width or self.app.size.width
        self.query_one("#browser-header", Static).update(Text(header_text(width, self.browse.sort)))

    def on_resize(self, event: events.Resize) -> None:
        self.call_after_refresh(self._show_header)

    def on_card_table_marks_changed(self, message: CardTable.MarksChanged) -> None:
        self._show_status()

    def on_card_table_moved(self, message: CardTable.Moved) -> None:
        row = message.row
        detail = self.query_one("#browser-detail", Static)
        if row is None:
            detail.update(Text("No card matches: change the search (Escape clears it)." if self.browse.query.terms
                               else "No cards yet: run `trainer import PATH`.", style="dim"))
            return
        where = Text(visible_line(_shown_location(row.path, row.line)), style="dim")
        detail.update(Text.assemble(Text(visible_line(row.prompt), overflow="ellipsis", no_wrap=True), "\n", where))

    # -- searching and sorting ----------------------------------------------------
    def on_input_changed(self, event: Input.Changed) -> None:
        if self._pending is not None:
            self._pending.stop()
        self._pending = self.set_timer(SEARCH_PAUSE_S, lambda: self.run_search(event.value))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if self._pending is not None:
            self._pending.stop()
        self.run_search(event.value)
        if not self.error:
            self.table.focus()

    def run_search(self, text: str) -> None:
        current = self.table.current
        try:
            self.browse.search(text)
        except TrainerError as exc:
            self.error = str(exc)
        else:
            self.error = None
            self.table.reload(keep_cursor_on=current.id if current else None)
        self._show_status()

    def _sort(self, column: str, descending: bool) -> None:
        """A new order starts at its top (the lowest recall, the most lapses ...)."""
        try:
            self.browse.sort_by(column, descending)
        except TrainerError as exc:
            self.notify(str(exc), severity="error")
            return
        self.table.reload()
        self._show_status()

    def action_sort(self, step: int) -> None:
        column = self.browse.sort[0]
        index = (SORT_COLUMNS.index(column) + step) % len(SORT_COLUMNS)
        self._sort(SORT_COLUMNS[index], False)

    def action_reverse(self) -> None:
        column, descending = self.browse.sort
        self._sort(column, not descending)

    def action_rerun(self) -> None:
        self.browse.set_now(self.app.clock())
        self.run_search(self.query_one(Input).value)

    def on_click(self, event: events.Click) -> None:
        header = self.query_one("#browser-header", Static)
        if event.widget is header:
            x = event.x - header.styles.padding.left  # the titles line up with the table's cells
            column = column_at(self.table.scrollable_content_region.width, x)
            if column in SORT_COLUMNS:
                same = column == self.browse.sort[0]
                self._sort(column, not self.browse.sort[1] if same else False)

    def action_focus_search(self) -> None:
        self.query_one(Input).focus()

    def action_escape(self) -> None:
        search = self.query_one(Input)
        if search.has_focus:
            self.table.focus()
        else:
            self.action_back()

    def action_back(self) -> None:
        self.app.pop_screen()

    # -- acting on cards ------------------------------------------------------------
    def _targets(self) -> list[str]:
        return self.browse.keys(self.table.selected_indexes())

    def _selected_rows(self):
        return [self.browse.row(i) for i in self.table.selected_indexes()]

    def _act(self, action: str, days: int | None = None) -> None:
        keys = self._targets()
        if not keys:
            return
        app = self.app
        label = action.replace("-", " ").capitalize()
        ok, result = self.write(label, lambda: card_actions.run(action, app.store, self.browse.scheduler, keys,
                                                                app.clock(), days), self._acted)
        if ok:
            self._acted(result)

    def _acted(self, result: ActionResult) -> None:
        self.done.append(result)
        self.notify(result.message(), timeout=4)
        self.table.redraw()
        self._show_status()

    def _confirmed(self, action: str, question: str | None = None, days: int | None = None) -> None:
        """Act at once on a few cards; ask first for many (or when `question` says to)."""
        count = len(self.table.selected_indexes())
        if question is None and count <= CONFIRM_ABOVE:
            self._act(action, days)
            return
        from trainer.tui.screens.prompts import ConfirmScreen

        text = question or f"{action.replace('-', ' ').capitalize()} {count} cards?"

        def answered(yes: bool | None) -> None:
            if yes:
                self._act(action, days)

        self.app.push_screen(ConfirmScreen(text), answered)

    def action_suspend(self) -> None:
        rows = [r for r in self._selected_rows() if r is not None]
        if rows:
            self._confirmed("unsuspend" if all(r.status == "suspended" for r in rows) else "suspend")

    def action_bury(self) -> None:
        rows = [r for r in self._selected_rows() if r is not None]
        if rows:
            self._confirmed("unbury" if all(r.buried for r in rows) else "bury")

    def action_forget(self) -> None:
        count = len(self.table.selected_indexes())
        if count:
            cards = "this card" if count == 1 else f"these {count} cards"
            self._confirmed("forget", f"Forget {cards}? They go back to new; their reviews stay in the log "
                                      "(u undoes it).")

    def action_set_due(self) -> None:
        count = len(self.table.selected_indexes())
        if not count:
            return
        from trainer.tui.screens.prompts import DueScreen

        calendar = self.browse.scheduler.calendar
        today = calendar.date(calendar.day_of(self.app.clock()))

        def chosen(days: int | None) -> None:
            if days is not None:
                self._act("set-due", days)

        self.app.push_screen(DueScreen(today, count), chosen)

    def action_undo(self) -> None:
        if not self.done:
            self.notify("Nothing to undo in the browser.", timeout=3)
            return
        result = self.done[-1]
        ok, restored = self.write("Undo", lambda: card_actions.undo(self.app.store, self.browse.scheduler, result,
                                                                    self.app.clock()))
        if not ok:
            return
        self.done.pop()
        self.notify(f"Undone: {result.action.replace('-', ' ')} ({restored} card{'' if restored == 1 else 's'}).",
                    timeout=3)
        self.table.redraw()

    def action_practice(self) -> None:
        """Practise the marked cards, else the cards found (the first PRACTICE_AT_MOST): nothing is scheduled."""
        from trainer.practice import PracticeSession
        from trainer.tui.screens.review import ReviewScreen

        if self.browse is None or not self.browse.total:
            return
        table, app = self.table, self.app
        indexes = [i for i, card_id in enumerate(self.browse.ids) if card_id in table.marked] if table.marked \
            else range(min(self.browse.total, PRACTICE_AT_MOST))
        keys = self.browse.keys(indexes)
        if not table.marked and self.browse.total > PRACTICE_AT_MOST:
            self.notify(f"Practising the first {PRACTICE_AT_MOST:,} of {self.browse.total:,} cards found "
                        "(mark cards to choose).", timeout=6)
        app.push_screen(ReviewScreen(None, session=PracticeSession(app.store, app.settings, keys, tz=app.tz)))

    def action_mark_all(self) -> None:
        table = self.table
        if table.marked:
            table.marked.clear()
        else:
            table.marked.update(self.browse.ids)
        table.refresh()
        self._show_status()

    def on_card_table_opened(self, message: CardTable.Opened) -> None:
        self._open_info(message.row.key)

    def action_info(self) -> None:
        row = self.table.current
        if row is not None:
            self._open_info(row.key)

    def _open_info(self, key: str) -> None:
        from trainer.tui.screens.card_info import CardInfoScreen

        self.app.push_screen(CardInfoScreen(key))

    def action_help(self) -> None:
        from trainer.tui.screens.prompts import KeysScreen

        self.app.push_screen(KeysScreen())

    # -- the editor ---------------------------------------------------------------
    async def action_edit(self) -> None:
        """Open the card's file at its line in $VISUAL or $EDITOR, then re-import what changed (as review does)."""
        row = self.table.current
        card = get_card(self.app.store, row.key) if row is not None else None
        if card is None or self.waiting:
            return

        async def done(_fresh: Card | None) -> None:
            self.run_search(self.query_one(Input).value)

        await edit_card(self, card, done)
