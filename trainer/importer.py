"""Deck files -> the store: diff against what is there, retire what disappeared.

A file whose content hash is unchanged is skipped without parsing. A file with
any error is skipped whole, so its cards stay exactly as they were; the other
files still import. Cards are matched by key (trainer.identity), never by file,
so a card moved to another deck keeps its history.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from trainer.model import ParsedCard, ParseError, Status
from trainer import carry_over
from trainer.parse import parse_deck
from trainer.safe_text import visible_line
from trainer.store import Store
from trainer.store import cards as card_table

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
    def ok(self) -> bool:
        return not self.all_errors


def display_path(path: Path | str) -> str:
    """A path as the user would type it: relative to here when it is below here."""
    try:
        relative = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)
    return str(path) if relative.startswith("..") else relative


def _deck_files_under(root: Path, errors: list[ParseError]) -> list[Path]:
    """Every `*.md` below root, skipping hidden folders and files (.git, .venv,
    editor lock files) without walking into them. A folder that cannot be read
    is an error, not an empty folder: its decks must not look deleted."""

    def unreadable(exc: OSError) -> None:
        where = display_path(exc.filename or root)
        errors.append(ParseError(where, 0, f"cannot read the folder: {exc.strerror}; check its permissions"))

    found = []
    for folder, subfolders, names in os.walk(root, onerror=unreadable):
        subfolders[:] = [name for name in subfolders if not name.startswith(".")]
        base = Path(folder)
        found.extend(base / name for name in names if name.endswith(".md") and not name.startswith("."))
    return sorted(p for p in found if p.is_file())


def find_deck_files(paths: list[str | Path]) -> tuple[list[Path], list[Path], list[ParseError]]:
    """(deck files, folders searched, errors) for the paths given on the command line."""
    files: list[Path] = []
    folders: list[Path] = []
    errors: list[ParseError] = []
    for given in paths:
        path = Path(given).expanduser()
        if path.is_dir():
            root = path.resolve()
            folders.append(root)
            files.extend(_deck_files_under(root, errors))
        elif path.is_file():
            files.append(path.resolve())
        else:
            errors.append(ParseError(str(given), 0, "no such file or folder"))
    unique = list(dict.fromkeys(files))
    return unique, folders, errors


@dataclass
class _Loaded:
    path: Path
    shown: str
    digest: str
    report: DeckReport
    cards: tuple[ParsedCard, ...] = ()
    stat: tuple[int, int] | None = None


class _DryRunRollback(Exception):
    pass


def _read(path: Path, shown: str) -> tuple[str | None, str, ParseError | None]:
    try:
        data = path.read_bytes()
    except OSError as exc:
        return None, "", ParseError(shown, 1, f"cannot read the file: {exc.strerror}; check its permissions")
    digest = hashlib.sha256(data).hexdigest()
    try:
        # utf-8-sig: a byte-order mark (some Windows editors add one) is not text.
        return data.decode("utf-8-sig"), digest, None
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return None, digest, ParseError(
            shown, line, f"not UTF-8 (byte 0x{data[exc.start]:02x}); save the file as UTF-8"
        )


# A file written this close to the import could change again within the same
# clock tick without its time moving (git's "racy" files): hash it next time.
RACY_NS = 2_000_000_000


def _stat(path: Path, now: datetime) -> tuple[int, int] | None:
    """(size, modification time in ns): with the hash, how an unchanged file is known without reading it."""
    try:
        info = path.stat()
    except OSError:
        return None
    if info.st_mtime_ns > now.timestamp() * 1e9 - RACY_NS:
        return None
    return info.st_size, info.st_mtime_ns


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
    files, folders, errors = find_deck_files(paths)
    report = ImportReport(errors=errors, dry_run=dry_run)
    try:
        with store.atomic():
            _import(store, files, folders, now, report)
            if dry_run:
                raise _DryRunRollback
    except _DryRunRollback:
        pass
    return report


def _import(store: Store, files: list[Path], folders: list[Path], now: datetime, report: ImportReport) -> None:
    """The import itself. Its reads follow the edit: unchanged files are known by
    size and time (or hash) and never parsed, and the database is asked only
    about the cards of the files that changed."""
    known_decks = card_table.decks_by_path(store)
    unchanged_paths: set[str] = set()
    seen_again: list[tuple[str, int, int]] = []  # unchanged files whose size or time moved
    changed_paths: set[str] = set()
    loaded: list[_Loaded] = []
    for path in files:
        shown = display_path(path)
        known = known_decks.get(str(path))
        stat = _stat(path, now)
        if known is not None and stat is not None and (known["size"], known["mtime_ns"]) == stat:
            report.decks.append(DeckReport(shown, known["name"], unchanged=known["card_count"]))
            unchanged_paths.add(str(path))
            continue
        text, digest, error = _read(path, shown)
        if known is not None and digest == known["content_hash"]:
            report.decks.append(DeckReport(shown, known["name"], unchanged=known["card_count"]))
            unchanged_paths.add(str(path))
            if stat is not None:
                seen_again.append((str(path),) + stat)
            continue
        changed_paths.add(str(path))
        deck = DeckReport(shown, path.stem)
        report.decks.append(deck)
        if error:
            deck.errors.append(error)
            continue
        parsed = parse_deck(text, shown)
        # A title is a label shown on every screen: no control character survives into it.
        deck.title = visible_line(parsed.title)
        deck.errors.extend(parsed.errors)
        if not deck.errors:
            loaded.append(_Loaded(path, shown, digest, deck, parsed.cards, stat))

    for path, size, mtime_ns in seen_again:
        card_table.set_deck_stat(store, path, size, mtime_ns)
    # Below a path we could not read, a missing file is not a deleted one.
    unreadable = [Path(error.path).resolve() for error in report.errors]
    vanished = _vanished_decks(known_decks, files, folders, unreadable)
    if not loaded and not vanished:
        return  # the no-op re-import: nothing parsed, nothing to diff

    # What the database holds for these files, and for their cards wherever they live now.
    new_keys = [card.key for item in loaded for card in item.cards]
    existing = card_table.content_in_paths(store, [str(item.path) for item in loaded])
    existing.update(card_table.content_by_keys(store, [key for key in new_keys if key not in existing]))
    moving_from = changed_paths | set(vanished)

    def live_elsewhere(row: dict) -> str | None:
        return _first_place(row["key"], "", {}, {row["key"]: row}, unchanged_paths, moving_from)

    notes = carry_over.take_over(store, [card for item in loaded for card in item.cards], existing, live_elsewhere)
    if notes and loaded:
        loaded[0].report.notes.extend(notes)

    # The same card in two files is an error in the later file.
    owner: dict[str, tuple[str, int]] = {}
    good: list[_Loaded] = []
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
            continue
        for card in item.cards:
            owner[card.key] = (item.shown, card.line)
        good.append(item)
    claimed_keys = set(owner)

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
        deck.notes.append("the file is gone; its cards are retired (history kept)")
        report.decks.append(deck)


def _vanished_decks(
    known_decks: dict[str, dict], files: list[Path], folders: list[Path], unreadable: list[Path]
) -> list[str]:
    """Known deck files, below a folder we were given, that are no longer there."""
    seen = {str(p) for p in files}
    return [
        path
        for path in known_decks
        if path not in seen
        and any(Path(path).is_relative_to(folder) for folder in folders)
        and not any(Path(path).is_relative_to(blocked) for blocked in unreadable)
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
