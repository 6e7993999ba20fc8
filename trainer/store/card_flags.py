"""Status and burial of many cards at once, for the browser and `trainer cards`."""

from __future__ import annotations

from typing import Iterable, Sequence

from trainer.store.connection import Store

CHUNK = 500  # under SQLite's limit on bound parameters


def _chunks(keys: Sequence[str]) -> Iterable[list[str]]:
    for start in range(0, len(keys), CHUNK):
        yield list(keys[start : start + CHUNK])


def states_of(store: Store, keys: Sequence[str]) -> dict[str, tuple[str, str, int | None]]:
    """key -> (status, state, buried_until) for the cards that exist."""
    found = {}
    for chunk in _chunks(keys):
        sql = f"SELECT key, status, state, buried_until FROM cards WHERE key IN ({', '.join('?' * len(chunk))})"
        found.update((row[0], tuple(row[1:])) for row in store.conn.execute(sql, chunk))
    return found


def change_status(store: Store, keys: Sequence[str], old: str, new: str, now_ms: int) -> list[str]:
    """Cards with status `old` get `new`; returns the keys changed (callers hold the transaction)."""
    changed = []
    for chunk in _chunks(keys):
        marks = ", ".join("?" * len(chunk))
        rows = store.conn.execute(f"SELECT key FROM cards WHERE status = ? AND key IN ({marks})", [old, *chunk])
        found = [row[0] for row in rows]
        store.conn.executemany("UPDATE cards SET status = ?, updated_at = ? WHERE key = ?",
                               [(new, now_ms, key) for key in found])
        changed += found
    return changed


def set_buried(store: Store, values: Iterable[tuple[str, int | None]]) -> None:
    """Write buried_until (ms, or None) for each key (callers hold the transaction)."""
    store.conn.executemany("UPDATE cards SET buried_until = ? WHERE key = ?", [(until, key) for key, until in values])
