"""Markdown deck text -> cards and errors. No I/O beyond the text given.

The format is documented in docs/deck-format.md. The parser is a line
classifier (trainer.deck_lines) and the block state machine below: a marker
that starts a kind (BAD:, Q:, CLOZE: ...) or a line a kind recognises
(`Not X, but Y`) opens a block; that kind's following markers add fields to
it; a field runs on until a blank line, the next marker or a heading. A
finished block goes to its kind (trainer.kinds), which checks it and makes
its cards. Everything else is prose and makes no card.
"""

from __future__ import annotations

from pathlib import PurePath

from trainer import kinds
from trainer.deck_lines import Fence, Line, LineType, Pin, classify, read_pin, split_lines
from trainer.kinds.base import SENTENCE, Block, Field, Output
from trainer.model import ParsedCard, ParsedDeck
from trainer.not_but import split_not_but  # noqa: F401  (public here too)


def parse_deck(text: str, path: str) -> ParsedDeck:
    """Parse one deck's text; `path` is only used in messages and the fallback title."""
    return _Parser(text, path).run()


def dangling_pin_message(slug: str) -> str:
    return (
        f"<!-- id: {slug} --> is not followed by a card; put it on the line right before "
        f"the {kinds.pin_targets()} line it pins"
    )


class _Parser:
    def __init__(self, text: str, path: str):
        self.path = path
        self.lines = split_lines(text)
        self.out = Output(path)
        self.title: str | None = None
        self.headings: list[tuple[int, str]] = []
        self.block: Block | None = None
        self.current: Field | None = None  # the field that continuation lines extend
        self.pending_pin: Pin | None = None
        self.fence: Fence | None = None  # the fenced code block we are inside

    def error(self, line: int, message: str) -> None:
        self.out.error(line, message)

    @property
    def section(self) -> str:
        return " › ".join(text for _, text in self.headings)

    def take_pin(self) -> Pin | None:
        pin, self.pending_pin = self.pending_pin, None
        return pin

    def check_dangling_pin(self) -> None:
        if self.pending_pin is not None:
            self.error(self.pending_pin.line, dangling_pin_message(self.pending_pin.slug))
            self.pending_pin = None

    # -- the line loop -------------------------------------------------------
    def run(self) -> ParsedDeck:
        for number, text in enumerate(self.lines, start=1):
            self.feed(number, text)
        if self.fence is not None:
            # Everything below an unclosed fence would silently stop being cards.
            self.error(self.fence.line, self.fence.unclosed_message)
        self.check_dangling_pin()
        self.close_block()
        self.check_duplicates()
        self.check_old_keys()
        title = self.title or PurePath(self.path).stem
        return ParsedDeck(self.path, title, tuple(self.out.cards), tuple(self.out.errors))

    def feed(self, number: int, text: str) -> None:
        if self.fence is not None:
            if self.fence.closed_by(text):
                self.fence = None
            self.continue_or_prose(number, text, fenced=True)
            return
        fence = Fence.opened_by(text, number)
        if fence is not None:
            self.fence = fence
            self.continue_or_prose(number, text, fenced=True)
            return
        line = classify(number, text)
        if line.type is LineType.BLANK:
            self.check_dangling_pin()
            self.current = None
        elif line.type is LineType.HEADING:
            self.check_dangling_pin()
            self.close_block()
            self.on_heading(line.level, line.title)
        elif line.type is LineType.PIN:
            self.on_pin(number, line.rest)
        elif line.type is LineType.MARKER and kinds.is_marker(line.word):
            self.on_marker(number, line.word, line.rest)
            # A fence opened on the marker line (A: ```sh) belongs to that
            # field and ends at its own closing fence.
            self.fence = Fence.opened_by(line.rest, number)
        elif self.looks_like_typo(line):
            self.error(
                number,
                f"unknown marker {line.word}: inside a card; cards use {kinds.marker_summary()} "
                f"(to keep it as text of the field above, write **{line.word}:** instead)",
            )
            self.current = None
        else:
            self.continue_or_prose(number, text)

    def looks_like_typo(self, line: Line) -> bool:
        """An unknown `WORD:` inside a card's field is most likely a mistyped
        marker (`WHI:`, `PROXI:`); silently joining it to the field above would
        lose a card. Outside a card, `NOTE:` or `TODO:` is just prose."""
        if line.type is not LineType.MARKER or self.current is None or self.current.marker == SENTENCE:
            return False
        return len(line.word) > 1 and line.rest[:1] in ("", " ")

    def continue_or_prose(self, number: int, text: str, fenced: bool = False) -> None:
        sentence = self.block is not None and self.block.starter == SENTENCE
        # A `Not X, but Y` sentence only runs on over indented lines, so prose
        # or a new bullet right below it stays separate; inside a field every
        # line is part of the field's Markdown.
        if self.current is not None and not (sentence and not text[:1].isspace()):
            self.current.lines.append(text)
            return
        self.close_block()
        kind = None if fenced else kinds.sentence_kind(text)
        if kind is not None:
            self.block = Block(kind, SENTENCE, number, self.section, self.take_pin())
            self.current = self.block.add(Field(SENTENCE, number, [text]))
            return
        self.check_dangling_pin()

    def on_heading(self, level: int, text: str) -> None:
        if level == 1 and self.title is None:
            self.title = text
            return
        self.headings = [(lvl, t) for lvl, t in self.headings if lvl < level]
        self.headings.append((level, text))

    def on_pin(self, number: int, body: str) -> None:
        self.check_dangling_pin()
        self.current = None
        pin = read_pin(body, number)
        if isinstance(pin, str):
            self.error(number, pin)
            return
        self.pending_pin = pin

    def on_marker(self, number: int, word: str, rest: str) -> None:
        text = rest.strip()
        kind = kinds.starter(word)
        if kind is not None:
            self.close_block()
            self.block = Block(kind, word, number, self.section, self.take_pin())
            self.current = self.block.add(Field(word, number, [text]))
            return
        block = self.block
        if block is None or block.starter == SENTENCE or word not in block.kind.followers:
            self.check_dangling_pin()
            self.current = None
            self.error(number, kinds.owner(word).orphan_message(word))
            return
        if block.get(word) is not None and word not in block.kind.repeatable:
            self.check_dangling_pin()
            self.current = None
            self.error(
                number,
                f"a second {word}: for the {block.starter}: on line {block.line}; merge them, or start a new card",
            )
            return
        pin = self.take_pin() if word in block.kind.pinned_followers else None
        if pin is None:
            self.check_dangling_pin()
        self.current = block.add(Field(word, number, [text], pin))

    # -- closing a block -----------------------------------------------------
    def close_block(self) -> None:
        block, self.block, self.current = self.block, None, None
        if block is None:
            return
        made = (len(self.out.cards), len(self.out.errors))
        block.kind.build(block, self.out)
        if block.pin is not None and made == (len(self.out.cards), len(self.out.errors)):
            # The block was prose after all (`Not` without `, but`): its pin pins nothing.
            self.error(block.pin.line, dangling_pin_message(block.pin.slug))

    def check_duplicates(self) -> None:
        seen: dict[str, ParsedCard] = {}
        for card in self.out.cards:
            first = seen.setdefault(card.key, card)
            if first is card:
                continue
            if card.pinned_id:
                self.error(
                    card.line,
                    f"id {card.pinned_id!r} is already used on line {first.line}; give this card another id",
                )
            else:
                self.error(
                    card.line,
                    f"the same {card.kind} card twice (same prompt as line {first.line}); "
                    "change one prompt or delete the copy",
                )

    def check_old_keys(self) -> None:
        """An old key (`was:`) can hand its history to one card, and only if it is gone."""
        live = {card.key: card for card in self.out.cards}
        claimed: dict[str, ParsedCard] = {}
        for card in self.out.cards:
            pin_line = card.line - 1  # a pin is on the line right before its card
            for old in card.was:
                if old == card.key:
                    self.error(pin_line, f"was: names {old}, this card's own key; remove it")
                elif old in live:
                    self.error(
                        pin_line,
                        f"was: names {old}, the key of the card on line {live[old].line}, which is still "
                        "in the deck; a card that still exists keeps its own history",
                    )
                elif old in claimed:
                    self.error(
                        pin_line,
                        f"was: names {old}, already claimed by the card on line {claimed[old].line}; "
                        "an old card's history can go to one card only",
                    )
                else:
                    claimed[old] = card
