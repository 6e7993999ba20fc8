"""The figures `trainer stats` reports, as plain frozen dataclasses.

Field names are the JSON keys of `trainer stats --json`: renaming one breaks
users' scripts, so add fields rather than rename them.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Today:
    date: str
    reviews: int
    cards: int
    again: int
    again_rate: float | None
    time_ms: int
    new_learned: int
    streak_days: int


@dataclass(frozen=True)
class CardCounts:
    new: int = 0
    learning: int = 0
    young: int = 0
    mature: int = 0
    suspended: int = 0
    retired: int = 0
    total: int = 0


@dataclass(frozen=True)
class DayCount:
    date: str
    count: int


@dataclass(frozen=True)
class Forecast:
    overdue: int
    days: list[DayCount]


@dataclass(frozen=True)
class ActivityDay:
    date: str
    reviews: int
    time_ms: int


@dataclass(frozen=True)
class Activity:
    days: list[ActivityDay]
    total_reviews: int
    total_time_ms: int
    active_days: int


@dataclass(frozen=True)
class Pass:
    passed: int
    total: int
    rate: float | None


@dataclass(frozen=True)
class RetentionWindow:
    days: int
    young: Pass
    mature: Pass
    all: Pass


@dataclass(frozen=True)
class DeckMemory:
    deck: str
    active: int
    studied: int
    recall_now: float | None
    recall_on: float | None
    expected_known_now: float
    expected_known_on: float


@dataclass(frozen=True)
class Bin:
    label: str
    count: int


@dataclass(frozen=True)
class PlanReadiness:
    """Cards at or above an interview plan's target on its date: as you are, and with the plan."""

    target: float
    cards: int  # active cards the plan covers
    unplanned: int  # at or above the target on that day if nothing more is studied
    expected: float  # expected with the plan, at its last fit (trainer prepare)
    fitted_on: str  # the study day of that fit


@dataclass(frozen=True)
class Memory:
    on_date: str
    on_moment: str
    decks: list[DeckMemory]
    total: DeckMemory
    stability: list[Bin]
    difficulty: list[Bin]
    plan: PlanReadiness | None = None  # when an interview plan for on_date is in force


@dataclass(frozen=True)
class Practice:
    """Practice answers (trainer practice): kept apart from the review log and from every figure above."""

    today: int
    today_cards: int
    today_again: int
    last_30_days: int
    time_ms_30_days: int


@dataclass(frozen=True)
class CalibrationBin:
    low: float
    high: float
    count: int
    predicted: float | None
    actual: float | None


@dataclass(frozen=True)
class HardCard:
    key: str
    deck: str
    location: str
    prompt: str
    lapses: int
    reps: int
    recall_now: float


@dataclass(frozen=True)
class LeechCard:
    key: str
    deck: str
    location: str
    prompt: str
    lapses: int
    status: str  # active or suspended


@dataclass(frozen=True)
class Leeches:
    """Cards forgotten at least `threshold` times (0: leeches are off): how many, and the most forgotten."""

    threshold: int = 0
    count: int = 0
    cards: list[LeechCard] = field(default_factory=list)


@dataclass(frozen=True)
class Parameters:
    source: str  # "default" or "fitted"
    fitted_at: str | None
    fitted_on: int
    desired_retention: float
    values: list[float]


@dataclass(frozen=True)
class DrillWeek:
    """Timed drills answered in one week (seven study days ending on `last_day`)."""

    last_day: str
    answers: int
    rubric_met: float | None  # share of rubric items ticked, over the drills that have a rubric
    time_share: float | None  # time taken over time allowed, on average
    recalled: float | None  # share of answers not rated Again


@dataclass(frozen=True)
class StatsReport:
    generated_at: str
    deck: str | None
    day_starts_at: int
    reviews_ever: int
    message: str | None
    today: Today
    cards: dict[str, CardCounts]
    cards_total: CardCounts
    forecast: Forecast
    activity: Activity
    retention: list[RetentionWindow]
    memory: Memory
    calibration: list[CalibrationBin]
    hardest: list[HardCard]
    parameters: Parameters
    drills: list[DrillWeek] = field(default_factory=list)
    leeches: Leeches = field(default_factory=Leeches)
    practice: Practice | None = None
