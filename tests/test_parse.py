"""The deck format: cards of every kind, sections, prose, pins and error lines."""

from __future__ import annotations

import pytest

from trainer.parse import parse_deck, split_not_but


def parse(text: str, path: str = "decks/test.md"):
    return parse_deck(text, path)


def only_card(text: str):
    deck = parse(text)
    assert deck.errors == (), [str(e) for e in deck.errors]
    assert len(deck.cards) == 1, deck.cards
    return deck.cards[0]


def errors(text: str, path: str = "decks/test.md") -> list[str]:
    return [str(e) for e in parse(text, path).errors]


# -- the four kinds ----------------------------------------------------------


def test_contrast_shows_bad_and_asks_for_good_with_optional_why():
    card = only_card("BAD: I'd focus on engagement.\nGOOD: I'd split clicks from retention.\nWHY: Spikes hide decay.\n")
    assert card.kind == "contrast"
    assert card.prompt == "I'd focus on engagement."
    assert card.answer == "I'd split clicks from retention."
    assert card.extra == {"why": "Spikes hide decay."}


def test_contrast_without_why_has_no_why():
    card = only_card("BAD: weak\nGOOD: strong\n")
    assert card.extra == {}


def test_not_but_markers_make_a_pair():
    card = only_card("NOT: the first click\nBUT: the second session\n")
    assert card.kind == "pair"
    assert (card.prompt, card.answer) == ("the first click", "the second session")


@pytest.mark.parametrize("line", ["Not the first click, but the second session.", "- Not the first click, but the second session."])
def test_not_but_sentence_makes_a_pair_as_a_line_or_bullet(line):
    card = only_card(line + "\n")
    assert card.kind == "pair"
    assert (card.prompt, card.answer) == ("the first click", "the second session.")


def test_ladder_makes_one_card_per_rung_with_any_number_of_proxies():
    deck = parse(
        "LADDER: Home feed\n"
        "PRIMARY: retained listening\n"
        "PROXY: saves\n"
        "PROXY: skips\n"
        "PROXY: follows\n"
        "GUARDRAIL: diversity\n"
    )
    assert deck.errors == ()
    assert [c.answer for c in deck.cards] == ["retained listening", "saves", "skips", "follows", "diversity"]
    assert all(c.kind == "ladder" and c.prompt == "Home feed" for c in deck.cards)
    assert [(c.extra["layer"], c.extra["ordinal"]) for c in deck.cards] == [
        ("primary", 1), ("proxy", 1), ("proxy", 2), ("proxy", 3), ("guardrail", 1)
    ]
    # Each card carries the whole ladder so it can be shown with its own rung hidden.
    assert deck.cards[2].extra["index"] == 2
    assert [r["text"] for r in deck.cards[2].extra["rungs"]] == ["retained listening", "saves", "skips", "follows", "diversity"]
    assert len({c.key for c in deck.cards}) == 5
    assert len({c.sibling for c in deck.cards}) == 1


def test_faq_makes_one_card():
    card = only_card("Q: Does Spotify expect deep ML?\nA: No.\n")
    assert card.kind == "faq"
    assert (card.prompt, card.answer) == ("Does Spotify expect deep ML?", "No.")


def test_markers_may_follow_a_bullet():
    card = only_card("- Q: question\n- A: answer\n")
    assert (card.prompt, card.answer) == ("question", "answer")


# -- title, sections, prose ----------------------------------------------------


def test_title_is_the_first_h1_and_other_headings_are_sections():
    deck = parse(
        "# My deck\n\nIntro prose.\n\nQ: top\nA: a\n\n## Metrics\n### Windows\nQ: deep\nA: a\n\n## Scoping\nQ: side\nA: a\n"
    )
    assert deck.title == "My deck"
    assert [c.section for c in deck.cards] == ["", "Metrics › Windows", "Scoping"]


def test_a_second_h1_is_a_section_not_the_title():
    deck = parse("# Title\n# Part two\nQ: q\nA: a\n")
    assert deck.title == "Title"
    assert deck.cards[0].section == "Part two"


def test_title_falls_back_to_the_file_name():
    assert parse("Q: q\nA: a\n", "decks/metric-traps.md").title == "metric-traps"


