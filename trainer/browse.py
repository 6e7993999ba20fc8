"""Finding cards: a search and a sort over the whole collection, read a window at a time. No UI.

`Browse` is what the browser screen draws from and what `trainer cards`
lists: one SQL pass gives the ids of every match in order (a list of
integers, even at 100,000 cards), and rows are read by id only for the
window on screen, a page at a time. The rows keep their places until the
next search, so a card suspended in a `-is:suspended` view stays where it
was, showing its new status, until the search runs again.
"""

from __future__ import annotations

import os

from dataclasses import dataclass
from datetime import datetime, tzinfo

from trainer.config import Settings
from trainer.days import DAY_MS, StudyCalendar, from_ms, to_ms
from trainer.scheduler import Scheduler
from trainer.search import Query, SearchContext, parse
from trainer.store import Store
from trainer.store import card_search as sql
from trainer.store.card_search import SORT_COLUMNS, CardRow  # noqa: F401  (callers find them here)
from trainer.store.cards import deck_names

PAGE = 200
DEFAULT_SORT = ("location", False)


@dataclass(frozen=True)
class BrowseRow:
    """One card as a line of the browser (and of `trainer cards`)."""

    id: int
    key: str
    deck: str
    section: str
    kind: str
    prompt: str  # the first non-empty line of the prompt
    state: str
    due: datetime | None
    due_days: int | None  # study days from today (negative: overdue)
    stability: float | None
    difficulty: float | None
    recall: float | None  # predicted recall now
    reps: int
    lapses: int
    status: str  # active, suspended, retired
    buried: bool
    leech: bool
    path: str
    line: int

    @property
    def location(self) -> str:
        return f"{self.path}:{self.line}"

    @property
    def flags(self) -> str:
        """status words for a column: `suspended leech`, `buried`, ..."""
        words = [] if self.status == "active" else [self.status]
        if self.buried:
            words.append("buried")
        if self.leech:
            words.append("leech")
        return " ".join(words)


def first_line(text: str) -> str:
    """The first non-empty line, with runs of whitespace (tabs included) as one space."""
    for line in text.splitlines():
        if line.strip():
            return " ".join(line.split())
    return ""


class _Lazy:
    """A value computed on the first call, then kept."""

    def __init__(self, compute):
        self._compute = compute
        self._value = None

    def __call__(self):
        if self._value is None:
            self._value = self._compute()
        return self._value


def make_context(store: Store, settings: Settings, now: datetime, tz: tzinfo | None = None,
                 scheduler: Scheduler | None = None) -> SearchContext:
    """What a search needs from the clock, the settings and the collection (deck names, the log's span)."""
    scheduler = scheduler or Scheduler(settings, fuzz=False, tz=tz)
    calendar = scheduler.calendar
    now_ms = to_ms(now)
    today = calendar.day(now_ms)
    low, high = sql.last_review_range(store)
    low_ms = min(low if low is not None else now_ms, now_ms)
    high_ms = max(high if high is not None else now_ms, now_ms)
    # A day either side: day_sql must be exact for every last review in the log.
    spans = calendar.offset_spans(low_ms - DAY_MS, high_ms + DAY_MS)
    w20 = scheduler.parameters[20]  # the curve's decay, as trainer.scheduler.Scheduler.recall_after uses it
    return SearchContext(
        now_ms=now_ms,
        today=today,
        day_end_ms=calendar.start_ms(today + 1),
        day_start=calendar.start_ms,
        day_sql=lambda column: sql.day_sql(column, spans, calendar.shift_ms),
        decay=w20,
        factor=0.9 ** (-1 / w20) - 1,
        leech_threshold=int(getattr(settings, "leech_threshold", 8)),
        deck_names=_Lazy(lambda: tuple(deck_names(store))),
    )


def find_ids(store: Store, ctx: SearchContext, query: Query | str, sort: tuple[str, bool] = DEFAULT_SORT) -> list[int]:
    """The ids of every card a search matches, in the order of `sort` (column, descending)."""
    if isinstance(query, str):
        query = parse(query)
    where, params = sql.compile_where(query, ctx)
    return sql.matching_ids(store, where, params, sql.order_sql(sort[0], sort[1], ctx))


def to_browse_row(row: CardRow, ctx: SearchContext, calendar: StudyCalendar) -> BrowseRow:
    recall = None
    if row.state != "new" and row.stability and row.last_review is not None:
        recall = ctx.recall_at(ctx.today - calendar.day(row.last_review), row.stability)
    due_days = calendar.day(row.due) - ctx.today if row.due is not None else None
    threshold = ctx.leech_threshold
    return BrowseRow(
        id=row.id, key=row.key, deck=row.deck, section=row.section, kind=row.kind, prompt=first_line(row.prompt),
        state=row.state, due=from_ms(row.due) if row.due is not None else None, due_days=due_days,
        stability=row.stability, difficulty=row.difficulty, recall=recall, reps=row.reps, lapses=row.lapses,
        status=row.status, buried=row.buried_until is not None and row.buried_until > ctx.now_ms,
        leech=threshold > 0 and row.lapses >= threshold, path=row.path, line=row.source_line,
    )


