"""Database writes from the screens: a busy database is waited for on screen, never a crash.

A write that meets SQLite's lock (an import, a backup, a second trainer) is
tried again every half second with a visible notice, the card staying on
screen, until it goes through or a minute has passed; then the user is told
it was not recorded and can press the key again. A full disk, a read-only
file or a damaged database get one clear sentence and the app stays usable.
Anything else is a bug: it propagates to the app, which logs it to a file.
"""

from __future__ import annotations

from typing import Any, Callable

from textual.screen import Screen

from trainer.db_errors import BUSY, classify

RETRY_EVERY_S = 0.5
GIVE_UP_AFTER_S = 60.0
# The app's connection waits this long inside SQLite before reporting busy,
# so a short lock is invisible and a long one does not freeze the screen.
APP_BUSY_TIMEOUT_MS = 300


class GuardedWrites:
    """Mixed into a Screen: `ok, result = self.write(label, fn, later)` runs fn() as soon as the database lets it.

    When fn() goes through at once, write returns (True, its result) and the
    caller carries on. When the database is busy, write returns (False, None),
    keeps trying, and calls `later(result)` (a coroutine function is run as a
    worker) once it goes through.
    """

    _pending: str | None = None

    def write(self: Screen, label: str, fn: Callable[[], Any], later: Callable[[Any], Any] | None = None,
              *, waited: float = 0.0) -> tuple[bool, Any]:
        try:
            result = fn()
        except Exception as error:  # noqa: BLE001 - sorted below: only database conditions are handled here
            problem = classify(error, str(getattr(self.app.store, "path", "the database")))
            if problem is None:
                raise
            if problem.kind != BUSY:
                self._pending = None
                self.notify(f"{label}: not recorded. {problem.message}.", severity="error", timeout=15)
                return False, None
            if waited >= GIVE_UP_AFTER_S:
                self._pending = None
                self.notify(f"{label}: not recorded; the database stayed busy for a minute. Press the key again.",
                            severity="error", timeout=15)
                return False, None
            if self._pending is None:
                self.notify(f"Waiting for the database… ({problem.message}). Your {label.lower()} will be "
                            "saved as soon as it is free.", severity="warning", timeout=GIVE_UP_AFTER_S)
            self._pending = label
            self.set_timer(RETRY_EVERY_S, lambda: self.write(label, fn, later, waited=waited + RETRY_EVERY_S))
            return False, None
        if self._pending is not None:
            self._pending = None
            self.app.clear_notifications()
            self.notify(f"{label}: saved.", timeout=3)
            if later is not None:
                outcome = later(result)
                if hasattr(outcome, "__await__"):
                    self.run_worker(outcome, exclusive=False)
        return waited == 0.0, result

    @property
    def waiting(self) -> bool:
        """A write is waiting for the database: keys that write are held back meanwhile."""
        return self._pending is not None
