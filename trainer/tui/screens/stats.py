"""The statistics as a screen: the same figures and charts as `trainer stats`."""

from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from trainer.errors import TrainerError
from trainer.stats import StatsReport, compute_stats
from trainer.stats_view import render_report


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

    def compose(self) -> ComposeResult:
        yield VerticalScroll(id="stats-body")
        yield Footer()

    def on_mount(self) -> None:
        self.action_refresh_stats()

    def action_refresh_stats(self) -> None:
        body = self.query_one("#stats-body", VerticalScroll)
        body.remove_children()
        try:
            self.report = compute_stats(
                self.app.store, self.app.settings, self.app.clock(), deck=self.deck, tz=getattr(self.app, "tz", None)
            )
        except TrainerError as exc:
            self.report = None
            body.mount(Static(str(exc), id="stats-message", markup=False))
            return
        if self.report.message:
            body.mount(Static(self.report.message, id="stats-message", markup=False))
            return
        # render_report builds rich.text.Text for anything from a deck, so nothing is read as markup.
        body.mount_all(Static(part, classes="stats-section") for part in render_report(self.report))

    def action_back(self) -> None:
        self.app.pop_screen()
