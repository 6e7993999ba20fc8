"""How each kind of card reads on screen, as Markdown. No UI imports.

Each kind says it itself (trainer.kinds); these functions pick the kind, so
the screens need not know which kinds exist. The text is the deck's own
Markdown; it is handed to a Markdown renderer, never to Rich markup, so
`[bold]` in a deck stays four characters and a word. Everything leaves
through trainer.safe_text: a control character or an escape sequence shows
as `\x1b`, and `<div>` shows as typed instead of vanishing as HTML.
"""

from __future__ import annotations

from trainer import kinds
from trainer.model import Card
from trainer.safe_text import markdown_literal, visible_line

KIND_LABELS = {name: kind.label for name, kind in kinds.KINDS.items()}


def kind_label(card: Card) -> str:
    return visible_line(kinds.get(card.kind).kind_label(card))


def prompt_markdown(card: Card) -> str:
    """What is shown before the answer."""
    return markdown_literal(kinds.get(card.kind).prompt_markdown(card))


def answer_markdown(card: Card) -> str:
    """What the reveal adds (for a ladder: the whole ladder, the asked rung marked)."""
    return markdown_literal(kinds.get(card.kind).answer_markdown(card))


def where(card: Card) -> str:
    """The deck and section a card comes from, as one safe line (`Deck › Section`)."""
    return visible_line(card.deck + (f" › {card.section}" if card.section else ""))


def replaces_prompt(card: Card) -> bool:
    """True when the answer is drawn in place of the prompt rather than below it."""
    return kinds.get(card.kind).replaces_prompt
