"""Review speed on a big collection: 10,000 cards with 100,000 reviews.

Prints the time from process start to the first card on screen (headless,
`trainer review` as a user would start it) and the time from an answer to the
next card being ready (median and 95th percentile), inside the real app.

    .venv/bin/python benchmarks/review_bench.py [--runs 5] [--answers 300]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from trainer.days import to_utc_text  # noqa: E402
from trainer.model import MemoryState  # noqa: E402
from trainer.store import open_db  # noqa: E402

CARDS = 10_000
REVIEWS = 100_000
DB = Path(tempfile.gettempdir()) / f"trainer-review-bench-{CARDS}-{REVIEWS}.db"

FIRST_CARD_PROBE = """
import os, sys, time
from trainer.tui import app as tui_app
from trainer.tui.screens import review
original = review.ReviewScreen.show
def show(self, card):
    original(self, card)
    def report():
        # Textual captures print(); write straight to the pipe.
        os.write(1, f"first-card {time.time()}\\n".encode())
        self.app.exit()
    self.call_after_refresh(report)
review.ReviewScreen.show = show
run = tui_app.TrainerApp.run
tui_app.TrainerApp.run = lambda self, **kw: run(self, headless=True, **kw)
sys.argv = ["trainer", "--db", sys.argv[1], "review"]
from trainer.cli import main
main()
"""


def build(path: Path) -> None:
    """Cards in every state, a history behind each, ~300 due today."""
    if path.exists():
        return
    rng = random.Random(7)
    now = datetime.now(timezone.utc)
    store = open_db(path)
    conn = store.conn
    stamp = to_utc_text(now)
    cards, reviews = [], []
    per_card = REVIEWS // CARDS
    for i in range(CARDS):
        key = f"bench{i:06d}"
        state = "new" if i % 10 == 0 else "review"
        due = now + timedelta(days=rng.uniform(-0.3, 60)) if state == "review" else None
        last = now - timedelta(days=rng.uniform(1, 30))
        memory = MemoryState(
            state=state, stability=rng.uniform(1, 80) if due else None, difficulty=rng.uniform(2, 8) if due else None,
            due=due, last_review=last if due else None, reps=per_card if due else 0,
        )
        cards.append((key, "faq", f"Deck {i % 10}", f"/bench/deck{i % 10}.md", "", f"Question {i}?", f"Answer {i}.",
                      "{}", None, i, "active", stamp, stamp, memory.state, None, memory.stability,
                      memory.difficulty, to_utc_text(due) if due else None,
                      to_utc_text(last) if due else None, memory.reps, 0))
        if due:
            before = json.dumps(MemoryState().to_dict())
            after = json.dumps(memory.to_dict())
            for j in range(per_card):
                at = last - timedelta(days=(per_card - j) * 3)
                reviews.append((key, rng.choice((1, 3, 3, 3, 4)), to_utc_text(at), 5000, "review", 3.0, 3.0, 0.9,
                                before, after))
    with store.atomic():
        conn.executemany(
            "INSERT INTO cards (key, kind, deck, path, section, prompt, answer, extra, sibling, source_line, status, "
            "created_at, updated_at, state, step, stability, difficulty, due, last_review, reps, lapses) "
            "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            cards,
        )
        conn.executemany(
            "INSERT INTO reviews (card_key, rating, reviewed_at, duration_ms, state, elapsed_days, scheduled_days, "
            "retrievability, state_before, state_after) VALUES (?,?,?,?,?,?,?,?,?,?)",
            reviews,
        )
    store.close()


def first_card_seconds(path: Path) -> float:
    env = dict(os.environ, TRAINER_CONFIG=str(path.with_suffix(".toml")))
    env.pop("TRAINER_DB", None)
    start = time.time()
    out = subprocess.run(
        [sys.executable, "-c", FIRST_CARD_PROBE, str(path)],
        capture_output=True, text=True, env=env, timeout=120,
    )
    for line in out.stdout.splitlines():
        if line.startswith("first-card"):
            return float(line.split()[1]) - start
    raise RuntimeError(f"no first card: {out.stdout[-500:]} {out.stderr[-2000:]}")


async def answer_latencies(path: Path, answers: int) -> list[float]:
    import shutil

    from trainer.config import Settings
    from trainer.tui.app import TrainerApp

    copy = path.with_name(path.stem + "-answers.db")
    shutil.copy(path, copy)
    store = open_db(copy)
    app = TrainerApp(store, Settings(new_per_day=answers, reviews_per_day=10_000), straight_to_review=True)
    timings = []
    async with app.run_test(size=(80, 24), headless=True) as pilot:
        await pilot.pause()
        screen = app.screen
        for i in range(answers):
            screen.action_reveal()
            start = time.perf_counter()
            screen.action_rate(3 if i % 5 else 1)  # commits the answer and draws the next card
            timings.append(time.perf_counter() - start)
            await pilot.pause()
    store.close()
    copy.unlink()
    return timings


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--answers", type=int, default=300)
    args = parser.parse_args()
    t = time.perf_counter()
    build(DB)
    print(f"database: {DB} ({CARDS} cards, {REVIEWS} reviews; built or reused in {time.perf_counter() - t:.1f}s)")
    firsts = [first_card_seconds(DB) for _ in range(args.runs)]
    print(f"process start -> first card on screen: median {statistics.median(firsts) * 1000:.0f} ms "
          f"(runs: {', '.join(f'{x * 1000:.0f}' for x in firsts)})")
    latencies = asyncio.run(answer_latencies(DB, args.answers))
    latencies.sort()
    p95 = latencies[int(len(latencies) * 0.95) - 1]
    print(f"answer -> next card ready ({len(latencies)} answers): median {statistics.median(latencies) * 1000:.2f} ms, "
          f"p95 {p95 * 1000:.2f} ms")


if __name__ == "__main__":
    main()
