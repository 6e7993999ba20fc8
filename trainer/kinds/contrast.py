"""Contrast cards: `BAD:` + `GOOD:` (+ optional `WHY:`). Shows the weak answer, asks for the strong one."""

from __future__ import annotations

from trainer.kinds.base import Block, Kind, Output, labelled


class Contrast(Kind):
    name = "contrast"
    label = "bad → good"
    starters = ("BAD",)
    followers = ("GOOD", "WHY")
    required = {"GOOD": "add the better answer as GOOD: on the next line"}

    def identity(self, bad: str) -> tuple[str, ...]:
        # GOOD and WHY are the answer side: rewording them keeps the card.
        return (self.name, bad)

    def make(self, block: Block, out: Output) -> None:
        bad = block.first.text
        why = block.get("WHY")
        extra = {"why": why.text} if why else {}
        out.cards.append(
            self.card(block, prompt=bad, answer=block.text("GOOD"), identity=self.identity(bad), extra=extra, pin=block.pin)
        )

    def prompt_markdown(self, card) -> str:
        return f"{labelled('**BAD:**', card.prompt)}\n\n*What would the GOOD answer say?*"

    def answer_markdown(self, card) -> str:
        text = labelled("**GOOD:**", card.answer)
        why = card.extra.get("why")
        return text + (f"\n\n{labelled('**WHY:**', why)}" if why else "")


KIND = Contrast()
