"""The review log and everything derived from it: answer, undo, replay, rebuild, check.

The log is the truth. A card's scheduling columns (state, step, stability,
difficulty, due, last review, reps, lapses) and each review row's derived
columns (state before, study days elapsed, interval the card had, predicted
recall) are a cache of replaying the card's events, oldest first, through
`step`. An answer goes through the very same `step` from the cached state,
so a replay reproduces every cached value bit for bit, fuzz included.

The cache is computed under the settings in force (parameters, retention,
steps, day start, time zone). When those change, trainer.current replays
everything once, so the rule "cache == replay of the log" always holds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Callable, Iterable

from trainer.days import from_ms, to_ms
from trainer.model import DrillAnswer, EventKind, MemoryState, Rating
from trainer.scheduler import Scheduler, fingerprint
from trainer.store import Store
from trainer.store import cards as card_table
from trainer.store import reviews as log
from trainer.store.reviews import STATE_CODES, Derived, Event

# A card left on screen while the learner walked away should not count as an
# hour of study.
MAX_DURATION_MS = 5 * 60 * 1000
REBUILD_BATCH = 20_000


def _scheduled_days(scheduler: Scheduler, memory: MemoryState) -> int | None:
    """The interval, in study days, a review-state card was given."""
    if memory.state != "review" or memory.due is None or memory.last_review is None:
        return None
    calendar = scheduler.calendar
    return calendar.day_of(memory.due) - calendar.day_of(memory.last_review)


def step(
    scheduler: Scheduler,
    key: str,
    memory: MemoryState,
    kind: int,
    rating: int | None,
    at: datetime,
    set_days: int | None = None,
) -> tuple[MemoryState, Derived]:
    """One event applied to a card: its state after, and the event's derived columns."""
    state = STATE_CODES[memory.state]
    if kind == EventKind.FORGET:
        return MemoryState(reps=memory.reps, lapses=memory.lapses), Derived(state, None, None, None)
    if kind == EventKind.RESCHEDULE:
        if memory.state == "new" or set_days is None:
            return memory, Derived(state, None, set_days, None)
        calendar = scheduler.calendar
        due = from_ms(calendar.start_ms(calendar.day_of(at) + set_days))
        after = MemoryState("review", None, memory.stability, memory.difficulty, due,
                            memory.last_review, memory.reps, memory.lapses)
        return after, Derived(state, None, set_days, None)
    elapsed = scheduler.elapsed_days(memory, at)
    # Honest calibration: a prediction is only scored when a study day has passed.
    recall = scheduler.recall_after(memory, elapsed) if elapsed else None
    after = scheduler.review(key, memory, Rating(rating), at, elapsed)
    return after, Derived(state, elapsed, _scheduled_days(scheduler, memory), recall)


def replay(scheduler: Scheduler, key: str, events: Iterable[Event]) -> tuple[MemoryState, list[tuple[int, Derived]]]:
    """A card's state from its events alone, and each event's derived columns."""
    memory = MemoryState()
    derived = []
    for event in events:
        memory, columns = step(scheduler, key, memory, event.kind, event.rating, from_ms(event.at), event.scheduled_days)
        derived.append((event.id, columns))
    return memory, derived


# -- writing the log -----------------------------------------------------------
@dataclass(frozen=True)
class Recorded:
    review_id: int
    memory: MemoryState
    clock_went_back: bool  # the answer was stamped at the card's last review, not earlier
    state_before: str = "new"
    lapses_before: int = 0

    @property
    def lapsed(self) -> bool:
        """The answer forgot a card in review (its lapse count went up)."""
        return self.memory.lapses > self.lapses_before


def _event_time(memory: MemoryState, now: datetime) -> tuple[int, bool]:
    """The event's time in ms: never before the card's last review (a clock set back)."""
    at_ms = to_ms(now)
    if memory.last_review is not None:
        last_ms = to_ms(memory.last_review)
        if at_ms < last_ms:
            return last_ms, True
    return at_ms, False


