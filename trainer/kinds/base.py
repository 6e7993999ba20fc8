"""What every card kind has: the block the parser hands it, and the Kind base class.

A kind module (contrast.py, cloze.py ...) subclasses Kind, says which markers
start and continue its block, and turns a finished block into cards. The
parser (trainer.parse) knows no kind by name; it only follows the markers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from trainer.deck_lines import Pin
from trainer.identity import PINNED_PREFIX, card_key, hash_fields
from trainer.model import CardKind, ParsedCard, ParseError

if TYPE_CHECKING:
    from trainer.model import Card

SENTENCE = ""  # the starter of a block that a whole line starts (`Not X, but Y`)
HIDDEN = "**? ? ?**"


@dataclass
class Field:
    """One marker's text: the rest of the marker line and the lines that run on."""

    marker: str
    line: int
    lines: list[str]
    pin: Pin | None = None

    @property
    def text(self) -> str:
        return "\n".join(self.lines).strip()


@dataclass
class Block:
    """The lines of one card (or one group of cards, like a ladder) as written."""

    kind: "Kind"
    starter: str  # the marker that opened it, or SENTENCE
    line: int
    section: str
    pin: Pin | None
    fields: list[Field] = field(default_factory=list)
    # The first field of each marker: a scan per line was quadratic in a
    # ladder of thousands of rungs.
    _first: dict[str, Field] = field(default_factory=dict, repr=False)

    def add(self, fld: Field) -> Field:
        self.fields.append(fld)
        self._first.setdefault(fld.marker, fld)
        return fld

    def get(self, marker: str) -> Field | None:
        return self._first.get(marker)

    def text(self, marker: str) -> str:
        found = self.get(marker)
        return found.text if found else ""

    @property
    def first(self) -> Field:
        return self.fields[0]


@dataclass
class Output:
    """Where a kind puts the cards and errors it makes of a block."""

    path: str
    cards: list[ParsedCard] = field(default_factory=list)
    errors: list[ParseError] = field(default_factory=list)

    def error(self, line: int, message: str) -> None:
        self.errors.append(ParseError(self.path, line, message))


class Kind:
    """A kind of card. Subclasses set the class attributes and `make` cards."""

    name: str = ""
    label: str = ""  # how the review screen names it
    starters: tuple[str, ...] = ()  # markers that open a block of this kind
    followers: tuple[str, ...] = ()  # markers that continue it
    repeatable: frozenset[str] = frozenset()  # followers that may come more than once
    pinned_followers: frozenset[str] = frozenset()  # followers a pin may go right above
    pinned_follower_noun: str = ""  # how the pin message names them ("rung")
    sentence_noun: str = ""  # how the pin message names a sentence this kind starts
    required: dict[str, str] = {}  # follower that must be there -> how to add it
    replaces_prompt: bool = False  # the answer is drawn in place of the prompt

    # -- parsing ----------------------------------------------------------------
    def starts_sentence(self, line: str) -> bool:
        """Whether a plain line (not a marker) opens a block of this kind."""
        return False

    def orphan_message(self, marker: str) -> str:
        """The error for one of our followers with no open block of ours above it."""
        owner = self.starters[0]
        return (
            f"{marker}: without a {owner}: above it; put the {owner}: line right above it "
            "(one card's lines are not separated by prose or a heading)"
        )

    def empty_message(self, fld: Field) -> str:
        return f"{fld.marker}: is empty; write its text after the colon"

    def build(self, block: Block, out: Output) -> None:
        """Check a finished block and add its cards, or its errors, to `out`."""
        for fld in block.fields:
            if not fld.text:
                out.error(fld.line, self.empty_message(fld))
        for needed, how in self.required.items():
            if block.get(needed) is None:
                article = "an" if needed[0] in "AEIOU" else "a"
                out.error(block.line, f"{block.starter}: without {article} {needed}: below it; {how}")
                return
        if any(not fld.text for fld in block.fields):
            return
        self.make(block, out)

    def make(self, block: Block, out: Output) -> None:
        """Add the cards of a complete block (every field has text) to `out`."""
        raise NotImplementedError

    def card(
        self,
        block: Block,
        *,
        prompt: str,
        answer: str,
        identity: tuple[str, ...],
        extra: dict | None = None,
        line: int | None = None,
        pin: Pin | None = None,
        sibling: str | None = None,
    ) -> ParsedCard:
        """A card of this kind, keyed by its pin if it has one, else by `identity`."""
        slug = pin.slug if pin else None
        return ParsedCard(
            kind=CardKind(self.name),
            prompt=prompt,
            answer=answer,
            section=block.section,
            line=block.line if line is None else line,
            identity=identity,
            extra=extra or {},
            pinned_id=slug,
            sibling=sibling,
            key=card_key(identity, slug),
            was=pin.was if pin else (),
        )

    def one_key_only(self, block: Block, out: Output, what: str) -> bool:
        """A group pin's `was:` cannot say which old key each of its cards had."""
        if block.pin is None or not block.pin.was:
            return True
        out.error(
            block.pin.line,
            f"was: on the pin of a {block.starter}: cannot say which card each old key was, "
            f"as it makes several cards; {what}",
        )
        return False

    # -- showing --------------------------------------------------------------------
    def kind_label(self, card: "Card") -> str:
        return self.label

    def prompt_markdown(self, card: "Card") -> str:
        return card.prompt

    def answer_markdown(self, card: "Card") -> str:
        return card.answer


def group_identity(block: Block, text: str) -> str:
    """What a group of cards (a ladder, a cloze) is known by: its pin, else its text."""
    return PINNED_PREFIX + block.pin.slug if block.pin else text


def group_sibling(kind: str, identity: str) -> str:
    """The sibling id shared by a group's cards (the review shows one of them a day)."""
    return hash_fields(kind, identity)


def one_line(text: str) -> str:
    """Fold a multi-line field into one line, for places like list items."""
    return " ".join(text.split())


def labelled(label: str, text: str) -> str:
    """`**A:** text`, but a field that opens with a fenced block starts a new
    paragraph: a fence only counts at the start of a line."""
    first = text.split("\n", 1)[0].lstrip()
    if first.startswith(("```", "~~~")):
        return f"{label}\n\n{text}"
    return f"{label} {text}"
