"""A card's key: prompt side only, whitespace-insensitive, length-prefixed, file-independent."""

from __future__ import annotations

from trainer.identity import card_key, hash_fields
from trainer.parse import parse_deck


def keys(text: str, path: str = "decks/a.md") -> list[str]:
    deck = parse_deck(text, path)
    assert deck.errors == ()
    return [card.key for card in deck.cards]


def test_length_prefix_keeps_shifted_fields_apart():
    assert hash_fields("ab", "c") != hash_fields("a", "bc")
    assert card_key(("faq", "ab", "c")) != card_key(("faq", "a", "bc"))


def test_fields_are_not_joined_by_a_separator_that_could_collide():
    # With a plain separator join, ("a:b", "c") and ("a", "b:c") would be equal.
    assert hash_fields("a:b", "c") != hash_fields("a", "b:c")
    assert hash_fields("a b", "c") != hash_fields("a", "b c")


def test_whitespace_is_normalised_before_hashing():
    assert hash_fields("What is\n  cold   start?") == hash_fields("What is cold start?")
    assert hash_fields("  padded  ") == hash_fields("padded")


def test_different_text_gives_different_keys():
    assert hash_fields("cold start") != hash_fields("cold starts")


def test_kind_is_part_of_the_key():
    faq = keys("Q: the same words\nA: a\n")
    pair = keys("NOT: the same words\nBUT: b\n")
    assert faq != pair


def test_key_does_not_depend_on_the_file():
    text = "# Deck\n\nQ: What is cold start?\nA: No history.\n"
    assert keys(text, "decks/a.md") == keys("# Other\n\n## Elsewhere\nQ: What is cold start?\nA: No history.\n", "x/b.md")


def test_answer_side_does_not_change_the_key():
    assert keys("BAD: weak\nGOOD: strong\n") == keys("BAD: weak\nGOOD: stronger\nWHY: because\n")
    assert keys("Q: q\nA: one\n") == keys("Q: q\nA: two\n")
    assert keys("- Not x, but y.\n") == keys("- Not x, but z.\n")


def test_prompt_side_changes_the_key():
    assert keys("Q: q\nA: a\n") != keys("Q: q2\nA: a\n")
    assert keys("BAD: weak\nGOOD: g\n") != keys("BAD: weaker\nGOOD: g\n")


def test_sentence_pair_and_marker_pair_share_a_key():
    # Rewriting `Not x, but y.` as NOT:/BUT: keeps the card.
    assert keys("- Not the first click, but the second session.\n") == keys(
        "NOT: the first click\nBUT: the second session.\n"
    )


def test_rung_key_is_ladder_name_layer_and_ordinal():
    first = keys("LADDER: L\nPRIMARY: p\nPROXY: a\nPROXY: b\nGUARDRAIL: g\n")
    edited = keys("LADDER: L\nPRIMARY: p2\nPROXY: a2\nPROXY: b2\nGUARDRAIL: g2\n")
    assert first == edited  # rung text is the answer side
    renamed = keys("LADDER: L renamed\nPRIMARY: p\nPROXY: a\nPROXY: b\nGUARDRAIL: g\n")
    assert set(first).isdisjoint(renamed)


def test_pinned_key_is_the_id_whatever_the_prompt():
    assert keys("<!-- id: cs -->\nQ: one wording\nA: a\n") == keys("<!-- id: cs -->\nQ: another wording\nA: a\n")
    assert card_key(("faq", "q"), "cs") == "id:cs"


def test_pinned_ladder_keeps_rung_keys_through_a_rename():
    before = keys("<!-- id: home -->\nLADDER: Home\nPRIMARY: p\nGUARDRAIL: g\n")
    after = keys("<!-- id: home -->\nLADDER: Home feed\nPRIMARY: p\nGUARDRAIL: g\n")
    assert before == after