def record(
    store: Store,
    scheduler: Scheduler,
    key: str,
    kind: EventKind,
    now: datetime,
    *,
    rating: Rating | None = None,
    duration_ms: int | None = None,
    set_days: int | None = None,
    drill: DrillAnswer | None = None,
) -> Recorded:
    """Append one event and update the card's cache, committed before this returns."""
    if duration_ms is not None:
        duration_ms = max(0, min(int(duration_ms), MAX_DURATION_MS))
    with store.write():
        card_id = card_table.card_id_of(store, key)
        if card_id is None:
            raise KeyError(key)
        # Read inside the write lock: another trainer may have moved the card on.
        memory = card_table.read_memory(store, card_id)
        at_ms, clamped = _event_time(memory, now)
        after, derived = step(scheduler, key, memory, kind, rating, from_ms(at_ms), set_days)
        review_id = log.insert_event(store, card_id, at_ms, kind, rating, duration_ms, derived)
        if drill is not None:
            log.insert_drill_answer(store, review_id, drill)
        card_table.write_memory(store, card_id, after)
        # Answering a buried card (shown early, or bury undone) unburies it.
        store.conn.execute("UPDATE cards SET buried_until = NULL WHERE id = ? AND buried_until IS NOT NULL", (card_id,))
    return Recorded(review_id, after, clamped, memory.state, memory.lapses)


def answer(store: Store, scheduler: Scheduler, key: str, rating: Rating, now: datetime,
           duration_ms: int | None = None, drill: DrillAnswer | None = None) -> Recorded:
    return record(store, scheduler, key, EventKind.ANSWER, now, rating=Rating(rating), duration_ms=duration_ms,
                  drill=drill)


def replay_card(store: Store, scheduler: Scheduler, card_id: int) -> MemoryState:
    """Rebuild one card from its log and write the result (callers hold the transaction)."""
    key = store.conn.execute("SELECT key FROM cards WHERE id = ?", (card_id,)).fetchone()[0]
    memory, derived = replay(scheduler, key, log.events_for(store, card_id))
    card_table.write_memory(store, card_id, memory)
    log.write_derived(store, derived)
    return memory


def undo(store: Store, scheduler: Scheduler, review_id: int) -> str | None:
    """Withdraw one event: its row goes and the card is replayed from the rest.

    The one deletion the log allows: the user taking back what they just
    did. Returns the card's key, or None when the row was already gone
    (undone by another trainer on the same database).
    """
    with store.write():
        card_id = log.delete_event(store, review_id)
        if card_id is None:
            return None
        replay_card(store, scheduler, card_id)
        return store.conn.execute("SELECT key FROM cards WHERE id = ?", (card_id,)).fetchone()[0]


# -- rebuilding and checking everything ----------------------------------------
# A log this long is replayed by several processes (one per core, up to four),
# each over its own range of cards: replay is pure Python and would otherwise
# use one core of the machine.
PARALLEL_FROM_REVIEWS = 100_000
MAX_WORKERS = 4


@dataclass
class Differences:
    """Where the cache and a replay of the log disagree, for a range of cards."""

    cards: list[tuple[int, MemoryState, MemoryState]] = field(default_factory=list)  # (id, cached, replayed)
    rows: list[tuple[int, int, Derived, Derived]] = field(default_factory=list)  # (card id, review id, stored, replayed)
    reviews: int = 0
    card_count: int = 0

    def add(self, other: "Differences") -> None:
        self.cards += other.cards
        self.rows += other.rows
        self.reviews += other.reviews
        self.card_count += other.card_count


def _differences(store: Store, scheduler: Scheduler, low: int, high: int) -> Differences:
    """Replay the cards with ids in [low, high) and keep what differs from what is stored."""
    found = Differences()
    sql = f"SELECT id, key, {card_table.MEMORY_COLUMNS} FROM cards WHERE id >= ? AND id < ?"
    cards = {row[0]: (row[1], card_table.memory_from_row(row[2:])) for row in store.conn.execute(sql, (low, high))}
    found.card_count = len(cards)

    def compare(card_id: int, events: list[Event], stored: list[Derived]) -> None:
        key, cached = cards.pop(card_id)
        memory, derived = replay(scheduler, key, events)
        if memory != cached:
            found.cards.append((card_id, cached, memory))
        for (review_id, columns), was in zip(derived, stored):
            if columns != was:
                found.rows.append((card_id, review_id, was, columns))
        found.reviews += len(events)

    current: int | None = None
    events: list[Event] = []
    stored: list[Derived] = []
    for event, derived in log.events_between(store, low, high):
        if event.card_id != current:
            if events:
                compare(current, events, stored)
            current, events, stored = event.card_id, [], []
        events.append(event)
        stored.append(derived)
    if events:
        compare(current, events, stored)
    for card_id, (_, cached) in cards.items():  # no events: a new card
        if cached != MemoryState():
            found.cards.append((card_id, cached, MemoryState()))
    return found


_WORKER: dict = {}


