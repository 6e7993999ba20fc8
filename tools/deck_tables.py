"""Write docs/decks.md: what the bundled decks cover, where each teachable item
is (file:line), the card count by kind, and whose history each first-edition
card passes on. Line numbers and keys are computed, never typed:

    .venv/bin/python tools/deck_tables.py > docs/decks.md

The first edition is read from git (commit FIRST_EDITION), its keys computed
with the project's parser. Edit COVERAGE and AFRESH below, not the output.
"""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from trainer.deck_lines import Pin, pin_body, read_pin  # noqa: E402
from trainer.parse import parse_deck  # noqa: E402

FIRST_EDITION = "c991532"
FIRST_EDITION_FILES = ["contrasts.md", "faq.md", "metrics.md", "mistakes.md"]

# The review's coverage table (docs: ../shared/reviews/deck-review.md §1): item, article line, what, pins.
COVERAGE = [
    ("Not X, but Y (explicit)", [
        ("1", "29", "Not “better AI”, but a sharper decision about which user state", ["pair-better-ai"]),
        ("2", "29", "Not “more personalization”, but lean-back discovery / lean-in search / reactivation", ["cloze-user-states"]),
        ("3", "39", "Not the whole product, but one use case", ["pair-whole-product"]),
        ("4", "39", "Not all listeners, but a specific listener state", ["pair-all-listeners"]),
        ("5", "39", "Not a platform vision, but a ranking decision", ["pair-platform-vision"]),
        ("6", "53", "Not the first click, but the second session", ["pair-first-click"]),
        ("7", "53", "Not raw engagement, but durable listening behavior", ["pair-raw-engagement"]),
        ("8", "53", "Not a vanity spike, but evidence of a better relationship with the app", ["pair-vanity-spike"]),
        ("9", "71", "Not maximum relevance, but calibrated exploration", ["pair-max-relevance"]),
        ("10", "71", "Not endless variety, but the right amount of frictionless discovery", ["pair-endless-variety"]),
        ("11", "71", "Not fairness as a slogan, but fairness as a constraint", ["pair-fairness-slogan"]),
        ("12", "85", "Not feature sprawl, but one wedge", ["pair-feature-sprawl"]),
        ("13", "85", "Not abstract ambition, but a product bet", ["pair-abstract-ambition"]),
        ("14", "85", "Not a model pitch, but a shipping plan", ["pair-model-pitch"]),
        ("15", "89", "Not the candidate who knows the most terms, but one who stays coherent", ["pair-most-terms"]),
        ("16", "119", "Not “I know the algorithm”, but the product consequence of a ranking decision", ["pair-know-algorithm"]),
        ("17", "119", "Not “I can describe ML”, but whether the model solves the right problem", ["pair-describe-ml"]),
    ]),
    ("Weak vs strong examples", [
        ("B1", "107", "“better machine learning” → Home ranking, repeat use, guard over-personalization", ["core-better-ml"]),
        ("B2", "111", "“I’d focus on engagement” → separate immediate clicks from long-term retention", ["core-engagement"]),
        ("B3", "115", "“I’d personalize everything” → one surface and one user state", ["core-everything"]),
        ("B4", "29", "“better signals” is too vague → decide which user state you serve", ["pair-better-ai"]),
        ("B5", "37", "“Spotify wants to improve discovery” → Home feed for returning listeners, 7 days", ["slogan-not-scope"]),
        ("B6", "39", "“personalizing the whole app” → no point of attack", ["whole-app-point-of-attack"]),
        ("B7", "59", "“I’d measure engagement” → primary goal, immediate vs sustained (merged with B2)", ["core-engagement"]),
        ("B8", "83", "The model final answer", ["cloze-model-answer", "drill-one-breath"]),
        ("B9", "11", "The opening debrief: relevance, exploration, a vague complaint", ["debrief-winner"]),
        ("B10", "53", "Spending the answer on CTR", ["classify-ctr"]),
        ("B11", "65", "“maximize all four” → admit the conflict, choose by user state", ["maximize-all-four"]),
        ("B12", "133", "Clever but unfocused vs wedge, metric, tradeoff", ["borderline-sound", "grading-judgment"]),
    ]),
    ("Metric ladder and metrics", [
        ("C1", "55", "Three layers: primary, product-quality proxy, guardrail", ["ladder-shape"]),
        ("C2", "55", "Primary: retained listening", ["classify-retained-listening"]),
        ("C3", "55", "Primary: repeat visits", ["classify-repeat-visits"]),
        ("C4", "55", "Proxy: saves", ["classify-saves"]),
        ("C5", "55", "Proxy: follows", ["classify-follows"]),
        ("C6", "55", "Proxy: skips", ["classify-skips"]),
        ("C7", "55", "Proxy: hides", ["classify-hides"]),
        ("C8", "55", "Proxy: session completion", ["classify-session-completion"]),
        ("C9", "55", "Guardrail: diversity", ["classify-diversity"]),
        ("C10", "55", "Guardrail: creator balance", ["classify-creator-balance"]),
        ("C11", "55", "Guardrail: complaint rate", ["classify-complaint-rate"]),
        ("C12", "55", "A guardrail when the surface can damage trust", ["guardrail-when"]),
        ("C13", "96", "Checklist shape: one primary, two proxies, one guardrail", ["ladder-shape"]),
        ("C14", "96", "Explain why each rung sits there", ["ladder-test"]),
        ("C15", "51", "Matters most (long-term trust) vs misleads most (easiest to move)", ["pair-easiest-metric"]),
        ("C16", "53", "CTR is a local signal, not a product outcome", ["classify-ctr"]),
        ("C17", "57", "Metric traps: the wrong proxy wins the wrong game", ["metric-trap"]),
        ("C18", "57", "A 7-day signal vs a 30-day lens", ["seven-vs-thirty"]),
        ("C19", "59", "A feature can inflate activity while harming the product", ["core-engagement"]),
        ("C20", "61", "Engineers: computable; designers: experience quality; leadership: retention", ["cloze-who-wants-what"]),
        ("C21", "83", "The article's own stack: repeat listening, skip behavior, narrowing", ["cloze-model-answer"]),
    ]),
    ("The article's FAQ", [
        ("D1", "123", "Deep ML knowledge? Enough literacy; the four things to explain", ["ml-literacy", "concept-cold-start", "concept-feedback-loop", "concept-ranking-tradeoff", "metric-trap"]),
        ("D2", "127", "One perfect answer? One framework, two or three applications", ["one-perfect-answer"]),
        ("D3", "131", "Pass vs borderline: judgment", ["grading-judgment", "borderline-sound"]),
    ]),
    ("Framework and preparation checklist", [
        ("E1-E5", "81", "The five steps, in order", ["cloze-answer-structure"]),
        ("E6", "79", "Decision memo, not a brainstorm: thesis, metric, risk, launch path", ["pair-brainstorm", "cloze-final-compression"]),
        ("E7", "37", "Scope = one user, one surface, one tradeoff", ["core-everything"]),
        ("E8", "87", "Flex without collapsing", ["flex-without-collapsing"]),
        ("E9", "85", "The HM listens for whether you know what not to do", ["hm-listens-for"]),
        ("E10", "25", "Narrow decision with clear intent, surface and failure modes", ["cloze-failure-modes"]),
        ("E11", "95", "Prepare around one surface and one segment, no generic speech", ["core-everything"]),
        ("E12", "97", "A debrief story about a tradeoff, not “building AI”", ["debrief-story", "drill-debrief-story"]),
        ("E13", "99", "Prepare for cross-functional pushback", ["move-engineer-feasibility", "move-designer-trust", "move-pm-scope"]),
        ("E14", "100", "A 90-day launch framing that avoids a bad feedback loop", ["ninety-day-framing"]),
        ("E15", "101", "Memorize your “not X, but Y” contrasts", ["why-memorize-contrasts"]),
    ]),
    ("Spotify facts and user states", [
        ("S1", "13", "4 to 6 rounds over roughly 2 to 3 weeks", ["loop-length"]),
        ("S2", "13", "Round types, incl. a judgment-heavy conversation", ["loop-judgment-round"]),
        ("S3", "21", "The base band, and what the interview cares about instead", ["loop-pay-band"]),
        ("S4", "45", "Real surfaces, playlist creation included", ["cloze-real-surfaces"]),
        ("S5", "45", "Surfaces are not interchangeable", ["surfaces-not-interchangeable"]),
        ("S6", "13", "Pass signal: sounds like someone who has shipped", ["pass-signal"]),
        ("S7", "25", "Judgment under ambiguity, not ML fluency", ["grading-judgment"]),
        ("S8", "33", "Reduce uncertainty; survive engineer, PM, designer", ["reduce-uncertainty", "cloze-forwarded-answer"]),
        ("U1-U3", "29", "Lean-back discovery, lean-in search, reactivation", ["cloze-user-states"]),
        ("U4", "41", "Returning listeners not engaged in the last 7 days", ["slogan-not-scope"]),
        ("U5", "69", "Lean-back tolerates more exploration", ["state-lean-back"]),
        ("U6", "69", "Lean-in search needs tighter relevance", ["state-lean-in"]),
        ("U7", "69", "New user: more guided diversity", ["state-new-user"]),
        ("U8", "69", "Long-time listener: novelty without losing trust", ["state-long-time"]),
        ("U9", "67", "Surprise, control, not trapped in a loop", ["cloze-what-listeners-want"]),
        ("U10", "47", "Will the user trust the system enough to return tomorrow", ["quality-or-trust"]),
    ]),
    ("Common mistakes", [
        ("G1", "27", "Personalization as infrastructure", ["architecture-opening"]),
        ("G2", "45", "Surfaces as interchangeable", ["surfaces-not-interchangeable"]),
        ("G3", "47", "Every question is about recommendation quality", ["quality-or-trust"]),
        ("G4", "67", "Relevance as the only objective", ["relevance-only", "cloze-what-listeners-want"]),
        ("G5", "75", "Abstract ethics language", ["ethics-language"]),
        ("G6", "57", "Optimizing the wrong proxy", ["metric-trap"]),
        ("G7", "79", "A brainstorm, not a decision memo", ["pair-brainstorm"]),
        ("G8", "87", "Changing shape under follow-up", ["flex-without-collapsing"]),
        ("G9", "95", "A generic “personalization” speech", ["core-everything"]),
        ("G10", "97", "A “building AI” story", ["debrief-story"]),
        ("G11", "127", "One perfect answer", ["one-perfect-answer"]),
        ("G12", "119", "Overclaiming technical authority", ["deeper-mistake", "pair-know-algorithm", "pair-describe-ml"]),
        ("G13", "105", "Enthusiastic about the problem, not precise about the decision", ["how-most-fail"]),
        ("G14", "43", "Impressing with range", ["narrow-reads-senior"]),
        ("G15", "21", "Answering at the system level", ["losing-on-product-sense"]),
        ("G16", "11", "Pretending the system can solve a vague complaint", ["debrief-winner", "drill-vague-complaint"]),
        ("G17", "3", "Seduced by model detail", ["architecture-opening"]),
        ("G18", "73", "Hooked on positive feedback, overfitting to the last tap", ["right-too-early"]),
        ("G19", "133", "Drifting into generic product language", ["borderline-sound"]),
    ]),
    ("Interviewer follow-ups", [
        ("H1", "87", "Engineer challenges feasibility", ["move-engineer-feasibility"]),
        ("H2", "87", "Designer challenges the user experience", ["move-designer-experience"]),
        ("H3", "87", "HM asks about launch risk", ["move-hm-launch-risk"]),
        ("H4", "75", "Creator fairness or content diversity", ["ethics-language", "drill-daily-mix"]),
        ("H5", "99", "Designer challenges trust", ["move-designer-trust"]),
        ("H6", "99", "PM challenges scope", ["move-pm-scope"]),
        ("H7", "129", "The prompt moves (surface, segment, constraint)", ["move-prompt-moves", "drill-podcasts-home"]),
        ("H8", "125", "Explain cold start, feedback loops, ranking tradeoffs, a misleading metric",
         ["concept-cold-start", "concept-feedback-loop", "concept-ranking-tradeoff", "metric-trap"]),
    ]),
]