def test_prose_makes_no_card():
    deck = parse(
        "# Deck\n\nJust a paragraph about metrics.\n\n- a bullet\n- Nothing, but this is prose too\n\nNOTE: remember this\n"
    )
    assert deck.cards == ()
    assert deck.errors == ()


def test_not_without_comma_but_is_prose():
    deck = parse("Not everything needs a card.\n- Not now.\nNot X but Y\n")
    assert deck.cards == ()
    assert deck.errors == ()


def test_markers_inside_a_fenced_code_block_make_no_card():
    deck = parse("```\nQ: an example in a code block\nA: not a card\n```\n")
    assert deck.cards == ()
    assert deck.errors == ()


def test_byte_order_mark_does_not_hide_the_title():
    assert parse("\ufeff# Deck with BOM\nQ: q\nA: a\n").title == "Deck with BOM"


# -- Not X, but Y: where the split goes ------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "x", "y"),
    [
        ("Not “better AI,” but a sharper decision.", "“better AI”", "a sharper decision."),
        ("Not 'I know the algorithm,' but 'I know the consequence.'", "'I know the algorithm'", "'I know the consequence.'"),
        ('Not "more personalization," but a choice.', '"more personalization"', "a choice."),
        ("Not “better AI”, but a decision.", "“better AI”", "a decision."),
        ("Not the user’s first click, but the second session.", "the user’s first click", "the second session."),
        ("Not I'd rather, but we'd.", "I'd rather", "we'd."),
        ("Not the users’ choice, but theirs.", "the users’ choice", "theirs."),
        ("Not “a, but b,” but c.", "“a, but b”", "c."),
        ("Not A, but B, but C.", "A", "B, but C."),
    ],
)
def test_not_but_splits_at_the_comma_outside_quotes(sentence, x, y):
    assert split_not_but(sentence) == (x, y)


@pytest.mark.parametrize("sentence", ["Not X but Y", "Nothing, but this", "not x, but y", "Not X, but"])
def test_sentences_that_are_not_pairs(sentence):
    assert split_not_but(sentence) is None


def test_pair_sentence_runs_on_over_indented_lines_only():
    deck = parse("- Not the whole product,\n  but one use case.\nA paragraph after it.\n")
    assert deck.errors == ()
    assert [(c.prompt, c.answer) for c in deck.cards] == [("the whole product", "one use case.")]


def test_consecutive_pair_bullets_make_separate_cards():
    deck = parse("- Not a, but b.\n- Not c, but d.\n")
    assert [(c.prompt, c.answer) for c in deck.cards] == [("a", "b."), ("c", "d.")]


# -- fields: continuation, Markdown stored as written -------------------------------


def test_multi_line_field_is_stored_as_written():
    card = only_card(
        "Q: What are the three layers?\n"
        "A: A **primary** outcome, then:\n"
        "- proxies (`saves`, `skips`)\n"
        "- a guardrail\n"
        "\n"
        "Prose after a blank line is not part of the answer.\n"
    )
    assert card.answer == "A **primary** outcome, then:\n- proxies (`saves`, `skips`)\n- a guardrail"


def test_field_ends_at_the_next_marker_and_at_a_heading():
    deck = parse("BAD: weak\nstill weak\nGOOD: strong\n## Next\nQ: q\nA: a\n")
    assert deck.errors == ()
    assert deck.cards[0].prompt == "weak\nstill weak"
    assert deck.cards[0].answer == "strong"
    assert deck.cards[1].section == "Next"


def test_code_block_with_blank_line_stays_in_the_field():
    card = only_card("Q: show the query\nA: like this:\n```sql\nSELECT 1;\n\nSELECT 2;\n```\n")
    assert card.answer == "like this:\n```sql\nSELECT 1;\n\nSELECT 2;\n```"


def test_card_line_is_where_it_starts():
    deck = parse("# T\n\nQ: one\nA: a\n\nBAD: b\nGOOD: g\n")
    assert [c.line for c in deck.cards] == [3, 6]


# -- pins ------------------------------------------------------------------------------


def test_pin_on_the_line_before_a_card_sets_its_key():
    card = only_card("<!-- id: cold-start -->\nQ: What is cold start?\nA: No history yet.\n")
    assert card.pinned_id == "cold-start"
    assert card.key == "id:cold-start"


