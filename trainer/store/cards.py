"""Reading and writing the decks and cards tables."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Iterable

from trainer.days import from_ms, to_ms, to_utc_text
from trainer.errors import TrainerError
from trainer.model import Card, CardKind, MemoryState, Status
from trainer.store.connection import Store

CARD_COLUMNS = (
    "key, kind, deck, path, section, prompt, answer, extra, sibling, source_line, status, "
    "buried_until, state, step, stability, difficulty, due, last_review, reps, lapses, id"
)
MEMORY_COLUMNS = "state, step, stability, difficulty, due, last_review, reps, lapses"
# What an import writes: the deck's side of a card, never its schedule.
CONTENT_COLUMNS = ("kind", "deck", "path", "section", "prompt", "answer", "extra", "sibling", "source_line")


def _when(ms: int | None) -> datetime | None:
    return from_ms(ms) if ms is not None else None


def _ms(moment: datetime | None) -> int | None:
    return to_ms(moment) if moment is not None else None


def memory_from_row(row: tuple) -> MemoryState:
    state, step, stability, difficulty, due, last_review, reps, lapses = row
    return MemoryState(state, step, stability, difficulty, _when(due), _when(last_review), reps, lapses)


def memory_values(memory: MemoryState) -> tuple:
    """A MemoryState as the MEMORY_COLUMNS values, in order."""
    return (
        memory.state, memory.step, memory.stability, memory.difficulty,
        _ms(memory.due), _ms(memory.last_review), memory.reps, memory.lapses,
    )


def card_from_row(row: tuple) -> Card:
    (key, kind, deck, path, section, prompt, answer, extra, sibling, line, status,
     buried, state, step, stability, difficulty, due, last_review, reps, lapses, card_id) = row
    return Card(
        key=key,
        kind=CardKind(kind),
        deck=deck,
        path=path,
        section=section,
        prompt=prompt,
        answer=answer,
        extra=json.loads(extra),
        sibling=sibling,
        source_line=line,
        status=Status(status),
        buried_until=_when(buried),
        memory=MemoryState(state, step, stability, difficulty, _when(due), _when(last_review), reps, lapses),
        id=card_id,
    )


def get_card(store: Store, key: str) -> Card | None:
    row = store.conn.execute(f"SELECT {CARD_COLUMNS} FROM cards WHERE key = ?", (key,)).fetchone()
    return card_from_row(row) if row else None


def get_card_by_id(store: Store, card_id: int) -> Card | None:
    row = store.conn.execute(f"SELECT {CARD_COLUMNS} FROM cards WHERE id = ?", (card_id,)).fetchone()
    return card_from_row(row) if row else None


def card_id_of(store: Store, key: str) -> int | None:
    row = store.conn.execute("SELECT id FROM cards WHERE key = ?", (key,)).fetchone()
    return row[0] if row else None


def cards_where(store: Store, where: str = "1", params: Iterable = (), order: str = "path, source_line") -> list[Card]:
    sql = f"SELECT {CARD_COLUMNS} FROM cards WHERE {where} ORDER BY {order}"
    return [card_from_row(row) for row in store.conn.execute(sql, tuple(params))]


_CONTENT_SELECT = ("key", "status") + CONTENT_COLUMNS


def _content_rows(store: Store, where: str, values: list) -> dict[str, dict]:
    found: dict[str, dict] = {}
    # Chunks keep each statement under SQLite's limit on bound parameters.
    for start in range(0, len(values), 500):
        chunk = values[start : start + 500]
        sql = f"SELECT {', '.join(_CONTENT_SELECT)} FROM cards WHERE {where.format(marks=', '.join('?' * len(chunk)))}"
        for row in store.conn.execute(sql, chunk):
            found[row[0]] = dict(zip(_CONTENT_SELECT, row))
    return found


def content_in_paths(store: Store, paths: Iterable[str]) -> dict[str, dict]:
    """Deck-side content and status of every card whose file is one of `paths` (the importer's diff)."""
    return _content_rows(store, "path IN ({marks})", list(paths))


def content_by_keys(store: Store, keys: Iterable[str]) -> dict[str, dict]:
    """Deck-side content and status of the cards with these keys, wherever they live."""
    return _content_rows(store, "key IN ({marks})", list(keys))


def insert_cards(store: Store, rows: list[dict], now: datetime) -> None:
    stamp = to_ms(now)
    cols = ("key", "status") + CONTENT_COLUMNS + ("created_at", "updated_at")
    store.conn.executemany(
        f"INSERT INTO cards ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
        [tuple(row[c] for c in cols[:-2]) + (stamp, stamp) for row in rows],
    )


def update_cards(store: Store, rows: list[dict], now: datetime) -> None:
    """Write new deck-side content (and status) for existing cards."""
    stamp = to_ms(now)
    cols = ("status",) + CONTENT_COLUMNS
    sets = ", ".join(f"{c} = ?" for c in cols)
    store.conn.executemany(
        f"UPDATE cards SET {sets}, updated_at = ? WHERE key = ?",
        [tuple(row[c] for c in cols) + (stamp, row["key"]) for row in rows],
    )


def set_status(store: Store, keys: Iterable[str], status: Status, now: datetime) -> None:
    stamp = to_ms(now)
    store.conn.executemany(
        "UPDATE cards SET status = ?, updated_at = ? WHERE key = ?",
        [(status.value, stamp, key) for key in keys],
    )


def _column_by(store: Store, by: str, column: str, values: Iterable) -> dict:
    """{value of `by`: value of `column`} for the cards whose `by` is in `values`, 500 to a query."""
    values = list(values)
    found: dict = {}
    for start in range(0, len(values), 500):
        chunk = values[start : start + 500]
        sql = f"SELECT {by}, {column} FROM cards WHERE {by} IN ({', '.join('?' * len(chunk))})"
        found.update(store.conn.execute(sql, chunk).fetchall())
    return found


def decks_by_id(store: Store, ids: list[int]) -> dict[int, str]:
    return _column_by(store, "id", "deck", ids)


def status_of(store: Store, key: str) -> str | None:
    row = store.conn.execute("SELECT status FROM cards WHERE key = ?", (key,)).fetchone()
    return row[0] if row else None


def buried_until_of(store: Store, key: str) -> int | None:
    row = store.conn.execute("SELECT buried_until FROM cards WHERE key = ?", (key,)).fetchone()
    return row[0] if row else None


def bury(store: Store, key: str, until: datetime | None) -> None:
    with store.atomic():
        store.conn.execute("UPDATE cards SET buried_until = ? WHERE key = ?", (_ms(until), key))


def read_memory(store: Store, card_id: int) -> MemoryState | None:
    row = store.conn.execute(f"SELECT {MEMORY_COLUMNS} FROM cards WHERE id = ?", (card_id,)).fetchone()
    return memory_from_row(row) if row else None


_WRITE_MEMORY = (
    "UPDATE cards SET state = ?, step = ?, stability = ?, difficulty = ?, due = ?, "
    "last_review = ?, reps = ?, lapses = ? WHERE id = ?"
)


def write_memory(store: Store, card_id: int, memory: MemoryState) -> None:
    """Overwrite a card's scheduling cache (callers hold the transaction)."""
    store.conn.execute(_WRITE_MEMORY, memory_values(memory) + (card_id,))


def write_memories(store: Store, items: Iterable[tuple[int, MemoryState]]) -> None:
    store.conn.executemany(_WRITE_MEMORY, (memory_values(memory) + (card_id,) for card_id, memory in items))


def reps_by_key(store: Store, keys: Iterable[str]) -> dict[str, int]:
    return _column_by(store, "key", "reps", keys)


def rename_key(store: Store, old: str, new: str) -> None:
    """Give a card a new key; its reviews follow (they point at the row id)."""
    store.conn.execute("UPDATE cards SET key = ? WHERE key = ?", (new, old))


def decks_by_path(store: Store) -> dict[str, dict]:
    cols = ("path", "name", "content_hash", "card_count", "imported_at", "size", "mtime_ns")
    return {row[0]: dict(zip(cols, row)) for row in store.conn.execute(f"SELECT {', '.join(cols)} FROM decks")}


def upsert_deck(
    store: Store, path: str, name: str, content_hash: str, card_count: int, now: datetime,
    stat: tuple[int, int] | None = None,
) -> None:
    size, mtime_ns = stat or (None, None)
    store.conn.execute(
        "INSERT INTO decks (path, name, content_hash, card_count, imported_at, size, mtime_ns) "
        "VALUES (?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (path) DO UPDATE SET name = excluded.name, content_hash = excluded.content_hash, "
        "card_count = excluded.card_count, imported_at = excluded.imported_at, size = excluded.size, "
        "mtime_ns = excluded.mtime_ns",
        (path, name, content_hash, card_count, to_utc_text(now), size, mtime_ns),
    )


def set_deck_stat(store: Store, path: str, size: int, mtime_ns: int) -> None:
    store.conn.execute("UPDATE decks SET size = ?, mtime_ns = ? WHERE path = ?", (size, mtime_ns, path))


def delete_deck(store: Store, path: str) -> None:
    store.conn.execute("DELETE FROM decks WHERE path = ?", (path,))


def active_keys_in_paths(store: Store, paths: Iterable[str]) -> dict[str, str]:
    """key -> path of the non-retired cards whose file is one of `paths`."""
    paths = list(paths)
    if not paths:
        return {}
    found: dict[str, str] = {}
    for start in range(0, len(paths), 500):
        chunk = paths[start : start + 500]
        sql = f"SELECT key, path FROM cards WHERE status != 'retired' AND path IN ({', '.join('?' * len(chunk))})"
        found.update(store.conn.execute(sql, chunk).fetchall())
    return found


def deck_names(store: Store) -> list[str]:
    return [row[0] for row in store.conn.execute("SELECT DISTINCT deck FROM cards ORDER BY deck")]


def card_count(store: Store) -> int:
    return store.conn.execute("SELECT count(*) FROM cards").fetchone()[0]


def resolve_deck(store: Store, name: str | None) -> str | None:
    """The deck title a user meant (exact, then case-insensitive); None means all decks."""
    if name is None:
        return None
    names = deck_names(store)
    if name in names:
        return name
    folded = [n for n in names if n.casefold() == name.casefold()]
    if len(folded) == 1:
        return folded[0]
    known = ", ".join(repr(n) for n in names) or "none yet (run `trainer import PATH`)"
    raise TrainerError(f"no deck named {name!r}; decks: {known}")
