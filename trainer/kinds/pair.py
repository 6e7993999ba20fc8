"""Pair cards: `NOT:` + `BUT:`, or one `Not X, but Y.` sentence. Shows "Not X, but …", asks for Y.

Both spellings make the same card (the key is the kind and X), so rewriting
one as the other keeps the history.
"""

from __future__ import annotations

from trainer.kinds.base import SENTENCE, Block, Kind, Output
from trainer.not_but import SENTENCE_PAIR_RE, split_not_but


class Pair(Kind):
    name = "pair"
    label = "not X, but Y"
    starters = ("NOT",)
    followers = ("BUT",)
    required = {"BUT": "add what it should be instead as BUT: on the next line"}
    sentence_noun = "`Not X, but Y`"
    replaces_prompt = True

    def starts_sentence(self, line: str) -> bool:
        return SENTENCE_PAIR_RE.match(line.strip()) is not None

    def identity(self, x: str) -> tuple[str, ...]:
        return (self.name, x)

    def build(self, block: Block, out: Output) -> None:
        if block.starter != SENTENCE:
            super().build(block, out)
            return
        sentence = " ".join(line.strip() for line in block.first.lines)
        split = split_not_but(sentence)
        # Without ", but" the line is prose and makes nothing (the parser
        # then reports a pin above it as pinning nothing).
        if split is not None:
            self.add(block, out, *split)

    def make(self, block: Block, out: Output) -> None:
        self.add(block, out, block.first.text, block.text("BUT"))

    def add(self, block: Block, out: Output, x: str, y: str) -> None:
        out.cards.append(self.card(block, prompt=x, answer=y, identity=self.identity(x), pin=block.pin))

    def prompt_markdown(self, card) -> str:
        return f"Not {card.prompt}, but **…**"

    def answer_markdown(self, card) -> str:
        return f"Not {card.prompt}, but **{card.answer}**"


KIND = Pair()
