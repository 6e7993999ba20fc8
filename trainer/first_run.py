"""The bundled decks: imported on the first run, and kept current after that."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from trainer.config import bundled_decks_dir
from trainer.importer import import_paths
from trainer.store import Store
from trainer.store.cards import card_count


def _has_bundled_decks(store: Store, folder: Path) -> bool:
    # Paths below the folder sort between "folder/" and "folder0" ('0' follows '/'): one index probe.
    row = store.conn.execute("SELECT 1 FROM decks WHERE path > ? AND path < ? LIMIT 1",
                             (f"{folder}/", f"{folder}0")).fetchone()
    return row is not None


def sync_bundled_decks(store: Store, now: datetime) -> str | None:
    """Import the bundled decks on an empty database, and re-import them when a
    newer trainer ships edited ones; say what was done (None when nothing was)."""
    folder = bundled_decks_dir().resolve()
    if not folder.is_dir():
        return None
    first_run = card_count(store) == 0
    if not first_run and not _has_bundled_decks(store, folder):
        return None  # the user never had them (their own decks came first)
    report = import_paths(store, [folder], now)
    if first_run:
        message = (
            f"First run: imported {report.total('added')} cards from the bundled interview decks "
            f"({len(report.decks)} decks). Add your own with `trainer import PATH`."
        )
    else:
        changed = {name: report.total(name) for name in ("added", "updated", "retired", "restored")}
        if not any(changed.values()):
            return None
        counts = ", ".join(f"{n} {name}" for name, n in changed.items() if n)
        message = f"The bundled decks were updated by this version of trainer: {counts} (history kept)."
    if not report.ok:
        # Never silent: an installed copy with a broken deck should say where.
        message += f" Some bundled decks were skipped: `trainer import {folder}` shows why."
    return message
