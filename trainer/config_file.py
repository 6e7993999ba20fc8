"""Changing a few settings in config.toml without touching the rest of it.

`trainer optimize` writes its fitted parameters into the user's own file:
their comments, their order, their blank lines and every setting they wrote
stay exactly as they were. Only the lines of the keys being set change (or
are added at the end). The result is checked by reading it back before it
replaces the old file, which happens atomically.
"""

from __future__ import annotations

import os
import re
import tomllib
from pathlib import Path

from trainer.errors import ConfigError

_ASSIGNMENT = re.compile(r"^\s*(?P<key>[A-Za-z0-9_-]+)\s*=")
_TABLE = re.compile(r"^\s*\[")


def toml_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    raise TypeError(f"cannot write {value!r} as TOML")


def _value_end(lines: list[str], start: int) -> int:
    """The last line of the value assigned on line `start` (arrays may run over several)."""
    depth = 0
    for number in range(start, len(lines)):
        text = lines[number]
        if number == start:
            text = text.split("=", 1)[1]
        in_string = None
        for char in text:
            if in_string:
                if char == in_string:
                    in_string = None
            elif char in "\"'":
                in_string = char
            elif char == "#":
                break
            elif char == "[":
                depth += 1
            elif char == "]":
                depth -= 1
        if depth <= 0:
            return number
    return len(lines) - 1


def update_settings_file(path: Path, values: dict, header: str = "") -> None:
    """Set `values` in the TOML file at `path`, keeping everything else as written."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        text = header
    lines = text.splitlines()
    remaining = dict(values)
    out: list[str] = []
    number = 0
    top_level = True
    while number < len(lines):
        line = lines[number]
        if _TABLE.match(line):
            top_level = False
        match = _ASSIGNMENT.match(line) if top_level else None
        if match and match.group("key") in remaining:
            key = match.group("key")
            end = _value_end(lines, number)
            out.append(f"{key} = {toml_value(remaining.pop(key))}")
            number = end + 1
            continue
        out.append(line)
        number += 1
    if remaining:
        # New keys go before any [table], where top-level keys must be.
        at = next((i for i, line in enumerate(out) if _TABLE.match(line)), len(out))
        added = [f"{key} = {toml_value(value)}" for key, value in remaining.items()]
        if at > 0 and out[at - 1].strip():
            added.insert(0, "")
        out[at:at] = added
    new_text = "\n".join(out) + "\n"
    try:
        parsed = tomllib.loads(new_text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: could not write the new settings without breaking the file: {exc}") from None
    for key, value in values.items():
        if parsed.get(key) != (list(value) if isinstance(value, tuple) else value):
            raise ConfigError(f"{path}: could not write {key}; the file has it in a form trainer cannot edit")
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(new_text, encoding="utf-8")
    os.replace(tmp, path)
