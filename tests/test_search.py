"""The search language: each term on a collection with a card in every state, negation, and messages."""

from __future__ import annotations

import random
from datetime import timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from trainer.browse import Browse, find_ids, make_context
from trainer.days import StudyCalendar
from trainer.search import Deck, Is, Prop, SearchError, Words, from_words, parse, tokens
from trainer.store import card_search
from trainer.store.cards import get_card

from browse_helpers import NOW

UTC = timezone.utc


def names(coll, query: str, now=NOW) -> set[str]:
    """The test names of the cards a search finds (cards without a name show as their prompt)."""
    by_key = {key: name for name, key in coll.keys.items()}
    ctx = make_context(coll.store, coll.settings, now, UTC)
    found = set()
    for card_id in find_ids(coll.store, ctx, query):
        key = coll.store.conn.execute("SELECT key, prompt FROM cards WHERE id = ?", (card_id,)).fetchone()
        found.add(by_key.get(key[0], key[1][:20]))
    return found


ACTIVE_NAMED = {"north", "guardrail", "proxy", "cold", "loops", "ete", "second", "drills"}
CLOZES = {"A metric stack has o"}


# -- reading the text -----------------------------------------------------------
def test_tokens_keep_quoted_spaces_together():
    assert tokens('cold  "feedback loops" deck:"Alpha deck" -is:new') == [
        "cold", '"feedback loops"', 'deck:"Alpha deck"', "-is:new"]


def test_parse_reads_each_kind_of_term():
    query = parse('"cold start" -deck:"Beta Deck" is:due prop:recall<80%')
    words, deck, is_due, prop = query.terms
    assert words == Words('"cold start"', False, "cold start")
    assert deck == Deck('-deck:"Beta Deck"', True, "Beta Deck")
    assert is_due == Is("is:due", False, "due")
    assert prop == Prop("prop:recall<80%", False, "recall", "<", 0.8)


@pytest.mark.parametrize("text, named", [
    ("is:soon", "'is:soon'"),
    ("color:red", "'color:red'"),
    ("prop:recall<2", "'prop:recall<2'"),
    ("prop:lapses>=x", "'prop:lapses>=x'"),
    ("prop:lapses>=1.5", "'prop:lapses>=1.5'"),
    ("prop:speed>3", "'prop:speed>3'"),
    ("prop:lapses", "'prop:lapses'"),
    ("kind:poem", "'kind:poem'"),
    ("deck:", "'deck:'"),
    ('cold "start', "'\"start'"),
])
def test_a_bad_term_is_named_in_the_message(text, named):
    with pytest.raises(SearchError) as caught:
        parse(text)
    assert named in str(caught.value)


def test_an_unknown_field_says_how_to_search_for_the_text():
    with pytest.raises(SearchError, match='quote it: "color:red"'):
        parse("color:red")
    assert parse('"color:red"').terms[0].value == "color:red"


def test_is_lists_what_it_takes():
    with pytest.raises(SearchError, match="due, new, learning, review, suspended, buried, leech, retired"):
        parse("is:soon")


def test_from_words_keeps_a_shell_word_with_spaces_as_one_term():
    assert from_words(["deck:Alpha deck", "-deck:Beta Deck", "cold start", "is:due"]) == (
        'deck:"Alpha deck" -deck:"Beta Deck" "cold start" is:due')


# -- each term ------------------------------------------------------------------
def test_empty_search_finds_every_card_but_the_retired(coll):
    assert names(coll, "") == ACTIVE_NAMED | CLOZES


def test_free_text_is_case_insensitive_over_prompt_answer_section_and_deck(coll):
    assert names(coll, "NORTH STAR") == {"north"}  # prompt
    assert names(coll, "must not get worse") == {"guardrail"}  # answer
    assert names(coll, "advanced") == {"cold", "loops"} | CLOZES  # section
    assert names(coll, "beta") == {"ete", "second", "drills"}  # deck


def test_free_text_terms_all_have_to_match_and_star_is_a_wildcard(coll):
    assert names(coll, "what north") == {"north"}
    assert names(coll, "what metric") == {"north", "guardrail"}  # "metric" is in the guardrail's answer
    assert names(coll, "north*metric") == {"north"}
    assert names(coll, '"north metric"') == set()


def test_free_text_folds_letters_beyond_ascii(coll):
    assert names(coll, "l'été") == {"ete"}  # the prompt says l'ÉTÉ
    assert names(coll, "ÉTÉ") == {"ete", "second", "drills"}  # and the section of Beta Deck is Été


def test_free_text_percent_and_underscore_are_plain_characters(coll):
    assert names(coll, "%") == set()
    assert names(coll, "_") == set()


def test_rich_markup_in_a_card_is_searched_as_plain_text(coll):
    assert names(coll, "[bold]cold") == {"cold"}


def test_deck_is_case_insensitive_takes_quotes_and_wildcards(coll):
    assert names(coll, 'deck:"beta deck"') == {"ete", "second", "drills"}
    assert names(coll, "deck:alpha*") == {"north", "guardrail", "proxy", "cold", "loops"} | CLOZES


def test_an_unknown_deck_is_an_error_naming_the_decks(coll):
    with pytest.raises(SearchError, match="'deck:gamma'.*'Alpha deck', 'Beta Deck'"):
        names(coll, "deck:gamma")


