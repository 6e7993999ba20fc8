"""An unexpected error, written down for a bug report: the traceback goes to a file, not to the screen."""

from __future__ import annotations

import os
import platform
import sys
import traceback
from datetime import datetime, timezone
from pathlib import Path


def log_dir(db_path: str | os.PathLike | None) -> Path:
    """Next to the database (the user's data folder unless --db or TRAINER_DB says otherwise)."""
    if db_path and str(db_path) != ":memory:":
        return Path(db_path).expanduser().resolve().parent / "trainer-logs"
    import platformdirs

    return Path(platformdirs.user_log_dir("trainer"))


def write(error: BaseException, db_path: str | os.PathLike | None, now: datetime | None = None) -> Path | None:
    """Write the traceback and a little context; returns the file, or None when even that failed."""
    now = now or datetime.now(timezone.utc)
    folder = log_dir(db_path)
    path = folder / f"crash-{now:%Y%m%d-%H%M%S}.log"
    try:
        from importlib.metadata import version

        trainer_version = version("trainer")
    except Exception:  # noqa: BLE001 - a log must not fail for want of a version
        trainer_version = "unknown"
    text = (
        f"trainer {trainer_version}, Python {sys.version.split()[0]}, {platform.platform()}\n"
        f"at {now.isoformat()}\n\n" + "".join(traceback.format_exception(error))
    )
    try:
        folder.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    except OSError:
        return None
    return path
