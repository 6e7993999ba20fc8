"""Inputs that made a backtracking pattern (or a quadratic loop) stall the import.

No timing assertions (benchmarks/ measures speed): each of these took minutes
or worse before, and now runs in milliseconds, so a regression shows up as a
suite that hangs.
"""

from __future__ import annotations

from trainer.deck_lines import classify
from trainer.not_but import split_not_but
from trainer.parse import parse_deck

SPACES = " " * 100_000


def test_an_unclosed_pin_followed_by_100000_spaces_is_prose():
    deck = parse_deck("<!-- id:" + SPACES + "\nQ: q\nA: a\n", "decks/t.md")
    assert deck.errors == ()
    assert [c.key.startswith("id:") for c in deck.cards] == [False]


def test_a_pin_padded_with_100000_spaces_still_pins():
    deck = parse_deck("<!-- id:" + SPACES + "wide" + SPACES + "-->\nQ: q\nA: a\n", "decks/t.md")
    assert deck.errors == ()
    assert deck.cards[0].key == "id:wide"


def test_an_empty_pin_padded_with_spaces_is_an_invalid_id():
    (error,) = parse_deck("<!-- id:" + SPACES + "-->\nQ: q\nA: a\n", "decks/t.md").errors
    assert error.message.startswith("id '' is not a valid id")


def test_a_heading_with_100000_inner_spaces():
    assert classify(1, "# a" + SPACES + "b").title == "a" + SPACES + "b"
    assert classify(1, "## a" + SPACES + "#" + SPACES).title == "a"


def test_a_bullet_with_100000_spaces_before_text():
    deck = parse_deck("-" + SPACES + "x\n*" + SPACES + "\n", "decks/t.md")
    assert deck.cards == ()


def test_a_pair_sentence_with_20000_splits_that_never_balance():
    # An opening quote that never closes: every ", but" is a candidate and none balances.
    sentence = "Not “x" + ", but y" * 20_000
    assert split_not_but(sentence) == ("“x", "y" + ", but y" * 19_999)


def test_a_ladder_with_20000_proxies():
    text = "LADDER: L\nPRIMARY: p\n" + "PROXY: x\n" * 20_000
    deck = parse_deck(text, "decks/t.md")
    assert deck.errors == ()
    assert len(deck.cards) == 20_001
    assert len({c.key for c in deck.cards}) == 20_001
