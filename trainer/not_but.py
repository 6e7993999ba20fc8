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
    candidates = []
    for split in NOT_BUT_SPLIT_RE.finditer(body):
        x = (body[: split.start()] + split.group("before") + split.group("after")).strip()
        y = body[split.end() :].strip()
        if x and y:
            if _quotes_balanced(x):
                return x, y
            candidates.append((x, y))
    # Quotes that never balance (a possessive like `users’ choice` looks like
    # an opening quote) must not turn a real pair into prose: take the first split.
    return candidates[0] if candidates else None


def _quotes_balanced(text: str) -> bool:
    if text.count("“") != text.count("”") or text.count('"') % 2:
        return False
    if text.count("«") != text.count("»"):
        return False
    # Single quotes double as apostrophes (I'd, users’): only count the ones
    # that are not between two letters.
    singles = 0
    for i, char in enumerate(text):
        if char in "'‘’":
            inside_word = 0 < i < len(text) - 1 and text[i - 1].isalnum() and text[i + 1].isalnum()
            if not inside_word:
                singles += 1
    return singles % 2 == 0
