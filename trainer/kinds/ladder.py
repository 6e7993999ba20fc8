"""Metric ladders: `LADDER:` + rungs (`PRIMARY:` once, `PROXY:` and `GUARDRAIL:` any number).

Each rung is a card that shows the ladder with that rung hidden. The rungs of
one ladder are siblings, so the daily review shows one a day and one rung does
not give away the next. A rung is keyed by ladder, layer and its number within
the layer, so its text is the answer side and can be edited freely.
"""

from __future__ import annotations

from trainer.kinds.base import HIDDEN, Block, Kind, Output, group_identity, group_sibling, one_line

RUNGS = ("PRIMARY", "PROXY", "GUARDRAIL")
LAYER_NAMES = {"primary": "Primary", "proxy": "Proxy", "guardrail": "Guardrail"}


class Ladder(Kind):
    name = "ladder"
    label = "metric ladder"
    starters = ("LADDER",)
    followers = RUNGS
    repeatable = frozenset({"PROXY", "GUARDRAIL"})
    pinned_followers = frozenset(RUNGS)
    pinned_follower_noun = "rung"
    replaces_prompt = True

    def orphan_message(self, marker: str) -> str:
        return f"{marker}: outside a ladder; start the ladder with LADDER: name on the line above its rungs"

    def identity(self, ladder: str, layer: str, ordinal: int) -> tuple[str, ...]:
        return (self.name, ladder, layer, str(ordinal))

    def make(self, block: Block, out: Output) -> None:
        name = block.first.text
        rungs = block.fields[1:]
        if not rungs:
            out.error(block.line, "LADDER: has no rungs; add PRIMARY:, PROXY: and GUARDRAIL: lines below it")
            return
        if not any(r.marker == "PRIMARY" for r in rungs):
            out.error(block.line, "LADDER: has no PRIMARY: rung; add the outcome the ladder is for")
            return
        if not self.one_key_only(block, out, "pin the rungs one by one to name their old keys"):
            return
        ladder = group_identity(block, name)
        sibling = group_sibling(self.name, ladder)
        listing = [{"layer": r.marker.lower(), "text": r.text} for r in rungs]
        ordinals: dict[str, int] = {}
        for index, rung in enumerate(rungs):
            layer = rung.marker.lower()
            ordinals[layer] = ordinals.get(layer, 0) + 1
            extra = {"layer": layer, "ordinal": ordinals[layer], "index": index, "rungs": listing}
            out.cards.append(
                self.card(
                    block,
                    prompt=name,
                    answer=rung.text,
                    identity=self.identity(ladder, layer, ordinals[layer]),
                    extra=extra,
                    line=rung.line,
                    pin=rung.pin,
                    sibling=sibling,
                )
            )

    def kind_label(self, card) -> str:
        layer = card.extra.get("layer", "")
        return f"{self.label} · {LAYER_NAMES.get(layer, layer).lower()}"

    def prompt_markdown(self, card) -> str:
        return self._ladder(card, reveal=False)

    def answer_markdown(self, card) -> str:
        """The whole ladder again, the asked rung marked."""
        return self._ladder(card, reveal=True)

    def _ladder(self, card, reveal: bool) -> str:
        rungs = card.extra.get("rungs", [])
        asked = card.extra.get("index")
        lines = [f"**Ladder:** {one_line(card.prompt)}", ""]
        for index, rung in enumerate(rungs):
            name = LAYER_NAMES.get(rung["layer"], rung["layer"])
            if index == asked:
                text = f"**{one_line(rung['text'])}**  ←" if reveal else HIDDEN
            else:
                text = one_line(rung["text"])
            lines.append(f"- *{name}:* {text}")
        if not reveal:
            lines += ["", f"*Which {LAYER_NAMES.get(card.extra.get('layer', ''), 'rung').lower()} is hidden?*"]
        return "\n".join(lines)


KIND = Ladder()
