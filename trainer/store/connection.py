"""Opening the database: pragmas, schema migrations, refusing newer schemas."""

from __future__ import annotations

import errno
import os
import sqlite3
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import sqlite_utils

from trainer import db_errors
from trainer.errors import DatabaseError, SchemaTooNewError
from trainer.migrations import KNOWN_MIGRATIONS, migrations
from trainer.store import sessions

# Another trainer may hold the write lock: wait rather than fail, longer than
# the longest write the trainer makes (a cold import of 100,000 cards, the
# rebuild after an optimize on a million reviews, each a few seconds).
BUSY_TIMEOUT_MS = 30_000


class Store:
    """A database connection with the trainer's schema applied."""

    def __init__(self, db: sqlite_utils.Database, path: str):
        self.db = db
        self.path = path
        self.session_token: str | None = None  # this connection's mark in meta, cleared on a clean close

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

    def quick_check(self) -> None:
        """Raise DatabaseError, saying how to recover, unless SQLite finds the file whole.

        For work that rewrites much of the database from what it reads (optimize)."""
        if self.path == ":memory:":
            return
        try:
            problems = [row[0] for row in self.conn.execute("PRAGMA quick_check(5)")]
        except sqlite3.DatabaseError as exc:
            raise explain(exc, self.path) from None
        if problems != ["ok"]:
            raise damaged(self.path, "; ".join(problems))

    def data_version(self) -> int:
        """Changes whenever another connection commits to this database (not our own commits)."""
        return self.conn.execute("PRAGMA data_version").fetchone()[0]

    def close(self) -> None:
        if self.session_token is not None:
            token, self.session_token = self.session_token, None
            sessions.end(self.conn, token)
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
    _check_file(source_path, str(path))
    try:
        source = sqlite3.connect(f"{source_path.resolve().as_uri()}?mode=ro", uri=True)
        copy = sqlite3.connect(":memory:")
        with source:
            source.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            _check_trainer_schema(source, str(path))
            _check_not_newer(sqlite_utils.Database(source, execute_plugins=False), str(path))
            source.backup(copy)
        source.close()
    except sqlite3.Error as exc:
        raise explain(exc, str(path)) from None
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
    """Open (and create or migrate) the database at `path`; ':memory:' works too.

    Refused, untouched: a folder, a file that is not a trainer database (an
    empty file or an empty SQLite database is fine to start), a damaged one
    (checked when the last session did not close cleanly), a newer schema.
    """
    text = str(path)
    memory = text == ":memory:"
    if not memory:
        file = Path(text)
        _check_file(file, text)
        if not file.exists() and not create:
            raise DatabaseError(f"{text}: no database here yet; run `trainer import` first")
        try:
            file.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise DatabaseError(f"{file.parent}: cannot create the folder: {exc.strerror}") from None
    try:
        db = sqlite_utils.Database(text, execute_plugins=False)
    except sqlite3.Error as exc:
        raise explain(exc, text) from None
    try:
        db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        db.execute("PRAGMA foreign_keys = ON")
        # Nothing is written before the file is known to be ours.
        if not memory:
            _check_trainer_schema(db.conn, text)
        _check_not_newer(db, text)
        if not memory:
            problem = sessions.check_after_unclean_close(db.conn)
            if problem:
                raise damaged(text, problem)
            _use_wal(db.conn)
            # In WAL mode NORMAL survives a killed process; only power loss
            # can drop the last commits, and never corrupts the file.
            db.execute("PRAGMA synchronous = NORMAL")
        _migrate(db)
        token = None if memory else sessions.begin(db.conn)
    except (SchemaTooNewError, DatabaseError):
        db.close()
        raise
    except sqlite3.Error as exc:
        db.close()
        raise explain(exc, text) from None
    store = Store(db, text)
    store.session_token = token
    return store


def _use_wal(conn: sqlite3.Connection) -> None:
    """Switch a new database to WAL, waiting for the other trainer creating it at the same moment.

    The switch needs the file to itself, and SQLite answers "busy" at once,
    without calling the busy handler, when another connection is reading it
    (two imports started together on a new database): so wait here."""
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            if conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal":
                return
            conn.execute("PRAGMA journal_mode = WAL")
        except sqlite3.OperationalError as exc:
            busy = getattr(exc, "sqlite_errorname", "").startswith(("SQLITE_BUSY", "SQLITE_LOCKED"))
            if not busy or time.monotonic() > deadline:
                raise
            time.sleep(0.01)


