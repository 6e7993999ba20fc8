"""Opening a deck file in the user's editor, at a card's line, without ever leaving a broken screen."""

from __future__ import annotations

import hashlib
import os
import shlex
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from textual.app import App


@dataclass(frozen=True)
class Edited:
    ok: bool
    changed: bool = False
    message: str = ""  # why it did not open, for a notice


def editor_command() -> tuple[list[str] | None, str]:
    """$VISUAL, else $EDITOR, else vi, split as a shell would; (None, why) when it cannot be read."""
    raw = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
    try:
        parts = shlex.split(raw)
    except ValueError as exc:
        return None, f"cannot read $EDITOR ({raw!r}): {exc}; fix it in your shell's settings"
    if not parts:
        return None, "$EDITOR is empty; set it to your editor, e.g. export EDITOR=nano"
    return parts, ""


def _digest(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def open_in_editor(app: App, path: str, line: int) -> Edited:
    """Suspend the app, run the editor on `path` at `line`, come back; say whether the file changed."""
    command, why = editor_command()
    if command is None:
        return Edited(False, message=why)
    file = Path(path)
    if not file.is_file():
        return Edited(False, message=f"{path}: the deck file is not there any more")
    program = shutil.which(command[0])
    if program is None:
        found = Path(command[0]).expanduser()
        if found.is_dir():
            return Edited(False, message=f"cannot run {command[0]!r}: it is a folder; set $EDITOR to an editor")
        return Edited(False, message=f"editor not found: {command[0]!r}; set $EDITOR to an installed editor")
    before = _digest(file)
    run = [program, *command[1:], f"+{line}", str(file)]
    try:
        if app.is_headless:  # no terminal to hand over (tests, a web terminal): run it as it is
            result = subprocess.run(run, check=False, stdin=subprocess.DEVNULL, capture_output=True)
        else:
            with app.suspend():
                result = subprocess.run(run, check=False)
    except FileNotFoundError:
        return Edited(False, message=f"editor not found: {command[0]!r}; set $EDITOR to an installed editor")
    except PermissionError:
        return Edited(False, message=f"cannot run {command[0]!r} (a folder, or not executable); set $EDITOR")
    except OSError as exc:
        return Edited(False, message=f"cannot run the editor {command[0]!r}: {exc.strerror or exc}")
    except Exception as exc:  # noqa: BLE001 - Textual's SuspendNotSupported in a headless or web terminal
        return Edited(False, message=f"cannot open an editor here: {exc}")
    changed = _digest(file) != before
    if result.returncode != 0:
        return Edited(True, changed, f"the editor exited with status {result.returncode}")
    return Edited(True, changed)
