"""The text an import prints: a line per deck, a total, and the problems."""

from __future__ import annotations

from trainer.importer import ImportReport
from trainer.safe_text import visible_line

COUNTS = ("added", "updated", "unchanged", "retired")


def _by_kind(counts: dict[str, int]) -> str:
    """` (8 faq, 3 cloze, 1 drill)` when more than one kind was added, else nothing."""
    if len(counts) < 2:
        return ""
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return " (" + ", ".join(f"{count} {kind}" for kind, count in ordered) + ")"


def _counts(get, added_by_kind: dict[str, int]) -> str:
    parts = [f"{get(name)} {name}" for name in COUNTS]
    parts[0] += _by_kind(added_by_kind)
    restored = get("restored")
    if restored:
        parts.append(f"{restored} restored")
    return ", ".join(parts)


def format_report(report: ImportReport) -> tuple[str, str]:
    """(what goes to stdout, what goes to stderr)."""
    lines = []
    if report.dry_run:
        lines.append("Dry run: nothing is written.")
    # File names and notes quote what is on disk: shown with escapes, never raw.
    shown = [visible_line(deck.path) for deck in report.decks]
    width = max((len(path) for path in shown), default=0)
    for deck, path in zip(report.decks, shown):
        if deck.skipped:
            lines.append(f"{path:<{width}}  skipped: {len(deck.errors)} error(s), its cards are unchanged")
            continue
        lines.append(f"{path:<{width}}  {_counts(lambda n: getattr(deck, n), deck.added_by_kind)}")
    for deck in report.decks:
        lines.extend(f"  note: {visible_line(note)}" for note in deck.notes)
    if not report.decks and not report.errors:
        lines.append("No deck files (*.md) found.")
    added: dict[str, int] = {}
    for deck in report.decks:
        for kind, count in deck.added_by_kind.items():
            added[kind] = added.get(kind, 0) + count
    lines.append(f"total: {_counts(report.total, added)}" + (" (dry run)" if report.dry_run else ""))

    problems = [str(error).replace(":0:", ":") for error in report.all_errors]
    problems += [f"warning: {visible_line(warning)}" for warning in report.warnings]
    skipped = sum(1 for deck in report.decks if deck.skipped)
    if skipped:
        problems.append(
            f"{skipped} file(s) had errors and were skipped whole; their cards are as before. "
            "Fix the lines above and import again."
        )
    return "\n".join(lines), "\n".join(problems)