# First-edition cards whose history starts afresh, and why (keyed by first-edition file:line).
_CLOZE = "its list became the cloze `{}`, one card per item; a `was:` on a cloze line would hand one history to several cards"
_INVENTED = "our own ladder for a surface the article never names; dropped"
AFRESH = {
    "contrasts:7": _CLOZE.format("cloze-user-states"),
    "contrasts:40": _CLOZE.format("cloze-beyond-relevance"),
    "faq:31": _CLOZE.format("cloze-beyond-relevance"),
    "faq:60": _CLOZE.format("cloze-who-wants-what"),
    "mistakes:61": _CLOZE.format("cloze-who-wants-what"),
    "faq:70": _CLOZE.format("cloze-what-listeners-want"),
    "faq:83": _CLOZE.format("cloze-answer-structure") + " (five ordered steps)",
    "faq:96": "who challenges what is now the premise of three move cards (engineer, designer on trust, PM on scope); no card asks for the list itself",
    **{f"metrics:{n}": _INVENTED + " (Discover Weekly)" for n in (21, 22, 23, 24)},
    **{f"metrics:{n}": _INVENTED + " (podcasts); practised now as the drill `drill-podcasts-home`" for n in (39, 40, 41, 42)},
    **{f"metrics:{n}": "our own cold-start ladder, dropped: its rungs repeated the classified metrics; cold start is now `concept-cold-start`, and its guardrail's history went to `state-new-user`" for n in (45, 46, 47)},
}


