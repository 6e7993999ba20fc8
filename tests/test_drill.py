"""Drill cards and their follow-ups: fields, keys, errors with lines, Markdown, and the rubric-to-rating rule."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trainer.card_text import answer_markdown, kind_label, prompt_markdown, replaces_prompt
from trainer.kinds.drill import format_duration, parse_duration, suggest_rating
from trainer.model import Card, MemoryState, Rating, Status
from trainer.parse import parse_deck

# The two example drills of docs/deck-format.md.
HOME_DRILL = """\
DRILL: Design personalization for Spotify Home for returning listeners.
TIME: 90s
RUBRIC:
- names one user state and one surface
- picks one primary metric, a proxy and a guardrail
- says what would be sacrificed
A: Returning listeners who open Home without intent. Primary: sessions
that start from Home and reach 10 minutes. Proxy: saves from Home.
Guardrail: catalogue diversity. I would give up short-term clicks.
FOLLOWUP: How would you know it is working after two weeks?
FOLLOWUP: An engineer says the data is too sparse. What now?
"""

METRIC_DRILL = """\
<!-- id: dau-drop -->
DRILL: Daily active users fell 5% overnight. Walk me through it.
TIME: 2m
RUBRIC: checks the data pipeline before the product
- splits by platform, country and app version
- [ ] separates a one-day blip from a trend
FOLLOWUP: It is only Android. What next?
"""


def parse(text: str, path: str = "decks/drills.md"):
    return parse_deck(text, path)


def cards(text: str):
    deck = parse(text)
    assert deck.errors == (), [str(e) for e in deck.errors]
    return deck.cards


def errors(text: str) -> list[str]:
    return [str(e) for e in parse(text).errors]


def stored(parsed) -> Card:
    return Card(parsed.key, parsed.kind, "Deck", "/d.md", parsed.section, parsed.prompt, parsed.answer,
                parsed.extra, parsed.sibling, parsed.line, Status.ACTIVE, MemoryState())


def test_a_drill_makes_one_card_and_one_per_followup():
    drill, two_weeks, sparse = cards("## Drills\n" + HOME_DRILL)
    assert [c.kind for c in (drill, two_weeks, sparse)] == ["drill", "followup", "followup"]
    assert drill.prompt == "Design personalization for Spotify Home for returning listeners."
    assert drill.answer.startswith("Returning listeners who open Home without intent. Primary: sessions\nthat start")
    assert drill.extra["time_s"] == 90
    assert drill.extra["rubric"] == [
        "names one user state and one surface",
        "picks one primary metric, a proxy and a guardrail",
        "says what would be sacrificed",
    ]
    assert drill.extra["followups"] == [two_weeks.key, sparse.key]
    assert (drill.line, two_weeks.line, sparse.line) == (2, 11, 12)
    assert drill.section == sparse.section == "Drills"


def test_a_followup_records_its_drill_and_is_not_its_sibling():
    drill, two_weeks, sparse = cards(HOME_DRILL)
    assert two_weeks.prompt == "How would you know it is working after two weeks?"
    assert two_weeks.extra == {"drill": drill.key, "drill_prompt": drill.prompt, "index": 0, "time_s": 90}
    assert sparse.extra["index"] == 1
    # Siblings show one a day; a drill's follow-ups come right after it instead.
    assert drill.sibling is None and two_weeks.sibling is None and sparse.sibling is None


def test_second_example_rubric_items_and_a_pinned_drill():
    drill, android = cards(METRIC_DRILL)
    assert drill.key == "id:dau-drop"
    assert drill.extra["time_s"] == 120
    assert drill.answer == ""
    assert drill.extra["rubric"] == [
        "checks the data pipeline before the product",
        "splits by platform, country and app version",
        "separates a one-day blip from a trend",
    ]
    assert android.extra["drill"] == "id:dau-drop"


def test_time_defaults_to_sixty_seconds():
    (drill,) = cards("DRILL: d\nRUBRIC:\n- one\n")
    assert drill.extra["time_s"] == 60


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("90s", 90), ("2m", 120), ("1m30s", 90), ("1m 30s", 90), ("45 s", 45), (" 3m ", 180), ("0m20s", 20)],
)
def test_time_accepts_seconds_minutes_or_both(text, seconds):
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["90", "1h", "1.5m", "m", "s", "0s", "-5s", "90 sec", "2m1m", "30s1m", "1 m 3 0s", ""])
def test_time_refuses_anything_else(text):
    assert parse_duration(text) is None


@pytest.mark.parametrize(("seconds", "shown"), [(45, "45s"), (60, "1m"), (90, "1m30s"), (120, "2m")])
def test_format_duration(seconds, shown):
    assert format_duration(seconds) == shown


def test_keys_drill_text_only_and_followups_by_drill_and_own_text():
    base = [c.key for c in cards(HOME_DRILL)]
    edited = HOME_DRILL.replace("TIME: 90s", "TIME: 2m").replace("says what would", "names what would")
    assert [c.key for c in cards(edited.replace("Guardrail", "Counter-metric"))] == base
    swapped = HOME_DRILL.replace(
        "FOLLOWUP: How would you know it is working after two weeks?\nFOLLOWUP: An engineer says the data is too sparse. What now?",
        "FOLLOWUP: An engineer says the data is too sparse. What now?\nFOLLOWUP: How would you know it is working after two weeks?",
    )
    assert sorted(c.key for c in cards(swapped)) == sorted(base)
    reworded = [c.key for c in cards(HOME_DRILL.replace("Spotify Home", "the Home tab"))]
    assert set(reworded).isdisjoint(base)  # the drill's text keys its follow-ups too


def test_a_pinned_drill_keeps_its_followups_when_reworded():
    before = [c.key for c in cards(METRIC_DRILL)]
    after = [c.key for c in cards(METRIC_DRILL.replace("fell 5% overnight", "dropped by 5% in a day"))]
    assert before == after


def test_a_pin_above_a_followup_pins_that_followup():
    _, pinned = cards("DRILL: d\nRUBRIC: r\n<!-- id: sparse-data -->\nFOLLOWUP: too sparse?\n")
    assert pinned.key == "id:sparse-data"


def test_a_followup_without_a_drill_is_an_error_that_says_how_to_keep_prose():
    deck = parse("FOLLOWUP: orphan\n")
    assert [str(e) for e in deck.errors] == [
        "decks/drills.md:1: FOLLOWUP: without a DRILL: above it; put the DRILL: line right above it "
        "(one card's lines are not separated by prose or a heading); if it is prose, write **FOLLOWUP:**"
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("# T\nDRILL: d\nTIME: 90s\n", "decks/drills.md:2: DRILL: without a RUBRIC: below it; list what a good answer does below it"),
        ("DRILL: d\nTIME: soon\nRUBRIC: r\n", "decks/drills.md:2: TIME: 'soon' is not a duration; write it like 90s, 2m or 1m30s"),
        ("DRILL: d\nTIME: 90\nRUBRIC: r\n", "decks/drills.md:2: TIME: '90' is not a duration"),
        ("DRILL: d\nRUBRIC:\n\n- too late\n", "decks/drills.md:2: RUBRIC: has no items; list them right below it"),
        ("DRILL: d\nRUBRIC: r\nRUBRIC: s\n", "decks/drills.md:3: a second RUBRIC: for the DRILL: on line 1"),
        ("DRILL: d\nRUBRIC: r\nTIME: 1m\nTIME: 2m\n", "decks/drills.md:4: a second TIME: for the DRILL: on line 1"),
        ("DRILL: d\nRUBRIC: r\nFOLLOWUP: f\nA: whose answer?\n", "decks/drills.md:4: A: after a FOLLOWUP:; put the drill's TIME:, RUBRIC: and A: above"),
        ("DRILL: d\nRUBRIC: r\nFOLLOWUP:\n", "decks/drills.md:3: FOLLOWUP: is empty; write its text after the colon"),
        ("DRILL: d\nRUBRIC: r\nFOLLOWUP: same\nFOLLOWUP: same\n", "decks/drills.md:4: the same followup card twice (same prompt as line 3)"),
        ("TIME: 90s\n", "decks/drills.md:1: TIME: without a DRILL: above it"),
        ("RUBRIC:\n- a\n", "decks/drills.md:1: RUBRIC: without a DRILL: above it"),
        ("Q: q\nA: a\nRUBRIC: r\n", "decks/drills.md:3: RUBRIC: without a DRILL: above it"),
    ],
)
def test_drill_errors_name_their_line(text, expected):
    found = errors(text)
    assert any(e.startswith(expected) for e in found), found


def test_a_q_still_owns_an_orphan_a():
    assert errors("A: orphan\n")[0].startswith("decks/drills.md:1: A: without a Q: above it")


def test_drill_markdown_asks_against_the_clock_and_reveals_model_answer_and_rubric():
    drill, two_weeks, _ = (stored(c) for c in cards(HOME_DRILL))
    assert prompt_markdown(drill) == (
        "Design personalization for Spotify Home for returning listeners.\n\n"
        "*Answer out loud in 1m30s; the rubric comes after.*"
    )
    answer = answer_markdown(drill)
    assert answer.startswith("**Model answer:** Returning listeners who open Home")
    assert answer.endswith(
        "**Rubric:**\n\n- names one user state and one surface\n"
        "- picks one primary metric, a proxy and a guardrail\n- says what would be sacrificed"
    )
    assert kind_label(drill) == "drill · 1m30s"
    assert not replaces_prompt(drill)
    assert prompt_markdown(two_weeks) == (
        "*Drill:* Design personalization for Spotify Home for returning listeners.\n\n"
        "**Follow-up:** How would you know it is working after two weeks?"
    )
    assert "rate how well your answer held up" in answer_markdown(two_weeks)
    assert kind_label(two_weeks) == "drill follow-up 1"


def test_a_drill_without_model_answer_shows_only_the_rubric():
    drill, _ = (stored(c) for c in cards(METRIC_DRILL))
    assert answer_markdown(drill).startswith("**Rubric:**\n\n- checks the data pipeline")


# -- the rubric-to-rating rule ------------------------------------------------------


@pytest.mark.parametrize(
    ("ticked", "total", "elapsed", "limit", "rating"),
    [
        (3, 3, 80, 90, Rating.EASY),
        (3, 3, 90, 90, Rating.EASY),  # at the limit is within it
        (3, 3, 91, 90, Rating.GOOD),
        (2, 3, 10, 90, Rating.HARD),
        (2, 4, 10, 90, Rating.HARD),  # exactly half
        (1, 3, 10, 90, Rating.AGAIN),
        (0, 1, 10, 90, Rating.AGAIN),
        (1, 1, 200, 90, Rating.GOOD),
    ],
)
def test_suggest_rating(ticked, total, elapsed, limit, rating):
    assert suggest_rating(ticked, total, elapsed, limit) is rating


@pytest.mark.parametrize(("ticked", "total"), [(0, 0), (4, 3), (-1, 3)])
def test_suggest_rating_refuses_impossible_counts(ticked, total):
    with pytest.raises(ValueError):
        suggest_rating(ticked, total, 10, 60)


@given(st.integers(1, 30).flatmap(lambda total: st.tuples(st.integers(0, total - 1), st.just(total))),
       st.floats(0, 1000), st.floats(1, 1000))
def test_one_more_tick_never_lowers_the_suggestion(counts, elapsed, limit):
    ticked, total = counts
    assert suggest_rating(ticked + 1, total, elapsed, limit) >= suggest_rating(ticked, total, elapsed, limit)
