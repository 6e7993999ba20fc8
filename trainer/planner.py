"""Which cards to review on which day before DATE, within a daily budget: the algorithm of `trainer prepare`.

1. A price of study time is set: the smallest at which what the cards
   would ask for before DATE fits in the days' minutes (measured on a
   fixed sample of the cards that need anything, at scale). It is kept for
   the life of the plan.
2. Each card's best next day follows from its memory and trainer.plan_values
   (every later choice already priced in): the day a review is worth most,
   or never (a card sure to be above the target on DATE without it, or
   one whose review is not worth its time).
3. Day by day, the cards whose best day has come (or passed: a full day
   pushed them back) are ranked by what the review adds (the card's worth
   with it, against leaving it alone) per second, and taken while the
   day's budget lasts.
4. A card taken moves on to its most likely memory after that day and gets
   its next best day.
5. When some day turned cards away, a second pass offers the earlier days'
   spare minutes to the cards that wanted a crowded day (still ranked by
   worth per second: a review there is worth less to them than on their
   best day, but it frees the crowded day), and the better plan is kept.

Only today's choice is final: the plan is fitted again each study day from
the memory the answers actually left, so a card that was missed comes back
when it is worth it. docs/prepare.md has the reasons and the figures.
"""

from __future__ import annotations

import heapq
import math
import zlib
from dataclasses import dataclass, field
from typing import Sequence

from trainer.model import Rating
from trainer.outlook import PlanCard
from trainer.plan_values import PRICE_STEP, Values

# The plan fills each day to this share of its minutes: what misses cost
# varies, and a day of bad luck should still fit on average.
FILL = 0.97
PRICE_SAMPLE = 300
PRICE_RANGE = (1e-8, 10.0)  # a second of study is worth this many cards above the target, at most
PRICE_STEPS = 14  # halvings of the range (in log) when looking for the price


@dataclass
class Fit:
    """The plan from `first_day` to the day before DATE."""

    price: float  # a second of study is worth this many cards above the target
    by_day: dict[int, list[int]] = field(default_factory=dict)  # day -> card ids, in the order to show them
    seconds: dict[int, float] = field(default_factory=dict)  # day -> expected seconds
    days_of: dict[int, list[int]] = field(default_factory=dict)  # card id -> its review days
    expected: float = 0.0  # cards expected above the target on DATE, the plan re-fitted each day
    unplanned: float = 0.0  # ... with no review before DATE
    above_after: dict[int, int] = field(default_factory=dict)  # day -> cards above the target on DATE if
    #   every answer until then goes the likely way and nothing follows
    # Kept while the plan is made:
    above_now: int = 0  # cards above the target on DATE along the likely path so far
    first_taken: list = field(default_factory=list)  # the cards given a review, in the order taken
    crowded_days: set = field(default_factory=set)  # days that turned away a card that wanted them


class _Card:
    """A card's memory along the plan, as the planner moves it on."""

    __slots__ = ("card", "stability", "difficulty", "last", "key", "chance", "moves")

    def __init__(self, card: PlanCard):
        self.card = card
        self.stability = card.stability
        self.difficulty = card.difficulty
        self.last = card.last
        self.key = 0
        self.chance = 0.0  # of ending above the target, from its first planned review on
        self.moves: dict[int, tuple] = {}  # days since the last review -> (recall, where Good and Again land)


