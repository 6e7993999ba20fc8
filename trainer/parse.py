"""Markdown deck text -> cards and errors. No I/O beyond the text given.

The format is documented in docs/deck-format.md. In short: a card starts at an
upper-case marker (BAD:, NOT:, LADDER:, Q:) or a `Not X, but Y` sentence;
the markers that follow (GOOD:, WHY:, BUT:, PRIMARY:, PROXY:, GUARDRAIL:, A:)
complete it. A field runs on until a blank line, the next marker or a heading.
Everything else is prose and makes no card.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import PurePath

from trainer.identity import card_key, hash_fields
from trainer.model import CardKind, ParsedCard, ParsedDeck, ParseError
from trainer.not_but import SENTENCE_PAIR_RE, split_not_but  # noqa: F401  (split_not_but is public here too)

MARKER_RE = re.compile(r"^(?:[-*+]\s+)?(?P<word>[A-Z]+):(?P<rest>.*)$")
HEADING_RE = re.compile(r"^(?P<hashes>#{1,6})\s+(?P<text>.*?)\s*#*\s*$")
PIN_RE = re.compile(r"^<!--\s*id:\s*(?P<slug>.*?)\s*-->\s*$")
SLUG_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
FENCE_RE = re.compile(r"^\s*(```|~~~)")

STARTERS = {
    "BAD": CardKind.CONTRAST,
    "NOT": CardKind.PAIR,
    "LADDER": CardKind.LADDER,
    "Q": CardKind.FAQ,
}
# Which starter each following marker belongs to.
FOLLOWERS = {
    "GOOD": "BAD",
    "WHY": "BAD",
    "BUT": "NOT",
    "A": "Q",
    "PRIMARY": "LADDER",
    "PROXY": "LADDER",
    "GUARDRAIL": "LADDER",
}
RUNGS = ("PRIMARY", "PROXY", "GUARDRAIL")
KNOWN_MARKERS = set(STARTERS) | set(FOLLOWERS)
NEEDS = {"BAD": "GOOD", "NOT": "BUT", "Q": "A"}
HOW_TO_COMPLETE = {
    "GOOD": "add the better answer as GOOD: on the next line",
    "BUT": "add what it should be instead as BUT: on the next line",
    "A": "add the answer as A: on the next line",
}


@dataclass
class _Field:
    marker: str
    line: int
    lines: list[str]
    pin: str | None = None

    @property
    def text(self) -> str:
        return "\n".join(self.lines).strip()


@dataclass
class _Group:
    """A card (or a ladder of cards) being collected."""

    starter: str  # BAD, NOT, LADDER, Q, or SENTENCE for `Not X, but Y`
    line: int
    section: str
    pin: str | None
    fields: list[_Field] = field(default_factory=list)

    def has(self, marker: str) -> bool:
        return any(f.marker == marker for f in self.fields)

    def get(self, marker: str) -> _Field | None:
        return next((f for f in self.fields if f.marker == marker), None)


def _dangling_pin_message(slug: str) -> str:
    return (
        f"<!-- id: {slug} --> is not followed by a card; put it on the line right before "
        "the BAD:, NOT:, LADDER:, Q:, rung or `Not X, but Y` line it pins"
    )


class _Parser:
    def __init__(self, text: str, path: str):
        self.path = path
        # A byte-order mark would hide the title heading on line 1.
        self.lines = text.removeprefix("\ufeff").splitlines()
        self.title: str | None = None
        self.headings: list[tuple[int, str]] = []
        self.group: _Group | None = None
        self.current: _Field | None = None  # the field that continuation lines extend
        self.pending_pin: tuple[str, int] | None = None
        self.cards: list[ParsedCard] = []
        self.errors: list[ParseError] = []
        self.in_fence = False

    # -- helpers -------------------------------------------------------------
    def error(self, line: int, message: str) -> None:
        self.errors.append(ParseError(self.path, line, message))

    @property
    def section(self) -> str:
        return " › ".join(text for _, text in self.headings)

    def take_pin(self) -> str | None:
        if self.pending_pin is None:
            return None
        slug, _ = self.pending_pin
        self.pending_pin = None
        return slug

    def check_dangling_pin(self) -> None:
        if self.pending_pin is not None:
            slug, line = self.pending_pin
            self.error(line, _dangling_pin_message(slug))
            self.pending_pin = None

    # -- the line loop -------------------------------------------------------
    def run(self) -> ParsedDeck:
        for number, raw in enumerate(self.lines, start=1):
            self.feed(number, raw.rstrip("\n"))
        self.check_dangling_pin()
        self.close_group()
        self.check_duplicates()
        title = self.title or PurePath(self.path).stem
        return ParsedDeck(self.path, title, tuple(self.cards), tuple(self.errors))

    def feed(self, number: int, line: str) -> None:
        if self.in_fence or FENCE_RE.match(line):
            if FENCE_RE.match(line):
                self.in_fence = not self.in_fence
            self.continue_or_prose(number, line)
            return
        if not line.strip():
            if self.pending_pin is not None:
                self.check_dangling_pin()
            self.current = None
            return
        heading = HEADING_RE.match(line)
        if heading:
            self.check_dangling_pin()
            self.close_group()
            self.on_heading(len(heading.group("hashes")), heading.group("text"))
            return
        pin = PIN_RE.match(line)
        if pin:
            self.on_pin(number, pin.group("slug"))
            return
        marker = MARKER_RE.match(line)
        if marker and marker.group("word") in KNOWN_MARKERS:
            self.on_marker(number, marker.group("word"), marker.group("rest"))
            return
        if self.looks_like_typo(marker):
            word = marker.group("word")
            self.error(
                number,
                f"unknown marker {word}: inside a card; cards use BAD:/GOOD:/WHY:, NOT:/BUT:, "
                "LADDER:/PRIMARY:/PROXY:/GUARDRAIL: or Q:/A: (to keep it as text of the field "
                f"above, write **{word}:** instead)",
            )
            self.current = None
            return
        self.continue_or_prose(number, line)

    def looks_like_typo(self, marker: re.Match | None) -> bool:
        """An unknown `WORD:` inside a card's field is most likely a mistyped
        marker (`WHI:`, `PROXI:`); silently joining it to the field above would
        lose a card. Outside a card, `NOTE:` or `TODO:` is just prose."""
        if marker is None or self.current is None or self.current.marker == "SENTENCE":
            return False
        return len(marker.group("word")) > 1 and marker.group("rest")[:1] in ("", " ")

    def continue_or_prose(self, number: int, line: str) -> None:
        sentence = self.group is not None and self.group.starter == "SENTENCE"
        # A `Not X, but Y` sentence only runs on over indented lines, so prose
        # or a new bullet right below it stays separate; inside a field every
        # line is part of the field's Markdown.
        if self.current is not None and not (sentence and not line[:1].isspace()):
            self.current.lines.append(line)
            return
        self.close_group()
        if not self.in_fence and SENTENCE_PAIR_RE.match(line.strip()):
            self.group = _Group("SENTENCE", number, self.section, self.take_pin())
            self.current = _Field("SENTENCE", number, [line])
            self.group.fields.append(self.current)
            return
        self.check_dangling_pin()

    def on_heading(self, level: int, text: str) -> None:
        if level == 1 and self.title is None:
            self.title = text
            return
        self.headings = [(lvl, t) for lvl, t in self.headings if lvl < level]
        self.headings.append((level, text))

    def on_pin(self, number: int, slug: str) -> None:
        self.check_dangling_pin()
        self.current = None
        if not SLUG_RE.match(slug):
            self.error(
                number,
                f"id {slug!r} is not a valid id; use letters, digits, '-', '_' or '.' "
                "(for example <!-- id: cold-start -->)",
            )
            return
        self.pending_pin = (slug, number)

    def on_marker(self, number: int, word: str, rest: str) -> None:
        text = rest.strip()
        if word in STARTERS:
            self.close_group()
            self.group = _Group(word, number, self.section, self.take_pin())
            self.current = _Field(word, number, [text])
            self.group.fields.append(self.current)
            return
        owner = FOLLOWERS[word]
        group = self.group
        if group is None or group.starter != owner:
            self.check_dangling_pin()
            self.current = None
            if word in RUNGS:
                self.error(
                    number,
                    f"{word}: outside a ladder; start the ladder with LADDER: name on the line above its rungs",
                )
            else:
                self.error(
                    number,
                    f"{word}: without a {owner}: above it; put the {owner}: line right above it "
                    "(one card's lines are not separated by prose or a heading)",
                )
            return
        previous = group.get(word)
        if previous is not None and word not in ("PROXY", "GUARDRAIL"):
            self.check_dangling_pin()
            self.current = None
            self.error(
                number,
                f"a second {word}: for the {owner}: on line {group.line}; "
                "merge them, or start a new card",
            )
            return
        pin = self.take_pin() if word in RUNGS else None
        if pin is None:
            self.check_dangling_pin()
        self.current = _Field(word, number, [text], pin)
        group.fields.append(self.current)

    # -- closing a card ------------------------------------------------------
    def close_group(self) -> None:
        group, self.group, self.current = self.group, None, None
        if group is None:
            return
        if group.starter == "SENTENCE":
            self.close_sentence(group)
            return
        for fld in group.fields:
            if not fld.text:
                self.error(fld.line, f"{fld.marker}: is empty; write its text after the colon")
        needed = NEEDS.get(group.starter)
        if needed and not group.has(needed):
            self.error(
                group.line,
                f"{group.starter}: without {'an' if needed == 'A' else 'a'} {needed}: below it; {HOW_TO_COMPLETE[needed]}",
            )
            return
        if any(not fld.text for fld in group.fields):
            return
        if group.starter == "LADDER":
            self.close_ladder(group)
            return
        first = group.fields[0].text
        if group.starter == "BAD":
            why = group.get("WHY")
            extra = {"why": why.text} if why else {}
            self.add(CardKind.CONTRAST, group, first, group.get("GOOD").text, extra)
        elif group.starter == "NOT":
            self.add(CardKind.PAIR, group, first, group.get("BUT").text, {})
        else:
            self.add(CardKind.FAQ, group, first, group.get("A").text, {})

    def close_sentence(self, group: _Group) -> None:
        sentence = " ".join(line.strip() for line in group.fields[0].lines)
        split = split_not_but(sentence)
        if split is None:
            # A line that starts with "Not" but has no ", but" is prose, so a
            # pin above it pins nothing. Reported here rather than through
            # pending_pin, which may already hold the pin of the next card.
            if group.pin:
                self.error(group.line - 1, _dangling_pin_message(group.pin))
            return
        self.add(CardKind.PAIR, group, split[0], split[1], {})

    def close_ladder(self, group: _Group) -> None:
        name = group.fields[0].text
        rungs = group.fields[1:]
        if not rungs:
            self.error(group.line, "LADDER: has no rungs; add PRIMARY:, PROXY: and GUARDRAIL: lines below it")
            return
        primaries = [r for r in rungs if r.marker == "PRIMARY"]
        if not primaries:
            self.error(group.line, "LADDER: has no PRIMARY: rung; add the outcome the ladder is for")
            return
        ladder_identity = "id:" + group.pin if group.pin else name
        sibling = hash_fields("ladder", ladder_identity)
        listing = [{"layer": r.marker.lower(), "text": r.text} for r in rungs]
        ordinals: dict[str, int] = {}
        for index, rung in enumerate(rungs):
            layer = rung.marker.lower()
            ordinals[layer] = ordinals.get(layer, 0) + 1
            identity = ("ladder", ladder_identity, layer, str(ordinals[layer]))
            extra = {"layer": layer, "ordinal": ordinals[layer], "index": index, "rungs": listing}
            self.cards.append(
                ParsedCard(
                    kind=CardKind.LADDER,
                    prompt=name,
                    answer=rung.text,
                    section=group.section,
                    line=rung.line,
                    identity=identity,
                    extra=extra,
                    pinned_id=rung.pin,
                    sibling=sibling,
                    key=card_key(identity, rung.pin),
                )
            )

    def add(self, kind: CardKind, group: _Group, prompt: str, answer: str, extra: dict) -> None:
        identity = (kind.value, prompt)
        self.cards.append(
            ParsedCard(
                kind=kind,
                prompt=prompt,
                answer=answer,
                section=group.section,
                line=group.line,
                identity=identity,
                extra=extra,
                pinned_id=group.pin,
                key=card_key(identity, group.pin),
            )
        )

    def check_duplicates(self) -> None:
        seen: dict[str, ParsedCard] = {}
        for card in self.cards:
            first = seen.setdefault(card.key, card)
            if first is card:
                continue
            if card.pinned_id:
                what = f"id {card.pinned_id!r} is already used"
            else:
                what = f"the same {card.kind.value} card twice (same prompt as"
                what += f" line {first.line}); change one prompt or delete the copy"
                self.error(card.line, what)
                continue
            self.error(card.line, f"{what} on line {first.line}; give this card another id")


def parse_deck(text: str, path: str) -> ParsedDeck:
    """Parse one deck's text; `path` is only used in messages and the fallback title."""
    return _Parser(text, path).run()
