"""The import summary says which kinds were added when there is more than one."""

from __future__ import annotations

from trainer.import_report import format_report
from trainer.importer import DeckReport, ImportReport, import_paths
from trainer.store import open_db

from conftest import T0

MIXED = "Q: one\nA: a\n\nQ: two\nA: b\n\nBAD: weak\nGOOD: strong\n\n- Not clicks, but sessions.\n"


def test_added_cards_are_counted_by_kind_in_the_deck_line_and_the_total(tmp_path):
    decks = tmp_path / "decks"
    decks.mkdir()
    (decks / "mixed.md").write_text(MIXED, encoding="utf-8")
    (decks / "plain.md").write_text("Q: three\nA: c\n", encoding="utf-8")
    db = open_db(tmp_path / "t.db")
    try:
        report = import_paths(db, [decks], T0)
    finally:
        db.close()
    assert report.ok
    out, _ = format_report(report)
    mixed_line, plain_line = (next(line for line in out.splitlines() if name in line) for name in ("mixed.md", "plain.md"))
    assert mixed_line.endswith("4 added (2 faq, 1 contrast, 1 pair), 0 updated, 0 unchanged, 0 retired")
    assert plain_line.endswith("  1 added, 0 updated, 0 unchanged, 0 retired")  # one kind: no breakdown
    assert "total: 5 added (3 faq, 1 contrast, 1 pair), 0 updated" in out


def test_breakdown_orders_by_count_then_name_and_covers_new_kinds():
    deck = DeckReport("decks/prep.md", "Prep", added=12, added_by_kind={"drill": 1, "faq": 8, "cloze": 3})
    out, _ = format_report(ImportReport(decks=[deck]))
    assert "decks/prep.md  12 added (8 faq, 3 cloze, 1 drill), 0 updated, 0 unchanged, 0 retired" in out
    assert "total: 12 added (8 faq, 3 cloze, 1 drill), 0 updated" in out


def test_a_reimport_that_adds_nothing_shows_no_breakdown():
    deck = DeckReport("decks/prep.md", "Prep", unchanged=3)
    out, _ = format_report(ImportReport(decks=[deck]))
    assert "total: 0 added, 0 updated, 3 unchanged, 0 retired" in out
