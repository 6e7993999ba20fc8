"""How fast does the parser read a big deck, and hostile lines? Prints figures; asserts nothing.

    .venv/bin/python benchmarks/parse_bench.py [--runs 5]

Measures, as the best of several runs: a 40,000-line deck holding 15,000 cards
of the older kinds plus clozes and drills, and the inputs of tests/hostile
that once stalled the import (each must stay in milliseconds).
"""

from __future__ import annotations

import argparse
import time

from trainer.parse import parse_deck

SPACES = " " * 100_000


def big_deck(groups: int = 2500) -> str:
    parts = []
    for n in range(groups):
        parts.append(
            f"## S{n}\nQ: question {n} about metrics?\nA: answer {n}\nwith a second line\n\n"
            f"BAD: weak {n}\nGOOD: strong {n}\nWHY: because\n\n- Not thing {n}, but other {n}.\n\n"
            f"LADDER: ladder {n}\nPRIMARY: p\nPROXY: x\nGUARDRAIL: g\n"
        )
        if n % 10 == 0:
            parts.append(f"CLOZE: the {{{{c1::primary {n}}}}} and the {{{{c2::proxy::hint}}}}\n")
            parts.append(f"DRILL: drill {n}\nTIME: 90s\nRUBRIC:\n- one\n- two\nFOLLOWUP: follow {n}\n")
    return "\n".join(parts)


HOSTILE = {
    "pin + 100k spaces, unclosed": "<!-- id:" + SPACES + "\nQ: q\nA: a\n",
    "heading with 100k inner spaces": "# a" + SPACES + "b\n",
    "Not … 20,000 unbalanced ', but'": "Not “x" + ", but y" * 20_000 + "\n",
    "ladder of 20,000 proxies": "LADDER: L\nPRIMARY: p\n" + "PROXY: x\n" * 20_000,
    "cloze of 100k colons": "CLOZE: {{c1::" + ":" * 100_000 + "\n",
}


def best_of(runs: int, text: str) -> tuple[float, int]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        deck = parse_deck(text, "bench.md")
        times.append(time.perf_counter() - start)
    return min(times), len(deck.cards)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    text = big_deck()
    seconds, cards = best_of(runs, text)
    print(f"big deck: {text.count(chr(10))} lines, {cards} cards: {seconds * 1000:.0f} ms")
    for name, hostile in HOSTILE.items():
        seconds, _ = best_of(runs, hostile)
        print(f"{name}: {seconds * 1000:.1f} ms")


if __name__ == "__main__":
    main()
