"""A review process for the kill test: answers cards in the real app, headless,
printing `ack ID` after each answer has been committed. The test kills it."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from trainer.config import Settings
from trainer.importer import import_paths
from trainer.store import open_db
from trainer.tui.app import TrainerApp, utc_now


async def main(db_path: str, deck_path: str) -> None:
    store = open_db(db_path)
    import_paths(store, [Path(deck_path)], utc_now())
    settings = Settings(new_per_day=10_000, fuzz=False)
    app = TrainerApp(store, settings, straight_to_review=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        acked = 0
        while True:
            screen = app.screen
            await pilot.press("space", "1234"[acked % 4])
            ratings = screen.session.tally.ratings
            while acked < len(ratings):
                print(f"ack {ratings[acked][0]}", flush=True)
                acked += 1


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2]))
