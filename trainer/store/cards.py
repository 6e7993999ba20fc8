"""Reading and writing the decks and cards tables."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Iterable

from trainer.days import from_utc_text, to_utc_text
from trainer.errors import TrainerError
from trainer.model import Card, CardKind, MemoryState, Status
from trainer.store.connection import Store

CARD_COLUMNS = (
    "key, kind, deck, path, section, prompt, answer, extra, sibling, source_line, status, "
    "buried_until, state, step, stability, difficulty, due, last_review, reps, lapses"
)
# What an import writes: the deck's side of a card, never its schedule.
CONTENT_COLUMNS = ("kind", "deck", "path", "section", "prompt", "answer", "extra", "sibling", "source_line")


def _when(text: str | None) -> datetime | None:
    return from_utc_text(text) if text else None


def card_from_row(row: tuple) -> Card:
    (key, kind, deck, path, section, prompt, answer, extra, sibling, line, status,
     buried, state, step, stability, difficulty, due, last_review, reps, lapses) = row
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
    )


def get_card(store: Store, key: str) -> Card | None:
    row = store.conn.execute(f"SELECT {CARD_COLUMNS} FROM cards WHERE key = ?", (key,)).fetchone()
    return card_from_row(row) if row else None


def cards_where(store: Store, where: str = "1", params: Iterable = (), order: str = "path, source_line") -> list[Card]:
    sql = f"SELECT {CARD_COLUMNS} FROM cards WHERE {where} ORDER BY {order}"
    return [card_from_row(row) for row in store.conn.execute(sql, tuple(params))]


def content_by_key(store: Store) -> dict[str, dict]:
    """Every card's deck-side content and status, for the importer's diff."""
    cols = ("key", "status") + CONTENT_COLUMNS
    sql = f"SELECT {', '.join(cols)} FROM cards"
    return {row[0]: dict(zip(cols, row)) for row in store.conn.execute(sql)}


def insert_cards(store: Store, rows: list[dict], now: datetime) -> None:
    stamp = to_utc_text(now)
    cols = ("key", "status") + CONTENT_COLUMNS + ("created_at", "updated_at")
    store.conn.executemany(
        f"INSERT INTO cards ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
        [tuple(row[c] for c in cols[:-2]) + (stamp, stamp) for row in rows],
    )


def update_cards(store: Store, rows: list[dict], now: datetime) -> None:
    """Write new deck-side content (and status) for existing cards."""
    stamp = to_utc_text(now)
    cols = ("status",) + CONTENT_COLUMNS
    sets = ", ".join(f"{c} = ?" for c in cols)
    store.conn.executemany(
        f"UPDATE cards SET {sets}, updated_at = ? WHERE key = ?",
        [tuple(row[c] for c in cols) + (stamp, row["key"]) for row in rows],
    )


def set_status(store: Store, keys: Iterable[str], status: Status, now: datetime) -> None:
    stamp = to_utc_text(now)
    store.conn.executemany(
        "UPDATE cards SET status = ?, updated_at = ? WHERE key = ?",
        [(status.value, stamp, key) for key in keys],
    )


def bury(store: Store, key: str, until: datetime | None) -> None:
    with store.atomic():
        store.conn.execute(
            "UPDATE cards SET buried_until = ? WHERE key = ?",
            (to_utc_text(until) if until else None, key),
        )


def write_memory(store: Store, key: str, memory: MemoryState) -> None:
    """Overwrite a card's scheduling cache (callers hold the transaction)."""
    store.conn.execute(
        "UPDATE cards SET state = ?, step = ?, stability = ?, difficulty = ?, due = ?, "
        "last_review = ?, reps = ?, lapses = ? WHERE key = ?",
        (
            memory.state,
            memory.step,
            memory.stability,
            memory.difficulty,
            to_utc_text(memory.due) if memory.due else None,
            to_utc_text(memory.last_review) if memory.last_review else None,
            memory.reps,
            memory.lapses,
            key,
        ),
    )


def decks_by_path(store: Store) -> dict[str, dict]:
    cols = ("path", "name", "content_hash", "card_count", "imported_at")
    return {row[0]: dict(zip(cols, row)) for row in store.conn.execute(f"SELECT {', '.join(cols)} FROM decks")}


def upsert_deck(store: Store, path: str, name: str, content_hash: str, card_count: int, now: datetime) -> None:
    store.conn.execute(
        "INSERT INTO decks (path, name, content_hash, card_count, imported_at) VALUES (?, ?, ?, ?, ?) "
        "ON CONFLICT (path) DO UPDATE SET name = excluded.name, content_hash = excluded.content_hash, "
        "card_count = excluded.card_count, imported_at = excluded.imported_at",
        (path, name, content_hash, card_count, to_utc_text(now)),
    )


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