def git_show(path: str) -> str:
    return subprocess.run(["git", "show", f"{FIRST_EDITION}:{path}"], cwd=ROOT, check=True,
                          capture_output=True, text=True).stdout


def first_edition() -> list[dict]:
    cards = []
    for name in FIRST_EDITION_FILES:
        deck = parse_deck(git_show(f"decks/{name}"), f"decks/{name}")
        assert not deck.errors
        for c in deck.cards:
            prompt = c.prompt if c.kind.value != "ladder" else f"{c.prompt} › {c.extra['layer']} {c.extra['ordinal']}"
            cards.append({"where": f"{name[:-3]}:{c.line}", "kind": c.kind.value, "key": c.key, "prompt": prompt})
    return cards


def second_edition() -> tuple[dict, dict, Counter, dict]:
    """pin id -> file:line of the line it pins; old key -> pin id; cards by kind; cards by file and kind.

    Everything comes from the project's parser: the cards and their `was:` keys
    from parse_deck, the pins' places from the same pin reader it uses."""
    where, history, kinds, per_file = {}, {}, Counter(), {}
    for path in sorted((ROOT / "decks").glob("*.md")):
        text = path.read_text(encoding="utf-8")
        deck = parse_deck(text, f"decks/{path.name}")
        assert not deck.errors, [str(e) for e in deck.errors]
        for number, line in enumerate(text.splitlines(), start=1):
            body = pin_body(line)
            if body is not None:
                pin = read_pin(body, number)
                assert isinstance(pin, Pin), f"{path.name}:{number}: {pin}"
                where[pin.slug] = f"{path.name}:{number + 1}"
        for card in deck.cards:
            for key in card.was:
                history[key] = card.pinned_id
        counts = Counter(c.kind.value for c in deck.cards)
        per_file[path.name] = (deck.title, counts)
        kinds += counts
    return where, history, kinds, per_file


