"""What a database error means for the person at the keyboard, and what to do about it.

SQLite reports a handful of conditions a user can meet in daily use: another
program holding the write lock, a full disk, a file that cannot be written,
a damaged file. Each gets one plain sentence here, used by the command line
and the review screen alike.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

BUSY, FULL, READ_ONLY, DAMAGED, IO = "busy", "full", "read-only", "damaged", "io"


@dataclass(frozen=True)
class Problem:
    kind: str  # BUSY, FULL, READ_ONLY, DAMAGED, IO
    message: str


def classify(error: BaseException, path: str = "the database") -> Problem | None:
    """The problem behind a sqlite3 error, or None when it is not one a user can act on."""
    if not isinstance(error, sqlite3.Error):
        return None
    name = getattr(error, "sqlite_errorname", "") or ""
    text = str(error).lower()
    if name.startswith("SQLITE_BUSY") or name.startswith("SQLITE_LOCKED") or "database is locked" in text:
        return Problem(BUSY, f"{path} is busy: another program (an import, a backup, a second trainer) is writing to it")
    if name.startswith("SQLITE_FULL") or "database or disk is full" in text:
        return Problem(FULL, f"the disk holding {path} is full; free some space")
    if name.startswith("SQLITE_READONLY") or "readonly database" in text:
        return Problem(READ_ONLY, f"{path} cannot be written (a read-only file or folder); check its permissions")
    if name.startswith("SQLITE_CORRUPT") or name == "SQLITE_NOTADB" or "malformed" in text:
        return Problem(
            DAMAGED,
            f"{path} is damaged. Keep a copy, then recover it with `sqlite3 {path} .recover > recovered.sql` "
            f"and `sqlite3 new.db < recovered.sql`, and open new.db with --db",
        )
    if name.startswith("SQLITE_IOERR") or "disk i/o error" in text:
        return Problem(IO, f"reading or writing {path} failed (a disk or network drive problem)")
    return None
