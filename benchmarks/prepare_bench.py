"""`trainer prepare` speed on a collection built by make_collection.py.

    .venv/bin/python benchmarks/prepare_bench.py DB [--days 14] [--minutes 20] [--runs 3] [--json]

Prints, on a copy of DB (the original is never written):
  - cli_ms: process start to exit of `trainer prepare --on DATE --json --accept`
    (median of --runs), the clock pinned at the collection's `now`;
  - plan_ms: make_plan in process, split into reading the collection and fitting;
  - refit_ms: the next morning's fit (what opening trainer does once a day);
  - queue_ms: today's queue built with the plan in force, and without one;
  - answer_ms: answering plan cards through the session (median of 50);
  - the plan itself: cards planned, answers, minutes on its fullest day, expected above target.
"""

from __future__ import annotations

import argparse
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

PROBE = """
import sys
from datetime import datetime
import trainer.cli
now = datetime.fromisoformat(sys.argv[2])
trainer.cli.now_utc = lambda: now
sys.argv = ["trainer", "--db", sys.argv[1], "prepare", "--on", sys.argv[3], "--minutes-per-day", sys.argv[4],
            "--json", "--accept"]
trainer.cli.main()
"""


def cli_ms(db: Path, now: datetime, on: str, minutes: float) -> float:
    env = dict(os.environ, TRAINER_CONFIG=str(db.with_suffix(".no-config.toml")))
    env.pop("TRAINER_DB", None)
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", PROBE, str(db), now.isoformat(), on, str(minutes)],
                          capture_output=True, text=True, env=env, timeout=600)
    if done.returncode:
        raise RuntimeError(done.stderr[-2000:])
    return (time.perf_counter() - start) * 1000


def in_process(db: Path, now: datetime, days: int, minutes: float) -> dict:
    from trainer import prepare
    from trainer.config import Settings
    from trainer.model import Rating
    from trainer.scheduler import Scheduler
    from trainer.session import Session
    from trainer.store import open_db
    from trainer.store.cards import get_card

    settings = Settings()
    on = (now + timedelta(days=days)).date()
    with open_db(db) as store:
        start = time.perf_counter()
        scheduler = Scheduler(settings, fuzz=False)
        learner = prepare.measure_learner(store)
        today = scheduler.calendar.day_of(now)
        prepare.load_cards(store, scheduler, None, learner, scheduler.calendar.number(on), 0.9)
        read_ms = (time.perf_counter() - start) * 1000
        start = time.perf_counter()
        plan = prepare.make_plan(store, settings, now, on, minutes=minutes)
        plan_ms = (time.perf_counter() - start) * 1000
        with store.write():
            store.conn.execute("DELETE FROM plans")
        start = time.perf_counter()
        Session(store, settings).queue(now)
        queue_without_ms = (time.perf_counter() - start) * 1000
        prepare.accept(store, plan, now)
        start = time.perf_counter()
        session = Session(store, settings)
        queue = session.queue(now)
        queue_with_ms = (time.perf_counter() - start) * 1000
        planned_today = len(plan.fit.by_day.get(today, []))
        latencies = []
        for _ in range(min(50, planned_today)):
            card = get_card(store, session.queue(now).first().key)
            start = time.perf_counter()
            session.answer(card, Rating.GOOD, now, 8000)
            session.queue(now)
            latencies.append((time.perf_counter() - start) * 1000)
        start = time.perf_counter()
        again = prepare.refit(store, settings, now + timedelta(days=1))
        refit_ms = (time.perf_counter() - start) * 1000
        cards, reviews = store.conn.execute(
            "SELECT (SELECT count(*) FROM cards), (SELECT count(*) FROM reviews)").fetchone()
    return {
        "cards": cards, "reviews": reviews, "now": now.isoformat(), "on": on.isoformat(), "minutes_per_day": minutes,
        "plan_ms": round(plan_ms), "read_ms": round(read_ms), "fit_ms": round(plan_ms - read_ms),
        "refit_ms": round(refit_ms), "refit_cards_today": len(again.fit.by_day.get(today + 1, [])) if again else 0,
        "queue_ms": {"without_plan": round(queue_without_ms, 1), "with_plan": round(queue_with_ms, 1)},
        "queue_reviews_with_plan": queue.review,
        "answer_ms_p50": round(statistics.median(latencies), 2) if latencies else None,
        "planned_cards": len(plan.fit.days_of),
        "planned_answers": sum(len(ids) for ids in plan.fit.by_day.values()),
        "fullest_day_minutes": round(max(plan.fit.seconds.values(), default=0) / 60, 2),
        "expected_above": round(plan.fit.expected, 1), "unplanned_above": plan.fit.unplanned,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("db", type=Path)
    parser.add_argument("--days", type=int, default=14, help="the interview this many days after now")
    parser.add_argument("--minutes", type=float, default=20)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--now", default=NOW.isoformat())
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    now = datetime.fromisoformat(args.now)
    on = (now + timedelta(days=args.days)).date().isoformat()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / args.db.name
        shutil.copy(args.db, db)
        runs = [cli_ms(db, now, on, args.minutes) for _ in range(args.runs)]
        shutil.copy(args.db, db)
        figures = {"db": str(args.db), "cli_ms": round(statistics.median(runs)), "cli_runs_ms": [round(r) for r in runs]}
        figures.update(in_process(db, now, args.days, args.minutes))
    if args.json:
        print(json.dumps(figures))
    else:
        for key, value in figures.items():
            print(f"{key}: {value}")


if __name__ == "__main__":
    main()
