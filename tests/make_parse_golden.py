"""Record what the parser makes of every deck we know, as tests/parse_golden.json.

Run from the repository root: `.venv/bin/python tests/make_parse_golden.py`.
After adding a card kind, `... make_parse_golden.py --refresh-marker-lists`
rewrites only the two messages that list every marker (an unknown marker, a
pin that pins nothing), and refuses if anything else changed.

The inputs are the bundled decks (decks/*.md) and every text the test suite
hands to `parse_deck`, directly or through the importer: the suite is run
once with `parse_deck` wrapped so each (text, path) it sees is recorded. The
inputs are stored with the outputs, so the golden test checks the parser, not
the current wording of the decks. Regenerate only when a change of the deck
format is meant to change what existing decks parse to, and say so in the commit.
"""

from __future__ import annotations

import json
import re
import sys
import tempfile
from pathlib import Path, PurePath

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "parse_golden.json"
sys.path.insert(0, str(ROOT))

import trainer.parse  # noqa: E402  (patched before anything imports parse_deck)

# Corners of the format the suite touches lightly, written out so the refactor
# cannot drift on them unseen.
EDGE_TEXTS = [
    "BAD: b\n\nGOOD: g\n\nWHY: w\n",
    "BAD: b\nWHY: w first\nGOOD: g\n",
    "BAD: b\nprose joins the field\n\nprose after a blank line\nGOOD: g\n",
    "Q:no space after the colon\nA:still fine\n",
    "q: lower case is prose\na: too\n",
    "* Q: star bullet\n+ A: plus bullet\n",
    "1. Not numbered, but still a pair.\n2) Not this, but that.\n",
    "## Heading with hashes ##\nQ: q\nA: a\n",
    "#NoSpace is prose\nQ: q\nA: a\n",
    "Q: q\nA: a\n```\nQ: inside a fence that belongs to the answer\n```\nmore\n",
    "~~~\nQ: tilde fence outside a card\n~~~\nQ: real\nA: a\n",
    "Q: q\nA: a\nNOTE: typo-like inside a card\n",
    "Q: q\nA: a\nX: one letter is not a typo\n",
    "Q: q\nA: a\nURL:http://x is not a typo\n",
    "TODO: outside a card is prose\n",
    "LADDER: L\n<!-- id: r1 -->\nPRIMARY: p\n<!-- id: r2 -->\nPROXY: x\n\nGUARDRAIL: g\n",
    "<!-- id: lad -->\nLADDER: L\nPRIMARY: p\nPROXY: a\nPROXY: b\n",
    "LADDER: L\nPRIMARY: p\nPRIMARY: again\n",
    "LADDER: L\nPRIMARY:\nPROXY: x\n",
    "LADDER: same\nPRIMARY: p\n\nLADDER: same\nPRIMARY: p\n",
    "<!-- id: a -->\n<!-- id: b -->\nQ: q\nA: a\n",
    "<!--id:tight-->\nQ: q\nA: a\n",
    "<!-- id: x -->\n## heading\nQ: q\nA: a\n",
    "<!-- id: end -->",
    "<!-- id: p -->\n- Not a, but b.\n  wrapped on\n- Not c, but d.\n",
    "- Not a,\n  but b.\nGOOD: orphan\n",
    "Not “a, but b,” but c.\nNot the users’ choice, but theirs.\n",
    "NOT: x\nBUT: y\nBUT: z\n",
    "NOT: same\nBUT: y\n\n- Not same, but z.\n",
    "Q: q\nA: a\nGOOD: wrong owner\n",
    "BAD: b\nGOOD: g\nA: wrong owner\n",
    "GUARDRAIL: orphan\nPRIMARY: orphan\n",
    "Q: one\r\nA: crlf\r\n\r\nQ: two\r\nA: b\r\n",
    "\ufeffQ: bom\nA: a\n",
    "   Q: indented marker is prose\n   A: too\n",
    "Q: q\nA: first line\n    indented continuation\n\tTab continuation\n",
    "# Title\n\n# Second h1\n### Deep\n## Up\nQ: q\nA: a\n",
    "Q: trailing spaces   \nA: a   \n",
    "BAD:   \nGOOD: g\n",
    "Q: q\nA: a\n<!-- a plain comment -->\n",
]

