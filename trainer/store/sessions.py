"""Did the last session close cleanly? Each open connection leaves a mark in meta.

`session:<random>` = {"pid", "host"} is written when a trainer opens the
database and deleted when it closes it. A mark whose process is gone (same
host, no such pid) was left by a trainer that was killed or crashed: the next
open runs `PRAGMA quick_check` (a third of a second on a million reviews)
before touching anything, then clears the mark. One mark per connection, not
one flag for the file, because several trainers may have the database open
at once: one closing cleanly says nothing about another that was killed.
A mark from another host (a database on a shared folder) is never judged.
"""

from __future__ import annotations

import json
import os
import secrets
import socket
import sqlite3

PREFIX = "session:"


def _left_by_a_dead_process(value: str) -> bool:
    try:
        mark = json.loads(value)
        pid, host = int(mark["pid"]), str(mark["host"])
    except (ValueError, KeyError, TypeError):
        return True  # not a mark we wrote whole: treat it as left behind
    if host != socket.gethostname():
        return False
    if pid == os.getpid():
        return False  # another connection of this very process
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False  # alive, and someone else's
    return False


def check_after_unclean_close(conn: sqlite3.Connection) -> str | None:
    """After an unclean close, quick_check the file: None when whole, else what is wrong.

    Clears the marks of dead sessions once the file is known to be whole."""
    try:
        rows = conn.execute("SELECT key, value FROM meta WHERE key LIKE ? ESCAPE '!'", (PREFIX + "%",)).fetchall()
    except sqlite3.OperationalError as exc:
        if "no such table" in str(exc):
            return None  # a new database, or one older than the meta table
        raise
    stale = [key for key, value in rows if _left_by_a_dead_process(value)]
    if not stale:
        return None
    try:
        problems = [row[0] for row in conn.execute("PRAGMA quick_check(5)")]
    except sqlite3.DatabaseError as exc:
        return str(exc)
    if problems != ["ok"]:
        return "; ".join(problems)
    conn.execute("BEGIN IMMEDIATE")
    conn.executemany("DELETE FROM meta WHERE key = ?", [(key,) for key in stale])
    conn.execute("COMMIT")
    return None


def begin(conn: sqlite3.Connection) -> str:
    """Leave this session's mark; returns the key to clear on a clean close."""
    token = PREFIX + secrets.token_hex(8)
    value = json.dumps({"pid": os.getpid(), "host": socket.gethostname()})
    conn.execute("BEGIN IMMEDIATE")
    conn.execute("INSERT INTO meta (key, value) VALUES (?, ?)", (token, value))
    conn.execute("COMMIT")
    return token


def end(conn: sqlite3.Connection, token: str) -> None:
    """Clear this session's mark (closing drops any transaction left open, as SQLite would)."""
    try:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        conn.execute("DELETE FROM meta WHERE key = ?", (token,))
        conn.commit()
    except sqlite3.Error:
        # A mark that cannot be cleared (disk full, file gone) costs the next
        # open a quick_check, nothing more; closing must not fail over it.
        return
