"""Properties over arbitrary text: the parser never crashes and its lines are the editor's."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from trainer.not_but import NOT_BUT_SPLIT_RE, SENTENCE_PAIR_RE, split_not_but
from trainer.parse import parse_deck

# Pieces that make interesting decks: markers, pins, fences, headings, odd separators.
PIECES = st.sampled_from(
    [
        "Q: ", "A: ", "BAD: ", "GOOD: ", "WHY: ", "NOT: ", "BUT: ", "LADDER: ", "PRIMARY: ", "PROXY: ",
        "GUARDRAIL: ", "CLOZE: ", "DRILL: ", "TIME: ", "RUBRIC:", "FOLLOWUP: ", "{{c1::", "::", "}}",
        "<!-- id: x -->", "<!-- id: y; was: id:z -->", "```", "~~~", "# ", "## ", "- ", "Not a, but b",
        "WHI: ", "90s", "text", " ", "\n", "\n", "\n", "\r\n", "\r", "\f", "\u2028", "\x85",
    ]
)
DECKS = st.lists(PIECES, max_size=40).map("".join)


@settings(max_examples=300, deadline=None)
@given(DECKS)
def test_any_text_parses_without_crashing_and_errors_point_at_real_lines(text):
    deck = parse_deck(text, "decks/p.md")
    editor_lines = len(re.split(r"\r\n|\r|\n", text))
    for error in deck.errors:
        assert 1 <= error.line <= editor_lines, error
    for card in deck.cards:
        assert 1 <= card.line <= editor_lines
        assert card.key


def _reference_split(sentence: str):
    """The obvious (quadratic) definition that split_not_but must agree with."""
    match = SENTENCE_PAIR_RE.match(sentence.strip())
    if not match:
        return None
    body = match.group("body")
    candidates = []
    for split in NOT_BUT_SPLIT_RE.finditer(body):
        x = (body[: split.start()] + split.group("before") + split.group("after")).strip()
        y = body[split.end() :].strip()
        if x and y:
            if _balanced(x):
                return x, y
            candidates.append((x, y))
    return candidates[0] if candidates else None


def _balanced(text: str) -> bool:
    if text.count("“") != text.count("”") or text.count('"') % 2 or text.count("«") != text.count("»"):
        return False
    singles = sum(
        1
        for i, char in enumerate(text)
        if char in "'‘’" and not (0 < i < len(text) - 1 and text[i - 1].isalnum() and text[i + 1].isalnum())
    )
    return singles % 2 == 0


SENTENCE_PIECES = st.sampled_from(
    ["a", "b", "1", " ", "\t", ",", ", but ", " but ", "'", "’", "‘", '"', "“", "”", "«", "»", "x'y", "users’"]
)


@settings(max_examples=500, deadline=None)
@given(st.sampled_from(["Not ", "- Not ", "1. Not ", "Not  "]), st.lists(SENTENCE_PIECES, max_size=14).map("".join))
def test_split_not_but_agrees_with_its_plain_definition(start, body):
    assert split_not_but(start + body) == _reference_split(start + body)
