"""The Textual app: built by one factory that the CLI and the tests share."""

from __future__ import annotations

from datetime import datetime, timezone, tzinfo
from pathlib import Path
from typing import Callable, Iterable

from rich.text import Text
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from trainer.config import Settings
from trainer.store import Store
from trainer.tui.guarded import APP_BUSY_TIMEOUT_MS


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


class TrainerApp(App):
    """Decks screen at home; review, summary and stats screens pushed on top."""

    CSS_PATH = "trainer.tcss"
    TITLE = "trainer"
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
        self._source = source  # a review source to open on (practice), instead of today's queue
        self.crash_log: Path | None = None
        if settings.theme and settings.theme in self.available_themes:
            self.theme = settings.theme
        # A long write by another program shows as a notice on screen, not a frozen app (tui/guarded.py).
        store.conn.execute(f"PRAGMA busy_timeout = {APP_BUSY_TIMEOUT_MS}")

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

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """The command palette (Ctrl+P): every key's action, by name, and the themes."""
        yield from super().get_system_commands(screen)
        for binding in screen.BINDINGS:
            if isinstance(binding, Binding) and binding.description and binding.action not in ("app.quit",):
                yield SystemCommand(binding.description, f"Same as the {binding.key} key",
                                    lambda action=binding.action, target=screen: self.run_action(action, target))

    def watch_theme(self, theme: str) -> None:
        """Remember the theme chosen in the palette, in the settings file."""
        if not self.is_mounted or theme == self.settings.theme:
            return
        from trainer.config import config_path
        from trainer.config_file import update_settings_file

        try:
            update_settings_file(config_path(), {"theme": theme})
        except Exception as exc:  # noqa: BLE001 - a theme not remembered is not worth a crash
            self.notify(f"The theme could not be saved: {exc}", severity="warning")

    def _fatal_error(self) -> None:
        """An unexpected error: its traceback goes to a log file; the screen says one line, where."""
        from trainer import crash_log

        error = self._exception
        self.crash_log = crash_log.write(error, getattr(self.store, "path", None)) if error else None
        where = f"the details are in {self.crash_log}" if self.crash_log else "the log could not be written"
        self.bell()
        self._exit_renderables.append(Text(
            f"trainer stopped on an unexpected error ({type(error).__name__}); {where}. "
            "Every answer given before it is saved. Please report it with that file."
        ))
        self._close_messages_no_wait()


def run_app(
    db_path: Path,
    settings: Settings,
    *,
    deck: str | None = None,
    straight_to_review: bool = False,
    greeting: str | None = None,
    source: Callable[[Store], object] | None = None,
    store: Store | None = None,
) -> int:
    """Run the app on `store` (or on the database at `db_path`, opened here) until the user quits.

    Returns the exit code. `source`, given the open store, makes what the
    first review screen draws from instead of today's queue (a practice run);
    its errors stop here, before the screen opens.
    """
    from contextlib import nullcontext

    from trainer.current import open_current
    from trainer.session import resolve_deck

    with (nullcontext(store) if store is not None else open_current(db_path, settings)) as store:
        deck = resolve_deck(store, deck)
        app = TrainerApp(store, settings, deck=deck, straight_to_review=straight_to_review, greeting=greeting,
                         tz=settings.zone, source=source(store) if source is not None else None)
        app.run()
        return app.return_code or 0
