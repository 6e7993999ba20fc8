"""Cloze cards: one card per cloze number, siblings, keys, Markdown and errors with their lines."""

from __future__ import annotations

import pytest

from trainer.card_text import answer_markdown, kind_label, prompt_markdown, replaces_prompt
from trainer.kinds.cloze import scan
from trainer.model import Card, MemoryState, Status
from trainer.parse import parse_deck

SENTENCE = (
    "CLOZE: The {{c1::primary}} metric is the outcome the {{c2::product::who?}} is for;\n"
    "{{c1::proxies}} move faster.\n"
)


def parse(text: str):
    return parse_deck(text, "decks/test.md")


def cards(text: str):
    deck = parse(text)
    assert deck.errors == (), [str(e) for e in deck.errors]
    return deck.cards


def errors(text: str) -> list[str]:
    return [str(e) for e in parse(text).errors]


def stored(parsed) -> Card:
    return Card(parsed.key, parsed.kind, "Deck", "/d.md", parsed.section, parsed.prompt, parsed.answer,
                parsed.extra, parsed.sibling, parsed.line, Status.ACTIVE, MemoryState())


def test_one_card_per_cloze_number_and_shared_numbers_hide_together():
    c1, c2 = cards("# Deck\n\n" + SENTENCE)
    assert (c1.kind, c2.kind) == ("cloze", "cloze")
    assert c1.prompt == "The […] metric is the outcome the product is for;\n[…] move faster."
    assert c1.answer == "primary … proxies"
    assert c2.prompt == "The primary metric is the outcome the [who?] is for;\nproxies move faster."
    assert c2.answer == "product"
    assert [c.extra["cloze"] for c in (c1, c2)] == [1, 2]
    assert c1.line == c2.line == 3


def test_the_cards_of_one_cloze_are_siblings_and_other_clozes_are_not():
    first = cards(SENTENCE)
    other = cards("CLOZE: A {{c1::guardrail}} protects what must not get worse.\n")
    assert first[0].sibling == first[1].sibling is not None
    assert other[0].sibling != first[0].sibling
    assert len({c.key for c in first + other}) == 3


def test_numbers_need_not_be_consecutive_and_cards_come_in_number_order():
    found = cards("CLOZE: {{c3::c}} then {{c1::a}}\n")
    assert [c.extra["cloze"] for c in found] == [1, 3]


def test_key_is_the_full_text_with_markers_and_the_number():
    base = [c.key for c in cards(SENTENCE)]
    assert base == [c.key for c in cards(SENTENCE.replace(";\n", "; "))]  # re-wrapping keeps the keys
    assert set(base).isdisjoint(c.key for c in cards(SENTENCE.replace("who?", "whom?")))  # a hint is in the text
    assert set(base).isdisjoint(c.key for c in cards(SENTENCE.replace("faster", "sooner")))


def test_a_pin_before_cloze_pins_the_group_and_each_number_keeps_its_key():
    before = cards("<!-- id: metric-stack -->\n" + SENTENCE)
    after = cards("<!-- id: metric-stack -->\nCLOZE: Reworded: {{c1::primary}} and {{c2::the product}}.\n")
    assert [c.key for c in before] == [c.key for c in after]
    assert before[0].key != before[1].key
    assert before[0].sibling == after[0].sibling


def test_prompt_shows_the_asked_deletion_as_a_gap_or_its_hint_and_the_answer_bolds_it():
    c1, c2 = (stored(c) for c in cards(SENTENCE))
    assert prompt_markdown(c1) == "The **\\[…\\]** metric is the outcome the product is for;\n**\\[…\\]** move faster."
    assert prompt_markdown(c2) == "The primary metric is the outcome the **\\[who?\\]** is for;\nproxies move faster."
    assert answer_markdown(c1) == "The **primary** metric is the outcome the product is for;\n**proxies** move faster."
    assert answer_markdown(c2) == "The primary metric is the outcome the **product** is for;\nproxies move faster."
    assert kind_label(c2) == "cloze · c2"
    assert replaces_prompt(c1)


def test_a_cloze_runs_on_like_any_field_and_other_braces_are_text():
    (card,) = cards("CLOZE:\nIn `{{name}}` templates,\n{{c1::double braces}} are text.\n\nprose\n")
    assert card.prompt == "In `{{name}}` templates,\n[…] are text."


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("# T\nCLOZE: nothing is hidden\n", "decks/test.md:2: CLOZE: has no deletion; mark what to hide as {{c1::text}} or {{c1::text::hint}}"),
        ("CLOZE: one\ntwo {{c1:typo}} three\n", "decks/test.md:2: `{{c1:typo}}` is not a cloze deletion"),
        ("CLOZE: {{C1::capital}}\n", "decks/test.md:1: `{{C1::capital}}` is not a cloze deletion"),
        ("CLOZE: {{c0::zero}}\n", "decks/test.md:1: `{{c0::zero}}` is not a cloze deletion"),
        ("CLOZE: {{c::no number}}\n", "decks/test.md:1: `{{c::no number}}` is not a cloze deletion"),
        ("CLOZE: a\nb\n{{c1::never closed\n", "decks/test.md:3: `{{c1::…` is never closed; end the deletion with }}"),
        ("CLOZE: a {{c1::  }} b\n", "decks/test.md:1: `{{c1::}}` hides nothing"),
        ("CLOZE: a {{c1::x::}} b\n", "decks/test.md:1: `{{c1::x::}}` has an empty hint"),
        ("CLOZE: {{c1::a {{c2::b}} c}}\n", "decks/test.md:1: a deletion inside the deletion `{{c1::…`"),
        ("CLOZE:\n\nprose\n", "decks/test.md:1: CLOZE: is empty; write its text after the colon"),
        ("CLOZE: {{c1::x}}\n\nCLOZE: {{c1::x}}\n", "decks/test.md:3: the same cloze card twice (same prompt as line 1)"),
        ("<!-- id: c; was: id:old -->\nCLOZE: {{c1::x}}\n", "decks/test.md:1: was: on the pin of a CLOZE: cannot say"),
    ],
)
def test_cloze_errors_name_their_line(text, expected):
    found = errors(text)
    assert any(e.startswith(expected) for e in found), found


def test_a_malformed_deletion_makes_no_card_from_its_block():
    deck = parse("CLOZE: {{c1::good}} and {{c2:bad}}\n\nQ: q\nA: a\n")
    assert [c.kind for c in deck.cards] == ["faq"]
    assert len(deck.errors) == 1


def test_scan_is_linear_on_a_flood_of_colons_and_braces():
    pieces, problems = scan("{{c1::" + ":" * 100_000)
    assert [p.message.split(";")[0] for p in problems] == ["`{{c1::…` is never closed"]
    pieces, problems = scan("{{" * 50_000 + "{{c1::x}}")
    assert problems == []
    assert pieces[-2].text == "x"
