"""How each kind of card reads on screen, as Markdown. No UI imports.

Each kind says it itself (trainer.kinds); these functions pick the kind, so
the screens need not know which kinds exist. The text is the deck's own
Markdown; it is handed to a Markdown renderer, never to Rich markup, so
`[bold]` in a deck stays four characters and a word.
"""

from __future__ import annotations

from trainer import kinds
from trainer.model import Card

KIND_LABELS = {name: kind.label for name, kind in kinds.KINDS.items()}


def kind_label(card: Card) -> str:
    return kinds.get(card.kind).kind_label(card)


def prompt_markdown(card: Card) -> str:
    """What is shown before the answer."""
    return kinds.get(card.kind).prompt_markdown(card)


def answer_markdown(card: Card) -> str:
    """What the reveal adds (for a ladder: the whole ladder, the asked rung marked)."""
    return kinds.get(card.kind).answer_markdown(card)


def replaces_prompt(card: Card) -> bool:
    """True when the answer is drawn in place of the prompt rather than below it."""
    return kinds.get(card.kind).replaces_prompt
