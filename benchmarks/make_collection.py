"""Build a realistic collection for the benchmarks, through the project's own code.

Writes F Markdown deck files holding N cards of all four kinds, imports them
with `trainer.importer.import_paths`, then gives the cards a review history
made by `trainer.history.step` (the function every real answer goes through)
and `trainer.store.reviews.insert_event`: a simulated learner introduces
cards over a span of history long enough to give the number of reviews
asked for, and answers each when it falls due, remembering
with FSRS's own forgetting curve. The learner stopped a few days before
`--now`, so about 8% of the cards are due, with a few days of backlog; a
tenth of the cards were never studied. The log is written in time order, as
a real one is (answers come one after another), so review ids follow time.

    .venv/bin/python benchmarks/make_collection.py --cards 100000 --files 1000 --reviews 1000000 OUT.db

The deck files go next to the database (OUT.decks/). Prints one JSON line.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from trainer import history  # noqa: E402
from trainer.config import Settings  # noqa: E402
from trainer.days import to_ms  # noqa: E402
from trainer.importer import import_paths  # noqa: E402
from trainer.model import EventKind, MemoryState, Rating  # noqa: E402
from trainer.scheduler import Scheduler, fingerprint  # noqa: E402
from trainer.store import open_db  # noqa: E402
from trainer.store.cards import write_memory  # noqa: E402
from trainer.store.reviews import insert_event  # noqa: E402

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=timezone.utc)
BACKLOG_DAYS = 7
NEW_SHARE = 0.1
WORDS = ("retention listening session guardrail proxy metric surface cold start discovery feed skip save "
         "follow diversity creator novelty query ranking home search playlist podcast trust signal").split()


def _phrase(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words))


def deck_text(number: int, cards: int, seed: int = 0) -> str:
    """One deck with `cards` cards of the four kinds, in the bundled decks' mix.

    Every thirteen items: three contrasts, three pairs, six questions and one
    4-rung ladder, so a quarter of the cards are ladder rungs, as in decks/.
    """
    rng = random.Random(seed * 100_003 + number)
    out = [f"# Benchmark deck {number}", "", "Some prose that makes no card.", ""]
    made = 0
    i = 0
    while made < cards:
        tag = f"{number}-{i}"
        kind = (0, 1, 3, 0, 3, 2, 0, 1, 3, 3, 1, 3, 3)[i % 13]
        if i % 10 == 0:
            out += [f"## Section {tag}", ""]
        if kind == 0:
            out += [f"BAD: I would {_phrase(rng, 8)} ({tag}).", f"GOOD: I would **{_phrase(rng, 12)}** ({tag}).",
                    f"WHY: {_phrase(rng, 10)}.", ""]
            made += 1
        elif kind == 1:
            out += [f"- Not the {_phrase(rng, 3)} {tag}, but the {_phrase(rng, 4)}.", ""]
            made += 1
        elif kind == 2 and cards - made >= 4:
            out += [f"LADDER: {_phrase(rng, 4)} {tag}", f"PRIMARY: {_phrase(rng, 8)}.", f"PROXY: {_phrase(rng, 6)}.",
                    f"PROXY: {_phrase(rng, 6)}.", f"GUARDRAIL: {_phrase(rng, 6)}.", ""]
            made += 4
        else:
            out += [f"Q: What is {_phrase(rng, 6)} ({tag})?", f"A: {_phrase(rng, 10)},", f"  {_phrase(rng, 6)}.", ""]
            made += 1
        i += 1
    return "\n".join(out) + "\n"


def write_decks(folder: Path, cards: int, files: int, seed: int = 0) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    per_file, extra = divmod(cards, files)
    for number in range(files):
        sub = folder / f"part{number % 10}"
        sub.mkdir(exist_ok=True)
        count = per_file + (1 if number < extra else 0)
        (sub / f"deck{number:04}.md").write_text(deck_text(number, count, seed), encoding="utf-8")


def simulate_card(scheduler: Scheduler, key: str, start: datetime, stop: datetime,
                  rng: random.Random) -> tuple[MemoryState, list[tuple]]:
    """One card's answers from `start` until `stop`: its state after, and (ms, rating, duration, derived) each."""
    memory = MemoryState()
    when = start
    events = []
    while when < stop:
        recall = scheduler.recall(memory, when)
        if recall is None:
            rating = rng.choice((Rating.AGAIN, Rating.GOOD, Rating.GOOD, Rating.GOOD, Rating.EASY))
        elif rng.random() > recall:
            rating = Rating.AGAIN
        else:
            rating = rng.choices((Rating.HARD, Rating.GOOD, Rating.EASY), (1, 8, 1))[0]
        at_ms = to_ms(when)
        memory, derived = history.step(scheduler, key, memory, EventKind.ANSWER, rating, when)
        events.append((at_ms, rating, rng.randint(2_000, 20_000), derived))
        when = max(memory.due, when + timedelta(seconds=30))
        if memory.state == "review":
            when += timedelta(hours=rng.uniform(0, 36))  # reviews happen some time on or after the due day
    return memory, events