def test_pin_before_a_pair_sentence_sets_its_key():
    card = only_card("<!-- id: wedge -->\n- Not feature sprawl, but one wedge.\n")
    assert card.key == "id:wedge"


def test_pin_before_a_rung_pins_that_rung_only():
    deck = parse("LADDER: L\n<!-- id: the-outcome -->\nPRIMARY: p\nPROXY: x\n")
    assert deck.errors == ()
    assert deck.cards[0].key == "id:the-outcome"
    assert not deck.cards[1].key.startswith("id:")


def test_pin_with_a_blank_line_before_the_card_is_an_error():
    assert errors("<!-- id: lost -->\n\nQ: q\nA: a\n") == [
        "decks/test.md:1: <!-- id: lost --> is not followed by a card; put it on the line right before "
        "the BAD:, NOT:, LADDER:, Q:, CLOZE:, DRILL:, rung, FOLLOWUP: or `Not X, but Y` line it pins"
    ]


def test_pin_above_prose_does_not_steal_the_next_cards_pin():
    deck = parse("<!-- id: first -->\nNot a pair at all\n<!-- id: second -->\nQ: q\nA: a\n")
    assert [str(e) for e in deck.errors][0].startswith("decks/test.md:1: <!-- id: first --> is not followed by a card")
    assert [c.key for c in deck.cards] == ["id:second"]


def test_invalid_pin_is_an_error():
    assert errors("<!-- id: has space -->\nQ: q\nA: a\n")[0].startswith("decks/test.md:1: id 'has space' is not a valid id")


# -- errors, each with its line ------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("# T\n\nBAD: weak\n\nSome prose.\n", "decks/test.md:3: BAD: without a GOOD: below it; add the better answer as GOOD: on the next line"),
        ("NOT: x\n", "decks/test.md:1: NOT: without a BUT: below it; add what it should be instead as BUT: on the next line"),
        ("Q: q\n\nprose\n", "decks/test.md:1: Q: without an A: below it; add the answer as A: on the next line"),
        ("# FAQ\n\nA: orphan answer\n", "decks/test.md:3: A: without a Q: above it"),
        ("GOOD: g\n", "decks/test.md:1: GOOD: without a BAD: above it"),
        ("BUT: b\n", "decks/test.md:1: BUT: without a NOT: above it"),
        ("Q: q\nA: a\n\nPROXY: p\n", "decks/test.md:4: PROXY: outside a ladder; start the ladder with LADDER: name on the line above its rungs"),
        ("BAD: b\nGOOD:\n", "decks/test.md:2: GOOD: is empty; write its text after the colon"),
        ("Q:\nA: a\n", "decks/test.md:1: Q: is empty; write its text after the colon"),
        ("LADDER: L\nPROXY: p\n", "decks/test.md:1: LADDER: has no PRIMARY: rung"),
        ("LADDER: L\n\nprose\n", "decks/test.md:1: LADDER: has no rungs"),
        ("Q: q\nA: a\nA: b\n", "decks/test.md:3: a second A: for the Q: on line 1"),
        ("Q: same\nA: a\n\nQ: same\nA: b\n", "decks/test.md:4: the same faq card twice (same prompt as line 1)"),
        ("<!-- id: x -->\nQ: one\nA: a\n\n<!-- id: x -->\nQ: two\nA: b\n", "decks/test.md:6: id 'x' is already used on line 2"),
        ("BAD: b\nGOOD: g\nWHI: typo\n", "decks/test.md:3: unknown marker WHI: inside a card"),
    ],
)
def test_each_error_names_its_line(text, expected):
    found = errors(text)
    assert any(e.startswith(expected) for e in found), found


def test_errors_say_how_to_fix():
    (message,) = errors("A: orphan\n")
    assert "put the Q: line right above it" in message


def test_a_rung_after_a_blank_line_still_belongs_to_the_ladder():
    deck = parse("LADDER: L\nPRIMARY: p\n\nGUARDRAIL: g\n")
    assert deck.errors == ()
    assert [c.extra["layer"] for c in deck.cards] == ["primary", "guardrail"]


def test_whitespace_only_changes_keep_the_key():
    a = only_card("Q: What   is\ncold start?\nA: a\n")
    b = only_card("Q: What is cold start?\nA: a\n")
    assert a.key == b.key
