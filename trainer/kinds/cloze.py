"""Cloze cards: `CLOZE:` and a sentence with `{{c1::hidden}}` or `{{c1::hidden::hint}}` deletions.

One card per cloze number; deletions that share a number are hidden together.
The cards of one CLOZE: are siblings (the daily review shows one a day, as for
ladder rungs), since the sentence of one gives the others away. A card is
keyed by the whole text, markers included, and its number; a pin above
CLOZE: replaces the text, so a pinned cloze can be reworded.
"""

from __future__ import annotations

from dataclasses import dataclass

from trainer.kinds.base import Block, Field, Kind, Output, group_identity, group_sibling

SYNTAX = "{{c1::text}} or {{c1::text::hint}}"
MAX_DIGITS = 3  # c1 to c999; a longer run of digits is a typo, not a card number
DIGITS = frozenset("0123456789")  # not str.isdigit(): that takes "²", which int() refuses


@dataclass(frozen=True)
class Deletion:
    number: int
    text: str
    hint: str


@dataclass(frozen=True)
class Problem:
    offset: int  # where in the text the bad `{{c` starts
    message: str


def scan(text: str) -> tuple[list[str | Deletion], list[Problem]]:
    """Split `text` into plain pieces and deletions, in order, plus what is malformed.

    A hand-written scanner rather than a regular expression: `{{c1::` followed
    by thousands of colons made a lazy pattern backtrack. Each step moves past
    what it read, so this is linear."""
    pieces: list[str | Deletion] = []
    problems: list[Problem] = []
    pos = 0
    while True:
        start = text.find("{{", pos)
        if start < 0:
            pieces.append(text[pos:])
            return pieces, problems
        c = start + 2
        if text[c : c + 1] not in ("c", "C") or text[c + 1 : c + 2] not in DIGITS | {":"}:
            pieces.append(text[pos : start + 1])  # `{{` that is not a cloze: plain text
            pos = start + 1
            continue
        digits_end = c + 1
        while digits_end < len(text) and text[digits_end] in DIGITS and digits_end - c <= MAX_DIGITS:
            digits_end += 1
        digits = text[c + 1 : digits_end]
        if text[c] != "c" or not digits or int(digits) == 0 or not text.startswith("::", digits_end):
            problems.append(Problem(start, f"`{_snippet(text, start)}` is not a cloze deletion; write {SYNTAX} (numbers start at c1)"))
            pieces.append(text[pos : start + 2])
            pos = start + 2
            continue
        opened = text[start : digits_end + 2]
        body_start = digits_end + 2
        close = text.find("}}", body_start)
        if close < 0:
            problems.append(Problem(start, f"`{opened}…` is never closed; end the deletion with }}}}"))
            pieces.append(text[pos:])
            return pieces, problems
        body = text[body_start:close]
        pieces.append(text[pos:start])
        pos = close + 2
        if "{{" in body:
            problems.append(
                Problem(start, f"a deletion inside the deletion `{opened}…`; close the first with }}}} before the next {{{{c")
            )
            continue
        hidden, has_hint, hint = body.partition("::")
        if not hidden.strip():
            problems.append(Problem(start, f"`{opened}}}}}` hides nothing; write the hidden text after {opened}"))
        elif has_hint and not hint.strip():
            problems.append(Problem(start, f"`{opened}{hidden}::}}}}` has an empty hint; write the hint after the second :: or drop it"))
        pieces.append(Deletion(int(digits), hidden.strip(), hint.strip()))


def _snippet(text: str, start: int) -> str:
    """The malformed deletion as written: up to its `}}` when that is near, else its start."""
    end = text.find("}}", start, start + 40)
    if end >= 0 and "\n" not in text[start:end]:
        return text[start : end + 2]
    return text[start : start + 8].split("\n", 1)[0] + "…"


def render(pieces: list[str | Deletion], asked: int, shown) -> str:
    """The sentence with the asked deletions drawn by `shown(deletion)`, the others as plain text."""
    return "".join(
        piece if isinstance(piece, str) else shown(piece) if piece.number == asked else piece.text for piece in pieces
    )


def _line_of(fld: Field, offset: int) -> int:
    """The deck line of an offset into the field's (stripped) text."""
    raw = "\n".join(fld.lines)
    lead = len(raw) - len(raw.lstrip())
    return fld.line + raw.count("\n", 0, lead + offset)


def _escape(text: str) -> str:
    # A hint sits inside [ ]; a `]` of its own would end the brackets early.
    return text.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")


class Cloze(Kind):
    name = "cloze"
    label = "cloze"
    starters = ("CLOZE",)
    replaces_prompt = True  # the answer is the whole sentence again

    def identity(self, group: str, number: int) -> tuple[str, ...]:
        return (self.name, group, f"c{number}")

    def make(self, block: Block, out: Output) -> None:
        fld = block.first
        text = fld.text
        pieces, problems = scan(text)
        for problem in problems:
            out.error(_line_of(fld, problem.offset), problem.message)
        if problems:
            return
        numbers = sorted({p.number for p in pieces if isinstance(p, Deletion)})
        if not numbers:
            out.error(block.line, f"CLOZE: has no deletion; mark what to hide as {SYNTAX}")
            return
        if not self.one_key_only(block, out, "write each sentence as its own CLOZE: to name old keys"):
            return
        group = group_identity(block, text)
        sibling = group_sibling(self.name, group)
        for number in numbers:
            prompt = render(pieces, number, lambda d: f"[{d.hint or '…'}]")
            answer = " … ".join(p.text for p in pieces if isinstance(p, Deletion) and p.number == number)
            out.cards.append(
                self.card(
                    block,
                    prompt=prompt,
                    answer=answer,
                    identity=self.identity(group, number),
                    extra={"text": text, "cloze": number},
                    sibling=sibling,
                )
            )

    def kind_label(self, card) -> str:
        return f"{self.label} · c{card.extra.get('cloze', '?')}"

    def prompt_markdown(self, card) -> str:
        pieces, _ = scan(card.extra.get("text", card.prompt))
        return render(pieces, card.extra.get("cloze"), lambda d: f"**\\[{_escape(d.hint) or '…'}\\]**")

    def answer_markdown(self, card) -> str:
        pieces, _ = scan(card.extra.get("text", card.prompt))
        return render(pieces, card.extra.get("cloze"), lambda d: f"**{d.text}**")


KIND = Cloze()
