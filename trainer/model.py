"""The plain data the core passes around: frozen dataclasses, stdlib only."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from enum import Enum, IntEnum
from typing import ClassVar

from trainer.safe_text import visible_line


class CardKind(str):
    """A card kind's name ("faq", "cloze" ...): a plain string.

    Which names exist is the registry's business (trainer.kinds), so a new kind
    needs no edit here. It stays a subclass only so that code written for the
    old Enum (`kind.value`, `CardKind("faq")`, `CardKind.FAQ`) keeps working.
    """

    __slots__ = ()
    CONTRAST: ClassVar["CardKind"]
    PAIR: ClassVar["CardKind"]
    LADDER: ClassVar["CardKind"]
    FAQ: ClassVar["CardKind"]

    @property
    def value(self) -> str:
        return str(self)


CardKind.CONTRAST = CardKind("contrast")
CardKind.PAIR = CardKind("pair")
CardKind.LADDER = CardKind("ladder")
CardKind.FAQ = CardKind("faq")


class Rating(IntEnum):
    AGAIN = 1
    HARD = 2
    GOOD = 3
    EASY = 4


class Status(str, Enum):
    ACTIVE = "active"
    RETIRED = "retired"
    SUSPENDED = "suspended"


@dataclass(frozen=True)
class ParseError:
    """One problem in a deck file, located by line."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        # The path and the message may quote a deck: never let them reach a terminal raw.
        return visible_line(f"{self.path}:{self.line}: {self.message}")


@dataclass(frozen=True)
class ParsedCard:
    """A card as written in a deck, before it meets the database.

    `prompt` is what is shown, `answer` what is asked for. `extra` holds the
    rest a kind needs to be drawn (a contrast's WHY, a ladder's rungs).
    `identity` is the tuple of prompt-side fields the key is derived from.
    `was` lists keys the card had before a rewrite (from its pin), so the
    importer can carry their history over.
    """

    kind: str
    prompt: str
    answer: str
    section: str
    line: int
    identity: tuple[str, ...]
    extra: dict = field(default_factory=dict, compare=False, hash=False)
    pinned_id: str | None = None
    sibling: str | None = None
    key: str = ""
    was: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        # Callers may pass a plain str; `.value` must still work for them.
        if type(self.kind) is not CardKind:
            object.__setattr__(self, "kind", CardKind(self.kind))


@dataclass(frozen=True)
class ParsedDeck:
    path: str
    title: str
    cards: tuple[ParsedCard, ...]
    errors: tuple[ParseError, ...]


@dataclass(frozen=True)
class MemoryState:
    """A card's FSRS state: the cache that replaying its reviews rebuilds."""

    state: str = "new"  # new, learning, review, relearning
    step: int | None = None
    stability: float | None = None
    difficulty: float | None = None
    due: "datetime | None" = None
    last_review: "datetime | None" = None
    reps: int = 0
    lapses: int = 0

    def to_dict(self) -> dict:
        return {
            "state": self.state,
            "step": self.step,
            "stability": self.stability,
            "difficulty": self.difficulty,
            "due": self.due.isoformat(timespec="microseconds") if self.due else None,
            "last_review": self.last_review.isoformat(timespec="microseconds") if self.last_review else None,
            "reps": self.reps,
            "lapses": self.lapses,
        }

    @classmethod
    def from_dict(cls, data: dict) -> "MemoryState":
        def when(text):
            return datetime.fromisoformat(text).astimezone(timezone.utc) if text else None

        return cls(
            state=data.get("state", "new"),
            step=data.get("step"),
            stability=data.get("stability"),
            difficulty=data.get("difficulty"),
            due=when(data.get("due")),
            last_review=when(data.get("last_review")),
            reps=data.get("reps", 0),
            lapses=data.get("lapses", 0),
        )


@dataclass(frozen=True)
class Card:
    """A card as stored: what the deck says plus its scheduling cache."""

    key: str
    kind: str  # a CardKind (str) from the store
    deck: str
    path: str
    section: str
    prompt: str
    answer: str
    extra: dict = field(compare=False, hash=False)
    sibling: str | None
    source_line: int
    status: Status
    memory: MemoryState
    buried_until: "datetime | None" = None
    id: int = 0  # the database's row id; reviews point at it

    @property
    def location(self) -> str:
        return f"{self.path}:{self.source_line}"


class EventKind(IntEnum):
    """What a row of the review log records."""

    ANSWER = 0  # the learner answered (rating 1-4)
    FORGET = 1  # back to new, history kept
    RESCHEDULE = 2  # due on a chosen study day (scheduled_days after the event's day)


@dataclass(frozen=True)
class DrillAnswer:
    """What a drill's (or follow-up's) answer holds beyond its rating."""

    time_ms: int  # how long the answer took (the timer)
    ticked: int | None = None  # rubric items met; None for a follow-up (it has no rubric)
    total: int | None = None
    notes: str = ""


@dataclass(frozen=True)
class Review:
    """One row of the append-only review log, with the columns replay derives."""

    id: int  # never reused (AUTOINCREMENT); with the database's device id, unique anywhere
    card_key: str
    kind: EventKind
    rating: Rating | None
    reviewed_at: "datetime"
    duration_ms: int | None
    state: str  # the card's state before this event
    elapsed_days: int | None  # study days since the previous answer
    scheduled_days: int | None  # the interval the card had (for RESCHEDULE: the one set)
    recall: float | None  # predicted recall, only for answers on a later study day
