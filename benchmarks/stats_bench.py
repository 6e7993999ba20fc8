"""Time `trainer stats --json` (the whole process) on a large synthetic history.

    .venv/bin/python benchmarks/stats_bench.py [--cards 50000] [--reviews 1000000] [--runs 5]

The database is built once (one transaction of executemany; the schema comes
from trainer's own migrations) and cached in /tmp keyed by its size. It is
written straight with SQL because going through record_review a million times
would take minutes; the rows have the shape record_review writes. Prints the
median and spread of the runs.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

from trainer.days import to_utc_text
from trainer.store import open_db

DECKS = 12
HISTORY_DAYS = 1000
STATE_JSON = (
    '{{"state": "{state}", "step": null, "stability": {s:.4f}, "difficulty": {d:.4f}, '
    '"due": "{due}", "last_review": "{last}", "reps": {reps}, "lapses": {lapses}}}'
)


def _card_rows(count: int, now: datetime, rng: random.Random) -> list[tuple]:
    stamp = to_utc_text(now - timedelta(days=HISTORY_DAYS + 1))
    rows = []
    for i in range(count):
        deck = i % DECKS
        status = rng.choices(("active", "suspended", "retired"), (97, 2, 1))[0]
        state = rng.choices(("new", "learning", "review", "relearning"), (10, 2, 85, 3))[0]
        if state == "new":
            memory = (None, None, None, None, None, 0, 0)
        else:
            stability = rng.lognormvariate(2.5, 1.3)
            last = now - timedelta(days=rng.uniform(0, min(stability * 2, 300)))
            due = last + timedelta(days=max(stability * rng.uniform(0.8, 1.2), 0.01))
            memory = (None, stability, rng.uniform(1, 10), to_utc_text(due), to_utc_text(last),
                      rng.randint(1, 40), rng.choices((0, 1, 2, 5), (70, 20, 8, 2))[0])
        rows.append((f"card{i:07d}", "faq", f"Deck {deck}", f"decks/deck{deck}.md", "",
                     f"Question {i}?", f"Answer {i}.", "{}", None, 3 + (i // DECKS) * 4, status,
                     stamp, stamp, state) + memory)
    return rows


def _review_rows(count: int, cards: int, now: datetime, rng: random.Random):
    start = now - timedelta(days=HISTORY_DAYS)
    step = HISTORY_DAYS * 86400 / count
    for i in range(count):
        at = start + timedelta(seconds=i * step)
        first = rng.random() < cards / count
        state = "new" if first else rng.choices(("learning", "review", "relearning"), (5, 90, 5))[0]
        rating = rng.choices((1, 2, 3, 4), (10, 5, 75, 10))[0]
        stability = rng.lognormvariate(2.5, 1.3)
        scheduled = None if first else stability * rng.uniform(0.8, 1.2)
        recall = None if first else rng.uniform(0.6, 1.0)
        before = STATE_JSON.format(state=state, s=stability, d=5.0, due=to_utc_text(at), last=to_utc_text(at),
                                   reps=3, lapses=0)
        yield (f"card{rng.randrange(cards):07d}", rating, to_utc_text(at), rng.randint(2000, 30000), state,
               scheduled, scheduled, recall, before, before)


def build(path: Path, cards: int, reviews: int) -> None:
    now = datetime.now(timezone.utc)
    rng = random.Random(42)
    tmp = path.with_suffix(".building")
    for leftover in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
        leftover.unlink(missing_ok=True)
    store = open_db(tmp)
    with store.atomic():
        store.conn.executemany(
            "INSERT INTO cards (key, kind, deck, path, section, prompt, answer, extra, sibling, source_line, "
            "status, created_at, updated_at, state, step, stability, difficulty, due, last_review, reps, lapses) "
            f"VALUES ({', '.join('?' * 21)})",
            _card_rows(cards, now, rng),
        )
        store.conn.executemany(
            "INSERT INTO reviews (card_key, rating, reviewed_at, duration_ms, state, elapsed_days, "
            "scheduled_days, retrievability, state_before, state_after) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            _review_rows(reviews, cards, now, rng),
        )
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    os.replace(tmp, path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cards", type=int, default=50_000)
    parser.add_argument("--reviews", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    path = Path(tempfile.gettempdir()) / f"trainer_stats_bench_{args.cards}c_{args.reviews}r.db"
    if not path.exists():
        began = time.perf_counter()
        build(path, args.cards, args.reviews)
        print(f"built {path} in {time.perf_counter() - began:.1f} s")
    else:
        print(f"using cached {path}")

    trainer = Path(sys.executable).with_name("trainer")
    env = dict(os.environ, TRAINER_DB=str(path), TRAINER_CONFIG=str(path.with_suffix(".no-config.toml")))
    # Opening migrates: run once untimed so a new migration is not counted as stats' time.
    subprocess.run([str(trainer), "stats", "--json"], env=env, check=True, capture_output=True)
    times = []
    for _ in range(args.runs):
        began = time.perf_counter()
        subprocess.run([str(trainer), "stats", "--json"], env=env, check=True, capture_output=True)
        times.append(time.perf_counter() - began)
    print(
        f"trainer stats --json, {args.cards} cards, {args.reviews} reviews: "
        f"median {statistics.median(times):.3f} s over {args.runs} runs "
        f"(min {min(times):.3f}, max {max(times):.3f})"
    )


if __name__ == "__main__":
    main()
