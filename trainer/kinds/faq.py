"""Question cards: `Q:` + `A:`."""

from __future__ import annotations

from trainer.kinds.base import Block, Kind, Output, labelled


class Faq(Kind):
    name = "faq"
    label = "question"
    starters = ("Q",)
    followers = ("A",)
    required = {"A": "add the answer as A: on the next line"}

    def identity(self, question: str) -> tuple[str, ...]:
        return (self.name, question)

    def make(self, block: Block, out: Output) -> None:
        question = block.first.text
        out.cards.append(
            self.card(block, prompt=question, answer=block.text("A"), identity=self.identity(question), pin=block.pin)
        )

    def prompt_markdown(self, card) -> str:
        return labelled("**Q:**", card.prompt)

    def answer_markdown(self, card) -> str:
        return labelled("**A:**", card.answer)


KIND = Faq()
