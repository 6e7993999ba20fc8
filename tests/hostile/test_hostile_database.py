"""The database file: only a trainer database is used, a damaged one is refused with the
way to recover it, and read-only, full or locked files say exactly that."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from trainer.errors import DatabaseError
from trainer.importer import import_paths
from trainer.store import open_db
from trainer.store.connection import explain
from trainer.store.sessions import PREFIX

from conftest import T0
from unprivileged import run_unprivileged, shared_tmp  # noqa: F401  (a fixture)

ROOT = Path(__file__).parents[2]


def trainer(*args, env_db: Path, cwd: Path | None = None, timeout: float = 60) -> subprocess.CompletedProcess:
    env = dict(os.environ, TRAINER_DB=str(env_db), PYTHONPATH=str(ROOT))
    return subprocess.run(
        [sys.executable, "-m", "trainer", *args], capture_output=True, text=True, env=env, cwd=cwd, timeout=timeout
    )


def snapshot(path: Path) -> tuple:
    """The file's bytes and time, and which of its journal files exist."""
    stat = path.stat()
    return path.read_bytes(), stat.st_mtime_ns, [Path(f"{path}{s}").exists() for s in ("-wal", "-shm", "-journal")]


def trainer_db(tmp_path: Path, name: str = "t.db", cards: int = 300) -> Path:
    deck = tmp_path / f"{name}.md"
    deck.write_text("# Many\n\n" + "".join(f"Q: Question {i}?\nA: Answer {i}.\n\n" for i in range(cards)))
    db = tmp_path / name
    with open_db(db) as store:
        assert import_paths(store, [deck], T0).ok
    return db


def dead_pid() -> int:
    done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    return int(done.stdout)


def leave_a_killed_session(db: Path) -> None:
    """What a trainer killed with the database open leaves behind: its session mark."""
    import socket

    conn = sqlite3.connect(db)
    conn.execute(
        "INSERT INTO meta (key, value) VALUES (?, ?)",
        (PREFIX + "killed", json.dumps({"pid": dead_pid(), "host": socket.gethostname()})),
    )
    conn.commit()
    conn.close()


def damage(db: Path) -> None:
    """Overwrite every page but the first (the schema's), as a bad disk or a half-copied file would."""
    size = db.stat().st_size
    page = 4096
    assert size > 8 * page
    with open(db, "r+b") as handle:
        handle.seek(page)
        handle.write(os.urandom(size - page))


# -- is it a trainer database? -----------------------------------------------------------


def test_an_empty_file_becomes_a_trainer_database(tmp_path):
    db = tmp_path / "empty.db"
    db.touch()
    with open_db(db) as store:
        assert store.meta("device")


def test_an_empty_sqlite_database_becomes_a_trainer_database(tmp_path):
    db = tmp_path / "blank.db"
    sqlite3.connect(db).execute("VACUUM")
    with open_db(db) as store:
        assert store.meta("device")


def test_another_programs_database_is_refused_untouched(tmp_path):
    db = tmp_path / "firefox.sqlite"
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT)")
    conn.execute("INSERT INTO moz_places (url) VALUES ('https://example.org')")
    conn.commit()
    conn.close()
    before = snapshot(db)
    with pytest.raises(DatabaseError) as error:
        open_db(db)
    assert str(error.value).startswith(f"not a trainer database: {db}")
    assert "use --db to choose another file" in str(error.value)
    assert snapshot(db) == before


