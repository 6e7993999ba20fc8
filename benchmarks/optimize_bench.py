"""Does fitting FSRS to one person's history predict their recall better?

    .venv/bin/python benchmarks/optimize_bench.py ../shared/data/anki-review-logs-12k.csv

Reads a review history as CSV (card_id, review_rating, review_time with a UTC
offset; other columns ignored), runs the same item building, time split, fit
and scoring as `trainer optimize` (trainer/optimize.py), and prints JSON: the
default and fitted scores on the held-out (latest) part, the item counts and
the seconds each step took.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from datetime import datetime, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

from trainer import optimize


def read_history(path: Path) -> list[tuple[str, int, datetime]]:
    history = []
    with path.open(newline="", encoding="utf-8") as file:
        for line, row in enumerate(csv.DictReader(file), start=2):
            try:
                at = datetime.fromisoformat(row["review_time"])
                if at.tzinfo is None:
                    raise ValueError("review_time has no UTC offset")
                history.append((row["card_id"], int(row["review_rating"]), at.astimezone(timezone.utc)))
            except (KeyError, ValueError) as exc:
                sys.exit(f"{path}:{line}: {exc}")
    return history


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("csv", type=Path)
    parser.add_argument("--day-starts-at", type=int, default=4, help="hour a study day starts (default 4)")
    parser.add_argument("--tz", default="UTC", help="time zone study days are counted in (default UTC)")
    parser.add_argument("--full-fit", action="store_true", help="also time the fit on all items")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    history = read_history(args.csv)
    items = optimize.build_items(history, args.day_starts_at, ZoneInfo(args.tz))
    built = time.perf_counter()
    optimize.require_enough(items, len(history))
    test = optimize.held_out_test(items)
    tested = time.perf_counter()
    figures = {
        "reviews": len(history),
        "items": len(items),
        "train_items": test.train_items,
        "held_out_items": test.held_out_items,
        "held_out_from": test.held_out_from.isoformat(),
        "default": test.default.to_dict(),
        "fitted": test.fitted.to_dict(),
        "improved": test.improved,
        "seconds": {"read_and_build": round(built - started, 3), "split_fit_score": round(tested - built, 3)},
    }
    if args.full_fit:
        optimize.fit_parameters(items)
        figures["seconds"]["fit_all"] = round(time.perf_counter() - tested, 3)
    print(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