def _worker_differences(low: int, high: int) -> Differences:
    from trainer.store.connection import open_read_only

    with open_read_only(_WORKER["path"]) as store:
        return _differences(store, _WORKER["scheduler"], low, high)


def _ranges(store: Store, parts: int) -> list[tuple[int, int]]:
    """Card id ranges holding about the same number of reviews each."""
    total = log.review_count(store)
    top = store.conn.execute("SELECT coalesce(max(id), 0) + 1 FROM cards").fetchone()[0]
    cuts = [0]
    for part in range(1, parts):
        row = store.conn.execute(
            "SELECT card_id FROM reviews ORDER BY card_id LIMIT 1 OFFSET ?", (total * part // parts,)
        ).fetchone()
        if row and row[0] > cuts[-1]:
            cuts.append(row[0])
    cuts.append(top)
    return list(zip(cuts, cuts[1:]))


def all_differences(store: Store, scheduler: Scheduler) -> Differences:
    """Replay every card; in parallel processes when the log is long and the database is a file."""
    import multiprocessing
    import os

    workers = min(MAX_WORKERS, os.cpu_count() or 1)
    big = log.review_count(store) >= PARALLEL_FROM_REVIEWS
    if not big or workers < 2 or store.path == ":memory:" or "fork" not in multiprocessing.get_all_start_methods():
        return _differences(store, scheduler, 0, 1 << 62)
    _WORKER.update(path=store.path, scheduler=scheduler)
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            parts = pool.starmap(_worker_differences, _ranges(store, workers))
    finally:
        _WORKER.clear()
    total = Differences()
    for part in parts:
        total.add(part)
    return total


def _write(store: Store, scheduler: Scheduler, differences: Differences, before_commit: Callable[[], None]) -> None:
    with store.write():
        card_table.write_memories(store, ((card_id, new) for card_id, _, new in differences.cards))
        log.write_derived(store, ((review_id, new) for _, review_id, _, new in differences.rows))
        if differences.rows:  # stats' caches of derived columns (calibration) start over
            store.set_meta("derived_generation", str(int(store.meta("derived_generation") or 0) + 1))
        store.set_meta("schedule", fingerprint(scheduler))
        store.set_meta("rebuild", None)
        before_commit()


def rebuild(store: Store, scheduler: Scheduler, before_commit: Callable[[], None] = lambda: None) -> int:
    """Replay every card and write every cached column, in one transaction; returns cards changed.

    Only what differs is written, so an unchanged collection costs the replay
    alone and a rebuild after an optimize writes just the cards it moved. The
    replay runs before the transaction opens, so the write lock is held only
    for the writes.
    """
    differences = all_differences(store, scheduler)
    _write(store, scheduler, differences, before_commit)
    return len(differences.cards)


@dataclass
class Mismatch:
    key: str
    location: str
    columns: dict[str, tuple] = field(default_factory=dict)  # column -> (cached, replayed)


@dataclass
class CheckReport:
    cards: int
    reviews: int
    mismatched: list[Mismatch]
    repaired: bool = False

    @property
    def ok(self) -> bool:
        return not self.mismatched


_MEMORY_FIELDS = ("state", "step", "stability", "difficulty", "due", "last_review", "reps", "lapses")


def check(store: Store, scheduler: Scheduler, *, repair: bool = False) -> CheckReport:
    """Compare every cached column with a replay of the log; with repair, rewrite what differs."""
    differences = all_differences(store, scheduler)
    by_card: dict[int, dict[str, tuple]] = {}
    for card_id, old, new in differences.cards:
        columns = by_card.setdefault(card_id, {})
        for name in _MEMORY_FIELDS:
            if getattr(old, name) != getattr(new, name):
                columns[name] = (getattr(old, name), getattr(new, name))
    for card_id, review_id, was, now in differences.rows:
        columns = by_card.setdefault(card_id, {})
        for name, before, after in zip(log.DERIVED_COLUMNS, was, now):
            if before != after:
                columns.setdefault(f"review {review_id} {name}", (before, after))
    mismatched = []
    for card_id, columns in sorted(by_card.items()):
        key, path, line = store.conn.execute("SELECT key, path, source_line FROM cards WHERE id = ?", (card_id,)).fetchone()
        mismatched.append(Mismatch(key, f"{path}:{line}", columns))
    report = CheckReport(differences.card_count, differences.reviews, mismatched)
    if repair and (mismatched or store.meta("schedule") != fingerprint(scheduler)):
        _write(store, scheduler, differences, lambda: None)
        report.repaired = True
    return report
