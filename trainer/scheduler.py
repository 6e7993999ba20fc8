"""The only module that imports fsrs: MemoryState in, MemoryState out.

fsrs (py-fsrs) computes memory: stability, difficulty and the learning-step
state machine. Three things it does differently from Anki are settled here,
around it rather than in a fork of it (docs/scheduling.md has the details):

- Elapsed time. py-fsrs counts whole 24-hour blocks since the last review;
  Anki counts study days (a day starts at `day_starts_at`, local time). We
  hand py-fsrs a `last_review` exactly N days before the answer, N being the
  study days elapsed, so every formula it applies sees Anki's N.
- Intervals. For every answer that lands in review state the number of days
  is computed here, as Anki does: from the unrounded FSRS interval, rounded
  half away from zero, Hard >= 1, Good >= Hard + 1, Easy >= Good + 1 (on a
  learning card Easy is at least a day beyond Good's FSRS interval), then
  fuzz, then the maximum interval.
- Fuzz. py-fsrs draws a fresh random number on every call, so a button's
  label and the answer disagreed. Here fuzz comes from a seed made of the
  card's key and its review count: the same card at the same review count
  always gets the same fuzz, on the button, in the answer and in a replay.

Times are UTC-aware datetimes; a card_id is always passed because fsrs.Card()
without one sleeps a millisecond.
"""

from __future__ import annotations

import hashlib
import json
import math
import zlib
from datetime import datetime, timedelta, timezone, tzinfo
from functools import lru_cache
from typing import Iterable

import fsrs

from trainer.config import Settings
from trainer.days import StudyCalendar
from trainer.model import MemoryState, Rating

_STATE_NAMES = {fsrs.State.Learning: "learning", fsrs.State.Review: "review", fsrs.State.Relearning: "relearning"}
_STATES = {name: state for state, name in _STATE_NAMES.items()}
_RATINGS = {rating: fsrs.Rating(int(rating)) for rating in Rating}
DEFAULT_PARAMETERS = tuple(fsrs.Scheduler().parameters)
PARAMETER_LOWER_BOUNDS = tuple(fsrs.scheduler.LOWER_BOUNDS_PARAMETERS)
PARAMETER_UPPER_BOUNDS = tuple(fsrs.scheduler.UPPER_BOUNDS_PARAMETERS)
# Anki's fuzz: 1 day, plus a share of the interval that shrinks as it grows.
_FUZZ_RANGES = ((2.5, 7.0, 0.15), (7.0, 20.0, 0.1), (20.0, math.inf, 0.05))
_MASK64 = (1 << 64) - 1


def _card_id(key: str) -> int:
    return zlib.crc32(key.encode("utf-8")) or 1


def _utc(moment: datetime) -> datetime:
    # fsrs refuses any tzinfo but datetime.timezone.utc itself.
    return moment.astimezone(timezone.utc)


def round_half_away(value: float) -> int:
    """Rust's f32::round, which Anki uses (Python's round() goes to even)."""
    return int(math.floor(value + 0.5)) if value >= 0 else -int(math.floor(-value + 0.5))


@lru_cache(maxsize=4096)
def _key_seed(key: str) -> int:
    return int.from_bytes(hashlib.sha256(key.encode("utf-8")).digest()[:8], "big")


def fuzz_factor(key: str, reps: int) -> float:
    """A number in [0, 1) fixed by the card and its review count (splitmix64)."""
    z = (_key_seed(key) + reps * 0x9E3779B97F4A7C15) & _MASK64
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK64
    z ^= z >> 31
    return (z >> 11) / float(1 << 53)


def _fuzz_delta(interval: float) -> float:
    if interval < 2.5:
        return 0.0
    # _FUZZ_RANGES written out: this runs for every answer of every replay.
    delta = 1.0 + 0.15 * (min(interval, 7.0) - 2.5)
    if interval > 7.0:
        delta += 0.1 * (min(interval, 20.0) - 7.0)
        if interval > 20.0:
            delta += 0.05 * (interval - 20.0)
    return delta


def with_fuzz(factor: float | None, interval: float, minimum: int, maximum: int) -> int:
    """Whole days for an FSRS interval, within [minimum, maximum]: Anki's with_review_fuzz."""
    if factor is None:
        return min(max(round_half_away(interval), minimum), maximum)
    minimum = min(minimum, maximum)
    interval = min(max(interval, minimum), maximum)
    delta = _fuzz_delta(interval)
    lower = min(max(round_half_away(interval - delta), minimum), maximum)
    upper = min(max(round_half_away(interval + delta), minimum), maximum)
    if upper == lower and 2 < upper < maximum:
        upper = lower + 1
    return int(math.floor(lower + factor * (1 + upper - lower)))


