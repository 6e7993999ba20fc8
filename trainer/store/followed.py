"""The paths an import follows (`trainer import` with no path imports them again),
and the deck files other files have replaced (a bundled deck's editable copy)."""

from __future__ import annotations

from datetime import datetime
from typing import Iterable

from trainer.days import to_utc_text
from trainer.store.connection import Store


def follow(store: Store, paths: Iterable[str], now: datetime) -> None:
    store.conn.executemany(
        "INSERT INTO followed (path, added_at) VALUES (?, ?) ON CONFLICT (path) DO NOTHING",
        [(path, to_utc_text(now)) for path in paths],
    )


def unfollow(store: Store, path: str) -> bool:
    """Stop following `path`; False when it was not followed."""
    return store.conn.execute("DELETE FROM followed WHERE path = ?", (path,)).rowcount > 0


def followed_paths(store: Store) -> list[str]:
    return [row[0] for row in store.conn.execute("SELECT path FROM followed ORDER BY path")]


def replace_deck(store: Store, path: str, by_path: str, now: datetime) -> None:
    store.conn.execute(
        "INSERT INTO replaced_decks (path, by_path, replaced_at) VALUES (?, ?, ?) "
        "ON CONFLICT (path) DO UPDATE SET by_path = excluded.by_path, replaced_at = excluded.replaced_at",
        (path, by_path, to_utc_text(now)),
    )


def replaced_decks(store: Store) -> dict[str, str]:
    """Deck file -> the file that holds its cards now."""
    return dict(store.conn.execute("SELECT path, by_path FROM replaced_decks"))
