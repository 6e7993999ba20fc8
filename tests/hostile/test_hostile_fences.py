"""A fenced code block opened on a marker line used to swallow the rest of the file."""

from __future__ import annotations

import pytest

from trainer.card_text import answer_markdown
from trainer.model import Card, MemoryState, Status
from trainer.parse import parse_deck


def parse(text: str):
    return parse_deck(text, "decks/test.md")


def test_fence_opened_on_an_answer_line_ends_at_its_closing_fence():
    deck = parse(
        "Q: How do I list hidden files?\n"
        "A: ```sh\n"
        "ls -la\n"
        "\n"
        "Q: a marker inside the code is code\n"
        "```\n"
        "\n"
        "Q: Is the next card still there?\n"
        "A: Yes.\n"
    )
    assert deck.errors == ()
    assert [c.prompt for c in deck.cards] == ["How do I list hidden files?", "Is the next card still there?"]
    assert deck.cards[0].answer == "```sh\nls -la\n\nQ: a marker inside the code is code\n```"


def test_every_card_after_a_fenced_answer_survives():
    cards = [f"Q: question {n}\nA: answer {n}\n" for n in range(20)]
    cards[5] = "Q: fenced\nA: ~~~python\nprint('hi')\n~~~\n"
    deck = parse("\n".join(cards))
    assert deck.errors == ()
    assert len(deck.cards) == 20


@pytest.mark.parametrize(
    ("text", "line", "fence"),
    [
        ("# T\nQ: q\nA: ```sh\nls\n\nQ: later\nA: b\n", 3, "```"),
        ("Q: q\nA: ~~~~\ncode\n~~~\n", 2, "~~~~"),  # a shorter run does not close it
        ("Q: q\nA: like this:\n```sql\nSELECT 1;\n", 3, "```"),  # opened on its own line in a field
        ("Prose, then an example:\n\n```\nQ: not a card\n", 3, "```"),  # and in prose
    ],
)
def test_an_unclosed_fence_is_an_error_where_it_opened(text, line, fence):
    messages = [str(e) for e in parse(text).errors]
    assert f"decks/test.md:{line}: this {fence} fence is never closed; close it with {fence} on its own line" in messages


def test_a_fence_closes_only_with_the_same_character_and_at_least_its_length():
    deck = parse("Q: q\nA: ````md\n```\n~~~\n```sh\n````\nQ: after\nA: b\n")
    assert deck.errors == ()
    assert deck.cards[0].answer == "````md\n```\n~~~\n```sh\n````"
    assert deck.cards[1].prompt == "after"


def test_inline_code_in_triple_backticks_on_a_marker_line_is_not_a_fence():
    deck = parse("Q: q\nA: run ```ls``` first\nQ: next\nA: ```ls``` alone\nQ: last\nA: b\n")
    assert deck.errors == ()
    assert [c.prompt for c in deck.cards] == ["q", "next", "last"]


def test_a_fenced_answer_is_drawn_as_a_code_block():
    deck = parse("Q: q\nA: ```sh\nls\n```\n")
    parsed = deck.cards[0]
    card = Card(parsed.key, parsed.kind, "d", "p", "", parsed.prompt, parsed.answer, parsed.extra, None, 1,
                Status.ACTIVE, MemoryState())
    # A fence only counts at the start of a line, so the label gets its own paragraph.
    assert answer_markdown(card) == "**A:**\n\n```sh\nls\n```"
