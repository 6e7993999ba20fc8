"""`trainer cards`: list the cards a search finds, or act on them, for scripts.

    trainer cards [SEARCH...] [--json]
    trainer cards suspend|unsuspend|bury|unbury|forget SEARCH... [--yes] [--dry-run]
    trainer cards set-due --days N SEARCH... [--yes] [--dry-run]

A listing is one card a line, tab-separated: key, deck, state, status, due
(UTC, ISO 8601), recall now, path:line, the prompt's first line. An action
says how many cards it changed. Errors are raised as TrainerError; the CLI
prints them and exits 1.
"""

from __future__ import annotations

import json
import sys
from datetime import datetime
from pathlib import Path
from typing import Iterable, TextIO

from trainer import card_actions
from trainer.browse import Browse, BrowseRow, all_rows
from trainer.config import Settings
from trainer.errors import TrainerError
from trainer.current import open_current
from trainer.safe_text import json_text, visible_line
from trainer.search import from_words

# More cards than this need --yes: a search that matches more than meant should not act at once.
CONFIRM_ABOVE = 20


class _DryRun(Exception):
    """Raised inside the transaction of a dry run, so everything it did is rolled back."""


def _text(value: str) -> str:
    # One field of a TSV line; an escape sequence in a deck shows as \x1b, never reaches the terminal.
    return visible_line(value.replace("\t", " ").replace("\n", " ").replace("\r", " "))


def _time(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ") if moment is not None else ""


def tsv_line(row: BrowseRow) -> str:
    recall = f"{row.recall:.3f}" if row.recall is not None else ""
    fields = (row.key, row.deck, row.state, row.flags or "active", _time(row.due), recall, row.location, row.prompt)
    return "\t".join(_text(str(f)) for f in fields)


def row_dict(row: BrowseRow) -> dict:
    return {
        "key": row.key, "deck": row.deck, "section": row.section, "kind": row.kind, "state": row.state,
        "status": row.status, "buried": row.buried, "leech": row.leech, "due": _time(row.due) or None,
        "due_days": row.due_days, "recall": row.recall, "stability": row.stability, "difficulty": row.difficulty,
        "reps": row.reps, "lapses": row.lapses, "path": row.path, "line": row.line, "prompt": row.prompt,
    }


def _rows(browse: Browse) -> Iterable[BrowseRow]:
    return all_rows(browse)


def write_listing(browse: Browse, out: TextIO, as_json: bool) -> None:
    if as_json:
        out.write(json_text(json.dumps([row_dict(row) for row in _rows(browse)], indent=1, ensure_ascii=False)) + "\n")
        return
    for row in _rows(browse):
        out.write(tsv_line(row) + "\n")


def run_cards(db_path: Path, settings: Settings, now: datetime, words: tuple[str, ...], *, as_json: bool = False,
              yes: bool = False, dry_run: bool = False, days: int | None = None,
              out: TextIO | None = None, err: TextIO | None = None) -> int:
    """List or act; returns the exit code (errors are raised as TrainerError)."""
    out = out or sys.stdout
    err = err or sys.stderr
    action = words[0] if words and words[0] in card_actions.ACTIONS else None
    search = from_words(words[1:] if action else words)
    if action is None and (dry_run or yes or days is not None):
        raise TrainerError("--yes, --dry-run and --days go with an action: trainer cards suspend|unsuspend|bury|"
                           "unbury|forget|set-due SEARCH")
    if action == "set-due" and days is None:
        raise TrainerError("set-due needs --days N: the card is due N study days from today (0: today)")
    if action is not None and days is not None and action != "set-due":
        raise TrainerError(f"--days goes with set-due, not {action}")
    if days is not None and days < 0:
        raise TrainerError(f"--days {days}: give 0 (today) or more")
    if action is not None and not search.strip():
        raise TrainerError(f"say which cards to {action}: trainer cards {action} SEARCH (a search of '' would "
                           "match every card; write is:new, deck:NAME, ... or a word)")
    if not Path(db_path).exists():
        raise TrainerError(f"{db_path}: no database here yet; run `trainer import PATH` first")
    with open_current(db_path, settings, create=False, say=lambda message: print(message, file=err)) as store:
        browse = Browse(store, settings, now, query=search, tz=settings.zone)
        if action is None:
            write_listing(browse, out, as_json)
            return 0
        return _act(store, browse, action, days, now, yes=yes, dry_run=dry_run, out=out, err=err)


def _act(store, browse: Browse, action: str, days: int | None, now: datetime, *, yes: bool, dry_run: bool,
         out: TextIO, err: TextIO) -> int:
    matched = browse.total
    verb = action.replace("-", " ")
    if matched == 0:
        print(f"No cards match {browse.query.text!r}; nothing to {verb}.", file=out)
        return 0
    if matched > CONFIRM_ABOVE and not (yes or dry_run):
        raise TrainerError(f"{browse.query.text!r} matches {matched} cards; add --yes to {verb} them all, "
                           "or --dry-run to see what would change")
    keys = browse.all_keys()
    scheduler = browse.scheduler
    if not dry_run:
        result = card_actions.run(action, store, scheduler, keys, now, days)
        print(result.message(), file=out)
        return 0
    try:
        with store.write():
            result = card_actions.run(action, store, scheduler, keys, now, days)
            raise _DryRun
    except _DryRun:
        pass
    changed = set(result.changed)
    for row in _rows(browse):
        if row.key in changed:
            print(tsv_line(row), file=out)
    n = len(changed)
    print(f"Dry run: {n} of {matched} card{'' if matched == 1 else 's'} would be {card_actions.PAST[action]} "
          f"(listed above); nothing was changed.", file=err)
    return 0
