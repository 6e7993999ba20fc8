"""The schema: built by migrations from empty, WAL, foreign keys, newer schemas refused."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timezone

import pytest

from trainer.errors import SchemaTooNewError
from trainer.migrations import KNOWN_MIGRATIONS, migrations
from trainer.store import open_db

# The columns docs/schema.md documents; a new migration that changes them
# must update both.
DOCUMENTED = {
    "decks": ["path", "name", "content_hash", "card_count", "imported_at", "size", "mtime_ns"],
    "cards": [
        "id", "key", "kind", "deck", "path", "section", "prompt", "answer", "extra", "sibling", "source_line",
        "status", "buried_until", "created_at", "updated_at",
        "state", "step", "stability", "difficulty", "due", "last_review", "reps", "lapses",
    ],
    "reviews": [
        "id", "card_id", "at", "kind", "rating", "duration_ms", "state", "elapsed_days",
        "scheduled_days", "recall",
    ],
    "meta": ["key", "value"],
    "practice": ["id", "card_id", "rating", "at", "duration_ms"],
    "plans": ["id", "on_day", "target", "minutes", "deck", "price", "created_at", "fitted_day", "expected", "unplanned"],
    "plan_reviews": ["plan_id", "day", "card_id", "position"],
    "_sqlite_migrations": ["id", "migration_set", "name", "applied_at"],
}
NOW = datetime(2025, 3, 3, 9, 0, tzinfo=timezone.utc)


@pytest.fixture
def db_path(tmp_path, monkeypatch):
    monkeypatch.setenv("TRAINER_DB", str(tmp_path / "trainer.db"))
    monkeypatch.setenv("TRAINER_CONFIG", str(tmp_path / "config.toml"))
    return tmp_path / "trainer.db"


def columns(conn, table: str) -> list[str]:
    return [row[1] for row in conn.execute(f"PRAGMA table_info({table})")]


def test_migrations_from_empty_build_the_documented_tables(db_path):
    with open_db(db_path) as store:
        tables = {row[0] for row in store.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        assert set(DOCUMENTED) <= tables
        for table, expected in DOCUMENTED.items():
            assert columns(store.conn, table) == expected, table
        applied = [m.name for m in migrations.applied(store.db)]
    assert applied == list(KNOWN_MIGRATIONS)


def test_reopening_applies_nothing_twice(db_path):
    open_db(db_path).close()
    with open_db(db_path) as store:
        count = store.conn.execute("SELECT count(*) FROM _sqlite_migrations").fetchone()[0]
        assert count == len(KNOWN_MIGRATIONS)
        assert migrations.pending(store.db) == []


def test_database_is_in_wal_mode(db_path):
    open_db(db_path).close()
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_foreign_keys_are_enforced(db_path):
    with open_db(db_path) as store:
        assert store.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        with pytest.raises(sqlite3.IntegrityError):
            store.conn.execute("INSERT INTO reviews (card_id, at, rating) VALUES (4242, 0, 3)")


def test_check_constraints_refuse_unknown_states_and_ratings(db_path):
    with open_db(db_path) as store:
        with pytest.raises(sqlite3.IntegrityError):
            store.conn.execute(
                "INSERT INTO cards (key, kind, deck, path, prompt, answer, source_line, created_at, updated_at, state) "
                "VALUES ('k', 'faq', 'd', 'p', 'q', 'a', 1, 'x', 'x', 'forgotten')"
            )
        store.conn.execute(
            "INSERT INTO cards (id, key, kind, deck, path, prompt, answer, source_line, created_at, updated_at) "
            "VALUES (1, 'k', 'essay', 'd', 'p', 'q', 'a', 1, 'x', 'x')"
        )  # a kind is the parser's business: a new kind needs no migration
        with pytest.raises(sqlite3.IntegrityError):
            store.conn.execute("INSERT INTO reviews (card_id, at, rating) VALUES (1, 0, 5)")


def test_newer_schema_is_refused_and_the_file_is_not_modified(db_path):
    open_db(db_path).close()
    conn = sqlite3.connect(db_path)
    with conn:
        conn.execute(
            "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
            "VALUES ('trainer', 'm999_from_the_future', '2030-01-01 00:00:00+00:00')"
        )
    conn.close()  # the last connection folds the WAL into the file
    before = db_path.read_bytes()

    with pytest.raises(SchemaTooNewError) as raised:
        open_db(db_path)

    message = str(raised.value)
    assert "newer version of trainer" in message and "m999_from_the_future" in message
    assert "Nothing was changed" in message
    assert db_path.read_bytes() == before


def test_card_times_are_integer_milliseconds_and_import_times_iso_text(db_path, tmp_path):
    from trainer.importer import import_paths

    deck = tmp_path / "d.md"
    deck.write_text("Q: q\nA: a\n", encoding="utf-8")
    with open_db(db_path) as store:
        import_paths(store, [deck], NOW)
        created = store.conn.execute("SELECT created_at FROM cards").fetchone()[0]
        imported = store.conn.execute("SELECT imported_at FROM decks").fetchone()[0]
    assert created == int(NOW.timestamp() * 1000)
    assert imported == "2025-03-03T09:00:00.000000+00:00"


def test_every_database_has_its_own_device_id_and_review_ids_are_never_reused(tmp_path):
    from trainer.store.reviews import device_id

    with open_db(tmp_path / "a.db") as a, open_db(tmp_path / "b.db") as b:
        assert len(device_id(a)) == 32 and device_id(a) != device_id(b)
        a.conn.execute(
            "INSERT INTO cards (id, key, kind, deck, path, prompt, answer, source_line, created_at, updated_at) "
            "VALUES (1, 'k', 'faq', 'd', 'p', 'q', 'a', 1, 0, 0)"
        )
        first = a.conn.execute("INSERT INTO reviews (card_id, at, rating) VALUES (1, 0, 3)").lastrowid
        a.conn.execute("DELETE FROM reviews WHERE id = ?", (first,))  # an undo
        second = a.conn.execute("INSERT INTO reviews (card_id, at, rating) VALUES (1, 0, 3)").lastrowid
        assert second > first


def test_newer_schema_in_rollback_journal_mode_is_not_modified(db_path):
    conn = sqlite3.connect(db_path)
    conn.execute("CREATE TABLE _sqlite_migrations (id INTEGER PRIMARY KEY, migration_set TEXT, name TEXT, applied_at TEXT)")
    conn.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
        "VALUES ('trainer', 'm001_initial', 'x'), ('trainer', 'm999_from_the_future', 'y')"
    )
    conn.commit()
    conn.close()
    before = db_path.read_bytes()
    with pytest.raises(SchemaTooNewError):
        open_db(db_path)
    assert db_path.read_bytes() == before
