"""The search language of the card browser and `trainer cards`: text in, terms out.

    metric deck:"Sample deck" is:due -is:suspended kind:cloze prop:recall<0.8

Terms are separated by spaces and must all match (AND). A leading `-`
negates a term. Double quotes keep spaces inside one term: `"cold start"`,
`deck:"My deck"`. docs/browse.md lists every term.

This module only reads the text and checks it: a bad term is a SearchError
that names the term and says what would be accepted. Turning the terms into
SQL is trainer.store.card_search's job (the store is the only code that talks
SQL); the numbers that depend on the clock and the settings (today's study
day, the forgetting curve) come in a SearchContext.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Callable, Sequence

from trainer import kinds
from trainer.errors import TrainerError

IS_VALUES = ("due", "new", "learning", "review", "suspended", "buried", "leech", "retired")
PROPS = {
    # name -> what its value is, for messages
    "recall": "a probability (0.8 or 80%)",
    "lapses": "a whole number",
    "reps": "a whole number",
    "stability": "a number of days",
    "difficulty": "a number from 1 to 10",
    "due": "whole study days from today (0 today, 1 tomorrow, -1 yesterday)",
}
OPERATORS = ("<=", ">=", "!=", "<", ">", "=")
FIELDS = ("deck", "is", "kind", "prop", "key")


class SearchError(TrainerError):
    """A search the browser or `trainer cards` cannot read; the message names the bad term."""


@dataclass(frozen=True)
class Term:
    """One term of a search; `text` is how it was written, for messages."""

    text: str
    negated: bool


@dataclass(frozen=True)
class Words(Term):
    """Free text: a case-insensitive substring of the prompt, answer, section or deck (`*` is a wildcard)."""

    value: str


@dataclass(frozen=True)
class Deck(Term):
    """deck:NAME, case-insensitive; `*` is a wildcard."""

    pattern: str


@dataclass(frozen=True)
class Is(Term):
    what: str  # one of IS_VALUES


@dataclass(frozen=True)
class Kind(Term):
    name: str


@dataclass(frozen=True)
class Key(Term):
    """key:KEY, exact; `*` is a wildcard (key:id:cold-*)."""

    pattern: str


@dataclass(frozen=True)
class Prop(Term):
    name: str  # one of PROPS
    op: str  # one of OPERATORS
    value: float


@dataclass(frozen=True)
class Query:
    text: str
    terms: tuple[Term, ...] = ()

    @property
    def wants_retired(self) -> bool:
        """Retired cards are left out unless an is:retired term (either sign) asks about them."""
        return any(isinstance(term, Is) and term.what == "retired" for term in self.terms)


def tokens(text: str) -> list[str]:
    """Split on spaces outside double quotes; quotes stay in the token."""
    found: list[str] = []
    current: list[str] = []
    quoted = False
    for char in text:
        if char == '"':
            quoted = not quoted
            current.append(char)
        elif char.isspace() and not quoted:
            if current:
                found.append("".join(current))
                current = []
        else:
            current.append(char)
    if quoted:
        raise SearchError(f"search: {''.join(current)!r} opens a quote that is never closed; add the closing \"")
    if current:
        found.append("".join(current))
    return found


def _unquote(value: str) -> str:
    if len(value) >= 2 and value.startswith('"') and value.endswith('"'):
        return value[1:-1]
    return value.replace('"', "")


def parse(text: str) -> Query:
    """The terms of a search; SearchError for the first term that cannot be read."""
    return Query(text, tuple(_term(token) for token in tokens(text)))


def _term(token: str) -> Term:
    negated = token.startswith("-") and len(token) > 1
    body = token[1:] if negated else token
    if body.startswith('"'):
        return Words(token, negated, _unquote(body))
    name, colon, value = body.partition(":")
    if not colon or not name.isalpha():
        return Words(token, negated, _unquote(body))
    name = name.lower()
    value = _unquote(value)
    if name not in FIELDS:
        raise SearchError(
            f"search: {token!r}: there is no {name}: term (the terms are {', '.join(f + ':' for f in FIELDS)}); "
            f'to search for the text, quote it: "{body}"'
        )
    if not value:
        raise SearchError(f"search: {token!r} needs a value after the colon, like {_EXAMPLES[name]}")
    if name == "deck":
        return Deck(token, negated, value)
    if name == "key":
        return Key(token, negated, value)
    if name == "is":
        what = value.lower()
        if what not in IS_VALUES:
            raise SearchError(f"search: {token!r}: is: takes {', '.join(IS_VALUES)}")
        return Is(token, negated, what)
    if name == "kind":
        kind = value.lower()
        if kind not in kinds.names():
            raise SearchError(f"search: {token!r}: the card kinds are {', '.join(kinds.names())}")
        return Kind(token, negated, kind)
    return _prop(token, negated, value)


_EXAMPLES = {
    "deck": 'deck:metrics or deck:"My deck"', "is": "is:due", "kind": "kind:cloze",
    "prop": "prop:recall<0.8", "key": "key:id:cold-start",
}


def _prop(token: str, negated: bool, body: str) -> Prop:
    op = next((o for o in OPERATORS if o in body), None)
    if op is None:
        raise SearchError(f"search: {token!r}: write a comparison, like prop:recall<0.8 or prop:lapses>=3")
    name, _, raw = body.partition(op)
    name = name.strip().lower()
    if name not in PROPS:
        raise SearchError(f"search: {token!r}: prop: takes {', '.join(PROPS)}")
    value = _number(raw.strip(), name)
    if value is None:
        raise SearchError(f"search: {token!r}: {raw.strip() or 'nothing'} is not {PROPS[name]}")
    return Prop(token, negated, name, op, value)


def _number(raw: str, name: str) -> float | None:
    percent = name == "recall" and raw.endswith("%")
    try:
        value = float(raw.removesuffix("%") if percent else raw)
    except ValueError:
        return None
    if not math.isfinite(value):
        return None
    if percent:
        value /= 100
    if name == "recall" and not 0 <= value <= 1:
        return None
    if name in ("lapses", "reps", "due") and value != int(value):
        return None
    return value


# -- what the SQL needs from the clock and the settings -------------------------
@dataclass(frozen=True)
class SearchContext:
    """The moment and settings a search is read at.

    `day_sql` turns a column of ms times into study-day numbers in SQL (see
    trainer.days.StudyCalendar.offset_spans); `day_start` gives the start of a
    study day in ms. Recall follows the FSRS forgetting curve,
    R = (1 + factor * t / S) ** -decay, so a bound on recall is a bound on
    t / S (study days elapsed over stability), which SQL compares without pow().
    """

    now_ms: int
    today: int  # study-day number
    day_end_ms: int  # when today's study day ends
    day_start: Callable[[int], int] = field(compare=False)
    day_sql: Callable[[str], str] = field(compare=False)
    decay: float = 0.1542  # -w[20] of the parameters in force, as a positive number
    factor: float = 0.9 ** (1 / -0.1542) - 1
    leech_threshold: int = 8
    deck_names: Callable[[], Sequence[str]] = field(compare=False, default=tuple)  # read only when a deck: term asks

    def ratio_for(self, recall: float) -> float:
        """The t / S at which predicted recall falls to `recall` (inf for 0)."""
        if recall >= 1:
            return 0.0
        if recall <= 0:
            return math.inf
        return (recall ** (-1 / self.decay) - 1) / self.factor

    def recall_at(self, elapsed_days: int, stability: float) -> float:
        return (1 + self.factor * max(elapsed_days, 0) / stability) ** -self.decay


def from_words(words: list[str] | tuple[str, ...]) -> str:
    """A search from shell words: a word holding spaces stays one term (`"cold start"`, `deck:"My deck"`)."""
    parts = []
    for word in words:
        if any(c.isspace() for c in word) and '"' not in word:
            sign = "-" if word.startswith("-") else ""
            body = word[len(sign):]
            name, colon, value = body.partition(":")
            word = f'{sign}{name}:"{value}"' if colon and name.lower() in FIELDS else f'{sign}"{body}"'
        parts.append(word)
    return " ".join(parts)
