"""How each kind of card reads on screen, as Markdown. No UI imports.

The text is the deck's own Markdown; it is handed to a Markdown renderer,
never to Rich markup, so `[bold]` in a deck stays four characters and a word.
"""

from __future__ import annotations

from trainer.model import Card, CardKind

KIND_LABELS = {
    CardKind.CONTRAST: "bad → good",
    CardKind.PAIR: "not X, but Y",
    CardKind.LADDER: "metric ladder",
    CardKind.FAQ: "question",
}
LAYER_NAMES = {"primary": "Primary", "proxy": "Proxy", "guardrail": "Guardrail"}
HIDDEN = "**? ? ?**"


def _one_line(text: str) -> str:
    """Fold a multi-line field into one line, for places like list items."""
    return " ".join(text.split())


def kind_label(card: Card) -> str:
    label = KIND_LABELS[card.kind]
    if card.kind is CardKind.LADDER:
        layer = card.extra.get("layer", "")
        label += f" · {LAYER_NAMES.get(layer, layer).lower()}"
    return label


def _ladder(card: Card, reveal: bool) -> str:
    rungs = card.extra.get("rungs", [])
    asked = card.extra.get("index")
    lines = [f"**Ladder:** {_one_line(card.prompt)}", ""]
    for index, rung in enumerate(rungs):
        name = LAYER_NAMES.get(rung["layer"], rung["layer"])
        if index == asked:
            text = f"**{_one_line(rung['text'])}**  ←" if reveal else HIDDEN
        else:
            text = _one_line(rung["text"])
        lines.append(f"- *{name}:* {text}")
    if not reveal:
        lines += ["", f"*Which {LAYER_NAMES.get(card.extra.get('layer', ''), 'rung').lower()} is hidden?*"]
    return "\n".join(lines)


def prompt_markdown(card: Card) -> str:
    """What is shown before the answer."""
    if card.kind is CardKind.CONTRAST:
        return f"**BAD:** {card.prompt}\n\n*What would the GOOD answer say?*"
    if card.kind is CardKind.PAIR:
        return f"Not {card.prompt}, but **…**"
    if card.kind is CardKind.LADDER:
        return _ladder(card, reveal=False)
    return f"**Q:** {card.prompt}"


def answer_markdown(card: Card) -> str:
    """What the reveal adds (for a ladder: the whole ladder, the asked rung marked)."""
    if card.kind is CardKind.CONTRAST:
        text = f"**GOOD:** {card.answer}"
        why = card.extra.get("why")
        return text + (f"\n\n**WHY:** {why}" if why else "")
    if card.kind is CardKind.PAIR:
        return f"Not {card.prompt}, but **{card.answer}**"
    if card.kind is CardKind.LADDER:
        return _ladder(card, reveal=True)
    return f"**A:** {card.answer}"


def replaces_prompt(card: Card) -> bool:
    """True when the answer is drawn in place of the prompt rather than below it."""
    return card.kind in (CardKind.PAIR, CardKind.LADDER)


def format_interval(seconds: float) -> str:
    """10m, 2d, 11d, 3.5mo, 1.2y: short enough for a button."""
    minutes = seconds / 60
    if minutes < 1:
        return "<1m"
    if minutes < 60:
        return f"{round(minutes)}m"
    hours = minutes / 60
    if hours < 24:
        return f"{round(hours)}h"
    days = hours / 24
    if days < 30:
        return f"{round(days)}d"
    if days < 365:
        months = days / 30
        return f"{months:.1f}mo" if months < 10 else f"{round(months)}mo"
    return f"{days / 365:.1f}y"