KIND_ORDER = ["contrast", "pair", "ladder", "faq", "cloze", "drill", "followup"]
KIND_NAMES = {"contrast": "contrast (BAD/GOOD)", "pair": "pair (Not X, but Y)", "ladder": "ladder (one per rung)",
              "faq": "faq (Q/A)", "cloze": "cloze (one per number)", "drill": "drill (DRILL:)",
              "followup": "followup (one per FOLLOWUP:)"}


def cell(text: str) -> str:
    return " ".join(text.replace("|", "\\|").split())


def main() -> None:
    where, history, kinds, per_file = second_edition()
    old = first_edition()
    out = []
    say = out.append
    say("# The bundled decks (second edition)")
    say("")
    say("Generated by `tools/deck_tables.py` from the decks themselves; rerun it after editing a deck:")
    say("`.venv/bin/python tools/deck_tables.py > docs/decks.md`. `tests/test_bundled_decks.py` checks that")
    say("every `file:line` below starts the card its pin names, that the counts are what the parser makes and")
    say("that the history table matches the pins; `tests/test_first_edition_history.py` imports these decks")
    say("into a database that studied the first edition.")
    say("")
    say("## What they cover")
    say("")
    say("The decks teach the judgment in one article, “Spotify PM Interview: Personalization Algorithm Product")
    say("Design Questions” (a third-party interview-prep post, not a Spotify document): how to scope a")
    say("personalization prompt, the five-step answer, the metric stack, the tradeoffs between relevance and")
    say("exploration, the interviewer's follow-ups, and the mistakes that sink an answer. Cards are in our own")
    say("words and quote only the short phrases worth memorizing. A section whose heading says “ours” holds our")
    say("own material (worked ladders, concept definitions, follow-up moves the article implies, practice")
    say("surfaces); each deck's opening prose names the article.")
    say("")
    say("New cards are introduced in file order, then line order, so each deck lists its cards in the order to")
    say("learn them; `contrasts.md` opens with the article's three weak-vs-strong answers.")
    say("")
    say("| file | deck | cards |")
    say("|---|---|---|")
    for name, (title, counts) in per_file.items():
        assert set(counts) <= set(KIND_ORDER), f"a kind this table does not know: {set(counts) - set(KIND_ORDER)}"
        parts = ", ".join(f"{counts[k]} {k}" for k in KIND_ORDER if counts[k])
        say(f"| `{name}` | {title} | {sum(counts.values())}: {parts} |")
    say("")
    say("## Cards by kind")
    say("")
    say("As the parser makes them (kinds by their names in the database): a ladder makes one card per rung,")
    say("a `CLOZE:` one card per cloze number, a `DRILL:` one drill card plus one `followup` card per")
    say("`FOLLOWUP:`.")
    say("")
    say("| kind | cards |")
    say("|---|---|")
    for k in KIND_ORDER:
        say(f"| {KIND_NAMES[k]} | {kinds[k]} |")
    say(f"| **all** | **{sum(kinds.values())}** |")
    say("")
    say("## Coverage of the review's teachable items")
    say("")
    say("Items and article lines (`L`) as in the review's coverage table (`../shared/reviews/deck-review.md`);")
    say("each points at the card(s) that now teach it.")
    for group, items in COVERAGE:
        say("")
        say(f"### {group}")
        say("")
        say("| # | L | item | card |")
        say("|---|---|---|---|")
        for item, line, text, slugs in items:
            cards = ", ".join(f"`{where[s]}` ({s})" for s in slugs)
            say(f"| {item} | {line} | {cell(text)} | {cards} |")
    say("")
    say("## History carried over from the first edition")
    say("")
    carried = [c for c in old if c["key"] in history]
    say(f"The first edition had {len(old)} cards (decks as of commit `{FIRST_EDITION}`; keys computed with the")
    say("project's parser, which gives the keys trainer 0.1 stored: `tests/test_first_edition_history.py` imports")
    say(f"this edition into a 0.1 database). **{len(carried)} can pass their history on** through `was:` in the pins")
    say(f"of {len(set(history.values()))} new cards; {len(old) - len(carried)} start afresh: the import retires them, "
        "their reviews kept in the log.")
    say("Where twins of the first edition merged, the one new card names every twin's key; the import hands it")
    say("the history of the twin with the most reviews and retires the others with theirs (so where two twins")
    say("were both studied, only one history carries on). Where a list card")
    say("was split into single-fact cards, the card keeping the main fact takes the history and the others")
    say("start fresh.")
    say("")
    say("| first edition | kind | key | prompt | second edition |")
    say("|---|---|---|---|---|")
    for c in old:
        if c["key"] in history:
            slug = history[c["key"]]
            to = f"`pin: {slug}` at `{where[slug]}`"
        else:
            to = f"starts afresh: {AFRESH[c['where']]}"
        say(f"| `{c['where']}` | {c['kind']} | `{c['key']}` | {cell(c['prompt'])[:70]} | {to} |")
    unknown = set(history) - {c["key"] for c in old}
    assert not unknown, f"was: keys that are not first-edition cards: {unknown}"
    stale = {w for w in AFRESH if any(c["where"] == w and c["key"] in history for c in old)}
    assert not stale, f"AFRESH lists cards that carry history: {stale}"
    print("\n".join(out))


if __name__ == "__main__":
    main()
