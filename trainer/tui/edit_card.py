"""`e` on a card, from any screen: the file opened at the card's line, then what changed imported.

A card of a bundled deck is not edited in place: the bundled decks live
inside the installed program, which the next install replaces. After asking,
the deck is copied into the user's decks folder and the copy takes the cards
over with their history (trainer.bundled); the editor opens the copy.

After the editor, the card's own file is imported (its errors are the ones
to show), then every followed path is rescanned: the editor may have changed
other files too.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from textual.screen import Screen

from trainer.bundled import editable_copy, is_bundled
from trainer.config import user_decks_dir
from trainer.deck_files import display_path
from trainer.errors import TrainerError
from trainer.importer import import_paths
from trainer.model import Card
from trainer.safe_text import visible_line
from trainer.store.cards import get_card
from trainer.sync import rescan
from trainer.sync import summary as sync_summary
from trainer.tui.editor import open_in_editor

# Called with the card as it is after the edit (None when it left its file), once something changed.
Done = Callable[[Card | None], Awaitable[None]]


async def edit_card(screen: Screen, card: Card, done: Done) -> None:
    """Open `card` in $EDITOR (asking first for a bundled deck); `screen` mixes in GuardedWrites."""
    if not is_bundled(card.path):
        await _edit(screen, card, done)
        return
    from trainer.tui.screens.prompts import ConfirmScreen

    question = (f"“{visible_line(card.deck)}” is a bundled deck: an update would undo edits made to it. "
                f"Copy it to your decks folder ({display_path(user_decks_dir())}) and edit the copy? "
                "Its cards move to the copy with their history.")

    async def answered(yes: bool | None) -> None:
        if yes:
            await _edit(screen, card, done)

    screen.app.push_screen(ConfirmScreen(question), answered)


async def _edit(screen, card: Card, done: Done) -> None:
    app = screen.app
    try:
        ok, path = screen.write("Copy", lambda: editable_copy(app.store, card, app.clock()))
    except TrainerError as error:
        screen.notify(str(error), severity="error", timeout=15)
        return
    if not ok:
        return
    copied = str(path) != card.path
    if copied:
        screen.notify(f"Copied to {display_path(path)}: edit it there; trainer follows your decks folder.",
                      timeout=8)
    edited = open_in_editor(app, str(path), card.source_line)
    if edited.message:
        screen.notify(edited.message, severity="warning" if edited.ok else "error", timeout=8)

    def reimport():
        report = import_paths(app.store, [path], app.clock()) if edited.changed else None
        return report, rescan(app.store, app.clock())

    ok, reports = screen.write("Re-import", reimport)
    if not ok:
        return
    report, others = reports
    if report is not None and not report.ok:
        problems = "\n".join(str(error) for error in report.all_errors[:3])
        screen.notify(f"The file has errors; its cards are unchanged:\n{problems}", severity="error", timeout=20)
    elif report is not None:
        notes = [note for deck in report.decks for note in deck.notes]
        if notes:
            screen.notify("Re-imported.\n" + "\n".join(notes[:2]), severity="warning", timeout=30)
        else:
            screen.notify("Re-imported.", timeout=3)
    if others is not None:
        screen.notify(sync_summary(others), timeout=8)
    if report is not None or others is not None or copied:
        await done(get_card(app.store, card.key))
