"""Splitting a `Not X, but Y` sentence, quotes and apostrophes included."""

from __future__ import annotations

import re

SENTENCE_PAIR_RE = re.compile(r"^(?:[-*+]\s+|\d+[.)]\s+)?Not\s+(?P<body>.*)$", re.DOTALL)
# The comma before "but" may sit inside a closing quote: `Not “better AI,” but`.
NOT_BUT_SPLIT_RE = re.compile(r"""(?P<before>["'”’»]?),(?P<after>["'”’»]?)\s+but\s+""")


def split_not_but(sentence: str) -> tuple[str, str] | None:
    """Split `Not X, but Y` into (X, Y), or None when the sentence is not one.

    The comma may sit inside quotes (`Not “better AI,” but ...`); a split is
    only taken where the quotes in X are balanced, so a ", but" inside a
    quotation does not count.
    """
    match = SENTENCE_PAIR_RE.match(sentence.strip())
    if not match:
        return None
    body = match.group("body")
    # One pass, counting quotes up to each candidate as it comes: checking
    # each candidate's X from scratch was quadratic in a long line full of ", but".
    tally = _QuoteTally(body)
    text_ends = len(body.rstrip())
    first = None
    for split in NOT_BUT_SPLIT_RE.finditer(body):
        quotes = split.group("before") + split.group("after")
        # The body starts at a non-space (`Not\s+` took the spaces), so X is
        # empty only when the split is at its very start.
        if (split.start() == 0 and not quotes) or split.end() >= text_ends:
            continue  # X or Y would be empty
        if tally.balanced_up_to(split.start(), quotes):
            return _pair(body, split)
        if first is None:
            first = split
    # Quotes that never balance (a possessive like `users’ choice` looks like
    # an opening quote) must not turn a real pair into prose: take the first split.
    return _pair(body, first) if first is not None else None


def _pair(body: str, split: re.Match) -> tuple[str, str]:
    x = (body[: split.start()] + split.group("before") + split.group("after")).strip()
    return x, body[split.end() :].strip()


class _QuoteTally:
    """Counts the quote marks of `text[:end]` for ever larger `end`.

    Single quotes double as apostrophes (I'd, users’): one between two letters
    or digits is not counted. The last character of a prefix is followed by
    the comma of `, but` (or a quote) both in the text and in X, never by a
    letter, so it counts the same in both.
    """

    def __init__(self, text: str):
        self.text = text
        self.end = 0
        self.count = dict.fromkeys("“”«»\"s", 0)

    def balanced_up_to(self, end: int, extra: str) -> bool:
        """Whether text[:end] plus `extra` (the quotes around the comma) balances."""
        text, count = self.text, self.count
        for i in range(self.end, end):
            char = text[i]
            if char in "“”«»\"":
                count[char] += 1
            elif char in "'‘’":
                inside_word = 0 < i < len(text) - 1 and text[i - 1].isalnum() and text[i + 1].isalnum()
                count["s"] += not inside_word
        self.end = max(self.end, end)
        total = dict(count)
        for char in extra:
            total["s" if char in "'‘’" else char] += 1
        return not (total['"'] % 2 or total["s"] % 2) and total["“"] == total["”"] and total["«"] == total["»"]