def _history_span(scheduler: Scheduler, per_card: float, stop: datetime, seed: int) -> float:
    """Days of history (first sights spread over them) that give about `per_card` reviews a card."""
    low, high = 2.0, 20_000.0
    for _ in range(20):
        span = (low + high) / 2
        rng = random.Random(seed)
        sample = [len(simulate_card(scheduler, f"pilot{i}", stop - timedelta(days=rng.uniform(1, span)), stop, rng)[1])
                  for i in range(300)]
        if sum(sample) / len(sample) < per_card:
            low = span
        else:
            high = span
    return (low + high) / 2


def build(out: Path, cards: int, files: int, reviews: int, seed: int = 7, now: datetime = NOW) -> dict:
    started = time.perf_counter()
    for suffix in ("", "-wal", "-shm"):
        Path(str(out) + suffix).unlink(missing_ok=True)
    folder = out.with_suffix(".decks")
    write_decks(folder, cards, files, seed)
    settings = Settings()
    scheduler = Scheduler(settings)
    store = open_db(out)
    report = import_paths(store, [folder], now - timedelta(days=800))
    if not report.ok:
        raise SystemExit(f"benchmark decks did not import: {report.all_errors[:3]}")
    rng = random.Random(seed)
    rows = store.conn.execute("SELECT id, key FROM cards ORDER BY id").fetchall()
    rng.shuffle(rows)
    studied = rows[: int(len(rows) * (1 - NEW_SHARE))]
    stop = now - timedelta(days=BACKLOG_DAYS)
    span = _history_span(scheduler, reviews / max(1, len(studied)), stop, seed)
    made = 0
    log = []
    with store.write():
        for card_id, key in studied:
            # First sight is spread over the history: older cards have had more reviews.
            start = stop - timedelta(days=rng.uniform(1, span), hours=rng.uniform(0, 12))
            memory, events = simulate_card(scheduler, key, start, stop, rng)
            log.extend((at_ms, card_id, rating, duration, derived) for at_ms, rating, duration, derived in events)
            # The states step() gave are the replay of what is written below.
            write_memory(store, card_id, memory)
            made += len(events)
            if made >= reviews:
                break
        # Written in time order, as a log is when answers come one after another: ids follow time.
        log.sort(key=lambda event: event[:2])
        for at_ms, card_id, rating, duration, derived in log:
            insert_event(store, card_id, at_ms, EventKind.ANSWER, rating, duration, derived)
        store.set_meta("schedule", fingerprint(scheduler))
    due = store.conn.execute(
        "SELECT count(*) FROM cards WHERE state != 'new' AND due < ?", (to_ms(now + timedelta(hours=12)),)
    ).fetchone()[0]
    total = store.conn.execute("SELECT count(*) FROM cards").fetchone()[0]
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    return {
        "db": str(out), "decks": str(folder), "cards": total, "files": files, "reviews": made,
        "due_now": due, "due_share": round(due / total, 3), "now": now.isoformat(),
        "bytes": out.stat().st_size, "bytes_per_review": round(out.stat().st_size / max(1, made), 1),
        "history_days": round(span), "seconds": round(time.perf_counter() - started, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--cards", type=int, default=100_000)
    parser.add_argument("--files", type=int, default=1_000)
    parser.add_argument("--reviews", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    print(json.dumps(build(args.out, args.cards, args.files, args.reviews, args.seed)))


if __name__ == "__main__":
    main()
