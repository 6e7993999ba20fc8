"""Card browser speed on a collection built by make_collection.py.

    .venv/bin/python benchmarks/browser_bench.py DB [--runs 5] [--json]

Prints medians over --runs, in ms:
  - core: what trainer.browse does without any UI: the search context
    (clock, settings, the log's span), the whole default open (every card,
    in file order), each search in SEARCHES, each sort column, and a window
    of rows read from a cold page;
  - app: the real Textual app, headless at 80x24, driven by Pilot: from the
    key press until the last screen update it caused was composed
    (drawn_ms), until Pilot found the app idle again (wall_ms: Pilot polls
    for idleness, which adds tens of ms to any key), and the CPU time: `b`
    on the decks screen until the browser is drawn (open; first_open also
    loads the screen's module and style sheet), Enter on a search (filter,
    which also moves the focus to the table), PgDn and End (scroll), `o`
    (sort by deck). `noop` is a key nothing is bound to: the share of each
    figure that is Textual's and Pilot's, whatever the collection holds;
    app_no_cards opens the same screen on an empty database.
The database is copied first, so runs never change it; the clock is
make_collection's `now`.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import statistics
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=timezone.utc)  # make_collection.NOW
SEARCHES = (
    "is:due",
    "skip save",
    "prop:recall<0.8",
    "prop:lapses>=3",
    "is:leech",
    '-is:new deck:"Benchmark deck 7"',
    "kind:faq prop:stability>30",
)


def ms(start: float) -> float:
    return (time.perf_counter() - start) * 1000


def median(values: list[float]) -> float:
    return round(statistics.median(values), 1)


def core_figures(db: Path, runs: int) -> dict:
    from trainer.browse import SORT_COLUMNS, Browse, make_context
    from trainer.config import Settings
    from trainer.store import open_db

    settings = Settings()
    figures: dict = {"search_ms": {}, "sort_ms": {}}
    with open_db(db) as store:
        context, opens, first_pages, ids, windows = [], [], [], [], []
        for _ in range(runs):
            start = time.perf_counter()
            make_context(store, settings, NOW)
            context.append(ms(start))
            start = time.perf_counter()
            browse = Browse(store, settings, NOW)
            opens.append(ms(start))
            start = time.perf_counter()
            browse.rows(0, 20)
            first_pages.append(ms(start))
            start = time.perf_counter()
            browse.ids  # noqa: B018  (what the first scroll past the first page reads)
            ids.append(ms(start))
            start = time.perf_counter()
            browse.rows(50_000, 50_020)
            windows.append(ms(start))
        figures.update(cards=browse.total, context_ms=median(context), open_ms=median(opens),
                       first_page_ms=median(first_pages), all_ids_ms=median(ids),
                       window_20_rows_cold_ms=median(windows))
        for query in SEARCHES:
            times = []
            for _ in range(runs):
                start = time.perf_counter()
                browse.search(query)
                browse.rows(0, 20)
                times.append(ms(start))
            figures["search_ms"][query] = {"ms": median(times), "found": browse.total}
        browse.search("")
        for column in SORT_COLUMNS:
            times = []
            for _ in range(runs):
                start = time.perf_counter()
                browse.sort_by(column)
                browse.rows(0, 20)
                times.append(ms(start))
            figures["sort_ms"][column] = median(times)
    return figures


PAINTS: list[float] = []  # when each screen update was composed (perf_counter)


def record_paints() -> None:
    """Note the time of every screen update: the last one after a key press is when its result was drawn."""
    from textual.screen import Screen

    original = Screen._compositor_refresh

    def recorded(self, *args, **kwargs):
        result = original(self, *args, **kwargs)
        PAINTS.append(time.perf_counter())
        return result

    Screen._compositor_refresh = recorded


class Timed:
    """Each repetition of one action in the app: until drawn, until Pilot finds the app idle, and CPU."""

    def __init__(self) -> None:
        self.drawn: list[float] = []
        self.wall: list[float] = []
        self.cpu: list[float] = []

    def __enter__(self) -> "Timed":
        PAINTS.clear()
        self._wall, self._cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc) -> None:
        self.wall.append(ms(self._wall))
        self.cpu.append((time.process_time() - self._cpu) * 1000)
        self.drawn.append((PAINTS[-1] - self._wall) * 1000 if PAINTS else 0.0)

    def figures(self) -> dict:
        return {"drawn_ms": median(self.drawn), "wall_ms": median(self.wall), "cpu_ms": median(self.cpu)}


async def app_figures(db: Path, runs: int, *, only_open: bool = False) -> dict:
    from textual.widgets import Input

    from trainer.config import Settings
    from trainer.store import open_db
    from trainer.tui.app import TrainerApp
    from trainer.tui.screens import browser as browser_module
    from trainer.tui.widgets.card_table import CardTable

    browser_module.SEARCH_PAUSE_S = 3600  # only Enter searches: typing is timed apart from the search
    record_paints()
    timed = {name: Timed() for name in ("noop", "open", "filter", "page_down", "end", "sort")}
    first_open = Timed()
    drawn = []
    store = open_db(db)
    app = TrainerApp(store, Settings(), clock=lambda: NOW, tz=None)

    async def act(name: str, *keys: str) -> None:
        with timed[name]:
            await pilot.press(*keys)
            await pilot.pause()

    async with app.run_test(size=(80, 24), headless=True) as pilot:
        await pilot.pause()
        with first_open:  # loads the screen's module and style sheet once
            await pilot.press("b")
            await pilot.pause()
        await pilot.press("q")
        await pilot.pause()
        for _ in range(runs):
            await act("noop", "z")  # a key nothing is bound to: what any key costs in Textual and Pilot
            await act("open", "b")
            if only_open:
                await pilot.press("q")
                await pilot.pause()
                continue
            screen = app.screen
            table = screen.query_one(CardTable)
            drawn.append(sum(1 for y in range(table.size.height) if table.render_line(y).text.strip()))
            search = screen.query_one(Input)
            search.value = "prop:recall<0.8"
            search.focus()
            await pilot.pause()
            await act("filter", "enter")
            search.value = ""
            search.focus()
            await pilot.press("enter")
            await pilot.pause()
            for _ in range(5):
                await act("page_down", "pagedown")
            await act("end", "end")
            await act("sort", "o")  # location -> deck
            await pilot.press("q")
            await pilot.pause()
    store.close()
    figures = {name: t.figures() for name, t in timed.items() if t.wall}
    figures["first_open"] = {"wall_ms": round(first_open.wall[0], 1), "cpu_ms": round(first_open.cpu[0], 1)}
    figures["rows_drawn"] = min(drawn) if drawn else 0
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("db", type=Path)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / args.db.name
        shutil.copy(args.db, db)
        figures = {"db": str(args.db), "now": NOW.isoformat(), "runs": args.runs}
        figures["core"] = core_figures(db, args.runs)
        figures["app"] = asyncio.run(app_figures(db, args.runs))
        from trainer.store import open_db

        empty = Path(tmp) / "empty.db"
        open_db(empty).close()
        # The same screen on no cards at all: the part of `open` that is the screen, not the collection.
        figures["app_no_cards"] = asyncio.run(app_figures(empty, args.runs, only_open=True))
    if args.json:
        print(json.dumps(figures))
    else:
        for section in ("core", "app", "app_no_cards"):
            for key, value in figures[section].items():
                print(f"{section}.{key}: {value}")


if __name__ == "__main__":
    main()
