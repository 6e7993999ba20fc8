"""The line classifier of the deck parser: what one line of a deck is.

Stateless: whether a line is inside a fenced block is the state machine's
business (trainer.parse). Every pattern here runs in time linear in the
line's length: a deck is untrusted input, and a regular expression that
backtracks (a lazy `.*?` between two `\\s*`) stalled the import for minutes on
a pin followed by thousands of spaces. So patterns only anchor short prefixes;
the rest is plain string operations.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

from trainer.identity import KEY_LENGTH, PINNED_PREFIX

# Only \n, \r\n and a lone \r end a line. str.splitlines() also splits on form
# feed, \x85, \u2028 ..., which editors do not show as line breaks, so every
# path:line after one of them was off.
LINE_END_RE = re.compile(r"\r\n|\r|\n")
MARKER_RE = re.compile(r"(?:[-*+]\s+)?(?P<word>[A-Z]+):")
HEADING_RE = re.compile(r"(?P<hashes>#{1,6})\s")
SLUG_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")
HEX = frozenset("0123456789abcdef")
FENCE_RE = re.compile(r"\s*(?P<fence>`{3,}|~{3,})")


class LineType(Enum):
    BLANK = "blank"
    HEADING = "heading"
    PIN = "pin"
    MARKER = "marker"
    TEXT = "text"


@dataclass(frozen=True)
class Line:
    number: int
    text: str
    type: LineType
    word: str = ""  # MARKER: the marker word (known or not)
    rest: str = ""  # MARKER: what follows the colon; PIN: what follows `id:`
    title: str = ""  # HEADING: its text
    level: int = 0  # HEADING: 1 for `#`, 2 for `##` ...


def split_lines(text: str) -> list[str]:
    """The lines of a deck as an editor numbers them; a byte-order mark is not text."""
    lines = LINE_END_RE.split(text.removeprefix("\ufeff"))
    if lines[-1] == "":
        lines.pop()  # a final line end does not start another line
    return lines


def classify(number: int, text: str) -> Line:
    """What a line outside a fenced block is, before knowing which markers exist."""
    if not text.strip():
        return Line(number, text, LineType.BLANK)
    heading = HEADING_RE.match(text)
    if heading:
        level = len(heading.group("hashes"))
        # Trailing `#`s close an ATX heading; surrounding spaces are not the title.
        title = text[heading.end() :].strip().rstrip("#").rstrip()
        return Line(number, text, LineType.HEADING, title=title, level=level)
    pin = pin_body(text)
    if pin is not None:
        return Line(number, text, LineType.PIN, rest=pin)
    marker = MARKER_RE.match(text)
    if marker:
        return Line(number, text, LineType.MARKER, word=marker.group("word"), rest=text[marker.end() :])
    return Line(number, text, LineType.TEXT)


def pin_body(text: str) -> str | None:
    """What follows `id:` in a `<!-- id: ... -->` line, or None when it is not one."""
    if not text.startswith("<!--"):
        return None
    inner = text.rstrip()
    if len(inner) < 7 or not inner.endswith("-->"):
        return None
    inner = inner[4:-3].strip()
    if not inner.startswith("id:"):
        return None
    return inner[3:].strip()


@dataclass(frozen=True)
class Pin:
    """`<!-- id: slug; was: OLD-KEY ... -->`: a card's fixed key and the keys it had before."""

    slug: str
    line: int
    was: tuple[str, ...] = ()


PIN_SYNTAX = "<!-- id: slug --> or <!-- id: slug; was: OLD-KEY -->"


def read_pin(body: str, line: int) -> Pin | str:
    """The pin a PIN line's body holds, or the message saying what is wrong with it."""
    slug, *options = body.split(";")
    slug = slug.strip()
    if not is_slug(slug):
        return (
            f"id {slug!r} is not a valid id; use letters, digits, '-', '_' or '.' "
            "(for example <!-- id: cold-start -->)"
        )
    was: list[str] = []
    for option in options:
        option = option.strip()
        if not option.startswith("was:"):
            return f"{option!r} in a pin is not understood; write {PIN_SYNTAX}"
        keys = option[4:].replace(",", " ").split()
        if not keys:
            return f"was: names no old key; list the card's old keys after it, as in <!-- id: {slug}; was: 3f2a9c0d1e2b3c4d5e6f -->"
        for key in keys:
            old = old_key(key)
            if old is None:
                return (
                    f"{key!r} after was: is not a card key; an old key is {KEY_LENGTH} hex digits "
                    "(the cards.key column) or id:slug for a card that was pinned"
                )
            if old not in was:
                was.append(old)
    return Pin(slug, line, tuple(was))


def is_slug(text: str) -> bool:
    return SLUG_RE.fullmatch(text) is not None


def old_key(text: str) -> str | None:
    """A key as stored (hex in lower case), or None when `text` cannot be one."""
    if text.startswith(PINNED_PREFIX):
        return text if is_slug(text[len(PINNED_PREFIX) :]) else None
    lowered = text.lower()
    return lowered if len(lowered) == KEY_LENGTH and set(lowered) <= HEX else None


@dataclass(frozen=True)
class Fence:
    """An open fenced code block: what closes it, and where it opened."""

    mark: str  # the opening run, ``` or ~~~~ ...
    line: int

    @classmethod
    def opened_by(cls, text: str, line: int) -> "Fence | None":
        """The fence `text` opens (leading spaces allowed), or None.

        As in CommonMark: three or more backticks or tildes, and a backtick
        fence's info string has no backtick (so ```x``` is inline code)."""
        match = FENCE_RE.match(text)
        if not match:
            return None
        mark = match.group("fence")
        if mark[0] == "`" and "`" in text[match.end() :]:
            return None
        return cls(mark, line)

    def closed_by(self, text: str) -> bool:
        """A run of the same character, at least as long, and nothing else."""
        run = text.strip()
        return len(run) >= len(self.mark) and run == self.mark[0] * len(run)

    @property
    def unclosed_message(self) -> str:
        return f"this {self.mark} fence is never closed; close it with {self.mark} on its own line"