class Browse:
    """A search over every card and a window on its results.

    A search with terms reads the ids of every match in one pass (which
    also counts them). With no terms (every card, as the browser opens) the
    count comes off an index and the first page from ORDER BY ... LIMIT, and
    the ids are read only when something needs them (scrolling past the
    first page, marks, an action): the browser opens on 100,000 cards
    without reading 100,000 ids. `row(i)` reads rows by id a page at a time
    and keeps them until `refresh` (after an action) or the next search.
    """

    def __init__(self, store: Store, settings: Settings, now: datetime, *, query: str = "",
                 sort: tuple[str, bool] = DEFAULT_SORT, tz: tzinfo | None = None):
        self.store = store
        self.settings = settings
        self.scheduler = Scheduler(settings, fuzz=False, tz=tz)
        self.ctx = make_context(store, settings, now, tz, self.scheduler)
        self.query = parse(query)
        self.sort = sort
        self._ids: list[int] | None = None
        self._total = 0
        self._sql: tuple[str, list, str] = ("0", [], "id")
        self._pages: dict[int, list[BrowseRow | None]] = {}
        self._run(self.query, sort)

    # -- running the search ------------------------------------------------------
    def _run(self, query: Query, sort: tuple[str, bool]) -> None:
        where, params = sql.compile_where(query, self.ctx)  # SearchError before anything changes
        order = sql.order_sql(sort[0], sort[1], self.ctx)
        if query.terms:
            ids = sql.matching_ids(self.store, where, params, order)
            total = len(ids)
        else:
            ids, total = None, sql.count_matching(self.store, where, params)
        self.query, self.sort = query, sort
        self._sql = (where, params, order)
        self._ids, self._total = ids, total
        self._pages.clear()

    def search(self, text: str) -> None:
        """Run a new search (SearchError leaves the current results as they were)."""
        self._run(parse(text), self.sort)

    def sort_by(self, column: str, descending: bool = False) -> None:
        self._run(self.query, (column, descending))

    def rerun(self) -> None:
        """The same search again: cards that no longer match go, new matches come."""
        self._run(self.query, self.sort)

    def set_now(self, now: datetime) -> None:
        """Read recall, due and burial at a new moment (the next search uses it)."""
        self.ctx = make_context(self.store, self.settings, now, self.scheduler.tz, self.scheduler)
        self._pages.clear()

    def refresh(self) -> None:
        """Read the rows again (after an action); the list of cards stays as it is."""
        self._pages.clear()

    # -- the results -----------------------------------------------------------------
    @property
    def deck_prefix(self) -> str:
        """The words every deck title starts with ("PM interview: "), which a narrow column can leave out."""
        if not hasattr(self, "_deck_prefix"):
            names = [row[0] for row in self.store.conn.execute("SELECT DISTINCT deck FROM cards")]
            shared = os.path.commonprefix(names) if len(names) > 1 else ""
            # Up to the last separator only: "PM interview: con" must not eat half a word.
            cut = max(shared.rfind(mark) + len(mark) if mark in shared else 0 for mark in (": ", " - ", " — "))
            self._deck_prefix = shared[:cut]
        return self._deck_prefix

    @property
    def total(self) -> int:
        return self._total

    @property
    def ids(self) -> list[int]:
        """The id of every card found, in order (read now if the search left it for later)."""
        if self._ids is None:
            where, params, order = self._sql
            self._ids = sql.matching_ids(self.store, where, params, order)
            self._total = len(self._ids)
        return self._ids

    @property
    def ids_loaded(self) -> bool:
        return self._ids is not None

    def index_of(self, card_id: int) -> int | None:
        """Where a card is in the results; None when it is not there (or the ids were never read)."""
        if self._ids is None:
            return None
        try:
            return self._ids.index(card_id)
        except ValueError:
            return None

    def row(self, index: int) -> BrowseRow | None:
        if not 0 <= index < self._total:
            return None
        page = self._page(index // PAGE)
        offset = index % PAGE
        return page[offset] if offset < len(page) else None

    def rows(self, start: int, stop: int) -> list[BrowseRow | None]:
        return [self.row(i) for i in range(max(start, 0), min(stop, self._total))]

    def _page(self, number: int) -> list[BrowseRow | None]:
        page = self._pages.get(number)
        if page is not None:
            return page
        calendar = self.scheduler.calendar
        if self._ids is None and number == 0:
            where, params, order = self._sql
            page = [to_browse_row(row, self.ctx, calendar)
                    for row in sql.first_rows(self.store, where, params, order, PAGE)]
        else:
            ids = self.ids[number * PAGE : (number + 1) * PAGE]
            found = {row.id: row for row in sql.rows_by_ids(self.store, ids)}
            # A card gone from the table since the search shows as None (cards are never deleted, in practice).
            page = [to_browse_row(found[i], self.ctx, calendar) if i in found else None for i in ids]
        if len(self._pages) > 64:
            self._pages.clear()
        self._pages[number] = page
        return page

    def keys(self, indexes) -> list[str]:
        """The keys of the cards at these positions."""
        ids = self.ids
        wanted = [ids[i] for i in indexes if 0 <= i < len(ids)]
        return sql.keys_by_ids(self.store, wanted)

    def all_keys(self) -> list[str]:
        return sql.keys_by_ids(self.store, self.ids)


def all_rows(browse: Browse):
    """Every card found, as BrowseRows in order, read a page at a time (for `trainer cards`)."""
    browse.ids  # noqa: B018  (read them all first: the count is exact from here on)
    for index in range(browse.total):
        row = browse.row(index)
        if row is not None:
            yield row
