"""The bundled decks' second edition, as the parser in this checkout can read it.

The second edition uses three things the parser is still learning: `was:` in a
pin (`<!-- id: new; was: OLDKEY -->`), `CLOZE:` cards and `DRILL:` cards. Until
the parser reads them, a pin with `was:` is an invalid id, a pin above a
`CLOZE:` or `DRILL:` line pins nothing, and a drill's `A:` has no `Q:`: every
bundled deck would be refused. `as_parsed_today` rewrites a deck so that only
what this parser already understands is left (the same line numbers, the same
cards it can make); once the parser reads all three, it returns the text as is.
"""

from __future__ import annotations

import re
from pathlib import Path

from trainer.parse import parse_deck

DECKS_DIR = Path(__file__).resolve().parent.parent / "decks"

SLUG = r"[A-Za-z0-9][A-Za-z0-9_.-]*"
OLD_KEY = r"[0-9a-f]{20}"
# The pin syntax of the second edition, `was:` included.
PIN_RE = re.compile(rf"^<!--\s*id:\s*(?P<slug>{SLUG})\s*(?:;\s*was:\s*(?P<was>{OLD_KEY}(?:\s+{OLD_KEY})*))?\s*-->\s*$")
ANY_PIN_RE = re.compile(r"^<!--\s*id:")
HEADING_RE = re.compile(r"^#{1,6}\s")


def _reads(text: str, kind: str | None = None) -> bool:
    deck = parse_deck(text, "probe.md")
    if deck.errors:
        return False
    return kind is None or any(card.kind.value == kind for card in deck.cards)


READS_WAS = _reads("<!-- id: probe; was: 0123456789abcdef0123 -->\nQ: q\nA: a\n")
READS_CLOZE = _reads("<!-- id: probe -->\nCLOZE: a {{c1::b}} c\n", "cloze")
READS_DRILL = _reads("<!-- id: probe -->\nDRILL: d\nTIME: 90s\nRUBRIC:\n- r\nA: m\nFOLLOWUP: f\n", "drill")
PARSER_READS_SECOND_EDITION = READS_WAS and READS_CLOZE and READS_DRILL
WAITING_FOR = ", ".join(
    name for name, ok in (("`was:` in pins", READS_WAS), ("CLOZE:", READS_CLOZE), ("DRILL:", READS_DRILL)) if not ok
)


def as_parsed_today(text: str) -> str:
    """The deck with the syntax this parser does not read yet blanked out, line for line."""
    lines = text.splitlines()
    out = list(lines)
    in_drill = False
    for i, line in enumerate(lines):
        following = lines[i + 1] if i + 1 < len(lines) else ""
        if in_drill:
            if not line.strip() or HEADING_RE.match(line):
                in_drill = False
            else:
                out[i] = ""
                continue
        pin = PIN_RE.match(line)
        if pin and not READS_WAS:
            out[i] = f"<!-- id: {pin.group('slug')} -->"
        if pin and not READS_CLOZE and following.startswith("CLOZE:"):
            out[i] = ""
        if pin and not READS_DRILL and following.startswith("DRILL:"):
            out[i] = ""
        if line.startswith("DRILL:") and not READS_DRILL:
            out[i] = ""
            in_drill = True
    return "\n".join(out) + "\n"


def copy_as_parsed_today(target: Path) -> Path:
    """A copy of the bundled decks folder that this parser can import; the folder itself when it reads them all."""
    if PARSER_READS_SECOND_EDITION:
        return DECKS_DIR
    target.mkdir(parents=True, exist_ok=True)
    for path in sorted(DECKS_DIR.glob("*.md")):
        (target / path.name).write_text(as_parsed_today(path.read_text(encoding="utf-8")), encoding="utf-8")
    return target

