"""Leeches in `trainer stats`: how many cards lapsed leech_threshold times or more, and which."""

from __future__ import annotations

from dataclasses import replace

from rich.console import Console

from trainer.stats import compute_stats, stats_to_dict
from trainer.stats_view import render_report

from test_stats import NOW, PARIS, SETTINGS, build_history, store  # noqa: F401  (the fixture)


def stats(store, **settings):
    return compute_stats(store, replace(SETTINGS, **settings), NOW, tz=PARIS)


def rendered(report) -> str:
    console = Console(width=100, record=True, color_system=None)
    for part in render_report(report):
        console.print(part)
    return console.export_text()


def test_leeches_count_cards_at_the_threshold_with_where_they_are(store):
    leeches = stats(store, leech_threshold=1).leeches
    assert (leeches.threshold, leeches.count) == (1, 1)
    (card,) = leeches.cards
    assert (card.key, card.location, card.lapses, card.status) == ("a2", "alpha.md:7", 1, "active")


def test_no_leech_below_the_threshold_and_none_when_leeches_are_off(store):
    assert stats(store, leech_threshold=2).leeches.count == 0
    off = stats(store, leech_threshold=0).leeches
    assert off.count == 0 and off.cards == []
    assert "off (leech_threshold = 0" in rendered(stats(store, leech_threshold=0))


def test_leeches_are_in_the_json_and_the_text(store):
    report = stats(store, leech_threshold=1)
    assert stats_to_dict(report)["leeches"]["count"] == 1
    text = rendered(report)
    assert "Leeches: 1 card forgotten 1+ times" in text and "trainer cards is:leech" in text


def test_a_deck_counts_its_own_leeches(store):
    assert compute_stats(store, replace(SETTINGS, leech_threshold=1), NOW, deck="Beta", tz=PARIS).leeches.count == 0
