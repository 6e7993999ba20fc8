"""The statistics as a screen: the same figures and charts as `trainer stats`."""

from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from trainer.errors import TrainerError
from trainer.stats import StatsReport, compute_stats
from trainer.stats_view import render_report
from trainer.store import open_db


class StatsScreen(Screen):
    """Reads the app's store, settings and clock; q or escape goes back."""

    CSS_PATH = str(Path(__file__).resolve().parent.parent / "stats.tcss")
    BINDINGS = [
        Binding("q", "back", "Back"),
        Binding("escape", "back", "Back", show=False),
        Binding("r", "refresh_stats", "Refresh"),
    ]

    def __init__(self, deck: str | None = None):
        super().__init__()
        self.deck = deck
        self.report: StatsReport | None = None
        self.loaded = False  # the figures are on screen (benchmarks and tests wait for it)

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="stats-body"):
            yield Static("", id="stats-message", markup=False)
            yield Vertical(id="stats-sections")
        yield Footer()

    def on_mount(self) -> None:
        self.action_refresh_stats()

    def action_refresh_stats(self) -> None:
        self._message("Counting…")
        # A million reviews take most of a second: count in a thread so the
        # screen stays responsive (q works at once).
        self.run_worker(self._compute, thread=True, exclusive=True, group="stats")

    def _compute(self) -> None:
        app = self.app
        try:
            # SQLite connections stay in their thread: this one gets its own.
            with open_db(app.store.path) as store:
                result = compute_stats(store, app.settings, app.clock(), deck=self.deck, tz=getattr(app, "tz", None))
        except TrainerError as exc:
            result = exc
        app.call_from_thread(self._show, result)

    def _message(self, text: str) -> None:
        message = self.query_one("#stats-message", Static)
        message.update(text)
        message.display = bool(text)

    async def _show(self, result: StatsReport | TrainerError) -> None:
        sections = self.query_one("#stats-sections", Vertical)
        await sections.remove_children()
        if isinstance(result, TrainerError):
            self.report = None
            self._message(str(result))
            return
        self.report = result
        self._message(result.message or "")
        if not result.message:
            # render_report builds rich.text.Text for anything from a deck, so nothing is read as markup.
            await sections.mount_all(Static(part, classes="stats-section") for part in render_report(result))
        self.loaded = True

    def action_back(self) -> None:
        self.app.pop_screen()