def test_a_random_file_is_refused_untouched(tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("my shopping list\n" * 100)
    before = snapshot(notes)
    done = trainer("import", str(tmp_path), env_db=notes)
    assert done.returncode == 1
    assert f"error: not a trainer database: {notes}; use --db to choose another file" in done.stderr
    assert "Traceback" not in done.stderr
    assert snapshot(notes) == before


def test_db_given_a_folder_says_so(tmp_path):
    done = trainer("--db", str(tmp_path), "stats", env_db=tmp_path / "unused.db")
    assert done.returncode == 1
    assert f"error: {tmp_path} is a folder; give --db the path of a database file" in done.stderr


def test_db_given_a_symlink_loop_says_so(tmp_path):
    loop = tmp_path / "loop.db"
    loop.symlink_to(loop)
    done = trainer("--db", str(loop), "import", str(tmp_path), env_db=tmp_path / "unused.db")
    assert done.returncode == 1
    assert f"error: {loop} is a symbolic link that loops back on itself" in done.stderr
    assert "Traceback" not in done.stderr and "unexpected" not in done.stderr


# -- damage ----------------------------------------------------------------------------


def test_a_clean_close_leaves_no_session_mark(tmp_path):
    db = trainer_db(tmp_path)
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT count(*) FROM meta WHERE key LIKE 'session:%'").fetchone()[0] == 0


def test_after_a_kill_the_next_open_checks_the_file_and_clears_the_mark(tmp_path):
    db = trainer_db(tmp_path)
    leave_a_killed_session(db)
    with open_db(db) as store:
        marks = store.conn.execute("SELECT count(*) FROM meta WHERE key LIKE 'session:%'").fetchone()[0]
        assert marks == 1  # its own
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT count(*) FROM meta WHERE key LIKE 'session:%'").fetchone()[0] == 0


def test_a_damaged_database_after_a_kill_is_refused_with_the_way_to_recover(tmp_path):
    db = trainer_db(tmp_path)
    leave_a_killed_session(db)
    damage(db)
    before = snapshot(db)
    with pytest.raises(DatabaseError) as error:
        open_db(db)
    message = str(error.value)
    assert message.startswith(f"{db}: the database is damaged")
    assert f"sqlite3 {db} .recover > fixed.sql" in message and "nothing was changed" in message
    assert snapshot(db) == before


def test_damage_found_while_working_is_a_clear_error_not_a_traceback(tmp_path):
    db = trainer_db(tmp_path)
    damage(db)  # closed cleanly, so the open does not check; a query then meets the damage
    done = trainer("stats", env_db=db)
    assert done.returncode == 1
    assert "the database is damaged" in done.stderr and ".recover" in done.stderr
    assert "Traceback" not in done.stderr


def test_optimize_refuses_a_damaged_file(tmp_path, monkeypatch):
    from trainer.optimize_view import run_optimize

    db = trainer_db(tmp_path, cards=600)
    damage(db)
    monkeypatch.setenv("TRAINER_CONFIG", str(tmp_path / "config.toml"))
    with pytest.raises(DatabaseError, match="the database is damaged"):
        run_optimize(db, T0)
    assert not (tmp_path / "config.toml").exists()


# -- read-only, full, locked -----------------------------------------------------------------


def full_error(tmp_path) -> sqlite3.Error:
    """A real SQLITE_FULL, from a database not allowed to grow."""
    conn = sqlite3.connect(tmp_path / "full.db")
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.execute(f"PRAGMA max_page_count = {pages}")
    with pytest.raises(sqlite3.Error) as error:
        conn.execute("INSERT INTO t VALUES (?)", ("x" * 100_000,))
    return error.value


def test_disk_full_says_so(tmp_path):
    message = str(explain(full_error(tmp_path), "data/trainer.db"))
    assert message == "the disk holding data/trainer.db is full; free some space"


def test_disk_full_during_an_import_is_one_clear_line(tmp_path, monkeypatch, capsys):
    from trainer import cli

    error = full_error(tmp_path)

    def full(*args, **kwargs):
        raise error

    monkeypatch.setattr("trainer.sync.import_paths", full)
    monkeypatch.setattr("sys.argv", ["trainer", "import", str(tmp_path)])
    with pytest.raises(SystemExit):
        cli.main()
    err = capsys.readouterr().err
    assert err.startswith(f"error: the disk holding {tmp_path / 'trainer.db'} is full")
    assert "another program" not in err and "not a trainer database" not in err


def test_a_read_only_error_says_read_only():
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE t (x)")
    ro = sqlite3.connect("file::memory:?mode=ro", uri=True)
    with pytest.raises(sqlite3.Error) as error:
        ro.execute("CREATE TABLE t (x)")
    message = str(explain(error.value, "t.db"))
    assert message == "t.db cannot be written (a read-only file or folder); check its permissions"


@pytest.mark.parametrize("what", ["file", "folder"])
def test_a_read_only_database_or_folder_says_read_only(shared_tmp, what):
    home = shared_tmp / "home"
    home.mkdir()
    db = trainer_db(home)
    deck = home / "t.db.md"
    if what == "file":
        os.chmod(home, 0o777)
        os.chmod(db, 0o444)
    else:
        os.chmod(home, 0o555)
        os.chmod(db, 0o666)
    code, _, err = run_unprivileged(db, ["import", str(deck)])
    os.chmod(home, 0o755)
    assert code == 1, err
    assert f"error: {db} cannot be written (a read-only file or folder); check its permissions" in err
    assert "damaged" not in err and "another program" not in err and "not a trainer database" not in err
