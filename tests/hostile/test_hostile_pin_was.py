"""`<!-- id: slug; was: OLD-KEY ... -->`: a rewritten card names the keys it had before."""

from __future__ import annotations

import pytest

from trainer.identity import hash_fields
from trainer.parse import parse_deck

OLD = "3f2a9c0d1e2b3c4d5e6f"
OLD2 = "00112233445566778899"


def parse(text: str):
    return parse_deck(text, "decks/test.md")


def errors(text: str) -> list[str]:
    return [str(e) for e in parse(text).errors]


def test_was_lists_the_old_keys_of_a_pinned_card():
    (card,) = parse(f"<!-- id: some-slug; was: {OLD} -->\nQ: reworded\nA: a\n").cards
    assert card.key == "id:some-slug"
    assert card.pinned_id == "some-slug"
    assert card.was == (OLD,)


@pytest.mark.parametrize(
    "was",
    [f"{OLD} {OLD2}", f"{OLD},{OLD2}", f"{OLD}, {OLD2}", f"  {OLD.upper()}  ,,  {OLD2} ", f"{OLD} {OLD2} {OLD}"],
)
def test_old_keys_are_separated_by_spaces_or_commas(was):
    (card,) = parse(f"<!-- id: x; was: {was} -->\nQ: q\nA: a\n").cards
    assert card.was == (OLD, OLD2)


def test_an_old_key_may_be_a_pinned_id():
    (card,) = parse("<!-- id: new-name; was: id:old-name -->\nQ: q\nA: a\n").cards
    assert card.was == ("id:old-name",)


def test_a_rung_and_a_pair_sentence_take_was_too():
    deck = parse(f"LADDER: L\n<!-- id: top; was: {OLD} -->\nPRIMARY: p\n\n<!-- id: s; was: {OLD2} -->\n- Not a, but b.\n")
    assert deck.errors == ()
    assert [c.was for c in deck.cards] == [(OLD,), (OLD2,)]


def test_cards_without_was_have_none():
    deck = parse("<!-- id: x -->\nQ: q\nA: a\n\nQ: other\nA: b\n")
    assert [c.was for c in deck.cards] == [(), ()]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("<!-- id: x; was: 3f2a -->\nQ: q\nA: a\n", "decks/test.md:1: '3f2a' after was: is not a card key"),
        (f"<!-- id: x; was: {OLD}zz -->\nQ: q\nA: a\n", f"decks/test.md:1: '{OLD}zz' after was: is not a card key"),
        ("<!-- id: x; was: id:has/slash -->\nQ: q\nA: a\n", "decks/test.md:1: 'id:has/slash' after was: is not a card key"),
        ("<!-- id: x; was: -->\nQ: q\nA: a\n", "decks/test.md:1: was: names no old key"),
        (f"<!-- id: x; were: {OLD} -->\nQ: q\nA: a\n", f"decks/test.md:1: 'were: {OLD}' in a pin is not understood"),
        (f"<!-- id: x; was: {OLD} -->\nLADDER: L\nPRIMARY: p\n", "decks/test.md:1: was: on the pin of a LADDER: cannot say"),
        ("<!-- id: x; was: id:x -->\nQ: q\nA: a\n", "decks/test.md:1: was: names id:x, this card's own key"),
        (
            f"<!-- id: a; was: {OLD} -->\nQ: q\nA: a\n\n<!-- id: b; was: {OLD} -->\nQ: r\nA: a\n",
            f"decks/test.md:5: was: names {OLD}, already claimed by the card on line 2",
        ),
    ],
)
def test_bad_was_is_an_error_on_the_pin_line(text, expected):
    found = errors(text)
    assert any(e.startswith(expected) for e in found), found


def test_was_naming_a_card_still_in_the_deck_is_an_error():
    still_here = hash_fields("faq", "still here")
    found = errors(f"Q: still here\nA: a\n\n<!-- id: new; was: {still_here} -->\nQ: new\nA: b\n")
    assert found == [
        f"decks/test.md:4: was: names {still_here}, the key of the card on line 1, which is still in the deck; "
        "a card that still exists keeps its own history"
    ]