class Planner:
    def __init__(self, values: Values, first_day: int, on_day: int, budget_seconds: float):
        self.values = values
        self.math = values.math
        self.first_day = first_day
        self.on_day = on_day
        self.budget = budget_seconds * FILL
        self.horizon = on_day - first_day

    # -- one card on one day --------------------------------------------------------
    def left_alone(self, c: _Card) -> float:
        return 0.0 if c.stability is None else self.values.above(c.stability, self.on_day - c.last)

    def _branches(self, c: _Card, day: int) -> tuple[tuple, float]:
        """Where a review of `c` on `day` may leave it on the grid, with what chance; and its answers that day."""
        values = self.values
        if c.stability is None:
            return values.first_sight, values.learn_answers
        gap = day - c.last
        branches = c.moves.get(gap)
        if branches is None:
            # The same for every day and price: kept until the card's memory moves on.
            m = self.math
            p = m.recall(c.stability, gap)
            good = values.where(*m.review(c.stability, c.difficulty, gap, Rating.GOOD))
            miss = values.where(*m.lapse(c.stability, c.difficulty, gap))
            branches = c.moves[gap] = ((p, good), (1 - p, miss))
        return branches, 1 + branches[1][0] * values.relearn

    def worth(self, c: _Card, day: int) -> float:
        """What reviewing `c` on `day` (and choosing well after) is worth, its answers' price taken off."""
        branches, today = self._branches(c, day)
        row, at = self.values.table(c.key).worth[self.on_day - day], self.values.at
        return sum(share * at(row, where) for share, where in branches) - PRICE_STEP ** c.key * today

    def review(self, c: _Card, day: int) -> tuple[float, float, float, float]:
        """(worth, answers today, answers in all, chance above) of reviewing `c` on `day` and choosing well after."""
        branches, today = self._branches(c, day)
        table, at, n = self.values.table(c.key), self.values.at, self.on_day - day
        worth, answers, above = table.worth[n], table.answers[n], table.above[n]
        g = a = later = 0.0
        for share, where in branches:
            g += share * at(worth, where)
            later += share * at(answers, where)
            a += share * at(above, where)
        return g - PRICE_STEP ** c.key * today, today, today + later, a

    def best_day(self, c: _Card, start: int) -> int | None:
        """The day from `start` on that a review of `c` is worth most; None: never."""
        first = start if c.last is None else max(start, c.last + 1)
        best, worth = None, self.left_alone(c)
        for day in range(first, self.on_day):
            value = self.worth(c, day)
            if value > worth + 1e-12:
                best, worth = day, value
        return best

    # -- the price ------------------------------------------------------------------
    def _demand(self, sample: list[_Card], price: float) -> float:
        """Seconds the sampled cards would ask for before DATE at `price` per second."""
        total = 0.0
        for c in sample:
            together = [c] + (self._children.get(c.card.id, []) if c.stability is None else [])
            for card in together:
                card.key = self.values.price_key(price * card.card.seconds)
            day = self.best_day(c, self.first_day)
            if day is not None:
                total += sum(self.review(card, day)[2] * card.card.seconds for card in together)
        return total

    def choose_price(self, cards: list[_Card]) -> float:
        """The smallest price at which the cards' wishes fit in the days' budget."""
        low, high = (math.log(p) for p in PRICE_RANGE)
        if not cards:
            return PRICE_RANGE[1]
        # A fixed sample (by key), so the same collection gets the same price.
        sample = sorted(cards, key=lambda c: zlib.crc32(c.card.key.encode()))[:PRICE_SAMPLE]
        # Whole answers fill a day: on average half a card's time is left over at its end.
        typical = sorted(c.card.seconds for c in sample)[len(sample) // 2]
        daily = max(self.budget - typical / 2, self.budget / 2)
        capacity = daily * self.horizon * len(sample) / len(cards)
        if self._demand(sample, PRICE_RANGE[0]) <= capacity:
            return PRICE_RANGE[0]
        for _ in range(PRICE_STEPS):  # demand falls as the price rises
            middle = (low + high) / 2
            if self._demand(sample, math.exp(middle)) <= capacity:
                high = middle
            else:
                low = middle
        return math.exp(high)

    # -- the plan ---------------------------------------------------------------------
    def fit(self, cards: Sequence[PlanCard], *, price: float | None = None) -> Fit:
        """The plan for these cards, from their memory now.

        When some days turn cards away (the days near DATE fill up while
        earlier ones do not), a second pass offers the earlier days' spare
        minutes to the cards that wanted a crowded day; the better of the
        two plans is kept.
        """
        self._first_best: dict[int, int | None] = {}
        self._first_moves: dict[int, dict] = {}
        first = self._project(cards, price, frozenset())
        if not first.crowded_days:
            return first
        second = self._project(cards, first.price, first.crowded_days)
        return second if second.expected > first.expected else first

    def _project(self, cards: Sequence[PlanCard], price: float | None, crowded: frozenset[int]) -> Fit:
        states = [_Card(card) for card in cards]
        for c in states:  # the second pass starts from the same memories: what the first worked out holds
            c.moves = self._first_moves.setdefault(c.card.id, c.moves)
        self._taken_today: dict[int, list[PlanCard]] = {}
        self._children: dict[int, list[_Card]] = {}
        for c in states:
            if c.card.parent is not None:
                self._children.setdefault(c.card.parent, []).append(c)
        alone = {c.card.id: self.left_alone(c) for c in states}
        unplanned = sum(1 for v in alone.values() if v >= 1.0)
        # A new follow-up is learned with its drill (the daily review shows it right after), never alone.
        needy = [c for c in states if alone[c.card.id] < 1.0 and c.card.parent is None]
        if price is None:
            price = self.choose_price(needy)
        fit = Fit(price, unplanned=float(unplanned), expected=float(unplanned), above_now=unplanned)
        for c in states:
            c.key = self.values.price_key(price * c.card.seconds)
        due: dict[int, list[_Card]] = {}
        movable: list[tuple[int, _Card]] = []
        for c in needy:
            if c.card.id not in self._first_best:
                self._first_best[c.card.id] = self.best_day(c, self.first_day)
            day = self._first_best[c.card.id]
            if day is not None:
                due.setdefault(day, []).append(c)
                if day in crowded:
                    movable.append((day, c))
        waiting: list[_Card] = []
        for day in range(self.first_day, self.on_day):
            waiting.extend(due.pop(day, ()))
            waiting = self._one_day(fit, day, waiting, due)
            if waiting:
                fit.crowded_days.add(day)
            if movable and fit.seconds[day] < self.budget:
                movable = [(best, c) for best, c in movable if best > day and c.card.id not in fit.days_of]
                self._one_day(fit, day, [c for _, c in movable], due)
        fit.expected += sum(c.chance for c in fit.first_taken)
        return fit

    def _one_day(self, fit: Fit, day: int, waiting: list[_Card], due: dict[int, list[_Card]]) -> list[_Card]:
        """Take the best of the cards waiting within what is left of the day's budget; return those left waiting."""
        ranked = []
        for c in {c.card.id: c for c in waiting}.values():  # a card pulled early may be due again too
            if c.last is not None and c.last >= day:
                continue
            worth, today, overall, chance = self.review(c, day)
            gain = worth - self.left_alone(c)
            seconds, overall = today * c.card.seconds, overall * c.card.seconds
            if c.stability is None:
                for child in self._children.get(c.card.id, ()):
                    worth, today, later, _ = self.review(child, day)
                    gain += worth
                    seconds += today * child.card.seconds
                    overall += later * child.card.seconds
            if gain > 1e-12:
                # Per second of everything the card will ask before DATE, not of today's answer alone:
                # when minutes are short, a card saved by one answer beats one that needs three.
                ranked.append((-gain / overall, c.card.order, c.card.id, c, seconds, chance))
        heapq.heapify(ranked)
        spent, left = fit.seconds.get(day, 0.0), []
        taken = [card for card in self._taken_today.get(day, [])]
        while ranked:
            _, _, _, c, seconds, chance = heapq.heappop(ranked)
            if spent + seconds > self.budget:
                left.append(c)
                continue
            spent += seconds
            together = [c] + (self._children.pop(c.card.id, []) if c.stability is None else [])
            for i, card in enumerate(together):
                self._take(fit, card, day, self.review(card, day)[3] if i else chance, due)
                taken.append(card.card)
        self._taken_today[day] = taken
        if taken:
            fit.by_day[day] = [card.id for card in siblings_apart(taken)]
        fit.seconds[day] = spent
        fit.above_after[day] = fit.above_now
        return left

    def _take(self, fit: Fit, c: _Card, day: int, chance: float, due: dict[int, list[_Card]]) -> None:
        if c.card.id not in fit.days_of:
            c.chance = chance
            fit.first_taken.append(c)
        fit.days_of.setdefault(c.card.id, []).append(day)
        before = self.left_alone(c) >= 1.0
        self._move_on(c, day)
        fit.above_now += (self.left_alone(c) >= 1.0) - before
        following = self.best_day(c, day + 1)
        if following is not None:
            due.setdefault(following, []).append(c)

    def _move_on(self, c: _Card, day: int) -> None:
        """The card's most likely memory after its review on `day`."""
        m = self.math
        if c.stability is None:
            first = Rating.AGAIN if self.values.learner.first_again >= 0.5 else Rating.GOOD
            c.stability, c.difficulty, _ = m.learn(first)
        else:
            gap = day - c.last
            if m.recall(c.stability, gap) >= 0.5:
                c.stability, c.difficulty = m.review(c.stability, c.difficulty, gap, Rating.GOOD)
            else:
                c.stability, c.difficulty = m.lapse(c.stability, c.difficulty, gap)
        c.last = day
        c.moves = {}


def siblings_apart(cards: list[PlanCard]) -> list[PlanCard]:
    """The day's cards in rounds: every sibling group's first card, then its second ...

    The plan may give two rungs of one ladder the same day (the daily review
    shows one a day); shown one after the other, the first would give the
    second away, so they are kept apart.
    """
    seen: dict[str, int] = {}
    rounds: list[list[PlanCard]] = []
    for card in cards:
        turn = 0
        if card.sibling:
            turn = seen.get(card.sibling, 0)
            seen[card.sibling] = turn + 1
        while len(rounds) <= turn:
            rounds.append([])
        rounds[turn].append(card)
    return [card for part in rounds for card in part]
