"""Opening the database: pragmas, schema migrations, refusing newer schemas."""

from __future__ import annotations

import sqlite3
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import sqlite_utils

from trainer.errors import DatabaseError, SchemaTooNewError
from trainer.migrations import KNOWN_MIGRATIONS, migrations

# Another trainer may hold the write lock for a moment; wait rather than fail.
BUSY_TIMEOUT_MS = 5000


class Store:
    """A database connection with the trainer's schema applied."""

    def __init__(self, db: sqlite_utils.Database, path: str):
        self.db = db
        self.path = path

    @property
    def conn(self) -> sqlite3.Connection:
        return self.db.conn

    def atomic(self):
        """A transaction (a savepoint when nested)."""
        return self.db.atomic()

    @contextmanager
    def write(self) -> Iterator[None]:
        """A transaction that takes the write lock at once (BEGIN IMMEDIATE).

        For read-then-write work such as an answer: a deferred transaction
        that read before another trainer committed could not then write, and
        SQLite would fail it at once instead of waiting. Nested: a savepoint.
        """
        if self.conn.in_transaction:
            with self.db.atomic():
                yield
            return
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    def meta(self, key: str) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str | None) -> None:
        if value is None:
            self.conn.execute("DELETE FROM meta WHERE key = ?", (key,))
        else:
            self.conn.execute(
                "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (key, value),
            )

    def data_version(self) -> int:
        """Changes whenever another connection commits to this database (not our own commits)."""
        return self.conn.execute("PRAGMA data_version").fetchone()[0]

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _check_not_newer(db: sqlite_utils.Database, path: str) -> None:
    applied = [m.name for m in migrations.applied(db)]
    unknown = [name for name in applied if name not in KNOWN_MIGRATIONS]
    if unknown:
        raise SchemaTooNewError(
            f"{path}: this database was written by a newer version of trainer "
            f"(schema {unknown[-1]}); upgrade trainer to use it. Nothing was changed."
        )


def open_copy_in_memory(path: str | Path) -> Store:
    """A private in-memory copy of a database, for a dry run that must write nothing."""
    source_path = Path(path)
    try:
        source = sqlite3.connect(f"{source_path.resolve().as_uri()}?mode=ro", uri=True)
        copy = sqlite3.connect(":memory:")
        with source:
            _check_not_newer(sqlite_utils.Database(source, execute_plugins=False), str(path))
            source.backup(copy)
        source.close()
    except sqlite3.DatabaseError as exc:
        raise DatabaseError(f"{path}: not a trainer database, or damaged: {exc}") from None
    db = sqlite_utils.Database(copy, execute_plugins=False)
    db.execute("PRAGMA foreign_keys = ON")
    if migrations.pending(db):
        migrations.apply(db)
    return Store(db, str(path))


def open_read_only(path: str | Path) -> Store:
    """A second, read-only connection to a trainer database (for work done in another process)."""
    conn = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    return Store(sqlite_utils.Database(conn, execute_plugins=False), str(path))


def open_db(path: str | Path, *, create: bool = True) -> Store:
    """Open (and create or migrate) the database at `path`; ':memory:' works too."""
    text = str(path)
    if text != ":memory:":
        file = Path(text)
        if not file.exists() and not create:
            raise DatabaseError(f"{text}: no database here yet; run `trainer import` first")
        try:
            file.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise DatabaseError(f"{file.parent}: cannot create the folder: {exc.strerror}") from None
    try:
        db = sqlite_utils.Database(text, execute_plugins=False)
    except sqlite3.Error as exc:
        raise DatabaseError(f"{text}: cannot open the database: {exc}") from None
    try:
        db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        db.execute("PRAGMA foreign_keys = ON")
        # Before anything that writes (switching to WAL rewrites the header).
        _check_not_newer(db, text)
        if text != ":memory:":
            db.execute("PRAGMA journal_mode = WAL")
            # In WAL mode NORMAL survives a killed process; only power loss
            # can drop the last commits, and never corrupts the file.
            db.execute("PRAGMA synchronous = NORMAL")
        if migrations.pending(db):
            migrations.apply(db)
    except SchemaTooNewError:
        db.close()
        raise
    except sqlite3.DatabaseError as exc:
        db.close()
        raise DatabaseError(f"{text}: not a trainer database, or damaged: {exc}") from None
    return Store(db, text)
