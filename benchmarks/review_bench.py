"""Review speed on a collection built by make_collection.py.

    .venv/bin/python benchmarks/review_bench.py DB [--runs 5] [--answers 300] [--all-due] [--json]

Prints, in the same run so they compare:
  - floor_ms: `python -c "import textual.app, sqlite_utils, fsrs"` (process start and imports);
  - first_card_ms: process start to the first card drawn by `trainer review`,
    headless (median of --runs);
  - decks_ms: the decks screen filled (all decks' counts), in-process;
  - answer_ms: answer to next card ready in the real app (p50, p95, max over
    --answers answers): committed, queue updated, next card chosen and read;
  - answer_drawn_ms: the same plus Textual drawing that card.
The clock is the collection's `now` (make_collection's default), or ten years
later with --all-due, when every review card is due at once. The database is
copied first, so runs never change it.
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
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=timezone.utc)  # make_collection.NOW

FIRST_CARD_PROBE = """
import os, sys, time
from datetime import datetime
now = datetime.fromisoformat(sys.argv[2])
import trainer.cli
trainer.cli.now_utc = lambda: now
trainer.cli.has_terminal = lambda: True  # headless: the probe has no terminal
from trainer.tui import app as tui_app
from trainer.tui.screens import review
original = review.ReviewScreen.show
async def show(self, card, queue=None):
    await original(self, card, queue)
    os.write(1, f"first-card {time.time()}\\n".encode())  # Textual captures print()
    self.app.exit()
review.ReviewScreen.show = show
init = tui_app.TrainerApp.__init__
def patched(self, *args, **kwargs):
    kwargs["clock"] = lambda: now
    init(self, *args, **kwargs)
tui_app.TrainerApp.__init__ = patched
run = tui_app.TrainerApp.run
tui_app.TrainerApp.run = lambda self, **kw: run(self, headless=True, **kw)
sys.argv = ["trainer", "--db", sys.argv[1], "review"]
trainer.cli.main()
"""


def _env(db: Path) -> dict:
    env = dict(os.environ, TRAINER_CONFIG=str(db.with_suffix(".no-config.toml")))
    env.pop("TRAINER_DB", None)
    return env


def floor_ms() -> float:
    start = time.time()
    subprocess.run([sys.executable, "-c", "import textual.app, sqlite_utils, fsrs"], check=True)
    return (time.time() - start) * 1000


def first_card_ms(db: Path, now: datetime) -> float:
    start = time.time()
    out = subprocess.run([sys.executable, "-c", FIRST_CARD_PROBE, str(db), now.isoformat()],
                         capture_output=True, text=True, env=_env(db), timeout=600)
    for line in out.stdout.splitlines():
        if line.startswith("first-card"):
            return (float(line.split()[1]) - start) * 1000
    raise RuntimeError(f"no first card: {out.stdout[-500:]} {out.stderr[-2000:]}")


def decks_ms(db: Path, now: datetime, runs: int) -> float:
    from trainer.config import Settings
    from trainer.session import Session
    from trainer.store import open_db

    times = []
    with open_db(db) as store:
        for _ in range(runs):
            start = time.perf_counter()
            session = Session(store, Settings())
            session.deck_counts(now)
            session.queue(now)
            times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


async def answer_latencies(db: Path, now: datetime, answers: int) -> tuple[list[float], list[float], int]:
    """(core ms, drawn ms, queue rebuilds) per answer, in the real app.

    core: from the key to the next card chosen and read (the answer committed,
    the kept queue updated): what the collection's size could make slow.
    drawn: the same plus Textual drawing the next card (its Markdown mounted).
    """
    from trainer.config import Settings
    from trainer.store import open_db
    from trainer.tui.app import TrainerApp
    from trainer.tui.screens import review

    store = open_db(db)
    clock = [now]
    app = TrainerApp(store, Settings(new_per_day=answers, reviews_per_day=10_000), straight_to_review=True,
                     clock=lambda: clock[0])
    core, drawn = [], []
    rebuilds = 0
    async with app.run_test(size=(80, 24), headless=True) as pilot:
        await pilot.pause()
        screen = app.screen

        def counted():
            nonlocal rebuilds
            rebuilds += 1

        screen.session.on_rebuild = counted
        original_show = review.ReviewScreen.show
        marks = {}

        async def show(self, card, queue=None):
            marks["chosen"] = time.perf_counter()
            await original_show(self, card, queue)

        review.ReviewScreen.show = show
        for i in range(answers):
            clock[0] += timedelta(seconds=8)
            await screen.action_reveal()
            start = time.perf_counter()
            await screen.action_rate(3 if i % 5 else 1)  # commits the answer and draws the next card
            end = time.perf_counter()
            core.append((marks["chosen"] - start) * 1000)
            drawn.append((end - start) * 1000)
            await pilot.pause()
        review.ReviewScreen.show = original_show
    store.close()
    return core, drawn, rebuilds


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("db", type=Path)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--answers", type=int, default=300)
    parser.add_argument("--now", default=NOW.isoformat(), help="the clock (default: make_collection's now)")
    parser.add_argument("--all-due", action="store_true", help="ten years later: every review card is due")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    now = datetime.fromisoformat(args.now)
    if args.all_due:
        now += timedelta(days=3650)
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / args.db.name
        shutil.copy(args.db, db)
        floors = [floor_ms() for _ in range(args.runs)]
        firsts = [first_card_ms(db, now) for _ in range(args.runs)]
        decks = decks_ms(db, now, args.runs)
        latencies, drawn, rebuilds = asyncio.run(answer_latencies(db, now, args.answers))
        from trainer.store import open_db

        with open_db(db) as store:
            cards, reviews = store.conn.execute("SELECT (SELECT count(*) FROM cards), (SELECT count(*) FROM reviews)").fetchone()
    figures = {
        "db": str(args.db), "cards": cards, "reviews": reviews, "now": now.isoformat(), "runs": args.runs,
        "floor_ms": round(statistics.median(floors)),
        "first_card_ms": round(statistics.median(firsts)),
        "first_card_runs_ms": [round(x) for x in firsts],
        "decks_ms": round(decks, 1),
        "answers": len(latencies),
        "answer_ms": {"p50": round(statistics.median(latencies), 2), "p95": round(percentile(latencies, 0.95), 2),
                      "max": round(max(latencies), 2)},
        "answer_drawn_ms": {"p50": round(statistics.median(drawn), 2), "p95": round(percentile(drawn, 0.95), 2),
                            "max": round(max(drawn), 2)},
        "queue_rebuilds_during_answers": rebuilds,
    }
    if args.json:
        print(json.dumps(figures))
    else:
        for key, value in figures.items():
            print(f"{key}: {value}")


if __name__ == "__main__":
    main()
