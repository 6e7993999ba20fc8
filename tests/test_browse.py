"""Browse: a search's results sorted in SQL and read a window at a time, without any UI."""

from __future__ import annotations

from datetime import timezone

import pytest

from trainer import browse as browse_module
from trainer import card_actions
from trainer.browse import SORT_COLUMNS, Browse, first_line
from trainer.search import SearchError

from browse_helpers import NOW

UTC = timezone.utc

STATE_ORDER = {"new": 0, "learning": 1, "relearning": 2, "review": 3}
STATUS_ORDER = {"active": 0, "suspended": 1, "retired": 2}


def all_rows(browse):
    return [browse.row(i) for i in range(browse.total)]


def python_order(rows, column):
    """The order the SQL sort must give, computed from the rows (ties by id)."""
    def value(row):
        if column == "location":
            return (row.path, row.line)
        if column == "state":
            return STATE_ORDER[row.state]
        if column == "status":
            return STATUS_ORDER[row.status]
        if column in ("section", "prompt"):
            return getattr(row, column).lower()
        return getattr(row, column)
    if column in ("due", "stability", "recall"):
        known = [r for r in rows if getattr(r, column) is not None]
        unknown = [r for r in rows if getattr(r, column) is None]
        key = (lambda r: (value(r), r.id)) if column != "recall" else (lambda r: (r.recall, r.id))
        return sorted(known, key=key) + sorted(unknown, key=lambda r: r.id)
    return sorted(rows, key=lambda r: (value(r), r.id))


@pytest.mark.parametrize("column", SORT_COLUMNS)
def test_every_column_sorts_in_sql_as_its_values_do(coll, column):
    browse = Browse(coll.store, coll.settings, NOW, tz=UTC)
    expected = [r.key for r in python_order(all_rows(browse), column)]
    browse.sort_by(column)
    assert [r.key for r in all_rows(browse)] == expected
    browse.sort_by(column, descending=True)
    got = [r.key for r in all_rows(browse)]
    if column in ("due", "stability", "recall"):
        known = [r.key for r in all_rows(browse) if getattr(r, column) is not None]
        assert got[: len(known)] == [k for k in reversed(expected) if k in known]  # cards with no value stay last
    else:
        assert got == list(reversed(expected))


def test_an_unknown_sort_column_is_refused_and_the_sort_kept(coll):
    browse = Browse(coll.store, coll.settings, NOW, tz=UTC)
    with pytest.raises(SearchError, match="no column 'colour'"):
        browse.sort_by("colour")
    assert browse.sort == ("location", False)


def test_rows_are_read_a_page_at_a_time_and_agree_with_one_read(coll, monkeypatch):
    whole = [r.key for r in all_rows(Browse(coll.store, coll.settings, NOW, tz=UTC))]
    monkeypatch.setattr(browse_module, "PAGE", 3)
    browse = Browse(coll.store, coll.settings, NOW, tz=UTC)
    reads = []
    original = browse_module.sql.rows_by_ids
    monkeypatch.setattr(browse_module.sql, "rows_by_ids", lambda store, ids: reads.append(len(ids)) or original(store, ids))
    assert [r.key for r in browse.rows(4, 7)] == whole[4:7]
    assert reads == [3, 3]  # pages 1 and 2 only
    assert [r.key for r in all_rows(browse)] == whole
    assert browse.row(-1) is None and browse.row(browse.total) is None


def test_an_action_shows_after_refresh_and_the_card_keeps_its_place(coll):
    browse = Browse(coll.store, coll.settings, NOW, query="-is:suspended", tz=UTC)
    index = next(i for i in range(browse.total) if browse.row(i).key == coll.keys["north"])
    card_actions.suspend(coll.store, [coll.keys["north"]], NOW)
    browse.refresh()
    assert browse.row(index).key == coll.keys["north"] and browse.row(index).status == "suspended"
    browse.rerun()
    assert coll.keys["north"] not in [r.key for r in all_rows(browse)]


def test_rows_show_recall_due_days_flags_and_the_prompts_first_line(coll):
    browse = Browse(coll.store, coll.settings, NOW, query="is:leech", tz=UTC)
    row = browse.row(0)
    assert row.key == coll.keys["cold"] and row.leech and row.flags == "leech"
    assert row.due_days < 0 and 0 < row.recall < 0.8
    assert row.location.endswith("alpha.md:14")
    assert first_line("\n\n  two  words\there \nnext") == "two words here"


def test_every_card_opens_without_reading_every_id_and_agrees_once_they_are_read(coll, monkeypatch):
    monkeypatch.setattr(browse_module, "PAGE", 4)
    for sort in (("location", False), ("recall", False), ("due", True)):
        browse = Browse(coll.store, coll.settings, NOW, sort=sort, tz=UTC)
        assert not browse.ids_loaded and browse.total == 10
        first = [r.key for r in browse.rows(0, 4)]  # ORDER BY ... LIMIT
        assert not browse.ids_loaded
        later = [r.key for r in browse.rows(4, 10)]  # past the first page: the ids are read
        assert browse.ids_loaded
        browse.refresh()
        assert [r.key for r in browse.rows(0, 10)] == first + later
    browse.search("is:review")
    assert browse.ids_loaded and browse.total == 5  # a search with terms reads and counts in one pass


def test_the_deck_column_leaves_out_the_words_every_deck_title_starts_with(tmp_path):
    from trainer.browse import Browse
    from trainer.config import Settings
    from trainer.importer import import_paths
    from trainer.store import open_db
    from trainer.tui.widgets.card_table import cell_text

    for name, title in (("a.md", "PM interview: contrasts"), ("b.md", "PM interview: drills")):
        (tmp_path / name).write_text(f"# {title}\n\nQ: {name}?\nA: yes\n", encoding="utf-8")
    with open_db(tmp_path / "t.db") as store:
        import_paths(store, [tmp_path], NOW)
        browse = Browse(store, Settings(fuzz=False), NOW)
        assert browse.deck_prefix == "PM interview: "
        assert sorted(cell_text(browse.row(i), "deck", False, browse.deck_prefix) for i in range(2)) == [
            "contrasts", "drills"]
        (tmp_path / "c.md").write_text("# PM interviewing\n\nQ: c?\nA: yes\n", encoding="utf-8")
        import_paths(store, [tmp_path], NOW)
        assert Browse(store, Settings(fuzz=False), NOW).deck_prefix == ""  # "PM interview" is no whole prefix
