"""The stats screen, driven by Pilot on a small host app with a fixed clock."""

from __future__ import annotations

from rich.text import Text
from textual.app import App
from textual.widgets import Static

from test_stats import NOW, PARIS, SETTINGS, build_history
from trainer.store import open_db
from trainer.tui.screens.stats import StatsScreen


class Host(App):
    """Provides what the real app gives its screens: store, settings, clock, tz."""

    def __init__(self, store, deck=None):
        super().__init__()
        self.store = store
        self.settings = SETTINGS
        self.clock = lambda: NOW
        self.tz = PARIS
        self.deck = deck

    def on_mount(self) -> None:
        self.push_screen(StatsScreen(self.deck))


async def settle(app, pilot) -> None:
    """Let the stats worker thread finish and its result reach the screen."""
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


def _texts(screen) -> str:
    parts = []
    for static in screen.query(Static):
        content = static.render()
        parts.append(content.plain if isinstance(content, Text) else str(content))
    return "\n".join(parts)


async def test_stats_screen_shows_the_figures_and_q_goes_back(tmp_path):
    with open_db(tmp_path / "trainer.db") as store:
        build_history(store)
        app = Host(store)
        async with app.run_test(size=(120, 60)) as pilot:
            await settle(app, pilot)
            screen = app.screen
            assert isinstance(screen, StatsScreen)
            assert screen.report.today.reviews == 3
            assert len(screen.query(".stats-section")) == 12  # leeches after the hardest cards, and practice
            await pilot.press("q")
            await pilot.pause()
            assert not isinstance(app.screen, StatsScreen)


async def test_stats_screen_for_a_deck_without_reviews_shows_the_message(tmp_path):
    from test_stats import add_cards

    with open_db(tmp_path / "trainer.db") as store:
        add_cards(store, "Alpha", "alpha.md", ["a1"])
        app = Host(store, deck="Alpha")
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(app, pilot)
            message = app.screen.query_one("#stats-message", Static)
            assert "No reviews in deck 'Alpha'" in str(message.render())
            await pilot.press("escape")
            await pilot.pause()
            assert not isinstance(app.screen, StatsScreen)


async def test_stats_screen_shows_an_unknown_deck_as_a_message_not_a_crash(tmp_path):
    with open_db(tmp_path / "trainer.db") as store:
        build_history(store)
        app = Host(store, deck="Nope")
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(app, pilot)
            assert "no deck named 'Nope'" in str(app.screen.query_one("#stats-message", Static).render())
