"""Deck files -> the store: diff against what is there, retire what disappeared.

A file whose size and time (or content hash) are unchanged is skipped without
parsing. A file with any error is skipped whole, so its cards stay exactly as
they were; the other files still import. Cards are matched by key
(trainer.identity), never by file, so a card moved to another deck keeps its
history.

Several trainers may share a database, so the slow part (reading and parsing
the files that changed) happens before the write lock is taken, and a no-op
re-import takes no lock at all. The diff is made again under the lock
(BEGIN IMMEDIATE) from what the database holds then, with the files already
read: two imports started together both succeed, the second finding the
first one's work done.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from trainer import carry_over
from trainer.deck_files import Found, display_path, file_stat, find_deck_files, read_deck, scan_paths  # noqa: F401
from trainer.model import ParsedCard, ParsedDeck, ParseError, Status
from trainer.parse import parse_deck
from trainer.safe_text import visible_line
from trainer.store import Store
from trainer.store import cards as card_table
from trainer.store.followed import replaced_decks

# Fields whose change counts as "updated" in the report; a card that only
# moved lines is rewritten silently.
COUNTED_FIELDS = ("kind", "deck", "path", "section", "prompt", "answer", "extra", "sibling")


@dataclass
class DeckReport:
    path: str  # as shown to the user
    title: str
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    retired: int = 0
    restored: int = 0
    added_by_kind: dict[str, int] = field(default_factory=dict)
    errors: list[ParseError] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # worth a look, but the import went ahead

    @property
    def skipped(self) -> bool:
        return bool(self.errors)


@dataclass
class ImportReport:
    decks: list[DeckReport] = field(default_factory=list)
    errors: list[ParseError] = field(default_factory=list)  # not tied to one deck
    dry_run: bool = False

    def total(self, name: str) -> int:
        return sum(getattr(deck, name) for deck in self.decks)

    @property
    def all_errors(self) -> list[ParseError]:
        return self.errors + [e for deck in self.decks for e in deck.errors]

    @property
    def warnings(self) -> list[str]:
        return [w for deck in self.decks for w in deck.warnings]

    @property
    def ok(self) -> bool:
        return not self.all_errors

    @property
    def changed_anything(self) -> bool:
        """Whether there is anything to tell: a card added, changed, retired or restored, or a problem."""
        counts = ("added", "updated", "retired", "restored")
        return any(self.total(name) for name in counts) or not self.ok or bool(self.warnings)


@dataclass
class _Loaded:
    path: Path
    shown: str
    digest: str
    report: DeckReport
    cards: tuple[ParsedCard, ...] = ()
    stat: tuple[int, int] | None = None


@dataclass
class _Content:
    """A file as read (before the write lock): its stat taken before the read, so
    a change made after it is seen by the next import."""

    stat: tuple[int, int] | None
    digest: str
    error: ParseError | None
    text: str | None = None
    parsed: ParsedDeck | None = None


@dataclass
class _Scan:
    known_decks: dict[str, dict]
    decks: list[DeckReport] = field(default_factory=list)
    unchanged_paths: set[str] = field(default_factory=set)
    seen_again: list[tuple[str, int, int]] = field(default_factory=list)  # unchanged files whose size or time moved
    changed_paths: set[str] = field(default_factory=set)
    loaded: list[_Loaded] = field(default_factory=list)


class _DryRunRollback(Exception):
    pass


# A deck that loses more than this share of its cards in one edit is worth a
# warning even when it parses: a heading typed as a marker, a block left open.
SHRINK_WARNING = 0.5


def _content_row(card: ParsedCard, deck: str, path: str) -> dict:
    return {
        "key": card.key,
        "kind": card.kind.value,
        "deck": deck,
        "path": path,
        # A section is a label: shown everywhere, never part of a card's identity.
        "section": visible_line(card.section),
        "prompt": card.prompt,
        "answer": card.answer,
        "extra": json.dumps(card.extra, ensure_ascii=False, sort_keys=True, separators=(",", ":")),
        "sibling": card.sibling,
        "source_line": card.line,
    }


def import_paths(store: Store, paths: list[str | Path], now: datetime, *, dry_run: bool = False) -> ImportReport:
    """Import deck files and folders; with dry_run, report the same and write nothing."""
    found = scan_paths(paths)
    report = ImportReport(errors=found.errors, dry_run=dry_run)
    replaced = replaced_decks(store)
    # A deck another file took over (a bundled deck's editable copy) is passed by.
    files = [path for path in found.files if str(path) not in replaced]
    cache: dict[Path, _Content] = {}
    # Read and parse before taking the write lock; a no-op takes no lock at all.
    scan = _scan(store, files, now, cache)
    if not scan.loaded and not scan.seen_again and not _vanished(scan.known_decks, files, found, replaced):
        report.decks = scan.decks
        return report
    try:
        with store.write():
            _import(store, files, found, replaced, now, report, cache)
            if dry_run:
                raise _DryRunRollback
    except _DryRunRollback:
        pass
    return report


def _scan(store: Store, files: list[Path], now: datetime, cache: dict[Path, _Content]) -> _Scan:
    """Which files changed since the database last saw them, each changed one read and parsed once."""
    scan = _Scan(card_table.decks_by_path(store))
    for path in files:
        shown = display_path(path)
        known = scan.known_decks.get(str(path))
        stat = file_stat(path, now)
        if known is not None and stat is not None and (known["size"], known["mtime_ns"]) == stat:
            scan.decks.append(DeckReport(shown, known["name"], unchanged=known["card_count"]))
            scan.unchanged_paths.add(str(path))
            continue
        content = cache.get(path)
        if content is None:
            text, digest, error = read_deck(path, shown)
            content = cache[path] = _Content(stat, digest, error, text)
        if known is not None and content.digest == known["content_hash"]:
            scan.decks.append(DeckReport(shown, known["name"], unchanged=known["card_count"]))
            scan.unchanged_paths.add(str(path))
            if content.stat is not None:
                scan.seen_again.append((str(path),) + content.stat)
            continue
        scan.changed_paths.add(str(path))
        deck = DeckReport(shown, path.stem)
        scan.decks.append(deck)
        if content.error:
            deck.errors.append(content.error)
            continue
        if content.parsed is None:
            content.parsed, content.text = parse_deck(content.text, shown), None
        parsed = content.parsed
        # A title is a label shown on every screen: no control character survives into it.
        deck.title = visible_line(parsed.title)
        deck.errors.extend(parsed.errors)
        if not deck.errors:
            _warn_if_shrunk(deck, known, len(parsed.cards))
            scan.loaded.append(_Loaded(path, shown, content.digest, deck, parsed.cards, content.stat))
    return scan


def _warn_if_shrunk(deck: DeckReport, known: dict | None, count: int) -> None:
    before = known["card_count"] if known else 0
    if before and count < before * SHRINK_WARNING:
        deck.warnings.append(
            f"{deck.path}: {before} cards at the last import, {count} now; if that was not meant "
            "(a marker or heading typed wrong, a block left open), fix the file and import again: "
            "the retired cards come back with their history"
        )


def _vanished(known_decks: dict[str, dict], files: list[Path], found: Found, replaced: dict[str, str]) -> list[str]:
    """Known decks to drop: gone from a folder we searched, or replaced by another file."""
    gone = _vanished_decks(known_decks, files, found.folders, found.blocked)
    return gone + [path for path in replaced if path in known_decks and path not in gone]


def _import(
    store: Store, files: list[Path], found: Found, replaced: dict[str, str], now: datetime,
    report: ImportReport, cache: dict[Path, _Content],
) -> None:
    """The import itself, under the write lock. Its reads follow the edit:
    unchanged files are known by size and time (or hash) and never parsed, and
    the database is asked only about the cards of the files that changed."""
    scan = _scan(store, files, now, cache)  # again: another import may have written since
    report.decks = scan.decks
    known_decks, unchanged_paths, changed_paths, loaded = (
        scan.known_decks, scan.unchanged_paths, scan.changed_paths, scan.loaded
    )
    for path, size, mtime_ns in scan.seen_again:
        card_table.set_deck_stat(store, path, size, mtime_ns)
    vanished = _vanished(known_decks, files, found, replaced)
    if not loaded and not vanished:
        return  # nothing parsed, nothing to diff

    # What the database holds for these files, and for their cards wherever they live now.
    new_keys = [card.key for item in loaded for card in item.cards]
    existing = card_table.content_in_paths(store, [str(item.path) for item in loaded])
    existing.update(card_table.content_by_keys(store, [key for key in new_keys if key not in existing]))
    # Cards may leave a file that changed, vanished, or was replaced by a copy.
    moving_from = changed_paths | set(vanished) | set(replaced)

    def live_elsewhere(row: dict) -> str | None:
        return _first_place(row["key"], "", {}, {row["key"]: row}, unchanged_paths, moving_from)

    notes = carry_over.take_over(store, [card for item in loaded for card in item.cards], existing, live_elsewhere)
    if notes and loaded:
        loaded[0].report.notes.extend(notes)

    # The same card in two files is an error in the later file.
    owner: dict[str, tuple[str, int]] = {}
    good: list[_Loaded] = []
    held: set[str] = set()  # cards of a file refused for a clash: still written there, so not retired
    for item in loaded:
        clashes = []
        for card in item.cards:
            where = _first_place(card.key, str(item.path), owner, existing, unchanged_paths, moving_from)
            if where:
                clashes.append(
                    ParseError(item.shown, card.line, f"the same card is already in {where}; keep one of them")
                )
        if clashes:
            item.report.errors.extend(clashes)
            item.report.warnings.clear()
            held.update(card.key for card in item.cards)
            continue
        for card in item.cards:
            owner[card.key] = (item.shown, card.line)
        good.append(item)
    claimed_keys = set(owner) | held

    by_path: dict[str, list[str]] = {}
    for key, old in existing.items():
        by_path.setdefault(old["path"], []).append(key)
    for item in good:
        _apply_deck(store, item, existing, by_path.get(str(item.path), []), claimed_keys, now)

    for path in vanished:
        gone = [k for k in card_table.active_keys_in_paths(store, [path]) if k not in claimed_keys]
        card_table.set_status(store, gone, Status.RETIRED, now)
        card_table.delete_deck(store, path)
        deck = DeckReport(display_path(path), known_decks[path]["name"], retired=len(gone))
        if path in replaced:
            deck.notes.append(f"{deck.path}: its cards are kept in {display_path(replaced[path])} now")
        else:
            deck.notes.append("the file is gone; its cards are retired (history kept)")
        report.decks.append(deck)


def _vanished_decks(
    known_decks: dict[str, dict], files: list[Path], folders: list[Path], blocked: list[Path]
) -> list[str]:
    """Known deck files, below a folder we were given, that are no longer there
    (and not below a path we could not see into)."""
    if not folders:
        return []
    seen = {str(p) for p in files}
    return [
        path
        for path in known_decks
        if path not in seen
        and any(Path(path).is_relative_to(folder) for folder in folders)
        and not any(Path(path).is_relative_to(where) for where in blocked)
    ]


def _first_place(
    key: str,
    path: str,
    owner: dict[str, tuple[str, int]],
    existing: dict[str, dict],
    unchanged: set[str],
    moving_from: set[str],
) -> str | None:
    """Where else a card lives (`path:line`), or None when it is free to be here.

    A card already imported from another file is still there if that file is
    unchanged in this import, or is not part of it but exists; if that file
    changed or vanished in this import, the card is moving, which is fine.
    """
    if key in owner:
        shown, line = owner[key]
        return f"{shown}:{line}"
    old = existing.get(key)
    if old is None or old["status"] == Status.RETIRED.value or old["path"] == path:
        return None
    other = old["path"]
    if other in moving_from:
        return None
    if other in unchanged or os.path.exists(other):
        return f"{display_path(other)}:{old['source_line']}"
    return None


def _apply_deck(
    store: Store, item: _Loaded, existing: dict[str, dict], keys_of_file: list[str], claimed: set[str], now: datetime
) -> None:
    deck = item.report
    path = str(item.path)
    inserts, updates = [], []
    added_cards: list[ParsedCard] = []
    for card in item.cards:
        row = _content_row(card, deck.title, path)
        old = existing.get(card.key)
        if old is None:
            row["status"] = Status.ACTIVE.value
            inserts.append(row)
            added_cards.append(card)
            deck.added += 1
            deck.added_by_kind[card.kind] = deck.added_by_kind.get(card.kind, 0) + 1
            continue
        if old["status"] == Status.RETIRED.value:
            row["status"] = Status.ACTIVE.value
            deck.restored += 1
        else:
            row["status"] = old["status"]  # a suspended card stays suspended
            if any(row[c] != old[c] for c in COUNTED_FIELDS):
                deck.updated += 1
            else:
                deck.unchanged += 1
        if any(row[c] != old[c] for c in ("status", "source_line") + COUNTED_FIELDS):
            updates.append(row)
    card_table.insert_cards(store, inserts, now)
    card_table.update_cards(store, updates, now)

    keys_here = {card.key for card in item.cards}
    retired = [
        key
        for key in keys_of_file
        if existing[key]["status"] != Status.RETIRED.value and key not in keys_here and key not in claimed
    ]
    card_table.set_status(store, retired, Status.RETIRED, now)
    deck.retired = len(retired)
    _note_prompt_edits(deck, added_cards, [existing[k] for k in retired])
    card_table.upsert_deck(store, path, deck.title, item.digest, len(item.cards), now, item.stat)


def _note_prompt_edits(deck: DeckReport, added: list[ParsedCard], retired: list[dict]) -> None:
    """Say so when a card looks edited on its prompt side: that makes a new card."""
    # An empty answer (a drill without a model answer, a follow-up) says nothing about identity.
    by_answer = {(old["kind"], old["answer"]): old for old in retired if old["answer"].strip()}
    by_line = {(old["kind"], old["source_line"]): old for old in retired}
    for card in added:
        old = by_answer.get((card.kind.value, card.answer)) or by_line.get((card.kind.value, card.line))
        if old is None:
            continue
        deck.notes.append(
            f"{deck.path}:{card.line}: the prompt changed, so this is a new card and the old one "
            "(with its history) is retired; pin cards with <!-- id: name --> to keep history through prompt edits"
        )
