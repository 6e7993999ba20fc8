"""On an empty database, import the bundled decks so `trainer` works at once."""

from __future__ import annotations

from datetime import datetime

from trainer.config import bundled_decks_dir
from trainer.importer import import_paths
from trainer.store import Store
from trainer.store.cards import card_count


def import_bundled_if_empty(store: Store, now: datetime) -> str | None:
    """Import the bundled decks when the database has no cards; say what was done."""
    if card_count(store):
        return None
    folder = bundled_decks_dir()
    if not folder.is_dir():
        return None
    report = import_paths(store, [folder], now)
    added = report.total("added")
    message = (
        f"First run: imported {added} cards from the bundled interview decks ({len(report.decks)} decks). "
        "Add your own with `trainer import PATH`."
    )
    if not report.ok:
        # Never silent: an installed copy with a broken deck should say where.
        message += f" Some bundled decks were skipped: `trainer import {folder}` shows why."
    return message
