"""Card info (`i`): what the card says, its schedule, every event of its log, and recall over time.

`CardInfoScreen(card_key)` reads everything through trainer.card_info with
the app's store, settings, clock and zone, so any screen can open it:

    self.app.push_screen(CardInfoScreen(card.key))
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from rich.console import Group
from rich.padding import Padding
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Markdown, Static

from trainer import card_text
from trainer.card_info import CardInfo, card_info, chart_floor, recall_chart
from trainer.errors import TrainerError
from trainer.safe_text import visible_line
from trainer.timespan import format_span
from trainer.tui.when import describe_due, describe_duration

CHART_HEIGHT = 4
LABEL_WIDTH = 5


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.0f}%"


def _local(moment: datetime, tz) -> datetime:
    return moment.astimezone(tz) if tz is not None else moment.astimezone()


def _due(info: CardInfo, now: datetime, tz) -> str:
    due, days = info.card.memory.due, info.due_days
    if due is None:
        return "— (new)"
    if days == 0:
        return describe_due(due, now, tz)
    day = _local(due, tz).strftime("%a %d %b %Y")
    if days < 0:
        return f"{day} ({-days} day{'s' if days != -1 else ''} overdue)"
    return f"{day} (in {days} day{'s' if days != 1 else ''})"


def facts(info: CardInfo, now: datetime, tz) -> Table:
    """The card's schedule and place, two columns of label and value."""
    card = info.card
    memory = card.memory
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold")
    table.add_column()
    status = card.status.value
    if card.buried_until is not None and card.buried_until > now:
        status += f", buried until {describe_due(card.buried_until, now, tz)}"
    if info.leech:
        status += f", leech ({memory.lapses} lapses)"
    rows = [
        ("State", memory.state),
        ("Due", _due(info, now, tz)),
        ("Recall now", _percent(info.recall_now)),
        ("Stability", f"{format_span(memory.stability * 86400)}" if memory.stability else "—"),
        ("Difficulty", f"{memory.difficulty:.1f} of 10" if memory.difficulty else "—"),
        ("Answers", f"{len(info.answers)}, {memory.lapses} lapses, {describe_duration(info.time_ms)} in all"),
        ("Status", status),
        ("Where", f"{card.path}:{card.source_line}"),
        ("Key", card.key),
    ]
    if not info.cache_matches:
        rows.append(("Check", "the cached schedule differs from a replay of the log: run `trainer check --repair`"))
    for label, value in rows:
        table.add_row(label, Text(str(value)))
    return table


def chart(info: CardInfo, width: int, tz) -> Group:
    """Recall from the first review to today: block columns between the chart's floor and 100%."""
    if not info.curve:
        return Group(Text("No reviews yet: recall starts with the first answer.", style="dim"))
    plot_width = max(10, width - LABEL_WIDTH - 1)
    lines = recall_chart(info.curve, plot_width, CHART_HEIGHT)
    floor = chart_floor(info.curve)
    out = [Text("Recall over time (each column a day, or the lowest of several)", style="italic")]
    for i, line in enumerate(lines):
        label = "100%" if i == 0 else (f"{floor * 100:.0f}%" if i == len(lines) - 1 else "")
        out.append(Text.assemble((f"{label:>{LABEL_WIDTH}} ", "dim"), (line, "cyan")))
    first = info.first_day.isoformat() if info.first_day else ""
    days = len(info.curve)
    span = f"{days} day{'s' if days != 1 else ''}"
    used = min(plot_width, days)
    last = "today"
    gap = max(1, used - len(first) - len(last))
    out.append(Text(" " * (LABEL_WIDTH + 1) + first + " " * gap + last + f"  ({span})", style="dim"))
    return Group(*out)


EVENT_COLUMNS = (("When", 16, "<"), ("Answer", 9, "<"), ("Time", 7, ">"), ("Interval", 8, ">"),
                 ("Stab.", 6, ">"), ("Diff.", 5, ">"), ("Recall", 6, ">"))


def _event_line(values: tuple[str, ...]) -> str:
    return " ".join(f"{value:{align}{width}}" for value, (_, width, align) in zip(values, EVENT_COLUMNS))