class Scheduler:
    """FSRS with the user's settings (retention, steps, parameters, fuzz, study days)."""

    def __init__(self, settings: Settings | None = None, *, fuzz: bool | None = None, tz: tzinfo | None = None):
        settings = settings or Settings()
        self.settings = settings
        self.fuzz = settings.fuzz if fuzz is None else fuzz
        self.calendar = StudyCalendar(settings.day_starts_at, tz)
        self._fsrs = fsrs.Scheduler(
            parameters=tuple(settings.parameters) or DEFAULT_PARAMETERS,
            desired_retention=settings.desired_retention,
            learning_steps=settings.learning_deltas,
            relearning_steps=settings.relearning_deltas,
            maximum_interval=settings.maximum_interval,
            enable_fuzzing=False,  # fuzz is applied here, seeded
        )
        self._decay = -self._fsrs.parameters[20]
        self._factor = 0.9 ** (1 / self._decay) - 1
        self._interval_per_stability = (settings.desired_retention ** (1 / self._decay) - 1) / self._factor
        self._maximum = max(settings.maximum_interval, 1)

    @property
    def tz(self) -> tzinfo | None:
        return self.calendar.tz

    @property
    def parameters(self) -> tuple[float, ...]:
        return tuple(self._fsrs.parameters)

    # -- elapsed time and recall ---------------------------------------------
    def elapsed_days(self, memory: MemoryState, now: datetime) -> int | None:
        """Study days since the card's last review (None for a card never reviewed)."""
        if memory.last_review is None:
            return None
        return max(0, self.calendar.day_of(now) - self.calendar.day_of(memory.last_review))

    def recall_after(self, memory: MemoryState, elapsed: int | None) -> float | None:
        """Predicted recall `elapsed` study days after the last review (None for a new card)."""
        if memory.state == "new" or memory.stability is None:
            return None
        return (1 + self._factor * max(elapsed or 0, 0) / memory.stability) ** self._decay

    def recall_after_days(self, pairs: Iterable[tuple[float, int]]) -> list[float]:
        """Predicted recall for many (stability, study days since last review) pairs.

        The FSRS-6 forgetting curve, R = (1 + factor * t / S) ** -w[20] with
        factor = 0.9 ** (1 / -w[20]) - 1, as fsrs's get_card_retrievability.
        """
        decay, factor = self._decay, self._factor
        return [(1 + factor * max(days, 0) / stability) ** decay for stability, days in pairs]

    def recall(self, memory: MemoryState, now: datetime) -> float | None:
        """Predicted recall at `now`, from study days elapsed (None for a new card)."""
        return self.recall_after(memory, self.elapsed_days(memory, now))

    def retrievability(self, memory: MemoryState, now: datetime) -> float:
        """Predicted recall at `now` (0 for a card never seen)."""
        recall = self.recall(memory, now)
        return 0.0 if recall is None else recall

    # -- answering -------------------------------------------------------------
    def _raw_interval(self, stability: float) -> float:
        """FSRS's interval in days for a stability, before rounding (fsrs-rs's next_interval)."""
        return stability * self._interval_per_stability

    def review(
        self, key: str, memory: MemoryState, rating: Rating, now: datetime, elapsed: int | None = None
    ) -> MemoryState:
        """The card's state after answering `rating` at `now` (`elapsed`: study days, if known)."""
        return _Answer(self, key, memory, _utc(now), elapsed).outcome(Rating(rating))

    def next_states(self, key: str, memory: MemoryState, now: datetime) -> dict[Rating, MemoryState]:
        """The state each of the four answers would give: what the buttons show."""
        answer = _Answer(self, key, memory, _utc(now))
        return {rating: answer.outcome(rating) for rating in Rating}

    def preview(self, key: str, memory: MemoryState, now: datetime) -> dict[Rating, timedelta]:
        """How long until the card is due again, for each possible answer."""
        now = _utc(now)
        return {rating: state.due - now for rating, state in self.next_states(key, memory, now).items()}

    def replay(self, key: str, answers: Iterable[tuple[Rating, datetime]]) -> MemoryState:
        """A card's state from its answers alone, oldest first (see trainer.history for the log)."""
        memory = MemoryState()
        for rating, at in sorted(answers, key=lambda answer: answer[1]):
            memory = self.review(key, memory, rating, at)
        return memory


