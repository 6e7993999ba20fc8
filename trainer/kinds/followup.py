"""Drill follow-ups: the FOLLOWUP: questions of a DRILL:, each its own card.

A kind of its own (not a drill with a flag) because the review queue tells
them apart from light rows that carry the kind but not `extra`: a new drill's
follow-ups come right after it, and they never share the drill's sibling
group (that would show one of them a day). The cards are made by drill.py,
where the block is read; this module says how they are keyed and shown.
"""

from __future__ import annotations

from trainer.kinds.base import Kind, labelled, one_line


class Followup(Kind):
    name = "followup"
    label = "drill follow-up"
    # No markers: FOLLOWUP: is a follower of DRILL:, read by the drill kind.

    def identity(self, drill: str, question: str) -> tuple[str, ...]:
        """The drill (its text, or its pin) and the follow-up's own text."""
        return (self.name, drill, question)

    def kind_label(self, card) -> str:
        return f"{self.label} {card.extra.get('index', 0) + 1}"

    def prompt_markdown(self, card) -> str:
        drill = one_line(card.extra.get("drill_prompt", ""))
        return f"*Drill:* {drill}\n\n{labelled('**Follow-up:**', card.prompt)}"

    def answer_markdown(self, card) -> str:
        if card.answer:
            return labelled("**Model answer:**", card.answer)
        return "*No model answer for a follow-up: rate how well your answer held up.*"


KIND = Followup()
