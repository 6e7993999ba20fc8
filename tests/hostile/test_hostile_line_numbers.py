"""path:line must be the line an editor shows: only \\n, \\r\\n and \\r end a line."""

from __future__ import annotations

import pytest

from trainer.parse import parse_deck

# str.splitlines() splits on all of these; editors do not.
SEPARATORS = ["\f", "\v", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029"]


@pytest.mark.parametrize("sep", SEPARATORS, ids=[f"U+{ord(s):04X}" for s in SEPARATORS])
def test_errors_after_a_unicode_separator_name_the_editors_line(sep):
    deck = parse_deck(f"# Deck{sep}title\nQ: one{sep}still line two\nA: a\n\nA: orphan on line five\n", "decks/t.md")
    assert [str(e).split(": ", 1)[0] for e in deck.errors] == ["decks/t.md:5"]
    assert deck.cards[0].line == 2
    assert deck.cards[0].prompt == f"one{sep}still line two"


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"], ids=["LF", "CRLF", "CR"])
def test_each_line_ending_counts_one_line(newline):
    text = newline.join(["# T", "", "Q: q", "A: a", "", "GOOD: orphan", ""])
    deck = parse_deck(text, "decks/t.md")
    assert [c.line for c in deck.cards] == [3]
    assert [e.line for e in deck.errors] == [6]
    assert deck.cards[0].answer == "a"


def test_a_form_feed_line_is_blank_and_ends_a_field():
    deck = parse_deck("Q: q\nA: a\n\f\nprose\n", "decks/t.md")
    assert deck.cards[0].answer == "a"
