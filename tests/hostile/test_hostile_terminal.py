"""Terminal safety: escape sequences, control characters and HTML in decks show as typed text.

An ESC reaching the terminal runs whatever sequence follows it (ESC[2J
clears the screen, an OSC sets the title or the clipboard); Textual's
Markdown drops `<div>` and everything in an HTML block. Every place text
leaves the core for a screen shows such text as visible escapes instead.
"""

from __future__ import annotations

import json
from datetime import timedelta, timezone

import pytest
from click.testing import CliRunner

from trainer import card_text
from trainer.cli import cli
from trainer.config import Settings
from trainer.import_report import format_report
from trainer.importer import import_paths
from trainer.model import ParseError
from trainer.safe_text import json_text, markdown_literal, visible, visible_line
from trainer.store import open_db
from trainer.store.cards import cards_where

from conftest import T0

ESC_CLEAR = "\x1b[2J"
OSC_TITLE = "\x1b]0;pwned\x07"
HOSTILE = f"clear{ESC_CLEAR} title{OSC_TITLE} c1\x9b31m del\x7f nul\x00 bidi\u202eevil"
CONTROL = [chr(c) for c in range(0x20) if chr(c) not in "\n\t"] + ["\x7f"] + [chr(c) for c in range(0x80, 0xA0)]


