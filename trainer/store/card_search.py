"""Searches over the cards table: parsed terms (trainer.search) become one WHERE clause.

Every value the user typed goes in as a bound parameter; only numbers this
code computed (day offsets, bounds) are written into the SQL text.

Scale: a search is one pass over the cards table (about 20 ms at 100,000
cards, 50 ms with free text over four text columns) that returns the ids of
every match in the order asked for. The browser keeps that list of integers
and reads only the rows it draws, by id.
"""

from __future__ import annotations

import fnmatch
import math
from typing import NamedTuple, Sequence

from trainer.search import Deck, Is, Key, Kind, Prop, Query, SearchContext, SearchError, Term, Words
from trainer.store.connection import Store

DAY_MS = 86_400_000
_STATE_ORDER = "CASE state WHEN 'new' THEN 0 WHEN 'learning' THEN 1 WHEN 'relearning' THEN 2 ELSE 3 END"
_STATUS_ORDER = "CASE status WHEN 'active' THEN 0 WHEN 'suspended' THEN 1 ELSE 2 END"


def day_sql(column: str, spans: Sequence[tuple[int, int]], shift_ms: int) -> str:
    """SQL for the study-day number of a column of ms times (trainer.days.StudyCalendar.day)."""
    if len(spans) == 1:
        offset = spans[0][1] - shift_ms
        return f"(({column} + {offset}) / {DAY_MS})"
    cases = " ".join(f"WHEN {column} < {start} THEN {offset}" for (start, _), (_, offset) in zip(spans[1:], spans))
    return f"(({column} + CASE {cases} ELSE {spans[-1][1]} END - {shift_ms}) / {DAY_MS})"


def elapsed_sql(ctx: SearchContext) -> str:
    """Study days since the last review (NULL for a new card)."""
    return f"max({ctx.today} - {ctx.day_sql('last_review')}, 0)"


def ratio_sql(ctx: SearchContext) -> str:
    """Study days elapsed over stability: predicted recall falls as this grows (NULL for a new card)."""
    return f"({elapsed_sql(ctx)} * 1.0 / max(stability, 0.0001))"


# -- WHERE ---------------------------------------------------------------------
def compile_where(query: Query, ctx: SearchContext) -> tuple[str, list]:
    """The WHERE clause (and its parameters) of a search."""
    parts: list[str] = []
    params: list = []
    if not query.wants_retired:
        parts.append("status != 'retired'")
    for term in query.terms:
        sql, values = _condition(term, ctx)
        if term.negated:
            # A card the condition says nothing about (NULL: a new card has no
            # recall) does not match the term, so it matches its negation.
            sql = f"NOT coalesce({sql}, 0)"
        parts.append(sql)
        params += values
    return " AND ".join(f"({part})" for part in parts) or "1", params


