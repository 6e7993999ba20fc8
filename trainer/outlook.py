"""What the plan (trainer.prepare) and its simulation (trainer.prepare_sim) assume of a learner and a card.

The model they share, so the plan is judged by the assumptions it was made with:

- a card in review answered on day d is recalled with probability R, FSRS's
  forgetting curve at the study days elapsed; recalled, it is answered
  Good; forgotten, Again and then Good on each relearning step that day;
- a new card is answered Again at first sight with the learner's own
  probability (`Learner.first_again`), else Good, then Good on each
  learning step that day;
- every answer takes the card's answer time.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

# The reference learner, when the log is too short to measure one: the
# 12,580-review Anki history of the optimizer tests answered 72% of its new
# cards Again at first sight, in a median 11.3 s.
DEFAULT_FIRST_AGAIN = 0.72
DEFAULT_ANSWER_MS = 11_300
FOLLOWUP_ANSWER_MS = 30_000  # a follow-up is answered out loud, like a short drill


@dataclass(frozen=True)
class Learner:
    """What the plan assumes of the person: measured from the log when it is long enough."""

    first_again: float = DEFAULT_FIRST_AGAIN
    answer_ms: int = DEFAULT_ANSWER_MS


class PlanCard(NamedTuple):
    """A card as the planner sees it: its memory in numbers and the seconds an answer takes."""

    id: int
    key: str
    sibling: str | None
    stability: float | None  # None: a new card
    difficulty: float | None
    last: int | None  # study day of the last review
    seconds: float  # one answer
    order: int = 0  # deck order, for ties
    parent: int | None = None  # a new follow-up's new drill: it is learned right after it, never before

    @property
    def new(self) -> bool:
        return self.stability is None
