"""How well, how fast and in how much memory does `trainer optimize` fit FSRS?

    .venv/bin/python benchmarks/optimize_bench.py ../shared/data/anki-review-logs-12k.csv --tz America/Chicago
    .venv/bin/python benchmarks/optimize_bench.py /tmp/bench100k.db

A CSV history (card_id, review_rating, review_time with a UTC offset; other
columns ignored) goes through the very items, folds, fits and scores of
trainer/optimize.py in this process. A trainer database is timed as a user
runs it: a whole `trainer optimize --dry-run --json` process, with its peak
resident memory. Either way it prints JSON with the defaults, the parameters
in force (the defaults here) and a new fit, scored on the same five
time-series folds, and the seconds each step took.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from trainer import optimize  # noqa: E402
from trainer.days import StudyCalendar, to_ms  # noqa: E402


def read_rows(path: Path) -> list[tuple[int, int, int, int, int]]:
    rows = []
    with path.open(newline="", encoding="utf-8") as file:
        for line, row in enumerate(csv.DictReader(file), start=2):
            try:
                at = datetime.fromisoformat(row["review_time"])
                if at.tzinfo is None:
                    raise ValueError("review_time has no UTC offset")
                rows.append((int(row["card_id"]), 0, int(row["review_rating"]), to_ms(at), line))
            except (KeyError, ValueError) as exc:
                sys.exit(f"{path}:{line}: {exc}")
    rows.sort(key=lambda row: (row[3], row[0]))  # time order (ties by card), as the log is read
    return rows


def from_csv(path: Path, tz: str, day_starts_at: int) -> dict:
    started = time.perf_counter()
    items = optimize.build_items(read_rows(path), StudyCalendar(day_starts_at, ZoneInfo(tz)))
    built = time.perf_counter()
    optimize.require_enough(items)
    evaluation = optimize.evaluate(items, optimize.default_parameters())
    scored = time.perf_counter()
    optimize.fit_parameters(items)
    fitted = time.perf_counter()
    return {
        "source": str(path), "tz": tz, "reviews": items.reviews, "items": len(items),
        "folds": [list(fold) for fold in evaluation.folds],
        "default": evaluation.default.to_dict(), "in_force": evaluation.in_force.to_dict(),
        "fitted": evaluation.fitted.to_dict(), "improved": evaluation.improved,
        "seconds": {"read_and_build": round(built - started, 3), "folds_fit_and_score": round(scored - built, 3),
                    "fit_all": round(fitted - scored, 3)},
    }


def from_db(path: Path, tz: str | None) -> dict:
    env = dict(os.environ, TRAINER_CONFIG=str(path.with_suffix(".bench-config.toml")))
    env.pop("TRAINER_DB", None)
    Path(env["TRAINER_CONFIG"]).write_text(f'timezone = "{tz}"\n' if tz else "", encoding="utf-8")
    trainer = Path(sys.executable).with_name("trainer")
    started = time.perf_counter()
    out = subprocess.run([str(trainer), "--db", str(path), "optimize", "--dry-run", "--json"],
                         env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if out.returncode:
        sys.exit(out.stderr)
    figures = json.loads(out.stdout)
    peak_mib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"source": str(path), "tz": tz or "machine", **{k: figures[k] for k in (
        "reviews", "items", "folds", "default", "in_force", "fitted", "improved")},
        "seconds": {"trainer_optimize_dry_run": round(seconds, 2)}, "peak_rss_mib": round(peak_mib)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("source", type=Path, help="a review history .csv, or a trainer database")
    parser.add_argument("--day-starts-at", type=int, default=4, help="hour a study day starts (default 4)")
    parser.add_argument("--tz", default=None, help="time zone study days are counted in (CSV default: UTC)")
    args = parser.parse_args(argv)
    if args.source.suffix == ".csv":
        figures = from_csv(args.source, args.tz or "UTC", args.day_starts_at)
    else:
        figures = from_db(args.source, args.tz)
    print(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