def events_table(info: CardInfo, tz) -> Group:
    """Every event, oldest first, with the state it left; a drill's answer on the lines below it.

    Plain fixed-width lines rather than a Rich Table: a drill's notes run as
    long as they were typed and wrap under their answer without squeezing the
    columns.
    """
    lines: list = [Text(_event_line(tuple(title for title, _, _ in EVENT_COLUMNS)), style="bold")]
    for event in info.events:
        when = _local(event.at, tz).strftime("%Y-%m-%d %H:%M")
        if event.kind == "answer":
            what = event.rating_name
        elif event.kind == "forget":
            what = "forgotten"
        else:
            what = "due set"
        if event.interval_days is not None:
            interval = f"{event.interval_days}d"
        elif event.interval is not None and event.state_after != "new":
            interval = format_span(event.interval.total_seconds())
        else:
            interval = ""
        line = _event_line((
            when, what,
            describe_duration(event.duration_ms) if event.duration_ms else "",
            interval,
            format_span(event.stability * 86400) if event.stability else "",
            f"{event.difficulty:.1f}" if event.difficulty else "",
            _percent(event.recall) if event.recall is not None else "",
        ))
        lines.append(Text(line, style="red" if event.rating_name == "Again" else ""))
        if event.drill is not None:
            drill = event.drill
            parts = [f"answered in {describe_duration(drill.time_ms)}"]
            if drill.total:
                parts.append(f"{drill.ticked}/{drill.total} rubric items")
            if drill.notes:
                parts.append(f"notes: {' '.join(drill.notes.split())}")
            lines.append(Padding(Text("↳ " + ", ".join(parts), style="dim"), (0, 0, 0, 2)))
    return Group(*lines)


class CardInfoScreen(ModalScreen[None]):
    """Everything about one card; Escape, q or i closes it."""

    CSS_PATH = str(Path(__file__).resolve().parent.parent / "browser.tcss")
    BINDINGS = [
        Binding("escape,q,i", "close", "Close"),
        Binding("j,down", "scroll(1)", "Down", show=False),
        Binding("k,up", "scroll(-1)", "Up", show=False),
    ]

    def __init__(self, card_key: str) -> None:
        super().__init__()
        self.card_key = card_key
        self.info: CardInfo | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="info-box"):
            with VerticalScroll(id="info-body"):
                yield Static("", id="info-title", markup=False)
                yield Markdown("", id="info-prompt", open_links=False)
                yield Markdown("", id="info-answer", open_links=False)
                yield Static("", id="info-facts")
                yield Static("", id="info-chart")
                yield Static("", id="info-events")
            yield Static(Text("Escape: close    j/k: scroll", style="dim"), id="info-keys")

    def on_mount(self) -> None:
        app = self.app
        now = app.clock()
        tz = getattr(app, "tz", None)
        try:
            info = card_info(app.store, app.settings, self.card_key, now, tz=tz)
        except TrainerError as exc:
            self.query_one("#info-title", Static).update(Text(str(exc), style="red"))
            return
        self.info = info
        card = info.card
        title = Text(visible_line(card.deck), style="bold")  # titles may hold escape sequences
        if card.section:
            title.append(f" › {visible_line(card.section)}")
        title.append(f" · {card_text.kind_label(card)}", style="italic")
        self.query_one("#info-title", Static).update(title)
        self.query_one("#info-prompt", Markdown).update(card_text.prompt_markdown(card))
        self.query_one("#info-answer", Markdown).update(card_text.answer_markdown(card))
        self.query_one("#info-facts", Static).update(facts(info, now, tz))
        width = min(self.app.size.width - 8, 96)
        self.query_one("#info-chart", Static).update(chart(info, width, tz))
        if info.events:
            self.query_one("#info-events", Static).update(events_table(info, tz))
        else:
            self.query_one("#info-events", Static).update(Text("No answers yet.", style="dim"))

    def action_scroll(self, lines: int) -> None:
        body = self.query_one("#info-body", VerticalScroll)
        body.scroll_relative(y=lines, animate=False)

    def action_close(self) -> None:
        self.dismiss(None)
