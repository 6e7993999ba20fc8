"""How fast does a big deck folder import? Prints figures; asserts nothing.

Generates 100 deck files holding 10,000 cards of every kind into a temp
folder, then measures, as medians over several runs:
  - a cold import (empty database), a no-op re-import and a re-import
    after editing one file, in-process through `import_paths`;
  - the same two through a whole `trainer import` process (start-up included);
  - peak Python memory (tracemalloc) of an in-process cold import, and the
    peak resident size of the process.

    .venv/bin/python benchmarks/import_bench.py [--runs 5]

Aim (2-core machine): cold import of 10,000 cards under 2 s, no-op re-import under 0.3 s.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from datetime import datetime, timezone
from pathlib import Path

from trainer.importer import import_paths
from trainer.store import open_db

FILES = 100
CARDS = 10_000
NOW = datetime(2025, 1, 6, 9, 0, tzinfo=timezone.utc)


def deck_text(number: int, cards: int) -> str:
    """One deck with `cards` cards, cycling through the four kinds.

    A ladder of PRIMARY + 2 PROXY + GUARDRAIL makes 4 cards, so it counts 4.
    """
    out = [f"# Benchmark deck {number}", "", "Some prose that makes no card.", ""]
    made = 0
    i = 0
    while made < cards:
        tag = f"{number}-{i}"
        section = i % 4
        if i % 10 == 0:
            out += [f"## Section {tag}", ""]
        if section == 0:
            out += [f"BAD: a weak answer number {tag}", f"GOOD: a **strong** answer {tag}", f"WHY: because {tag}", ""]
            made += 1
        elif section == 1:
            out += [f"- Not the vague thing {tag}, but the sharp thing {tag}.", ""]
            made += 1
        elif section == 2 and cards - made >= 4:
            out += [
                f"LADDER: ladder {tag}",
                f"PRIMARY: outcome {tag}",
                f"PROXY: first proxy {tag}",
                f"PROXY: second proxy {tag}",
                f"GUARDRAIL: guardrail {tag}",
                "",
            ]
            made += 4
        else:
            out += [f"Q: what is question {tag}?", f"A: the answer to {tag},", "  on two lines.", ""]
            made += 1
        i += 1
    return "\n".join(out) + "\n"


def write_decks(folder: Path) -> None:
    per_file = CARDS // FILES
    for number in range(FILES):
        sub = folder / f"part{number % 5}"
        sub.mkdir(exist_ok=True)
        (sub / f"deck{number:03}.md").write_text(deck_text(number, per_file), encoding="utf-8")


def timed_in_process(folder: Path, db: Path) -> float:
    start = time.perf_counter()
    with open_db(db) as store:
        report = import_paths(store, [folder], NOW)
    elapsed = time.perf_counter() - start
    if not report.ok:
        raise SystemExit(f"benchmark decks did not import: {report.all_errors[:3]}")
    return elapsed


def timed_process(folder: Path, db: Path) -> float:
    env = dict(os.environ, TRAINER_DB=str(db), TRAINER_CONFIG=str(db.with_suffix(".toml")))
    trainer = Path(sys.executable).with_name("trainer")
    command = [str(trainer)] if trainer.exists() else [sys.executable, "-m", "trainer"]
    start = time.perf_counter()
    subprocess.run(command + ["import", str(folder)], env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def fresh_db(work: Path, name: str) -> Path:
    db = work / f"{name}.db"
    for suffix in ("", "-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    return db


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        folder = work / "decks"
        folder.mkdir()
        write_decks(folder)
        cold, noop, one_edit, cold_proc, noop_proc = [], [], [], [], []
        edited = folder / "part0" / "deck000.md"
        original = edited.read_text(encoding="utf-8")
        for run in range(runs):
            db = fresh_db(work, f"in{run}")
            cold.append(timed_in_process(folder, db))
            noop.append(timed_in_process(folder, db))
            edited.write_text(original.replace("A: the answer", "A: an edited answer"), encoding="utf-8")
            one_edit.append(timed_in_process(folder, db))
            edited.write_text(original, encoding="utf-8")
            db = fresh_db(work, f"proc{run}")
            cold_proc.append(timed_process(folder, db))
            noop_proc.append(timed_process(folder, db))

        with open_db(fresh_db(work, "count")) as store:
            report = import_paths(store, [folder], NOW)
        db = fresh_db(work, "memory")
        tracemalloc.start()
        timed_in_process(folder, db)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        maxrss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

    print(f"{report.total('added')} cards in {len(report.decks)} files, median of {runs} runs")
    print(f"cold import, in-process (import_paths):   {statistics.median(cold) * 1000:7.0f} ms")
    print(f"no-op re-import, in-process:               {statistics.median(noop) * 1000:7.0f} ms")
    print(f"re-import after editing one file:          {statistics.median(one_edit) * 1000:7.0f} ms")
    print(f"cold import, `trainer import` process:     {statistics.median(cold_proc) * 1000:7.0f} ms")
    print(f"no-op re-import, `trainer import` process: {statistics.median(noop_proc) * 1000:7.0f} ms")
    print(f"peak Python memory of a cold import (tracemalloc): {peak / 1e6:.1f} MB")
    print(f"peak resident size of this process (maxrss):       {maxrss_kb / 1024:.1f} MB")


if __name__ == "__main__":
    main()