class _Answer:
    """One card at one moment: fsrs's transitions, computed once per rating as needed."""

    def __init__(self, scheduler: Scheduler, key: str, memory: MemoryState, now: datetime, elapsed: int | None = None):
        self.s = scheduler
        self.key = key
        self.memory = memory
        self.now = now
        self.fuzz = fuzz_factor(key, memory.reps) if scheduler.fuzz else None
        if elapsed is None and memory.state != "new":
            elapsed = scheduler.elapsed_days(memory, now) or 0
        self.elapsed = elapsed
        self._card = self._fsrs_card(elapsed)
        self._done: dict[Rating, fsrs.Card] = {}

    def _fsrs_card(self, elapsed: int | None) -> fsrs.Card:
        memory, now = self.memory, self.now
        if memory.state == "new":
            return fsrs.Card(card_id=_card_id(self.key), due=now)
        return fsrs.Card(
            card_id=_card_id(self.key),
            state=_STATES[memory.state],
            step=memory.step,
            stability=memory.stability,
            difficulty=memory.difficulty,
            due=memory.due or now,
            # py-fsrs takes (now - last_review).days as elapsed time: this makes it the study days.
            last_review=now - timedelta(days=elapsed),
        )

    def _fsrs(self, rating: Rating) -> fsrs.Card:
        card = self._done.get(rating)
        if card is None:
            card, _ = self.s._fsrs.review_card(self._card, _RATINGS[rating], self.now)
            self._done[rating] = card
        return card

    def _stability(self, rating: Rating) -> float:
        """The stability `rating` would give, for ordering another answer's interval.

        The answer itself always goes through fsrs's review_card; the
        neighbouring answers only need their stability, which is fsrs's own
        formula for this state (the branch review_card takes), at a quarter of
        the cost of a whole review_card. tests/test_scheduler.py checks the two
        agree on every kind of state.
        """
        card = self._done.get(rating)
        if card is not None:
            return card.stability
        math_of = self.s._fsrs
        memory = self.memory
        if memory.stability is None or memory.difficulty is None:
            return math_of._initial_stability(rating=_RATINGS[rating])
        if self.elapsed < 1:
            return math_of._short_term_stability(stability=memory.stability, rating=_RATINGS[rating])
        recall = (1 + self.s._factor * self.elapsed / memory.stability) ** self.s._decay
        return math_of._next_stability(
            difficulty=memory.difficulty, stability=memory.stability, retrievability=recall, rating=_RATINGS[rating]
        )

    def _days(self, interval: float, minimum: int) -> int:
        maximum = self.s._maximum
        return with_fuzz(self.fuzz, interval, min(max(minimum, 1), maximum), maximum)

    def _review_days(self, rating: Rating) -> int:
        """Whole days for an answer that puts the card in review state (Anki's rules)."""
        raw = self.s._raw_interval
        if self.memory.state == "review" and rating != Rating.AGAIN:
            hard = self._days(raw(self._stability(Rating.HARD)), 1)
            if rating == Rating.HARD:
                return hard
            good = self._days(raw(self._stability(Rating.GOOD)), hard + 1)
            if rating == Rating.GOOD:
                return good
            return self._days(raw(self._stability(Rating.EASY)), good + 1)
        if rating == Rating.EASY:
            # From (re)learning, Easy is at least a day beyond Good's FSRS interval.
            good = self._days(raw(self._stability(Rating.GOOD)), 1)
            return self._days(max(round_half_away(raw(self._stability(Rating.EASY))), 1), good + 1)
        return self._days(max(round_half_away(raw(self._stability(rating))), 1), 1)

    def outcome(self, rating: Rating) -> MemoryState:
        card = self._fsrs(rating)
        state = _STATE_NAMES[card.state]
        due = card.due
        if state == "review":
            due = self.now + timedelta(days=self._review_days(rating))
        lapsed = rating == Rating.AGAIN and self.memory.state == "review"
        return MemoryState(
            state=state,
            step=card.step,
            stability=card.stability,
            difficulty=card.difficulty,
            due=due,
            last_review=self.now,
            reps=self.memory.reps + 1,
            lapses=self.memory.lapses + int(lapsed),
        )


