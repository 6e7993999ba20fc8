"""Decks stay in step with their files: what you import is followed, and imported again.

`trainer import PATH` remembers PATH (the `followed` table); a bare
`trainer import` and the app's start import every followed path again. An
unchanged file is known by its size and time, so the rescan at start reads
no deck, parses nothing and takes no write lock (under 50 ms for 1,000 files,
benchmarks/import_bench.py). `trainer import --forget PATH` stops following
PATH; its cards stay as they are.
"""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

from trainer.deck_files import display_path
from trainer.errors import TrainerError
from trainer.importer import ImportReport, import_paths
from trainer.safe_text import is_utf8_name, visible_line
from trainer.store import Store
from trainer.store import followed as followed_table


def _absolute(path: str | Path) -> str:
    """How a followed path is stored: absolute, links resolved (the importer's own spelling)."""
    return os.path.realpath(Path(path).expanduser())


def followed_paths(store: Store) -> list[str]:
    return followed_table.followed_paths(store)


def import_and_follow(store: Store, paths: list[str | Path], now: datetime, *, dry_run: bool = False) -> ImportReport:
    """`trainer import PATH...`: import the paths, and follow the ones that exist (not on a dry run)."""
    report = import_paths(store, paths, now, dry_run=dry_run)
    if not dry_run:
        found = [_absolute(path) for path in paths if is_utf8_name(str(path)) and Path(path).expanduser().exists()]
        if found:
            with store.write():
                followed_table.follow(store, found, now)
    return report


def reimport(store: Store, now: datetime, *, dry_run: bool = False) -> ImportReport:
    """A bare `trainer import`: every followed path again. TrainerError when none is followed."""
    paths = followed_paths(store)
    if not paths:
        raise TrainerError(
            "nothing to import: no deck file or folder is followed yet; run `trainer import PATH` "
            "once, and a bare `trainer import` (and every start) imports PATH again"
        )
    return import_paths(store, paths, now, dry_run=dry_run)


def forget(store: Store, path: str | Path) -> str:
    """Stop following `path` (its cards stay); returns the path as it was followed.

    Raises TrainerError naming the followed paths when `path` is not one of them."""
    paths = followed_paths(store)
    wanted = _absolute(path)
    match = wanted if wanted in paths else str(path) if str(path) in paths else None
    if match is None:
        known = ", ".join(display_path(p) for p in paths) or "none"
        raise TrainerError(
            f"{visible_line(str(path))} is not followed; the followed paths are: {known}"
        )
    with store.write():
        followed_table.unfollow(store, match)
    return match


def rescan(store: Store, now: datetime) -> ImportReport | None:
    """Import every followed path again (the app's start, and after an edit).

    Returns the report when something changed or went wrong, None when all is
    as it was (the common case: nothing read, nothing written, no lock taken).
    A followed path that is gone is an error in the report, and retires nothing.
    """
    paths = followed_paths(store)
    if not paths:
        return None
    report = import_paths(store, paths, now)
    return report if report.changed_anything else None


def summary(report: ImportReport) -> str:
    """One paragraph for the start of the app: what the rescan changed, and where to see problems."""
    counts = [(report.total(name), name) for name in ("added", "updated", "retired", "restored")]
    changed = ", ".join(f"{count} {name}" for count, name in counts if count)
    parts = [f"Your decks changed since last time: {changed} (history kept)." if changed else ""]
    missing = [error.path for error in report.errors if error.message == "no such file or folder"]
    if missing:
        parts.append(
            f"{len(missing)} followed path(s) are missing ({visible_line(missing[0])}"
            f"{', …' if len(missing) > 1 else ''}); `trainer import --forget PATH` stops following one."
        )
    problems = len(report.all_errors) - len(missing)
    if problems:
        parts.append(f"{problems} problem(s) in your deck files: `trainer import` shows them.")
    for warning in report.warnings:  # said once: the next import finds the file unchanged
        parts.append(f"Warning: {visible_line(warning)}.")
    return " ".join(part for part in parts if part)
