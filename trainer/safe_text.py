"""Untrusted text made safe to show on a terminal: escapes you can see, HTML as typed.

Card text, deck titles, file names and the error messages that quote them
come from files anyone could have written. Printed as they are, an ESC
starts a terminal escape sequence (`ESC[2J` clears the screen, an OSC sets
the window title or writes the clipboard), a C1 byte does the same on some
terminals, a bidi override makes text read backwards, and a NUL or a lone
surrogate from a non-UTF-8 file name can break the program printing it.
So every such character is shown as the escape Python would write for it
(`\\x1b`, `\\u202e`; a byte a file name could not decode shows as `\\xff`),
which is also how to search for it.

Markdown is a second language to guard: Textual's Markdown widget drops raw
HTML (`<div>` vanishes, an HTML block takes its lines with it), so outside
code the Markdown the kinds produce gets `<` (and `&` before an entity name)
backslash-escaped, and shows as typed. Code spans and fenced blocks show
their text literally already and are left alone.

Stdlib only: the model, the core and the CLI all use it.
"""

from __future__ import annotations

import re

# Bidirectional embeddings, overrides and isolates, and the marks that steer them.
_BIDI = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
# C0 but newline and tab, DEL, C1, bidi controls, and lone surrogates.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f" + _BIDI + "\ud800-\udfff]")
_UNSAFE_IN_LINE = re.compile("[\x00-\x1f\x7f-\x9f" + _BIDI + "\ud800-\udfff]")
_NAMED = {"\n": "\\n", "\t": "\\t", "\r": "\\r"}
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{0,31});")


def _escape(match: re.Match) -> str:
    char = match.group()
    code = ord(char)
    if char in _NAMED:
        return _NAMED[char]
    if 0xDC80 <= code <= 0xDCFF:
        # A byte that was not UTF-8, kept by Python's surrogateescape: show the byte.
        return f"\\x{code - 0xDC00:02x}"
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}"


def visible(text: str) -> str:
    """Text with every control character shown as an escape; newlines and tabs stay."""
    return _UNSAFE.sub(_escape, text) if _UNSAFE.search(text) else text


def visible_line(text: str) -> str:
    """One line for a label, a file name or a message: newlines and tabs are escaped too."""
    return _UNSAFE_IN_LINE.sub(_escape, text) if _UNSAFE_IN_LINE.search(text) else text


def path_text(path) -> str:
    """A file name as it can be shown: bytes that are not UTF-8 as \\xNN, controls escaped."""
    return visible_line(str(path))


def is_utf8_name(name: str) -> bool:
    """False for a file name holding bytes that are not UTF-8 (kept by surrogateescape)."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


_UNSAFE_IN_JSON = re.compile("[\x7f-\x9f" + _BIDI + "\ud800-\udfff]")


def json_text(document: str) -> str:
    """A JSON document (from json.dumps) with the characters JSON leaves raw but a
    terminal would act on written as \\uXXXX: the same data, safe to print."""
    return _UNSAFE_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", document)


# -- Markdown ---------------------------------------------------------------------
_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")


def markdown_literal(markdown: str) -> str:
    """Markdown whose text shows as typed: controls escaped, HTML not read as HTML.

    The Markdown's own syntax (emphasis, lists, the kinds' labels) still works;
    only `<` and entities outside code are escaped."""
    text = visible(markdown)
    if "<" not in text and "&" not in text:
        return text
    out: list[str] = []
    paragraph: list[str] = []
    fence: str | None = None

    def flush() -> None:
        if paragraph:
            # A field never holds a blank line outside a fence, so an indented
            # paragraph here is a list item's text, not an indented code block.
            out.append(_escape_inline("\n".join(paragraph)))
            paragraph.clear()

    for line in text.split("\n"):
        if fence is not None:
            out.append(line)
            run = line.strip()
            if run and run == fence[0] * len(run) and len(run) >= len(fence):
                fence = None
            continue
        opened = _FENCE.match(line)
        if opened and not (opened.group(1)[0] == "`" and "`" in line[opened.end() :]):
            flush()
            fence = opened.group(1)
            out.append(line)
            continue
        if not line.strip():
            flush()
            out.append(line)
            continue
        paragraph.append(line)
    flush()
    return "\n".join(out)


def _backtick_runs(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end() - m.start()) for m in re.finditer("`+", text)]


def _escape_inline(text: str) -> str:
    """Escape `<` and entities outside code spans, in one pass (linear in the text)."""
    if "<" not in text and "&" not in text:
        return text
    runs = _backtick_runs(text)
    # For each run length, the runs of that length in order: a code span closes
    # at the next run of exactly its opening length.
    by_length: dict[int, list[int]] = {}
    for start, length in runs:
        by_length.setdefault(length, []).append(start)
    next_of: dict[int, int] = {}  # run length -> index into by_length[length] of the next candidate
    code: list[tuple[int, int]] = []  # [start, end) of code spans
    position = 0
    for start, length in runs:
        if start < position:
            continue  # inside a code span already found
        starts = by_length[length]
        index = next_of.get(length, 0)
        while index < len(starts) and starts[index] <= start:
            index += 1
        next_of[length] = index
        if index < len(starts):
            close = starts[index]
            code.append((start, close + length))
            position = close + length
            next_of[length] = index + 1
    out: list[str] = []
    cursor = 0
    for start, end in code + [(len(text), len(text))]:
        out.append(_escape_html(text[cursor:start]))
        out.append(text[start:end])
        cursor = end
    return "".join(out)


def _escape_html(text: str) -> str:
    if "<" not in text and "&" not in text:
        return text
    out: list[str] = []
    i = 0
    n = len(text)
    while i < n:
        char = text[i]
        if char == "\\" and i + 1 < n:
            out.append(text[i : i + 2])  # an escape already: keep it whole
            i += 2
            continue
        if char == "<":
            out.append("\\<")
        elif char == "&" and _ENTITY.match(text, i):
            out.append("\\&")
        else:
            out.append(char)
        i += 1
    return "".join(out)
