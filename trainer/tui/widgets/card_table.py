"""A table of cards that draws only the lines on screen: instant with 100,000 cards.

Textual's DataTable builds every row up front (seconds at 100,000 cards).
This is a Line API widget instead: its virtual height is the number of cards
found, and `render_line` asks the Browse (trainer.browse) for the one row a
line shows; Browse reads rows from SQL a page at a time. Card text goes into
Segments as plain text, never through Rich markup.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from trainer.browse import Browse, BrowseRow
from trainer.safe_text import visible_line
from trainer.timespan import format_span

DAY_S = 86_400.0
GAP = 1
STATE_LABELS = {"new": "new", "learning": "learning", "review": "review", "relearning": "relearn"}
FLAG_WORDS = {"suspended": "susp"}


@dataclass(frozen=True)
class Column:
    key: str  # the sort column (trainer.store.card_search.SORT_COLUMNS), or "mark"
    title: str
    width: int
    drop: int  # the order columns go in when the terminal is too narrow (1 first; 0 never)
    right: bool = False


COLUMNS = (
    Column("mark", "", 1, 0),
    Column("deck", "Deck", 12, 6),
    Column("section", "Section", 14, 1),
    Column("kind", "Kind", 8, 3),
    Column("prompt", "Prompt", 20, 0),  # takes what the others leave
    Column("state", "State", 8, 8),
    Column("due", "Due", 6, 9, right=True),
    Column("stability", "Stab", 6, 4, right=True),
    Column("recall", "Recall", 7, 10, right=True),
    Column("lapses", "Lapses", 7, 5, right=True),
    Column("status", "Status", 10, 7),
    Column("location", "path:line", 22, 2),
)


def layout(width: int) -> list[tuple[Column, int]]:
    """The columns that fit in `width` cells, each with its width; the prompt takes the rest."""
    shown = list(COLUMNS)

    def needed(columns):
        return sum(c.width for c in columns) + GAP * (len(columns) - 1)

    while needed(shown) > width and any(c.drop for c in shown):
        shown.remove(min((c for c in shown if c.drop), key=lambda c: c.drop))
    spare = max(0, width - needed(shown))
    return [(c, c.width + spare if c.key == "prompt" else c.width) for c in shown]


def _due(row: BrowseRow) -> str:
    if row.due_days is None:
        return ""
    if row.due_days == 0:
        return "today"
    text = format_span(abs(row.due_days) * DAY_S)
    return f"-{text}" if row.due_days < 0 else text


def cell_text(row: BrowseRow, key: str, marked: bool, deck_prefix: str = "") -> str:
    """What a column shows for a card, as plain text (a deck without the words every deck starts with)."""
    if key == "mark":
        return "•" if marked else ""
    if key == "deck" and deck_prefix and row.deck.startswith(deck_prefix) and row.deck != deck_prefix:
        return visible_line(row.deck[len(deck_prefix):])
    if key == "state":
        return STATE_LABELS.get(row.state, row.state)
    if key == "due":
        return _due(row)
    if key == "stability":
        return format_span(row.stability * DAY_S) if row.stability is not None else ""
    if key == "recall":
        return f"{row.recall * 100:.0f}%" if row.recall is not None else ""
    if key == "lapses":
        return str(row.lapses) if row.lapses else ""
    if key == "status":
        return " ".join(FLAG_WORDS.get(word, word) for word in row.flags.split())
    if key == "location":
        return visible_line(f"{Path(row.path).name}:{row.line}")
    return visible_line(" ".join(str(getattr(row, key)).split()))  # card text never reaches the terminal raw


def fit(text: str, width: int, right: bool = False) -> str:
    """Exactly `width` cells: cut with an ellipsis, or padded."""
    if cell_len(text) > width:
        text = set_cell_size(text, max(width - 1, 0)) + "…" if width > 0 else ""
    padding = width - cell_len(text)
    return " " * padding + text if right else text + " " * padding


def header_text(width: int, sort: tuple[str, bool]) -> str:
    """The column titles for `width` cells, the sorted one with ▲ (ascending) or ▼."""
    parts = []
    for column, size in layout(width):
        title = column.title
        if column.key == sort[0]:
            title += "▼" if sort[1] else "▲"
        parts.append(fit(title, size, column.right))
    return (" " * GAP).join(parts)


def column_at(width: int, x: int) -> str | None:
    """The column under cell x (for a click on the header)."""
    start = 0
    for column, size in layout(width):
        if start <= x < start + size + GAP:
            return column.key
        start += size + GAP
    return None


class CardTable(ScrollView, can_focus=True):
    """Cards found by a Browse, one a line; a cursor, and marks for acting on several."""

    COMPONENT_CLASSES = {"card-table--cursor", "card-table--marked", "card-table--dim", "card-table--warn"}
    DEFAULT_CSS = """
    CardTable { background: $surface; overflow-x: hidden; }
    CardTable > .card-table--cursor { background: $accent 40%; text-style: bold; }
    CardTable:focus > .card-table--cursor { background: $accent; color: $text; }
    CardTable > .card-table--marked { color: $warning; }
    CardTable > .card-table--dim { color: $text-muted; }
    CardTable > .card-table--warn { color: $error; }
    """
    BINDINGS = [
        Binding("down,j", "move(1)", "Down", show=False),
        Binding("up,k", "move(-1)", "Up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("home,g", "jump(0)", "First", show=False),
        Binding("end,G", "jump(-1)", "Last", show=False),
        Binding("space,x", "mark", "Mark", show=False),
        Binding("enter", "open", "Card info", show=False),
    ]

    cursor = reactive(0, always_update=True)

    class Moved(Message):
        """The cursor is on another card."""

        def __init__(self, row: BrowseRow | None) -> None:
            super().__init__()
            self.row = row

    class MarksChanged(Message):
        """A card was marked or unmarked."""

    class Opened(Message):
        """Enter (or a double click) on a card."""

        def __init__(self, row: BrowseRow) -> None:
            super().__init__()
            self.row = row

    def __init__(self, browse: Browse, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.browse = browse
        self.marked: set[int] = set()  # card ids
        self._sync_size()

    # -- data ---------------------------------------------------------------
    def reload(self, *, keep_cursor_on: int | None = None) -> None:
        """After a search or a sort: new rows, marks kept on the cards still found, cursor on the same card if it is."""
        self._sync_size()
        if self.marked:
            self.marked.intersection_update(self.browse.ids)
        index = self.browse.index_of(keep_cursor_on) if keep_cursor_on is not None else None
        self.cursor = index if index is not None else 0
        self.scroll_to(y=max(0, self.cursor - self.scrollable_content_region.height // 2), animate=False,
                       immediate=True)
        self.refresh()

    def redraw(self) -> None:
        """The same rows read again (after an action changed cards)."""
        self.browse.refresh()
        self.refresh()
        self.post_message(self.Moved(self.current))

    def _sync_size(self) -> None:
        self.virtual_size = Size(0, self.browse.total)  # never wider than the screen: no sideways scrolling

    @property
    def current(self) -> BrowseRow | None:
        return self.browse.row(self.cursor)

    def selected_indexes(self) -> list[int]:
        """The marked cards (in table order), else the card under the cursor."""
        if self.marked:
            return [i for i, card_id in enumerate(self.browse.ids) if card_id in self.marked]
        return [self.cursor] if self.browse.total else []

    # -- drawing ------------------------------------------------------------
    def on_resize(self, event: events.Resize) -> None:
        self._sync_size()

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        index = self.scroll_offset.y + y
        row = self.browse.row(index)
        base = self.rich_style
        if row is None:
            return Strip.blank(width, base)
        style = base
        if row.status != "active" or row.buried:
            style += self.get_component_rich_style("card-table--dim")
        if row.id in self.marked:
            style += self.get_component_rich_style("card-table--marked")
        if index == self.cursor:
            style += self.get_component_rich_style("card-table--cursor")
        warn = style + self.get_component_rich_style("card-table--warn", partial=True)
        segments = []
        for column, size in layout(width):
            text = fit(cell_text(row, column.key, row.id in self.marked, self.browse.deck_prefix), size, column.right)
            hot = (column.key == "due" and row.due_days is not None and row.due_days < 0) or (
                column.key == "status" and row.leech)
            segments.append(Segment(text, warn if hot else style))
            segments.append(Segment(" " * GAP, style))
        return Strip(segments[:-1]).adjust_cell_length(width, style)

    def watch_cursor(self, old: int, new: int) -> None:
        total = self.browse.total
        if total and not 0 <= new < total:
            self.cursor = max(0, min(new, total - 1))
            return
        height = max(1, self.scrollable_content_region.height)
        top = round(self.scroll_offset.y)
        if new < top:
            self.scroll_to(y=new, animate=False, immediate=True)
        elif new >= top + height:
            self.scroll_to(y=new - height + 1, animate=False, immediate=True)
        self.refresh()
        self.post_message(self.Moved(self.current))

    # -- keys and mouse -----------------------------------------------------
    def action_move(self, step: int) -> None:
        if self.browse.total:
            self.cursor = max(0, min(self.cursor + step, self.browse.total - 1))

    def action_page(self, pages: int) -> None:
        self.action_move(pages * max(1, self.scrollable_content_region.height - 1))

    def action_jump(self, where: int) -> None:
        if self.browse.total:
            self.cursor = where if where >= 0 else self.browse.total - 1

    def action_mark(self) -> None:
        row = self.current
        if row is None:
            return
        self.marked.symmetric_difference_update({row.id})
        self.post_message(self.MarksChanged())
        self.action_move(1)
        self.refresh()

    def action_open(self) -> None:
        row = self.current
        if row is not None:
            self.post_message(self.Opened(row))

    def on_click(self, event: events.Click) -> None:
        index = round(self.scroll_offset.y) + event.y
        if 0 <= index < self.browse.total:
            self.cursor = index
            if event.chain >= 2:
                self.action_open()
