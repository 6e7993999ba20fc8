"""How fast does a big deck folder import, and how cheap is the rescan at start? Prints figures; asserts nothing.

Generates F deck files holding N cards of every kind into a temp folder
(benchmarks/make_collection.py's decks), then measures, as medians over
several runs, each phase in a process of its own (so its peak memory is its
own):
  - a cold import (empty database), a no-op re-import, a re-import after
    editing one file: wall time in the phase (open and close of the database
    included) and the process's peak resident size (maxrss: the interpreter
    and SQLite's page cache included; tracemalloc is left off, as it slows
    an import three times);
  - the rescan the app makes at start (trainer.sync.rescan over the
    followed folder, nothing changed);
  - a whole `trainer import` process (start-up included), cold and no-op.
With --collection DB (a database from make_collection.py, its decks in
DB.decks/), the no-op, one-edit and rescan phases also run on a copy of that
database, reviews and all, over its own deck files (one is edited and put
back each run).

    .venv/bin/python benchmarks/import_bench.py --cards 100000 --files 1000 [--runs 3] [--json]
        [--collection /tmp/h100k.db]

Aims (2-core machine): at 100,000 cards in 1,000 files, a re-import after
editing one file under 0.3 s and 80 MiB; the rescan of 1,000 unchanged files
under 50 ms.
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
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.make_collection import write_decks  # noqa: E402

PHASES = ("cold", "noop", "edit", "rescan")


def run_phase(phase: str, db: Path, folder: Path) -> dict:
    """One phase, in this process: its time."""
    from trainer import sync
    from trainer.store import open_db

    now = datetime.now(timezone.utc)
    start = time.perf_counter()
    with open_db(db) as store:
        if phase == "rescan":
            report = sync.rescan(store, now)
        else:
            report = sync.import_and_follow(store, [folder], now)
    elapsed = time.perf_counter() - start
    if report is not None and not report.ok:
        raise SystemExit(f"benchmark decks did not import: {report.all_errors[:3]}")
    changed = None if report is None else {n: report.total(n) for n in ("added", "updated", "unchanged", "retired")}
    return {"seconds": elapsed, "report": changed}


def in_child(phase: str, db: Path, folder: Path) -> dict:
    """Run a phase in a fresh process; add that process's peak resident size."""
    command = [sys.executable, __file__, "--phase", phase, "--db", str(db), "--folder", str(folder)]
    child = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, env=dict(os.environ, PYTHONPATH=str(ROOT)))
    out = child.stdout.read()
    _, status, usage = os.wait4(child.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"phase {phase} failed")
    result = json.loads(out)
    result["maxrss_mib"] = usage.ru_maxrss / 1024
    return result


def timed_command(folder: Path, db: Path) -> float:
    env = dict(os.environ, TRAINER_DB=str(db), TRAINER_CONFIG=str(db.with_suffix(".toml")), PYTHONPATH=str(ROOT))
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "trainer", "import", str(folder)], env=env, check=True,
                   stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def fresh_db(work: Path, name: str) -> Path:
    db = work / f"{name}.db"
    for suffix in ("", "-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    return db


def edit_one(folder: Path) -> tuple[Path, str]:
    edited = sorted(folder.rglob("*.md"))[0]
    original = edited.read_text(encoding="utf-8")
    edited.write_text(original.replace("A: ", "A: edited: ", 1), encoding="utf-8")
    # Out of the racy window, so the next import trusts the other files' size and time.
    past = time.time() - 10
    os.utime(edited, (past, past))
    return edited, original


def age(folder: Path) -> None:
    """Deck files written a while ago, as a user's are (a file written in the last two
    seconds is hashed on every import, as git does with its racy files)."""
    past = time.time() - 3600
    for path in folder.rglob("*.md"):
        os.utime(path, (past, past))


def measure(folder: Path, work: Path, runs: int, cold: bool = True, db_source: Path | None = None) -> dict:
    results: dict[str, list[dict]] = {phase: [] for phase in PHASES}
    for run in range(runs):
        db = fresh_db(work, f"run{run}")
        if db_source is not None:
            shutil.copyfile(db_source, db)
        first = in_child("cold" if cold else "noop", db, folder)  # on a collection: follows the folder
        if cold:
            results["cold"].append(first)
        results["noop"].append(in_child("noop", db, folder))
        edited, original = edit_one(folder)
        results["edit"].append(in_child("edit", db, folder))
        edited.write_text(original, encoding="utf-8")
        age(folder)
        in_child("noop", db, folder)  # back to the original text
        results["rescan"].append(in_child("rescan", db, folder))
    summary = {}
    for phase, items in results.items():
        if not items:
            continue
        summary[phase] = {
            "seconds": round(statistics.median(i["seconds"] for i in items), 4),
            "maxrss_mib": round(statistics.median(i["maxrss_mib"] for i in items), 1),
            "report": items[0]["report"],
        }
    return summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cards", type=int, default=10_000)
    parser.add_argument("--files", type=int, default=100)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", action="store_true", help="print one JSON document")
    parser.add_argument("--collection", type=Path, help="also measure on a copy of this make_collection.py database")
    parser.add_argument("--phase", choices=PHASES, help=argparse.SUPPRESS)
    parser.add_argument("--db", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--folder", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        print(json.dumps(run_phase(args.phase, args.db, args.folder)))
        return

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        folder = work / "decks"
        write_decks(folder, args.cards, args.files)
        age(folder)
        figures = {"cards": args.cards, "files": args.files, "runs": args.runs,
                   "generated": measure(folder, work, args.runs)}
        figures["process"] = {
            "cold_seconds": round(timed_command(folder, fresh_db(work, "proc")), 3),
            "noop_seconds": round(timed_command(folder, work / "proc.db"), 3),
        }
        if args.collection:
            # The collection's own deck files (their cards live at these paths); the one
            # edited is put back as it was after each run.
            decks = args.collection.with_suffix(".decks")
            age(decks)
            figures["collection"] = {"db": str(args.collection),
                                     **measure(decks, work, args.runs, cold=False, db_source=args.collection)}

    if args.json:
        print(json.dumps(figures, indent=2))
        return
    print(f"{args.cards:,} cards in {args.files:,} files, median of {args.runs} runs, each phase in its own process")
    print(f"{'':34}{'time':>10}{'maxrss':>12}")
    for label, key in (("generated decks", "generated"), ("make_collection.py collection", "collection")):
        if key not in figures:
            continue
        print(label)
        for phase, name in (("cold", "cold import"), ("noop", "no-op re-import"), ("edit", "re-import, one file edited"),
                            ("rescan", "rescan at start (nothing changed)")):
            if phase in figures[key]:
                f = figures[key][phase]
                print(f"  {name:32}{f['seconds'] * 1000:8.0f} ms{f['maxrss_mib']:8.1f} MiB")
    p = figures["process"]
    print(f"`trainer import` process: cold {p['cold_seconds']:.2f} s, no-op {p['noop_seconds']:.2f} s (start-up included)")


if __name__ == "__main__":
    main()
