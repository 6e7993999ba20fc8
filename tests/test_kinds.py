"""The card-kind registry: names, markers, dispatch, and that a new kind needs only its module."""

from __future__ import annotations

import pytest

from trainer import card_text, kinds
from trainer.kinds import Registry
from trainer.kinds.base import Block, Kind, Output
from trainer.model import Card, CardKind, MemoryState, ParsedCard, Status
from trainer.parse import parse_deck

ONE_OF_EACH = """\
BAD: b
GOOD: g

NOT: x
BUT: y

LADDER: L
PRIMARY: p

Q: q
A: a

CLOZE: a {{c1::b}}

DRILL: d
RUBRIC: r
FOLLOWUP: f
"""


def stored(parsed: ParsedCard) -> Card:
    return Card(parsed.key, parsed.kind, "Deck", "/d.md", parsed.section, parsed.prompt, parsed.answer,
                parsed.extra, parsed.sibling, parsed.line, Status.ACTIVE, MemoryState())


def test_every_kind_is_registered_under_its_name_with_a_label():
    assert kinds.names() == ("contrast", "pair", "ladder", "faq", "cloze", "drill", "followup")
    for name in kinds.names():
        assert kinds.get(name).name == name
        assert kinds.get(name).label


def test_each_kind_renders_its_cards_through_card_text():
    deck = parse_deck(ONE_OF_EACH, "decks/all.md")
    assert deck.errors == ()
    assert sorted({c.kind for c in deck.cards}) == sorted(kinds.names())
    for parsed in deck.cards:
        card = stored(parsed)
        kind = kinds.get(card.kind)
        assert card_text.prompt_markdown(card) == kind.prompt_markdown(card)
        assert card_text.answer_markdown(card) == kind.answer_markdown(card)
        assert card_text.kind_label(card).startswith(kind.label)
        assert card_text.replaces_prompt(card) is kind.replaces_prompt
    assert card_text.KIND_LABELS["faq"] == "question"


def test_kinds_are_plain_strings_that_keep_the_old_enum_spelling():
    (card,) = parse_deck("Q: q\nA: a\n", "d.md").cards
    assert card.kind == "faq" and isinstance(card.kind, str)
    assert card.kind.value == "faq"  # importer and store still say .value
    assert CardKind("cloze") == "cloze" and CardKind.FAQ == "faq"
    assert ParsedCard("drill", "p", "a", "", 1, ()).kind.value == "drill"


def test_an_unknown_kind_is_shown_plainly_and_require_refuses_it():
    card = Card("k", CardKind("from-the-future"), "D", "/d.md", "", "prompt", "answer", {}, None, 1,
                Status.ACTIVE, MemoryState())
    assert card_text.prompt_markdown(card) == "prompt"
    assert card_text.answer_markdown(card) == "answer"
    assert card_text.kind_label(card) == "from-the-future"
    with pytest.raises(ValueError, match="unknown card kind 'from-the-future'; the kinds are contrast, pair"):
        kinds.require("from-the-future")
    assert kinds.require("cloze") is kinds.get("cloze")


class _Clash(Kind):
    name = "clash"
    starters = ("Q",)


class _Inside(Kind):
    name = "inside"
    starters = ("X",)
    followers = ("BAD",)


def test_a_registry_refuses_kinds_whose_markers_clash():
    with pytest.raises(ValueError, match="Q: is already a marker of faq cards"):
        Registry(kinds.REGISTRY.kinds + (_Clash(),))
    with pytest.raises(ValueError, match="BAD: starts contrast cards"):
        Registry(kinds.REGISTRY.kinds + (_Inside(),))
    with pytest.raises(ValueError, match="two card kinds are named 'faq'"):
        Registry(kinds.REGISTRY.kinds + (kinds.get("faq"),))


class _Term(Kind):
    """A toy kind: TERM: + MEANS:, written as a test would write a new kind module."""

    name = "term"
    label = "term"
    starters = ("TERM",)
    followers = ("MEANS",)
    required = {"MEANS": "add MEANS: below it"}

    def make(self, block: Block, out: Output) -> None:
        term = block.first.text
        out.cards.append(self.card(block, prompt=term, answer=block.text("MEANS"), identity=(self.name, term), pin=block.pin))

    def prompt_markdown(self, card) -> str:
        return f"What does *{card.prompt}* mean?"


def test_a_new_kind_needs_only_its_own_module(monkeypatch):
    monkeypatch.setattr(kinds, "REGISTRY", Registry(kinds.REGISTRY.kinds + (_Term(),)))
    deck = parse_deck("<!-- id: nsm -->\nTERM: north star\nMEANS: the one metric\n\nTERM: lonely\n", "d.md")
    assert [str(e) for e in deck.errors] == ["d.md:5: TERM: without a MEANS: below it; add MEANS: below it"]
    (card,) = deck.cards
    assert (card.kind, card.key, card.answer) == ("term", "id:nsm", "the one metric")
    assert card_text.prompt_markdown(stored(card)) == "What does *north star* mean?"
    assert "TERM:/MEANS:" in kinds.marker_summary()
