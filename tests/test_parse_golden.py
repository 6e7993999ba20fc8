"""Existing decks parse exactly as they did before the card-kind registry.

tests/parse_golden.json holds every deck text the suite used (and the bundled
decks) with the cards and errors the parser made of them before the parser was
split into kinds; tests/make_parse_golden.py writes it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from make_parse_golden import deck_output

GOLDEN = json.loads((Path(__file__).parent / "parse_golden.json").read_text(encoding="utf-8"))


def test_golden_file_covers_the_bundled_decks_and_many_test_texts():
    paths = {entry["path"] for entry in GOLDEN}
    assert {"decks/contrasts.md", "decks/faq.md", "decks/metrics.md", "decks/mistakes.md"} <= paths
    assert len(GOLDEN) > 100
    assert {card["kind"] for entry in GOLDEN for card in entry["cards"]} == {"contrast", "pair", "ladder", "faq"}


@pytest.mark.parametrize("entry", GOLDEN, ids=lambda e: f"{e['path']}:{len(e['text'])}")
def test_existing_decks_parse_identically(entry):
    expected = {name: entry[name] for name in ("title", "cards", "errors")}
    assert deck_output(entry["text"], entry["path"]) == expected
