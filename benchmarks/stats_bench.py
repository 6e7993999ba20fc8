"""Time `trainer stats` on a collection built by make_collection.py.

    .venv/bin/python benchmarks/stats_bench.py DB [--runs 5] [--json]

Prints the median time of whole `trainer stats --json` and `trainer stats`
(plain text to a pipe) processes, of `compute_stats` in-process, and of the
TUI stats screen showing its content (headless), with the floor
(`python -c "import trainer.stats"`) measured in the same run.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

NOW = "2026-11-02T09:00:00+00:00"  # make_collection.NOW

PROBE = """
import sys, time, json
from datetime import datetime
import trainer.cli
now = datetime.fromisoformat(sys.argv[2])
trainer.cli.now_utc = lambda: now
sys.argv = ["trainer", "--db", sys.argv[1], "stats"] + sys.argv[3:]
trainer.cli.main()
"""


def timed(command: list[str], env: dict) -> float:
    start = time.perf_counter()
    subprocess.run(command, env=env, check=True, capture_output=True)
    return time.perf_counter() - start


async def screen_seconds(db: Path, now: datetime) -> float:
    from trainer.config import Settings
    from trainer.store import open_db
    from trainer.tui.app import TrainerApp
    from trainer.tui.screens.stats import StatsScreen

    store = open_db(db)
    app = TrainerApp(store, Settings(), clock=lambda: now)
    async with app.run_test(size=(120, 40), headless=True) as pilot:
        await pilot.pause()
        start = time.perf_counter()
        await app.push_screen(StatsScreen(None))
        screen = app.screen
        while not getattr(screen, "loaded", False):
            await pilot.pause(0.01)
        elapsed = time.perf_counter() - start
    store.close()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("db", type=Path)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--now", default=NOW)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    now = datetime.fromisoformat(args.now)
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / args.db.name
        shutil.copy(args.db, db)
        env = dict(os.environ, TRAINER_CONFIG=str(Path(tmp) / "none.toml"))
        env.pop("TRAINER_DB", None)
        probe = [sys.executable, "-c", PROBE, str(db), args.now]
        timed(probe + ["--json"], env)  # a first run pays any one-off work (a migration)
        floor = [timed([sys.executable, "-c", "import trainer.stats, trainer.stats_view"], env) for _ in range(args.runs)]
        as_json = [timed(probe + ["--json"], env) for _ in range(args.runs)]
        plain = [timed(probe, env) for _ in range(args.runs)]
        from trainer.config import Settings
        from trainer.stats import compute_stats
        from trainer.store import open_db

        inside = []
        with open_db(db) as store:
            for _ in range(args.runs):
                start = time.perf_counter()
                compute_stats(store, Settings(), now)
                inside.append(time.perf_counter() - start)
            cards, reviews = store.conn.execute("SELECT (SELECT count(*) FROM cards), (SELECT count(*) FROM reviews)").fetchone()
        screen = [asyncio.run(screen_seconds(db, now)) for _ in range(min(3, args.runs))]
    figures = {
        "db": str(args.db), "cards": cards, "reviews": reviews, "runs": args.runs,
        "floor_ms": round(statistics.median(floor) * 1000),
        "stats_json_ms": round(statistics.median(as_json) * 1000),
        "stats_plain_ms": round(statistics.median(plain) * 1000),
        "compute_stats_ms": round(statistics.median(inside) * 1000),
        "stats_screen_ms": round(statistics.median(screen) * 1000),
    }
    print(json.dumps(figures) if args.json else "\n".join(f"{k}: {v}" for k, v in figures.items()))


if __name__ == "__main__":
    main()