SEEN: dict[tuple[str, str], None] = {}
_real_parse_deck = trainer.parse.parse_deck


def _recording_parse_deck(text: str, path: str):
    SEEN.setdefault((text, _stable_path(path)), None)
    return _real_parse_deck(text, path)


def _stable_path(path: str) -> str:
    """Temporary folders differ on every run; keep only the file name below them.
    The bundled decks, read from the checkout by the first-run import, are
    named as in the repository."""
    if PurePath(path).is_relative_to(ROOT):
        return PurePath(path).relative_to(ROOT).as_posix()
    if PurePath(path).is_absolute() and path.startswith(tempfile.gettempdir()):
        return "tmp/" + PurePath(path).name
    return path


def deck_output(text: str, path: str) -> dict:
    """Everything a parse gives that the rest of the program can see."""
    deck = trainer.parse.parse_deck(text, path)
    return {
        "title": deck.title,
        "cards": [
            {
                "path": deck.path,
                "line": card.line,
                "kind": str(card.kind.value if hasattr(card.kind, "value") else card.kind),
                "key": card.key,
                "identity": list(card.identity),
                "prompt": card.prompt,
                "answer": card.answer,
                "extra": card.extra,
                "section": card.section,
                "sibling": card.sibling,
                "pinned_id": card.pinned_id,
            }
            for card in deck.cards
        ],
        "errors": [str(error) for error in deck.errors],
    }


# The parts of messages that list every kind's markers, as the registry words them.
LISTS = (
    re.compile(r"cards use (.*) \(to keep it as text"),
    re.compile(r"put it on the line right before the (.*) line it pins"),
)


def _without_lists(message: str) -> str:
    for pattern in LISTS:
        message = pattern.sub(lambda m: m.group(0).replace(m.group(1), "<markers>"), message)
    return message


def refresh_marker_lists() -> int:
    entries = json.loads(GOLDEN.read_text(encoding="utf-8"))
    changed = 0
    for entry in entries:
        new = deck_output(entry["text"], entry["path"])
        same_cards = new["title"] == entry["title"] and new["cards"] == entry["cards"]
        same_errors = [_without_lists(e) for e in new["errors"]] == [_without_lists(e) for e in entry["errors"]]
        if not (same_cards and same_errors):
            print(f"{entry['path']}: more than a marker list changed; not refreshing", file=sys.stderr)
            return 1
        changed += new["errors"] != entry["errors"]
        entry["errors"] = new["errors"]
    GOLDEN.write_text(json.dumps(entries, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"marker lists refreshed in {changed} of {len(entries)} deck texts")
    return 0


def main() -> int:
    import pytest

    if sys.argv[1:] == ["--refresh-marker-lists"]:
        return refresh_marker_lists()

    trainer.parse.parse_deck = _recording_parse_deck
    # Only the suite as it stood before the kind registry: later tests (hostile
    # inputs, new kinds) describe new behaviour, not the behaviour to keep.
    code = pytest.main(["-q", "-p", "no:cacheprovider", "-x", str(ROOT / "tests"),
                        "--ignore", str(ROOT / "tests" / "hostile"),
                        "--ignore", str(ROOT / "tests" / "test_parse_golden.py")])
    trainer.parse.parse_deck = _real_parse_deck
    if code != 0:
        print("the suite failed; no golden file written", file=sys.stderr)
        return 1
    # The format reference is Markdown full of fenced examples: it must stay a deck with no cards.
    known = sorted((ROOT / "decks").glob("*.md")) + [ROOT / "docs" / "deck-format.md"]
    inputs = [(path.read_text(encoding="utf-8"), path.relative_to(ROOT).as_posix()) for path in known]
    inputs += [(text, f"decks/edge-{n}.md") for n, text in enumerate(EDGE_TEXTS)]
    inputs += [key for key in SEEN if key not in set(inputs)]
    entries = [{"path": path, "text": text, **deck_output(text, path)} for text, path in inputs]
    GOLDEN.write_text(json.dumps(entries, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"{len(entries)} deck texts written to {GOLDEN.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
