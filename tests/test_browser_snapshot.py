"""An SVG snapshot of the card browser at 80x24 (regenerate with --snapshot-update, then look at it)."""

from __future__ import annotations

from datetime import timezone

from trainer.tui.app import TrainerApp

from browse_helpers import NOW, build


def test_browser_at_80x24(snap_compare, tmp_path, monkeypatch):
    collection = build(tmp_path)
    monkeypatch.chdir(tmp_path)  # paths show relative to here: decks/alpha.md
    app = TrainerApp(collection.store, collection.settings, clock=lambda: NOW, tz=timezone.utc)
    try:
        # Open the browser, mark the leech, move on to the suspended card.
        assert snap_compare(app, press=["b", "j", "j", "j", "x"], terminal_size=(80, 24))
    finally:
        collection.store.close()
