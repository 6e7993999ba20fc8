"""docs/deck-format.md: its examples parse as it says, and the file itself makes no card."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from trainer.parse import parse_deck

DOC = (Path(__file__).parent.parent / "docs" / "deck-format.md").read_text(encoding="utf-8")
EXAMPLES = re.findall(r"^```markdown\n(.*?)^```$", DOC, flags=re.MULTILINE | re.DOTALL)


def test_the_format_reference_is_a_deck_without_cards_or_errors():
    deck = parse_deck(DOC, "docs/deck-format.md")
    assert deck.errors == ()
    assert deck.cards == ()


def test_the_doc_has_its_examples():
    assert len(EXAMPLES) >= 12


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda text: text.split("\n", 1)[0][:40])
def test_every_example_parses_without_errors(example):
    deck = parse_deck(example, "example.md")
    assert deck.errors == (), [str(e) for e in deck.errors]


def test_the_example_drills_are_the_ones_the_drill_tests_use():
    from test_drill import HOME_DRILL, METRIC_DRILL

    assert HOME_DRILL in EXAMPLES
    assert METRIC_DRILL in EXAMPLES


def test_the_cloze_example_makes_the_cards_the_doc_describes():
    (example,) = [e for e in EXAMPLES if e.startswith("CLOZE:")]
    cards = parse_deck(example, "example.md").cards
    assert len(cards) == 3
    assert len({c.sibling for c in cards}) == 1
    assert cards[1].prompt == (
        "A metric stack has one primary outcome, [what moves faster?]\nthat move faster, and guardrails that must not get worse."
    )
    assert cards[1].answer == "proxies"