def _like_pattern(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return "%" + escaped.replace("*", "%") + "%"


def _condition(term: Term, ctx: SearchContext) -> tuple[str, list]:
    if isinstance(term, Words):
        if not term.value.isascii():
            # SQLite's LIKE folds ASCII letters only: fold the rest in Python (slower, but exact),
            # one call per card over the four fields joined by a character no search holds.
            fields = " || char(31) || ".join(("prompt", "answer", "section", "deck"))
            return f"trainer_contains({fields}, ?)", [term.value.casefold().replace("\x1f", "")]
        pattern = _like_pattern(term.value)
        cols = " OR ".join(f"{col} LIKE ? ESCAPE '\\'" for col in ("prompt", "answer", "section", "deck"))
        return cols, [pattern] * 4
    if isinstance(term, Deck):
        names = _matching_decks(term, ctx.deck_names())
        return f"deck IN ({', '.join('?' * len(names))})", list(names)
    if isinstance(term, Kind):
        return "kind = ?", [term.name]
    if isinstance(term, Key):
        if "*" in term.pattern:
            return "key GLOB ?", [term.pattern.replace("[", "[[]").replace("?", "[?]")]
        return "key = ?", [term.pattern]
    if isinstance(term, Is):
        return _is(term.what, ctx), []
    if isinstance(term, Prop):
        return _prop(term, ctx)
    raise AssertionError(f"unknown term {term!r}")


def _matching_decks(term: Deck, names: Sequence[str]) -> list[str]:
    wanted = term.pattern.casefold()
    found = [name for name in names if fnmatch.fnmatchcase(name.casefold(), wanted)] if "*" in wanted else [
        name for name in names if name.casefold() == wanted
    ]
    if not found:
        known = ", ".join(repr(n) for n in names[:8]) or "none yet"
        more = " …" if len(names) > 8 else ""
        raise SearchError(f"search: {term.text!r}: no deck is called that; decks: {known}{more} (* is a wildcard)")
    return found


_NOT_BURIED = "(buried_until IS NULL OR buried_until <= {now})"


def _is(what: str, ctx: SearchContext) -> str:
    now = ctx.now_ms
    if what == "due":
        return (f"status = 'active' AND state != 'new' AND due < {ctx.day_end_ms} "
                f"AND {_NOT_BURIED.format(now=now)}")
    if what == "new":
        return "state = 'new'"
    if what == "learning":
        return "state IN ('learning', 'relearning')"
    if what == "review":
        return "state = 'review'"
    if what == "suspended":
        return "status = 'suspended'"
    if what == "retired":
        return "status = 'retired'"
    if what == "buried":
        return f"buried_until > {now}"
    if what == "leech":
        # A threshold of 0 turns leeches off: no card is one.
        return f"lapses >= {ctx.leech_threshold}" if ctx.leech_threshold > 0 else "0"
    raise AssertionError(what)


_SQL_OPS = {"<": "<", "<=": "<=", ">": ">", ">=": ">=", "=": "=", "!=": "!="}


def _prop(term: Prop, ctx: SearchContext) -> tuple[str, list]:
    op, value = term.op, term.value
    if term.name in ("lapses", "reps", "stability", "difficulty"):
        return f"{term.name} {_SQL_OPS[op]} ?", [value]
    if term.name == "due":
        return _due(op, int(value), ctx), []
    return _recall(op, value, ctx), []


def _due(op: str, days: int, ctx: SearchContext) -> str:
    """Due `days` study days from today, compared by study day (exact across daylight saving time)."""
    start, end = ctx.day_start(ctx.today + days), ctx.day_start(ctx.today + days + 1)
    where = {
        "=": f"due >= {start} AND due < {end}",
        "!=": f"(due < {start} OR due >= {end})",
        "<": f"due < {start}",
        "<=": f"due < {end}",
        ">": f"due >= {end}",
        ">=": f"due >= {start}",
    }[op]
    return f"due IS NOT NULL AND {where}"


def _recall(op: str, recall: float, ctx: SearchContext) -> str:
    """Recall now against a bound, as t / S against the ratio where recall equals it."""
    ratio = ratio_sql(ctx)
    studied = "state != 'new' AND stability IS NOT NULL AND last_review IS NOT NULL"

    def bound(value: float) -> str:
        r = ctx.ratio_for(value)
        return "1e308" if math.isinf(r) else repr(r)

    if op in ("=", "!="):
        # Equal to two decimals: recall in [x - 0.005, x + 0.005).
        inside = f"{ratio} > {bound(recall + 0.005)} AND {ratio} <= {bound(max(recall - 0.005, 0.0))}"
        return f"{studied} AND " + (f"({inside})" if op == "=" else f"NOT ({inside})")
    # Recall falls as the ratio grows: recall < x  <=>  ratio > ratio_for(x).
    flipped = {"<": ">", "<=": ">=", ">": "<", ">=": "<="}[op]
    return f"{studied} AND {ratio} {flipped} {bound(recall)}"


# -- ORDER BY --------------------------------------------------------------------
SORT_COLUMNS = ("deck", "section", "kind", "prompt", "state", "due", "stability", "recall", "lapses", "status",
                "location")


def order_sql(column: str, descending: bool, ctx: SearchContext) -> str:
    """ORDER BY for a browser column; cards with no value (a new card's due) always come last."""
    way = " DESC" if descending else ""
    if column == "location":
        return f"path{way}, source_line{way}, id{way}"
    if column == "recall":
        # Lowest recall first is the largest ratio first.
        ratio = ratio_sql(ctx)
        return f"stability IS NULL, {ratio}{'' if descending else ' DESC'}, id{way}"
    expression = {
        # Binary order for the deck: the cards_deck_state index has it, so no sort is needed.
        "deck": "deck", "section": "section COLLATE NOCASE", "kind": "kind",
        "prompt": "prompt COLLATE NOCASE", "state": _STATE_ORDER, "status": _STATUS_ORDER,
        "due": "due", "stability": "stability", "lapses": "lapses",
    }.get(column)
    if expression is None:
        raise SearchError(f"sort: no column {column!r}; sort by {', '.join(SORT_COLUMNS)}")
    nulls = f"{column} IS NULL, " if column in ("due", "stability") else ""
    # Ties in id order (import order, which is mostly file order): a longer
    # tie-break (path, line) costs a third more on 100,000 cards.
    return f"{nulls}{expression}{way}, id{way}"


# -- reading -------------------------------------------------------------------
def _install_functions(store: Store) -> None:
    conn = store.conn
    if getattr(store, "_search_functions", False):
        return

    def contains(text, needle):
        if text is None:
            return 0
        if "*" in needle:  # * is any run of characters within one field
            return 1 if any(_wild_in(part.casefold(), needle) for part in text.split("\x1f")) else 0
        return 1 if needle in text.casefold() else 0

    conn.create_function("trainer_contains", 2, contains, deterministic=True)
    store._search_functions = True  # type: ignore[attr-defined]


def _wild_in(text: str, needle: str) -> bool:
    """`needle` with `*` for any run of characters, somewhere in `text`."""
    position = 0
    for part in needle.split("*"):
        found = text.find(part, position)
        if found < 0:
            return False
        position = found + len(part)
    return True


def matching_ids(store: Store, where: str, params: Sequence, order: str) -> list[int]:
    """The ids of every card matching `where`, in order."""
    _install_functions(store)
    sql = f"SELECT id FROM cards WHERE {where} ORDER BY {order}"
    return [row[0] for row in store.conn.execute(sql, tuple(params))]


def count_matching(store: Store, where: str, params: Sequence) -> int:
    _install_functions(store)
    return store.conn.execute(f"SELECT count(*) FROM cards WHERE {where}", tuple(params)).fetchone()[0]


class CardRow(NamedTuple):
    """What the browser and `trainer cards` show of a card."""

    id: int
    key: str
    deck: str
    section: str
    kind: str
    prompt: str
    state: str
    due: int | None  # ms
    stability: float | None
    difficulty: float | None
    last_review: int | None  # ms
    reps: int
    lapses: int
    status: str
    buried_until: int | None  # ms
    path: str
    source_line: int


_ROW_COLUMNS = ("id, key, deck, section, kind, prompt, state, due, stability, difficulty, last_review, reps, lapses, "
                "status, buried_until, path, source_line")


def rows_by_ids(store: Store, ids: Sequence[int]) -> list[CardRow]:
    """These cards' rows, in the order given (ids no longer in the table are left out)."""
    found: dict[int, CardRow] = {}
    for start in range(0, len(ids), 500):
        chunk = list(ids[start : start + 500])
        sql = f"SELECT {_ROW_COLUMNS} FROM cards WHERE id IN ({', '.join('?' * len(chunk))})"
        found.update((row[0], CardRow(*row)) for row in store.conn.execute(sql, chunk))
    return [found[i] for i in ids if i in found]


def first_rows(store: Store, where: str, params: Sequence, order: str, limit: int) -> list[CardRow]:
    """The first `limit` cards matching `where` in order: off an index when the order has one (file order)."""
    _install_functions(store)
    sql = f"SELECT {_ROW_COLUMNS} FROM cards WHERE {where} ORDER BY {order} LIMIT ?"
    return [CardRow(*row) for row in store.conn.execute(sql, (*params, limit))]


def keys_by_ids(store: Store, ids: Sequence[int]) -> list[str]:
    return [row.key for row in rows_by_ids(store, ids)]


def last_review_range(store: Store) -> tuple[int | None, int | None]:
    """When the log's first and last events happened: every card's last review lies between."""
    # Two subqueries: each reads one end of the reviews_at index (min and max together would scan it).
    return store.conn.execute("SELECT (SELECT min(at) FROM reviews), (SELECT max(at) FROM reviews)").fetchone()
