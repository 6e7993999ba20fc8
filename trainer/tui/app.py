"""The Textual app: built by one factory that the CLI and the tests share."""

from __future__ import annotations

from datetime import datetime, timezone, tzinfo
from pathlib import Path
from typing import Callable

from textual.app import App
from textual.binding import Binding

from trainer.config import Settings
from trainer.store import Store, open_db


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


class TrainerApp(App):
    """Decks screen at home; review, summary and stats screens pushed on top."""

    CSS_PATH = "trainer.tcss"
    TITLE = "trainer"
    ENABLE_COMMAND_PALETTE = False
    BINDINGS = [Binding("ctrl+c", "quit", "Quit", show=False, priority=True)]

    def __init__(
        self,
        store: Store,
        settings: Settings,
        *,
        deck: str | None = None,
        straight_to_review: bool = False,
        greeting: str | None = None,
        clock: Callable[[], datetime] = utc_now,
        tz: tzinfo | None = None,
        source: object | None = None,
    ):
        super().__init__()
        self.store = store
        self.settings = settings
        self.clock = clock
        self.tz = tz
        self._start_deck = deck
        self._straight_to_review = straight_to_review
        self._greeting = greeting
        # What the review screen opened at start draws from: None for today's queue, or
        # another source with the same interface (trainer.practice.PracticeSession).
        self._source = source

    def on_mount(self) -> None:
        from trainer.tui.screens.decks import DecksScreen
        from trainer.tui.screens.review import ReviewScreen

        self.push_screen(DecksScreen())
        if self._source is not None:
            self.push_screen(ReviewScreen(self._start_deck, session=self._source))
        elif self._straight_to_review:
            self.push_screen(ReviewScreen(self._start_deck))
        if self._greeting:
            self.notify(self._greeting, title="Welcome", timeout=8)


def run_app(
    db_path: Path,
    settings: Settings,
    *,
    deck: str | None = None,
    straight_to_review: bool = False,
    greeting: str | None = None,
    source: Callable[[Store], object] | None = None,
) -> None:
    """Open the database and run the app until the user quits.

    `source`, given the open store, makes what the first review screen draws
    from instead of today's queue (a practice run); its errors stop here,
    before the screen opens.
    """
    from trainer.history import open_current
    from trainer.session import resolve_deck

    with open_current(db_path, settings) as store:
        deck = resolve_deck(store, deck)
        app = TrainerApp(store, settings, deck=deck, straight_to_review=straight_to_review, greeting=greeting,
                         tz=settings.zone, source=source(store) if source is not None else None)
        app.run()
