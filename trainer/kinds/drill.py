"""Drills, for mock-interview practice: a question answered out loud against the clock.

    DRILL: Design personalization for Spotify Home for returning listeners.
    TIME: 90s                      (optional; 60s when left out)
    RUBRIC:                        (required: what a good answer does)
    - names one user state and one surface
    A: an optional model answer    (Markdown, may run on)
    FOLLOWUP: How would you know it is working after two weeks?

The drill is one card; each FOLLOWUP: is a card of kind `followup`
(followup.py), scheduled on its own. The drill is keyed by its text (or its
pin), a follow-up by the drill's and its own text, so rubric, time and model
answer can change freely and reordering follow-ups keeps their history.
"""

from __future__ import annotations

import re

from trainer.identity import card_key
from trainer.kinds import followup
from trainer.kinds.base import Block, Field, Kind, Output, group_identity, labelled, one_line
from trainer.model import Rating

DEFAULT_TIME_S = 60
# Bounded repeats only: a TIME: line is untrusted input like the rest.
DURATION_RE = re.compile(r"(?:(?P<m>[0-9]{1,3}) ?m)? ?(?:(?P<s>[0-9]{1,4}) ?s)?")
BULLET_RE = re.compile(r"(?:[-*+]|[0-9]{1,3}[.)])\s+(?:\[[ xX]\]\s+)?")
DRILL_FIELDS = ("TIME", "RUBRIC", "A")


def parse_duration(text: str) -> int | None:
    """Seconds in `90s`, `2m`, `1m30s` (a space before a unit is fine), or None."""
    match = DURATION_RE.fullmatch(text.strip())
    if not match or not (match.group("m") or match.group("s")):
        return None
    seconds = int(match.group("m") or 0) * 60 + int(match.group("s") or 0)
    return seconds or None


def format_duration(seconds: int) -> str:
    minutes, rest = divmod(int(seconds), 60)
    if not minutes:
        return f"{rest}s"
    return f"{minutes}m{rest}s" if rest else f"{minutes}m"


def rubric_items(text: str) -> list[str]:
    """Each `- ` (or `1.`) line is an item; text right after RUBRIC: is one too;
    other lines continue the item above (a wrapped bullet). `- [ ]` is a plain bullet."""
    items: list[str] = []
    for line in text.split("\n"):
        stripped = line.strip()
        bullet = BULLET_RE.match(stripped)
        if bullet:
            items.append(stripped[bullet.end() :])
        elif stripped and items and line[:1].isspace():
            items[-1] += " " + stripped
        elif stripped:
            items.append(stripped)
    return [item.strip() for item in items if item.strip()]


def suggest_rating(ticked: int, total: int, elapsed_s: float, time_s: float) -> Rating:
    """The rating a drill's rubric suggests: every item ticked within the time
    (at or under it) is Easy, every item ticked is Good, half or more Hard,
    fewer Again. The reviewer may still pick another."""
    if total < 1:
        raise ValueError("a rubric has at least one item")
    if not 0 <= ticked <= total:
        raise ValueError(f"ticked {ticked} of {total} rubric items")
    if ticked == total:
        return Rating.EASY if elapsed_s <= time_s else Rating.GOOD
    if 2 * ticked >= total:
        return Rating.HARD
    return Rating.AGAIN


class Drill(Kind):
    name = "drill"
    label = "drill"
    starters = ("DRILL",)
    followers = ("TIME", "RUBRIC", "A", "FOLLOWUP")
    repeatable = frozenset({"FOLLOWUP"})
    pinned_followers = frozenset({"FOLLOWUP"})
    pinned_follower_noun = "FOLLOWUP:"
    required = {"RUBRIC": "list what a good answer does below it: RUBRIC: and one `- item` a line"}

    def identity(self, question: str) -> tuple[str, ...]:
        return (self.name, question)

    def orphan_message(self, marker: str) -> str:
        # TIME: and RUBRIC: are common words: a deck written before drills
        # existed may have them as prose, which now needs bold to stay prose.
        return super().orphan_message(marker) + f"; if it is prose, write **{marker}:**"

    def empty_message(self, fld: Field) -> str:
        if fld.marker == "RUBRIC":
            return "RUBRIC: has no items; list them right below it, one `- item` a line (no blank line before them)"
        return super().empty_message(fld)

    def make(self, block: Block, out: Output) -> None:
        question = block.first.text
        followups = [f for f in block.fields if f.marker == "FOLLOWUP"]
        if followups:
            late = [f for f in block.fields if f.marker in DRILL_FIELDS and f.line > followups[0].line]
            for fld in late:
                out.error(
                    fld.line,
                    f"{fld.marker}: after a FOLLOWUP:; put the drill's TIME:, RUBRIC: and A: above its follow-ups",
                )
            if late:
                return
        time_s = DEFAULT_TIME_S
        if block.get("TIME"):
            time_s = parse_duration(block.text("TIME"))
            if time_s is None:
                shown = one_line(block.text("TIME"))[:30]
                out.error(block.get("TIME").line, f"TIME: {shown!r} is not a duration; write it like 90s, 2m or 1m30s")
                return
        drill_key = card_key(self.identity(question), block.pin.slug if block.pin else None)
        # Follow-ups are keyed under the drill's pin when it has one, so
        # rewording a pinned drill keeps its follow-ups too.
        known_as = group_identity(block, question)
        cards = [
            followup.KIND.card(
                block,
                prompt=fld.text,
                answer="",
                identity=followup.KIND.identity(known_as, fld.text),
                extra={"drill": drill_key, "drill_prompt": question, "index": index, "time_s": time_s},
                line=fld.line,
                pin=fld.pin,
            )
            for index, fld in enumerate(followups)
        ]
        rubric = rubric_items(block.text("RUBRIC"))
        extra = {"time_s": time_s, "rubric": rubric, "followups": [card.key for card in cards]}
        out.cards.append(
            self.card(block, prompt=question, answer=block.text("A"), identity=self.identity(question), extra=extra, pin=block.pin)
        )
        out.cards.extend(cards)

    def kind_label(self, card) -> str:
        return f"{self.label} · {format_duration(card.extra.get('time_s', DEFAULT_TIME_S))}"

    def prompt_markdown(self, card) -> str:
        time = format_duration(card.extra.get("time_s", DEFAULT_TIME_S))
        return f"{card.prompt}\n\n*Answer out loud in {time}; the rubric comes after.*"

    def answer_markdown(self, card) -> str:
        parts = [labelled("**Model answer:**", card.answer)] if card.answer else []
        rubric = card.extra.get("rubric", [])
        parts.append("**Rubric:**\n\n" + "\n".join(f"- {one_line(item)}" for item in rubric))
        return "\n\n".join(parts)


KIND = Drill()