def _migrate(db: sqlite_utils.Database) -> None:
    """Apply pending migrations, under the write lock: two trainers opening a new
    database at once must not both create its tables."""
    if not migrations.pending(db):
        return
    db.conn.execute("BEGIN IMMEDIATE")
    try:
        if migrations.pending(db):  # again, under the lock: the other one may have done it
            migrations.apply(db)
    except BaseException:
        if db.conn.in_transaction:
            db.conn.execute("ROLLBACK")
        raise
    db.conn.execute("COMMIT")


# -- is it ours, and is it whole? -------------------------------------------------
SQLITE_HEADER = b"SQLite format 3\x00"


CHOOSE_ANOTHER = "use --db to choose another file"


def _check_file(file: Path, text: str) -> None:
    """Refuse a path that cannot be a database file before SQLite touches it."""
    if file.is_dir():
        raise DatabaseError(
            f"{text} is a folder; give --db the path of a database file, like {file / 'trainer.db'}"
        )
    if file.is_symlink() and not file.exists():
        try:
            os.stat(file)
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                raise DatabaseError(
                    f"{text} is a symbolic link that loops back on itself; fix or remove the link, "
                    f"or {CHOOSE_ANOTHER}"
                ) from None
        # A link to a file not there yet: SQLite creates the file it points at.
    try:
        with open(file, "rb") as handle:
            head = handle.read(len(SQLITE_HEADER))
    except FileNotFoundError:
        return
    except OSError as exc:
        raise DatabaseError(f"{text}: cannot read the database: {exc.strerror}; check its permissions") from None
    if head and head != SQLITE_HEADER:
        raise DatabaseError(f"not a trainer database: {text}; {CHOOSE_ANOTHER}")


def _check_trainer_schema(conn: sqlite3.Connection, text: str) -> None:
    """An empty database may become a trainer database; another program's may not."""
    try:
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        ours = "_sqlite_migrations" in tables and conn.execute(
            "SELECT 1 FROM _sqlite_migrations WHERE migration_set = 'trainer' LIMIT 1"
        ).fetchone()
    except sqlite3.DatabaseError as exc:
        raise explain(exc, text) from None
    if tables and not ours:
        raise DatabaseError(
            f"not a trainer database: {text} (it holds tables of another program: "
            f"{', '.join(sorted(tables)[:3])}); nothing was changed; {CHOOSE_ANOTHER}"
        )


def damaged(text: str, exc: BaseException | str) -> DatabaseError:
    return DatabaseError(
        f"{text}: the database is damaged ({exc}); nothing was changed. Recover what can be read "
        f"into a new file with the sqlite3 tool: `sqlite3 {text} .recover > fixed.sql` then "
        "`sqlite3 recovered.db < fixed.sql`, and open it with `trainer --db recovered.db` "
        "(or put it in place of the damaged file)"
    )


def explain(exc: sqlite3.Error, text: str) -> DatabaseError:
    """What an SQLite error means for the user, and what to do about it.

    trainer.db_errors words the conditions the review screen meets too (busy,
    full, read-only, I/O); opening adds the two only an open meets."""
    name = getattr(exc, "sqlite_errorname", "") or ""
    message = str(exc)
    if name == "SQLITE_NOTADB" or "file is not a database" in message:
        return DatabaseError(f"not a trainer database: {text}; {CHOOSE_ANOTHER}")
    if name.startswith("SQLITE_CANTOPEN") or "unable to open" in message:
        return DatabaseError(f"{text}: cannot open the database file; check that its folder exists and can be written")
    problem = db_errors.classify(exc, text)
    if problem is None:
        return DatabaseError(f"{text}: the database could not be used: {message}")
    if problem.kind == db_errors.DAMAGED:
        return damaged(text, exc)
    if problem.kind == db_errors.BUSY:
        return DatabaseError(f"{problem.message}, for more than {BUSY_TIMEOUT_MS // 1000} s; try again when it is done")
    return DatabaseError(problem.message)