def raw_controls(text: str) -> list[str]:
    """Control characters (and bidi overrides) still raw in `text`."""
    return [c for c in text if c in CONTROL or c in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"]


# -- the helper ----------------------------------------------------------------------------


def test_every_control_character_becomes_a_visible_escape():
    shown = visible(HOSTILE)
    assert raw_controls(shown) == []
    assert "\\x1b[2J" in shown and "\\x1b]0;pwned\\x07" in shown
    assert "\\x9b31m" in shown and "\\x7f" in shown and "\\x00" in shown and "\\u202e" in shown


def test_newlines_and_tabs_stay_in_text_but_not_in_a_line():
    assert visible("a\n\tb") == "a\n\tb"
    assert visible_line("a\n\tb\r") == "a\\n\\tb\\r"


def test_plain_text_and_other_scripts_are_untouched():
    text = "Café — naïve “quotes” 日本語 emoji 🎧 [bold] *x*"
    assert visible(text) == text and visible_line(text) == text and markdown_literal(text) == text


def test_a_byte_a_file_name_could_not_decode_shows_as_that_byte():
    name = b"deck\xff.md".decode("utf-8", "surrogateescape")
    assert visible_line(name) == "deck\\xff.md"
    visible_line(name).encode("utf-8")  # printable at last


def test_html_shows_as_typed_outside_code_and_code_is_left_alone():
    markdown = "**A:** <div>hi</div> &amp; `<code>` x\n\n```\n<pre> &lt;\n```\n\n<div>block</div>"
    shown = markdown_literal(markdown)
    assert shown == "**A:** \\<div>hi\\</div> \\&amp; `<code>` x\n\n```\n<pre> &lt;\n```\n\n\\<div>block\\</div>"


def test_markdown_of_the_kinds_keeps_its_own_syntax():
    for text in ("**\\[…\\]** and *it*", "- rung\n- **asked**", "Not x, but **y**", "already \\<escaped"):
        assert markdown_literal(text) == text
    assert markdown_literal("a < b") == "a \\< b"


def test_json_keeps_the_data_and_escapes_what_a_terminal_would_act_on():
    document = json.dumps({"title": HOSTILE}, ensure_ascii=False)
    safe = json_text(document)
    assert raw_controls(safe) == []
    assert json.loads(safe) == {"title": HOSTILE}


def test_backtick_runs_cost_linear_time():
    import time

    text = "".join("`" * n + " <x> " for n in range(1, 400)) * 3  # many unmatched runs of every length
    started = time.perf_counter()
    markdown_literal(text)
    assert time.perf_counter() - started < 1.0


# -- where text leaves the core -------------------------------------------------------------


@pytest.fixture
def hostile_store(tmp_path):
    deck = tmp_path / f"evil{ESC_CLEAR}.md"
    deck.write_text(
        f"# Deck {OSC_TITLE}\x00 <div>title</div>\n\n"
        f"## Section {ESC_CLEAR}\n\n"
        f"Q: What does <div>hi</div> do {ESC_CLEAR}?\nA: It {OSC_TITLE} shows <span>as typed</span>.\n\n"
        "CLOZE: The {{c1::<b>bold</b>}} tag.\n",
        encoding="utf-8",
    )
    store = open_db(tmp_path / "hostile.db")
    report = import_paths(store, [deck], T0)
    assert report.ok, report.all_errors
    yield store, report
    store.close()


def test_card_text_shows_escapes_and_html_as_typed(hostile_store):
    store, _ = hostile_store
    for card in cards_where(store):
        for text in (card_text.prompt_markdown(card), card_text.answer_markdown(card), card_text.kind_label(card)):
            assert raw_controls(text) == []
    faq = next(card for card in cards_where(store) if card.kind == "faq")
    assert "\\<div>hi\\</div>" in card_text.prompt_markdown(faq)
    assert "\\x1b[2J" in card_text.prompt_markdown(faq)
    assert "\\x1b]0;pwned\\x07" in card_text.answer_markdown(faq)


def test_deck_titles_and_sections_are_stored_safe(hostile_store):
    store, _ = hostile_store
    (deck, section), = {(card.deck, card.section) for card in cards_where(store)}
    assert raw_controls(deck + section) == []
    assert deck == "Deck \\x1b]0;pwned\\x07\\x00 <div>title</div>"
    assert section == "Section \\x1b[2J"
    assert card_text.where(cards_where(store)[0]) == f"{deck} › {section}"


def test_the_import_report_shows_a_hostile_file_name_with_escapes(hostile_store):
    _, report = hostile_store
    out, err = format_report(report)
    assert raw_controls(out + err) == []
    assert "evil\\x1b[2J.md" in out


def test_a_parse_error_quoting_a_hostile_path_is_safe():
    error = ParseError(f"decks/{OSC_TITLE}.md", 3, f"unknown thing {ESC_CLEAR}")
    assert str(error) == "decks/\\x1b]0;pwned\\x07.md:3: unknown thing \\x1b[2J"


def test_cli_errors_never_print_a_raw_escape(tmp_path, monkeypatch, capsys):
    from trainer.cli import main

    bad = tmp_path / f"conf{OSC_TITLE}.toml"
    bad.write_text("desired_retention = 'x'\n", encoding="utf-8")
    monkeypatch.setenv("TRAINER_CONFIG", str(bad))
    monkeypatch.setattr("sys.argv", ["trainer", "config"])
    with pytest.raises(SystemExit) as exit_:
        main()
    assert exit_.value.code == 1
    err = capsys.readouterr().err
    assert "conf\\x1b]0;pwned\\x07.toml" in err and raw_controls(err) == []


def _lapse(store, key):
    from trainer import history
    from trainer.model import Rating
    from trainer.scheduler import Scheduler

    scheduler = Scheduler(Settings(fuzz=False), tz=timezone.utc)
    history.answer(store, scheduler, key, Rating.GOOD, T0)
    history.answer(store, scheduler, key, Rating.GOOD, T0 + timedelta(minutes=10))
    history.answer(store, scheduler, key, Rating.AGAIN, T0 + timedelta(days=5))


def test_stats_text_and_json_show_deck_text_safely(hostile_store, tmp_path, monkeypatch):
    store, _ = hostile_store
    faq = next(card for card in cards_where(store) if card.kind == "faq")
    _lapse(store, faq.key)
    path = store.path
    store.close()
    monkeypatch.setenv("TRAINER_DB", path)
    runner = CliRunner()
    text = runner.invoke(cli, ["stats"], catch_exceptions=False, env={"COLUMNS": "240"})
    assert text.exit_code == 0
    assert raw_controls(text.output) == []
    assert "\\x1b]0;pwned\\x07" in text.output  # the deck title, as typed
    assert "<div>hi</div>" in text.output and "\\x1b[2J" in text.output  # the hardest card's prompt
    as_json = runner.invoke(cli, ["stats", "--json"], catch_exceptions=False)
    assert raw_controls(as_json.output.replace("\\u001b", "")) == []
    json.loads(as_json.output)


def test_the_cards_listing_shows_deck_text_safely(hostile_store, monkeypatch):
    store, _ = hostile_store
    path = store.path
    store.close()
    monkeypatch.setenv("TRAINER_DB", path)
    runner = CliRunner()
    listing = runner.invoke(cli, ["cards"], catch_exceptions=False)
    assert listing.exit_code == 0, listing.output
    assert raw_controls(listing.output.replace("\t", " ")) == []
    assert "What does <div>hi</div> do \\x1b[2J?" in listing.output
    as_json = runner.invoke(cli, ["cards", "--json"], catch_exceptions=False)
    assert raw_controls(as_json.output.replace("\\u001b", "")) == []
    prompts = {row["prompt"] for row in json.loads(as_json.output)}
    assert f"What does <div>hi</div> do {ESC_CLEAR}?" in prompts  # the data, exactly as written
