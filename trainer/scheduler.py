"""The only module that imports fsrs: MemoryState in, MemoryState out.

fsrs objects never leave this file. Times are UTC-aware datetimes; a card_id
is always passed because fsrs.Card() without one sleeps a millisecond to make
a unique id.
"""

from __future__ import annotations

import zlib
from datetime import datetime, timedelta, timezone
from typing import Iterable

import fsrs

from trainer.config import Settings
from trainer.model import MemoryState, Rating

_STATE_NAMES = {fsrs.State.Learning: "learning", fsrs.State.Review: "review", fsrs.State.Relearning: "relearning"}
_STATES = {name: state for state, name in _STATE_NAMES.items()}
DEFAULT_PARAMETERS = tuple(fsrs.Scheduler().parameters)


def _card_id(key: str) -> int:
    return zlib.crc32(key.encode("utf-8")) or 1


def _to_fsrs(key: str, memory: MemoryState, now: datetime) -> fsrs.Card:
    if memory.state == "new":
        return fsrs.Card(card_id=_card_id(key), due=now)
    return fsrs.Card(
        card_id=_card_id(key),
        state=_STATES[memory.state],
        step=memory.step,
        stability=memory.stability,
        difficulty=memory.difficulty,
        due=memory.due,
        last_review=memory.last_review,
    )


def _from_fsrs(card: fsrs.Card, reps: int, lapses: int) -> MemoryState:
    return MemoryState(
        state=_STATE_NAMES[card.state],
        step=card.step,
        stability=card.stability,
        difficulty=card.difficulty,
        due=card.due,
        last_review=card.last_review,
        reps=reps,
        lapses=lapses,
    )


def _utc(moment: datetime) -> datetime:
    # fsrs refuses any tzinfo but datetime.timezone.utc itself.
    return moment.astimezone(timezone.utc)


class Scheduler:
    """FSRS with the user's settings (retention, steps, parameters, fuzz)."""

    def __init__(self, settings: Settings | None = None, *, fuzz: bool | None = None):
        settings = settings or Settings()
        self.settings = settings
        self._fsrs = fsrs.Scheduler(
            parameters=tuple(settings.parameters) or DEFAULT_PARAMETERS,
            desired_retention=settings.desired_retention,
            learning_steps=settings.learning_deltas,
            relearning_steps=settings.relearning_deltas,
            maximum_interval=settings.maximum_interval,
            enable_fuzzing=settings.fuzz if fuzz is None else fuzz,
        )

    @property
    def parameters(self) -> tuple[float, ...]:
        return tuple(self._fsrs.parameters)

    def review(self, key: str, memory: MemoryState, rating: Rating, now: datetime) -> MemoryState:
        """The card's state after answering `rating` at `now`."""
        now = _utc(now)
        card, _ = self._fsrs.review_card(_to_fsrs(key, memory, now), fsrs.Rating(int(rating)), now)
        lapsed = rating == Rating.AGAIN and memory.state == "review"
        return _from_fsrs(card, memory.reps + 1, memory.lapses + int(lapsed))

    def preview(self, key: str, memory: MemoryState, now: datetime) -> dict[Rating, timedelta]:
        """How long until the card is due again, for each possible answer."""
        now = _utc(now)
        return {rating: self.review(key, memory, rating, now).due - now for rating in Rating}

    def retrievability(self, memory: MemoryState, now: datetime) -> float:
        """Predicted probability of recall at `now` (0 for a card never seen)."""
        if memory.state == "new" or memory.stability is None:
            return 0.0
        return self._fsrs.get_card_retrievability(_to_fsrs("r", memory, now), _utc(now))

    def recall_after_days(self, pairs: Iterable[tuple[float, int]]) -> list[float]:
        """Predicted recall for many (stability, whole days since last review) pairs.

        The FSRS-6 forgetting curve of fsrs's get_card_retrievability,
        R = (1 + factor * t / S) ** -w[20] with factor = 0.9 ** (1 / -w[20]) - 1,
        without building an fsrs.Card per card: stats needs it for every card.
        """
        decay = -self._fsrs.parameters[20]
        factor = 0.9 ** (1 / decay) - 1
        return [(1 + factor * max(days, 0) / stability) ** decay for stability, days in pairs]

    def replay(self, key: str, answers: Iterable[tuple[Rating, datetime]]) -> MemoryState:
        """Rebuild a card's state from its reviews alone.

        This is fsrs.Scheduler.reschedule_card's fold (review each answer in
        time order, from a new card), done here so reps and lapses, which
        fsrs does not keep, are rebuilt along with the memory state.
        """
        memory = MemoryState()
        for rating, at in sorted(answers, key=lambda answer: answer[1]):
            memory = self.review(key, memory, rating, at)
        return memory
