"""Bundled decks are read-only: editing one means taking a copy that carries its cards on.

The decks shipped with trainer live inside the installed program, which a
new version replaces (and which may not be writable at all). To edit one,
`editable_copy` copies its file into your decks folder (TRAINER_DECKS, else
`decks` in the user data folder; `trainer config` shows it) and imports the
copy: the cards keep their keys, so they move to the copy with their whole
history and schedule. The bundled file is then "replaced" (the
`replaced_decks` table): imports of the bundled folder, including the
first-run sync that brings in a newer version's decks, pass it by, so the
original never comes back beside your copy. Your decks folder is followed, so
your edits are imported at the next start.
"""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path

from trainer.config import bundled_decks_dir, user_decks_dir
from trainer.deck_files import display_path
from trainer.errors import TrainerError
from trainer.importer import import_paths
from trainer.model import Card
from trainer.store import Store
from trainer.store import followed as followed_table


def is_bundled(path: str | Path) -> bool:
    return Path(path).is_relative_to(bundled_decks_dir().resolve())


def editable_copy(store: Store, card: Card, now: datetime, *, folder: Path | None = None) -> Path:
    """The file to open in an editor to change `card`.

    A card of your own decks: its file, as it is. A card of a bundled deck:
    a copy of that deck in your decks folder (`folder` overrides it), which
    now holds the deck's cards with their history; calling again returns the
    same copy. Raises TrainerError when the card's file is gone or the copy
    cannot be written.
    """
    source = Path(card.path)
    if not is_bundled(source):
        if not source.is_file():
            raise TrainerError(
                f"{display_path(source)}: this card's deck file is not there any more; "
                "restore it, or import the folder it moved to"
            )
        return source
    copies = followed_table.replaced_decks(store)
    earlier = copies.get(str(source))
    if earlier and Path(earlier).is_file():
        import_paths(store, [earlier], now)  # a no-op unless the copy was never imported whole
        return Path(earlier)
    folder = (folder or user_decks_dir()).expanduser()
    target = _free_name(folder / source.relative_to(bundled_decks_dir().resolve()))
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        # copyfile, not copy2: an installed deck may be read-only, the copy must not be.
        shutil.copyfile(source, target)
    except OSError as exc:
        raise TrainerError(
            f"{display_path(target)}: cannot write the copy of the bundled deck: {exc.strerror}; "
            "check the folder's permissions, or set TRAINER_DECKS to another folder"
        ) from None
    target = target.resolve()
    with store.write():
        followed_table.replace_deck(store, str(source), str(target), now)
        followed_table.follow(store, [str(folder.resolve())], now)
    # The copy's cards are the bundled file's (same keys): they move to it, history and all.
    import_paths(store, [target], now)
    return target


def _free_name(path: Path) -> Path:
    """`path`, or `name-2.md`, `name-3.md` ... when a file of that name is already there."""
    if not path.exists():
        return path
    number = 2
    while True:
        candidate = path.with_name(f"{path.stem}-{number}{path.suffix}")
        if not candidate.exists():
            return candidate
        number += 1