class MemoryMath:
    """FSRS's own formulas on bare numbers, for planners that try thousands of what-ifs.

    `Scheduler.review` costs about 20 microseconds (it builds fsrs cards and
    datetimes); a planner weighing every card on every day before an
    interview needs the same transitions at a microsecond. These are
    fsrs's formulas (its scheduler's _short_term_stability, _next_stability
    and _next_difficulty, written out with the parameters in locals), applied
    the way review_card applies them: study days elapsed, learning and
    relearning steps answered Good the same day. tests/test_prepare.py checks
    them against `Scheduler.review` on every state and rating.
    """

    def __init__(self, scheduler: Scheduler):
        self._f = scheduler._fsrs
        w = self.w = tuple(float(x) for x in scheduler._fsrs.parameters)
        self.decay = scheduler._decay
        self.factor = scheduler._factor
        self.learning_steps = len(scheduler.settings.learning_steps)
        self.relearning_steps = len(scheduler.settings.relearning_steps)
        self._recall_gain = math.exp(w[8])
        self._forget_cap = math.exp(w[17] * w[18])
        self._easy_difficulty = w[4] - math.exp(w[5] * 3) + 1  # fsrs's _initial_difficulty(Easy), unclamped
        self._short_gain = {int(r): math.exp(w[17] * (int(r) - 3 + w[18])) for r in Rating}
        self._min_stability = fsrs.scheduler.STABILITY_MIN

    def recall(self, stability: float, days: float) -> float:
        """Predicted recall `days` study days after the last review."""
        return (1 + self.factor * max(days, 0) / stability) ** self.decay

    def difficulty_after(self, difficulty: float, rating: Rating) -> float:
        w = self.w
        damped = difficulty + (10.0 - difficulty) * (-(w[6] * (int(rating) - 3))) / 9.0
        return min(max(w[7] * self._easy_difficulty + (1 - w[7]) * damped, 1.0), 10.0)

    def review(self, stability: float, difficulty: float, days: int, rating: Rating) -> tuple[float, float]:
        """(stability, difficulty) after answering a card in review `days` study days after its last review."""
        w, r = self.w, int(rating)
        if days < 1:
            gain = self._short_gain[r] * stability ** -w[19]
            if r > 1:
                gain = max(gain, 1.0)
            after = stability * gain
        else:
            recall = (1 + self.factor * days / stability) ** self.decay
            if r == 1:
                long_term = w[11] * difficulty ** -w[12] * ((stability + 1) ** w[13] - 1)
                after = min(long_term * math.exp((1 - recall) * w[14]), stability / self._forget_cap)
            else:
                bonus = w[15] if r == 2 else w[16] if r == 4 else 1.0
                after = stability * (1 + self._recall_gain * (11 - difficulty) * stability ** -w[9]
                                     * (math.exp((1 - recall) * w[10]) - 1) * bonus)
        return max(after, self._min_stability), self.difficulty_after(difficulty, rating)

    def lapse(self, stability: float, difficulty: float, days: int) -> tuple[float, float]:
        """(stability, difficulty) after Again on a card in review, then Good on each relearning step that day."""
        stability, difficulty = self.review(stability, difficulty, days, Rating.AGAIN)
        for _ in range(self.relearning_steps):
            stability, difficulty = self.review(stability, difficulty, 0, Rating.GOOD)
        return stability, difficulty

    def learn(self, first: Rating) -> tuple[float, float, int]:
        """(stability, difficulty, answers) of a new card: `first`, then Good on each learning step that day."""
        f = self._f
        stability = f._initial_stability(rating=_RATINGS[first])
        difficulty = f._initial_difficulty(rating=_RATINGS[first], clamp=True)
        steps = self.learning_steps
        if first == Rating.EASY or not steps:
            return stability, difficulty, 1
        # fsrs's steps: Again goes back to the first, Hard stays, Good moves one on; past the last, review.
        step = 1 if first == Rating.GOOD else 0
        answers = 1
        while step < steps:
            stability, difficulty = self.review(stability, difficulty, 0, Rating.GOOD)
            answers += 1
            step += 1
        return stability, difficulty, answers

    def relearn_answers(self) -> int:
        """Answers a lapse costs beyond the Again itself."""
        return self.relearning_steps


# -- what a cached schedule depends on ------------------------------------------
def fingerprint(scheduler: Scheduler) -> str:
    """What the cache depends on besides the log: the settings that shape scheduling, and the zone."""
    s = scheduler.settings
    tz = scheduler.tz
    zone = getattr(tz, "key", None) or (str(tz) if tz is not None else _machine_zone())
    shape = {
        "parameters": list(scheduler.parameters), "retention": s.desired_retention,
        "learning": list(s.learning_steps), "relearning": list(s.relearning_steps),
        "maximum": s.maximum_interval, "fuzz": scheduler.fuzz, "day_starts_at": s.day_starts_at, "zone": zone,
    }
    return hashlib.sha256(json.dumps(shape, sort_keys=True).encode()).hexdigest()[:16]


def _machine_zone() -> str:
    from trainer.days import local_zone_name

    name = local_zone_name()
    if name:
        return name
    offset = datetime.now().astimezone().utcoffset() or timedelta(0)
    return f"local{offset}"
