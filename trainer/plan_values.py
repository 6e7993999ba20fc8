"""What a card reviewed with n days left before DATE is worth, if every later review is chosen well.

A small dynamic programme over a grid of (stability, difficulty), one table
per number of days left, computed once per price of a review and shared by
every card (so it costs the same for ten cards or a hundred thousand):

    G[1](S, D) = above(S, 1)
    G[n](S, D) = max( above(S, n),
                      max over e in 1..n-1 of  p * G[n-e](S', D') + (1-p) * G[n-e](S'', D'') - mu * answers )

`above(S, n)` is 1 when recall n days after the last review is at least
the target (plus a little of the recall itself, so that among equal plans
the stronger memory wins); p is the recall after e days; (S', D') the
memory after a Good answer, (S'', D'') after Again and the relearning
steps (trainer.scheduler.MemoryMath: fsrs's own formulas); answers is one
plus the relearning answers a miss costs, weighted by 1 - p; mu is the
price of one answer of this card, in cards above the target (see
trainer.planner for how it is set). Values between grid points are
interpolated, linear in log stability and in difficulty.

The table is what lets the plan be re-fitted every day: a card that was
missed comes back with its real, weaker memory and is valued as it is.
"""

from __future__ import annotations

import math
from typing import NamedTuple

from trainer.model import Rating
from trainer.outlook import Learner
from trainer.scheduler import MemoryMath

STABILITY_RANGE = (0.01, 36500.0)
STABILITY_POINTS = 40
DIFFICULTY_POINTS = 6
RECALL_CREDIT = 0.01  # the share of recall on DATE a plan is also credited with
# Beyond ten days the next review is looked for on fewer days: a day more or
# less matters less the further off it is, and the table stays quick.
DENSE_GAPS = 10
PRICE_STEP = 1.5  # prices are rounded to powers of this, so tables are shared


def _gaps(n: int) -> list[int]:
    gaps = list(range(1, min(n, DENSE_GAPS + 1)))
    gap = DENSE_GAPS
    while True:
        gap = int(gap * 1.2) + 1
        if gap >= n:
            return gaps
        gaps.append(gap)


class Values:
    """The tables G[n] for one target, horizon and learner; `table(mu)` computes (and keeps) one per price."""

    def __init__(self, math_: MemoryMath, learner: Learner, target: float, horizon: int):
        self.math = math_
        self.learner = learner
        self.target = target
        self.horizon = horizon
        self.relearn = math_.relearn_answers()
        low, high = (math.log(v) for v in STABILITY_RANGE)
        self._low, self._span = low, high - low
        self.stabilities = [math.exp(low + self._span * i / (STABILITY_POINTS - 1)) for i in range(STABILITY_POINTS)]
        self.difficulties = [1 + 9 * j / (DIFFICULTY_POINTS - 1) for j in range(DIFFICULTY_POINTS)]
        self._above = {}
        self._steps: dict[int, list[tuple]] = {}
        self._tables: dict[int, tuple[list[list[float]], list[list[float]]]] = {}
        again, good = math_.learn(Rating.AGAIN), math_.learn(Rating.GOOD)
        q = learner.first_again
        # A new card's first day: (share, where it lands on the grid) for each first answer.
        self.first_sight = ((q, self.where(again[0], again[1])), (1 - q, self.where(good[0], good[1])))
        self.learn_answers = q * again[2] + (1 - q) * good[2]

    # -- the grid ---------------------------------------------------------------
    def where(self, stability: float, difficulty: float) -> tuple:
        """Interpolation corners and weights of a memory on the grid."""
        x = (math.log(min(max(stability, STABILITY_RANGE[0]), STABILITY_RANGE[1])) - self._low) / self._span
        x = min(x * (STABILITY_POINTS - 1), STABILITY_POINTS - 1.000001)
        y = min(max((difficulty - 1) / 9, 0.0) * (DIFFICULTY_POINTS - 1), DIFFICULTY_POINTS - 1.000001)
        i, j = int(x), int(y)
        fx, fy = x - i, y - j
        a = i * DIFFICULTY_POINTS + j
        b = a + DIFFICULTY_POINTS
        return (a, a + 1, b, b + 1, (1 - fx) * (1 - fy), (1 - fx) * fy, fx * (1 - fy), fx * fy)

    @staticmethod
    def at(row: list[float], w: tuple) -> float:
        return row[w[0]] * w[4] + row[w[1]] * w[5] + row[w[2]] * w[6] + row[w[3]] * w[7]

    def above(self, stability: float, days: int) -> float:
        """The worth of a memory left alone until DATE, `days` after its last review."""
        recall = self.math.recall(stability, days)
        return (1.0 if recall >= self.target else 0.0) + RECALL_CREDIT * recall

    def _step(self, gap: int) -> list[tuple]:
        """For every grid point: (recall, Good's corners, Again's corners) after `gap` days."""
        found = self._steps.get(gap)
        if found is None:
            m, found = self.math, []
            for s in self.stabilities:
                for d in self.difficulties:
                    good = m.review(s, d, gap, Rating.GOOD)
                    miss = m.lapse(s, d, gap)
                    found.append((m.recall(s, gap), self.where(*good), self.where(*miss)))
            self._steps[gap] = found
        return found

    # -- the tables -------------------------------------------------------------
    @staticmethod
    def price_key(mu: float) -> int:
        return round(math.log(max(mu, 1e-12)) / math.log(PRICE_STEP))

    def table(self, key: int) -> "Table":
        """The tables for the price PRICE_STEP ** key (an answer's price, in cards above the target)."""
        found = self._tables.get(key)
        if found is None:
            found = self._tables[key] = self._compute(PRICE_STEP ** key)
        return found

    def _compute(self, mu: float) -> "Table":
        relearn, at = self.relearn, self.at
        table = Table([[]], [[]], [[]])
        for n in range(1, self.horizon + 1):
            alone = [self.math.recall(s, n) for s in self.stabilities]
            g = [(1.0 if r >= self.target else 0.0) + RECALL_CREDIT * r for r in alone for _ in self.difficulties]
            sure = [1.0 if r >= self.target else 0.0 for r in alone for _ in self.difficulties]
            best = [0] * len(g)
            for gap in _gaps(n):
                later = table.worth[n - gap]
                for k, (p, good, miss) in enumerate(self._step(gap)):
                    v = p * at(later, good) + (1 - p) * at(later, miss) - mu * (1 + (1 - p) * relearn)
                    if v > g[k]:
                        g[k], best[k] = v, gap
            # What the best choice leads to: answers still to give, and the chance of ending above.
            c = [0.0] * len(g)
            for k, gap in enumerate(best):
                if gap:
                    p, good, miss = self._step(gap)[k]
                    answers, above = table.answers[n - gap], table.above[n - gap]
                    c[k] = 1 + (1 - p) * relearn + p * at(answers, good) + (1 - p) * at(answers, miss)
                    sure[k] = p * at(above, good) + (1 - p) * at(above, miss)
            table.worth.append(g)
            table.answers.append(c)
            table.above.append(sure)
        return table


class Table(NamedTuple):
    """Per days left n (index n), per grid point: the worth of a memory just reviewed, the
    answers the best choices still ask for, and the chance they leave it above the target on DATE."""

    worth: list[list[float]]
    answers: list[list[float]]
    above: list[list[float]]