def test_is_terms(coll):
    assert names(coll, "is:new") == {"guardrail", "drills"} | CLOZES
    assert names(coll, "is:learning") == {"proxy"}
    assert names(coll, "is:review") == {"north", "cold", "loops", "ete", "second"}
    assert names(coll, "is:suspended") == {"loops"}
    assert names(coll, "is:buried") == {"ete"}
    assert names(coll, "is:leech") == {"cold"}
    assert names(coll, "is:retired") == {"retired"}


def test_is_due_means_what_today_would_show_limits_aside(coll):
    # Overdue review cards and learning cards due today; not the suspended, the buried or the new.
    assert names(coll, "is:due") == {"cold", "second", "proxy"}


def test_a_buried_card_is_buried_only_until_the_next_study_day(coll):
    assert "ete" not in names(coll, "is:buried", NOW + timedelta(days=1))


def test_retired_cards_show_only_when_asked_for(coll):
    assert "retired" not in names(coll, "gone")
    assert names(coll, "gone is:retired") == {"retired"}
    assert names(coll, "-is:retired") == ACTIVE_NAMED | CLOZES


def test_kind(coll):
    assert names(coll, "kind:cloze") == CLOZES
    assert names(coll, "kind:pair") == {"second"}


def test_key_exact_or_with_a_wildcard(coll):
    key = coll.keys["north"]
    assert names(coll, f"key:{key}") == {"north"}
    assert names(coll, f"key:{key[:6]}*") >= {"north"}


def test_prop_lapses_stability_and_reps(coll):
    assert names(coll, "prop:lapses>=2") == {"cold"}
    assert names(coll, "prop:lapses=0 is:review") == {"north", "loops", "ete", "second"}
    assert names(coll, "prop:stability>30") == {"north"}
    assert names(coll, "prop:reps>=6") == {"cold"}


def test_prop_recall_agrees_with_the_scheduler_on_every_card(coll):
    cards = {name: get_card(coll.store, key) for name, key in coll.keys.items()}
    recall = {name: coll.scheduler.recall(card.memory, NOW) for name, card in cards.items()}
    studied = {name for name, r in recall.items() if r is not None and name != "retired"}
    for bound in sorted({r for r in recall.values() if r is not None}) + [0.5, 0.75, 0.9]:
        for op, test in (("<", lambda r: r < bound), ("<=", lambda r: r <= bound + 1e-12),
                         (">", lambda r: r > bound + 1e-12), (">=", lambda r: r >= bound)):
            expected = {n for n in studied if test(recall[n])}
            # A bound equal to a card's recall may fall either side in floating point: skip those.
            if any(abs(recall[n] - bound) < 1e-9 for n in studied):
                continue
            assert names(coll, f"prop:recall{op}{bound!r}") == expected, (op, bound)


def test_prop_recall_leaves_new_cards_out_and_its_negation_takes_them_in(coll):
    low = names(coll, "prop:recall<0.8")
    assert low == {"cold", "loops", "ete", "second"}
    assert names(coll, "-prop:recall<0.8") == (ACTIVE_NAMED | CLOZES) - low


def test_prop_due_counts_study_days_from_today(coll):
    assert names(coll, "prop:due<0") == {"cold", "loops", "ete", "second"}
    assert names(coll, "prop:due=0") == {"proxy"}
    assert names(coll, "prop:due>30") == {"north"}


def test_negation_of_each_kind_of_term(coll):
    everything = ACTIVE_NAMED | CLOZES
    for query in ("is:new", "is:suspended", "deck:beta*", "kind:faq", "north", "prop:lapses>=1", "is:due"):
        assert names(coll, f"-{query}") == everything - names(coll, query), query


def test_browse_search_keeps_its_results_when_the_new_search_is_bad(coll):
    browse = Browse(coll.store, coll.settings, NOW, query="is:review", tz=UTC)
    before = list(browse.ids)
    with pytest.raises(SearchError):
        browse.search("is:soon")
    assert browse.ids == before and browse.query.text == "is:review"


# -- study days in SQL --------------------------------------------------------------
@pytest.mark.parametrize("zone", ["Europe/Paris", "America/New_York", "Australia/Lord_Howe", "Asia/Kolkata", None])
@pytest.mark.parametrize("day_starts_at", [0, 4])
def test_day_sql_numbers_study_days_as_the_calendar_does(coll, zone, day_starts_at):
    tz = ZoneInfo(zone) if zone else None
    calendar = StudyCalendar(day_starts_at, tz)
    low = 1_700_000_000_000  # Nov 2023
    high = low + 3 * 365 * 86_400_000
    spans = calendar.offset_spans(low, high)
    expression = card_search.day_sql("t", spans, calendar.shift_ms)
    rng = random.Random(7)
    moments = [rng.randrange(low, high) for _ in range(2000)]
    # Around every change of offset, minute by minute: where a wrong offset would show.
    for start, _ in spans[1:]:
        moments += [start + minute * 60_000 for minute in range(-180, 180, 7)]
    conn = coll.store.conn
    rows = conn.execute(
        f"WITH m(t) AS (VALUES {', '.join(f'({t})' for t in moments)}) SELECT t, {expression} FROM m"
    ).fetchall()
    assert [day for _, day in rows] == [calendar.day(t) for t, _ in rows]
    if zone in ("Europe/Paris", "America/New_York", "Australia/Lord_Howe"):
        assert len(spans) >= 6  # two changes a year


def test_a_wildcard_works_beyond_ascii_too_within_one_field(coll):
    assert names(coll, "qu'est*été") == {"ete"}
    assert names(coll, "été*saison") == set()  # prompt and answer are separate fields
