"""Finding and reading deck files, where every odd thing a disk holds is an error with its path.

A deck folder is untrusted ground like a deck's text: a file name that is
not UTF-8, a symbolic link that loops or leads nowhere, a folder that cannot
be read, a file too big to be a deck. Each becomes a ParseError naming the
path (as a user can type it, bytes that are not UTF-8 shown as `\\xff`), and
the path is "blocked": the importer must not take the decks it cannot see
there for deleted ones.
"""

from __future__ import annotations

import errno
import hashlib
import os
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from trainer.model import ParseError
from trainer.safe_text import is_utf8_name, path_text

# A deck is text someone wrote; a file this big is a mistake (a log, a dump)
# and reading it whole would only use up memory.
MAX_DECK_BYTES = 20 * 1024 * 1024

# A file written this close to the import could change again within the same
# clock tick without its time moving (git's "racy" files): hash it next time.
RACY_NS = 2_000_000_000


def display_path(path: Path | str) -> str:
    """A path as the user would type it: relative to here when it is below here."""
    text = str(path)
    if os.path.isabs(text) and os.path.normpath(text) == text:
        # The common case (every file a folder walk finds), without relpath's
        # two abspath calls: the rescan at start shows a thousand of these.
        here = os.path.join(os.getcwd(), "")
        if text.startswith(here):
            return text[len(here):]
        return "." if text + os.sep == here else text
    try:
        relative = os.path.relpath(text)
    except ValueError:  # another drive on Windows
        return text
    return text if relative.startswith("..") else relative


@dataclass
class Found:
    files: list[Path] = field(default_factory=list)
    folders: list[Path] = field(default_factory=list)  # folders searched: a known deck missing below them is gone
    errors: list[ParseError] = field(default_factory=list)
    blocked: list[Path] = field(default_factory=list)  # paths we could not see into: nothing below them is gone


def _error(found: Found, path: Path | str, message: str, *, block: bool = True) -> None:
    found.errors.append(ParseError(path_text(display_path(path)), 0, message))
    if block:
        found.blocked.append(Path(os.path.abspath(path)))


def _broken_link_message(path: Path) -> str:
    try:
        os.stat(path)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "is a symbolic link that loops back on itself; fix or remove the link"
    return "is a symbolic link to something that is not there; fix or remove the link"


def _walk(root: Path, found: Found) -> list[Path]:
    """Every `*.md` below root, skipping hidden folders and files (.git, .venv,
    editor lock files) without walking into them. A folder that cannot be read
    is an error, not an empty folder: its decks must not look deleted."""

    def unreadable(exc: OSError) -> None:
        where = exc.filename or root
        _error(found, where, f"cannot read the folder: {exc.strerror}; check its permissions")

    files = []
    for folder, subfolders, names in os.walk(root, onerror=unreadable):
        base = Path(folder)
        keep = []
        for name in subfolders:
            if name.startswith("."):
                continue
            if not is_utf8_name(name):
                _error(found, base / name, "folder name is not UTF-8; rename it (its decks were not read)")
                continue
            keep.append(name)
        subfolders[:] = keep
        for name in names:
            if not name.endswith(".md") or name.startswith("."):
                continue
            path = base / name
            if not is_utf8_name(name):
                _error(found, path, "file name is not UTF-8; rename it")
            elif path.is_file():
                files.append(path)
            elif path.is_symlink() and not path.exists():
                _error(found, path, _broken_link_message(path))
    return sorted(files)


def scan_paths(paths: list[str | Path]) -> Found:
    """The deck files below the paths given on the command line, and what was wrong on the way."""
    found = Found()
    for given in paths:
        path = Path(given).expanduser()
        if not is_utf8_name(str(path)):
            _error(found, path, "the path is not UTF-8; rename it or give another path")
            continue
        if path.is_dir():
            root = Path(os.path.realpath(path))
            found.folders.append(root)
            found.files.extend(_walk(root, found))
        elif path.is_file():
            found.files.append(Path(os.path.realpath(path)))
        elif path.is_symlink():
            _error(found, path, _broken_link_message(path))
        else:
            _error(found, given, "no such file or folder", block=False)
    found.files = list(dict.fromkeys(found.files))
    return found


def find_deck_files(paths: list[str | Path]) -> tuple[list[Path], list[Path], list[ParseError]]:
    """(deck files, folders searched, errors) for the paths given on the command line."""
    found = scan_paths(paths)
    return found.files, found.folders, found.errors


def read_deck(path: Path, shown: str) -> tuple[str | None, str, ParseError | None]:
    """(text, sha256 of the bytes, error): text is None when the file cannot be a deck."""
    try:
        size = path.stat().st_size
        if size > MAX_DECK_BYTES:
            return None, "", ParseError(
                shown, 1, f"the file is {size / 2**20:.0f} MiB, too big to be a deck "
                f"(at most {MAX_DECK_BYTES // 2**20} MiB); split it, or move it out of the deck folder"
            )
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


def file_stat(path: Path, now: datetime) -> tuple[int, int] | None:
    """(size, modification time in ns): with the hash, how an unchanged file is known without reading it."""
    try:
        info = path.stat()
    except OSError:
        return None
    if info.st_mtime_ns > now.timestamp() * 1e9 - RACY_NS:
        return None
    return info.st_size, info.st_mtime_ns
