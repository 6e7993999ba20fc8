"""What the browser and `trainer cards` do to cards: suspend, bury, forget, set a due date. No UI.

Each action takes card keys, runs in one transaction (all or nothing), skips
the cards it does not apply to (a retired card is not suspended, a new card
has no due date to set) and says what it did in an ActionResult, which
`undo` can take back. Forget and a new due date are events of the log
(trainer.history), so the card's history stays and a replay agrees.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Sequence

from trainer import history
from trainer.days import to_ms
from trainer.model import EventKind
from trainer.scheduler import Scheduler
from trainer.store import Store
from trainer.store import card_flags

ACTIONS = ("suspend", "unsuspend", "bury", "unbury", "forget", "set-due")
PAST = {"suspend": "suspended", "unsuspend": "unsuspended", "bury": "buried", "unbury": "unburied",
        "forget": "forgotten", "set-due": "rescheduled"}


@dataclass(frozen=True)
class ActionResult:
    """What an action did, and what undo needs."""

    action: str
    asked: int  # cards it was asked to act on
    changed: tuple[str, ...]  # keys of the cards it changed
    review_ids: tuple[int, ...] = ()  # forget, set-due: the events written
    before: dict = field(default_factory=dict)  # bury, unbury: key -> buried_until before (ms or None)
    why_skipped: str = ""  # what the skipped cards were, for the message

    @property
    def skipped(self) -> int:
        return self.asked - len(self.changed)

    def message(self) -> str:
        """`Suspended 3 cards (2 were already suspended).`"""
        n = len(self.changed)
        text = f"{PAST[self.action].capitalize()} {n} card{'' if n == 1 else 's'}"
        if self.skipped:
            text += f" ({self.skipped} {self.why_skipped or 'left as they were'})"
        return text + "."


def suspend(store: Store, keys: Sequence[str], now: datetime) -> ActionResult:
    with store.write():
        changed = card_flags.change_status(store, keys, "active", "suspended", to_ms(now))
    return ActionResult("suspend", len(keys), tuple(changed), why_skipped="already suspended, or retired")


def unsuspend(store: Store, keys: Sequence[str], now: datetime) -> ActionResult:
    with store.write():
        changed = card_flags.change_status(store, keys, "suspended", "active", to_ms(now))
    return ActionResult("unsuspend", len(keys), tuple(changed), why_skipped="were not suspended")


def bury(store: Store, scheduler: Scheduler, keys: Sequence[str], now: datetime) -> ActionResult:
    """Hide the cards until the next study day starts."""
    now_ms = to_ms(now)
    until = scheduler.calendar.bounds_ms(now_ms)[1]
    with store.write():
        found = card_flags.states_of(store, keys)
        before = {key: buried for key, (status, _, buried) in found.items()
                  if status != "retired" and not (buried is not None and buried > now_ms)}
        card_flags.set_buried(store, ((key, until) for key in before))
    return ActionResult("bury", len(keys), tuple(before), before=before, why_skipped="already buried, or retired")


def unbury(store: Store, keys: Sequence[str], now: datetime) -> ActionResult:
    now_ms = to_ms(now)
    with store.write():
        found = card_flags.states_of(store, keys)
        before = {key: buried for key, (_, _, buried) in found.items() if buried is not None and buried > now_ms}
        card_flags.set_buried(store, ((key, None) for key in before))
    return ActionResult("unbury", len(keys), tuple(before), before=before, why_skipped="were not buried")


def _log_event(store: Store, scheduler: Scheduler, keys: Sequence[str], kind: EventKind, now: datetime,
               **event) -> tuple[tuple[str, ...], tuple[int, ...]]:
    """Log `kind` for each card that has a schedule (not new, not retired): (the keys changed, their event ids)."""
    ids = []
    changed = []
    with store.write():
        found = card_flags.states_of(store, keys)
        for key in keys:
            status, state, _ = found.get(key, ("retired", "new", None))
            if status == "retired" or state == "new":
                continue
            ids.append(history.record(store, scheduler, key, kind, now, **event).review_id)
            changed.append(key)
    return tuple(changed), tuple(ids)


def forget(store: Store, scheduler: Scheduler, keys: Sequence[str], now: datetime) -> ActionResult:
    """Send cards back to new; their reviews stay in the log (a FORGET event follows them)."""
    changed, ids = _log_event(store, scheduler, keys, EventKind.FORGET, now)
    return ActionResult("forget", len(keys), changed, ids, why_skipped="new already, or retired")


def set_due(store: Store, scheduler: Scheduler, keys: Sequence[str], days: int, now: datetime) -> ActionResult:
    """Make cards due `days` study days from today (0: today), as a RESCHEDULE event of the log."""
    if days < 0:
        raise ValueError("days must be 0 or more")
    changed, ids = _log_event(store, scheduler, keys, EventKind.RESCHEDULE, now, set_days=days)
    return ActionResult("set-due", len(keys), changed, ids,
                        why_skipped="new (a new card has no due date), or retired")


def undo(store: Store, scheduler: Scheduler, result: ActionResult, now: datetime) -> int:
    """Take an action back; returns how many cards it restored."""
    if result.action in ("forget", "set-due"):
        with store.write():
            return sum(history.undo(store, scheduler, review_id) is not None for review_id in reversed(result.review_ids))
    if result.action in ("suspend", "unsuspend"):
        old, new = ("suspended", "active") if result.action == "suspend" else ("active", "suspended")
        with store.write():
            return len(card_flags.change_status(store, result.changed, old, new, to_ms(now)))
    with store.write():
        card_flags.set_buried(store, result.before.items())
    return len(result.before)


def run(action: str, store: Store, scheduler: Scheduler, keys: Sequence[str], now: datetime,
        days: int | None = None) -> ActionResult:
    """Any action by name (ACTIONS)."""
    if action == "suspend":
        return suspend(store, keys, now)
    if action == "unsuspend":
        return unsuspend(store, keys, now)
    if action == "bury":
        return bury(store, scheduler, keys, now)
    if action == "unbury":
        return unbury(store, keys, now)
    if action == "forget":
        return forget(store, scheduler, keys, now)
    if action == "set-due":
        if days is None:
            raise ValueError("set-due needs days")
        return set_due(store, scheduler, keys, days, now)
    raise ValueError(f"unknown action {action!r}")
