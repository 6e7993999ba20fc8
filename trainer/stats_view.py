"""`trainer stats` on a terminal: Rich tables and text charts, or one JSON document.

The renderables are built here once and shown both by the command and by the
TUI's stats screen. Anything that came from a deck (deck names, prompts) goes
in as rich.text.Text, never as a string Rich would read markup from, and
with its control characters shown as escapes (trainer.safe_text). Colour
is Rich's to decide: none when piped, none under NO_COLOR.
"""

from __future__ import annotations

import json
import sys
from datetime import date, datetime, timedelta
from pathlib import Path

from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from trainer.config import Settings, bundled_decks_dir
from trainer.current import open_current
from trainer.importer import display_path
from trainer.safe_text import json_text, visible, visible_line
from trainer.stats import CATEGORIES, StatsReport, compute_stats, stats_to_dict

BAR_WIDTH = 40
# Per-deck tables list the biggest decks and say how many more there are:
# a thousand rows would bury the figures (the JSON keeps every deck).
MAX_DECK_ROWS = 12
HEAT_CHARS = "·░▒▓█"
HEAT_STYLES = ("dim", "green4", "green3", "green1", "bold bright_green")
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def run_stats(
    db_path: Path,
    settings: Settings,
    now: datetime,
    *,
    deck: str | None = None,
    days: int = 84,
    on: date | None = None,
    as_json: bool = False,
) -> int:
    """Print the statistics; return the exit code. Errors are raised as TrainerError."""
    # Stats only read: with no database yet, report on an empty one rather than create a file.
    store = open_current(db_path if Path(db_path).exists() else ":memory:", settings, say=lambda message: print(message, file=sys.stderr))
    with store:
        report = compute_stats(store, settings, now, deck=deck, days=days, on=on, tz=settings.zone)
    if as_json:
        sys.stdout.write(json_text(json.dumps(stats_to_dict(report), indent=2, ensure_ascii=False)) + "\n")
        return 0
    # To a file or a pipe, lines are not cut at a guessed 80 columns.
    console = Console(highlight=False, width=None if sys.stdout.isatty() else 200)
    if report.message:
        console.print(Text(visible(report.message)))
        return 0
    for part in render_report(report):
        console.print(part)
        console.print()
    return 0


def render_report(report: StatsReport) -> list[RenderableType]:
    """Every section, in reading order."""
    if report.message:
        return [Text(visible(report.message))]
    return [
        _title(report),
        _today(report),
        _cards(report),
        _forecast(report),
        _activity(report),
        _retention(report),
        _memory(report),
        _calibration(report),
        _hardest(report),
        _leeches(report),
        *([_drills(report)] if report.drills else []),
        _practice(report),
        _parameters(report),
    ]


def percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def duration(ms: int) -> str:
    seconds = round(ms / 1000)
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    if hours:
        return f"{hours}h {minutes:02d}m"
    return f"{minutes}m {seconds:02d}s" if minutes else f"{seconds}s"


def _heading(text: str) -> Text:
    return Text(text, style="bold")


def _title(report: StatsReport) -> Text:
    scope = Text("all decks") if report.deck is None else Text(visible_line(report.deck))
    return Text.assemble(("Stats: ", "bold"), scope, f"  (study days start at {report.day_starts_at}:00)")


def _today(report: StatsReport) -> Group:
    t = report.today
    line = Text(
        f"{t.reviews} answers on {t.cards} cards, Again {percent(t.again_rate)}, "
        f"{duration(t.time_ms)}, {t.new_learned} new learned. "
        f"Streak: {t.streak_days} day{'s' if t.streak_days != 1 else ''}."
    )
    return Group(_heading(f"Today ({t.date})"), line)


def _biggest(names_and_sizes: list[tuple[str, int]]) -> tuple[set[str], int]:
    """The decks a table shows (the MAX_DECK_ROWS biggest) and how many it leaves out."""
    if len(names_and_sizes) <= MAX_DECK_ROWS:
        return {name for name, _ in names_and_sizes}, 0
    ranked = sorted(names_and_sizes, key=lambda item: (-item[1], item[0]))
    return {name for name, _ in ranked[:MAX_DECK_ROWS]}, len(ranked) - MAX_DECK_ROWS


def _more(left_out: int, columns: int) -> list:
    return [Text(f"… {left_out:,} more decks (trainer stats --deck NAME, or --json for all)", style="dim")] + \
        [""] * (columns - 1)


def _cards(report: StatsReport) -> Group:
    table = Table(*("deck",) + CATEGORIES + ("total",), box=None, pad_edge=False)
    for column in table.columns[1:]:
        column.justify = "right"
    shown, left_out = _biggest([(name, counts.total) for name, counts in report.cards.items()])
    for name, counts in report.cards.items():
        if name in shown:
            table.add_row(Text(visible_line(name)), *(str(getattr(counts, c)) for c in CATEGORIES + ("total",)))
    if left_out:
        table.add_row(*_more(left_out, len(table.columns)))
    if len(report.cards) > 1:
        total = report.cards_total
        table.add_row(Text("all", style="bold"), *(str(getattr(total, c)) for c in CATEGORIES + ("total",)))
    return Group(_heading("Cards"), table)


def _bar(count: int, most: int, width: int = BAR_WIDTH) -> str:
    if not count:
        return ""
    return "█" * max(1, round(width * count / most))


def _forecast(report: StatsReport) -> Group:
    f = report.forecast
    most = max([f.overdue] + [d.count for d in f.days]) or 1
    lines = [_heading("Due in the next 30 days")]
    if f.overdue:
        lines.append(Text.assemble(f"{'overdue':<9} ", (_bar(f.overdue, most), "red"), f" {f.overdue}"))
    for d in f.days:
        day = date.fromisoformat(d.date)
        label = f"{WEEKDAYS[day.weekday()]} {day:%m-%d}"
        lines.append(Text.assemble(f"{label:<9} ", (_bar(d.count, most), "cyan"), f" {d.count}"))
    return Group(*lines)


def _activity(report: StatsReport) -> Group:
    a = report.activity
    days = [(date.fromisoformat(d.date), d.reviews) for d in a.days]
    first_monday = days[0][0] - timedelta(days=days[0][0].weekday())
    weeks = (days[-1][0] - first_monday).days // 7 + 1
    most = max(n for _, n in days) or 1
    grid = [[Text(" ")] * weeks for _ in WEEKDAYS]
    for day, n in days:
        level = 0 if n == 0 else min(4, 1 + (4 * n - 1) // most)
        grid[day.weekday()][(day - first_monday).days // 7] = Text(HEAT_CHARS[level], style=HEAT_STYLES[level])
    rows = [Text.assemble(f"{name} ", *cells) for name, cells in zip(WEEKDAYS, grid)]
    summary = Text(
        f"{a.total_reviews} answers on {a.active_days} of {len(days)} days, {duration(a.total_time_ms)} in all "
        f"(· none, {' '.join(HEAT_CHARS[1:])} up to {most} a day)"
    )
    return Group(_heading(f"Activity, last {len(days)} days"), *rows, summary)


def _pass_cell(p) -> str:
    return f"{percent(p.rate)} ({p.passed}/{p.total})" if p.total else "—"


def _retention(report: StatsReport) -> Group:
    table = Table("answers in review", "young", "mature", "all", box=None, pad_edge=False)
    for w in report.retention:
        label = "today" if w.days == 1 else f"last {w.days} days"
        table.add_row(label, _pass_cell(w.young), _pass_cell(w.mature), _pass_cell(w.all))
    return Group(_heading("True retention (not Again)"), table)


def _memory(report: StatsReport) -> Group:
    m = report.memory
    table = Table("deck", "studied", "recall now", f"on {m.on_date}", "known on that day",
                  box=None, pad_edge=False)
    shown, left_out = _biggest([(d.deck, d.active) for d in m.decks])
    rows = [d for d in m.decks if d.deck in shown]
    for d in rows + ([m.total] if len(m.decks) > 1 else []):
        if d is m.total and left_out:
            table.add_row(*_more(left_out, 5))
        table.add_row(
            Text(visible_line(d.deck), style="bold" if d is m.total else ""),
            f"{d.studied}/{d.active}",
            percent(d.recall_now),
            percent(d.recall_on),
            f"{d.expected_known_on:.0f} of {d.active}",
        )
    parts = [
        _heading("Memory, if nothing more is studied"),
        table,
        Text("recall averages studied cards; 'known' counts new cards as not known", style="dim"),
    ]
    if m.plan is not None:
        p = m.plan
        parts.append(Text(
            f"At or above {p.target:.0%} on {m.on_date}: {p.unplanned} of {p.cards} cards as you are; "
            f"{p.expected:.1f} expected with your plan (fitted {p.fitted_on})."
        ))
    return Group(
        *parts,
        _distribution("Stability (days until recall falls to 90%)", m.stability),
        _distribution("Difficulty (1 easy to 10 hard)", m.difficulty),
    )


def _distribution(title: str, bins) -> Group:
    most = max((b.count for b in bins), default=0) or 1
    width = max(len(b.label) for b in bins)
    lines = [Text(title, style="italic")]
    for b in bins:
        lines.append(Text.assemble(f"{b.label:>{width}} ", (_bar(b.count, most, 30), "magenta"), f" {b.count}"))
    return Group(*lines)


def _calibration(report: StatsReport) -> Group:
    table = Table("predicted", "answers", "mean predicted", "actual", box=None, pad_edge=False)
    for b in report.calibration:
        table.add_row(f"{b.low:.0%}-{b.high:.0%}", str(b.count), percent(b.predicted), percent(b.actual))
    return Group(_heading("Calibration: predicted recall against actual"), table)


def _hardest(report: StatsReport) -> Group:
    if not report.hardest:
        return Group(_heading("Hardest cards"), Text("none yet: no card has lapsed or fallen below your target recall"))
    table = Table("where", "lapses", "recall now", "prompt", box=None, pad_edge=False)
    for card in report.hardest:
        prompt = visible_line(card.prompt.split("\n")[0]) if card.prompt else ""
        table.add_row(Text(short_location(card.location)), str(card.lapses), percent(card.recall_now),
                      Text(prompt, overflow="ellipsis", no_wrap=True))
    return Group(_heading("Hardest cards (most lapses, then lowest recall)"), table)


def _leeches(report: StatsReport) -> Group:
    leeches = report.leeches
    if leeches.threshold <= 0:
        return Group(_heading("Leeches"), Text("off (leech_threshold = 0 in config.toml)"))
    title = f"Leeches: {leeches.count} card{'' if leeches.count == 1 else 's'} forgotten {leeches.threshold}+ times"
    if not leeches.count:
        return Group(_heading(title), Text("none: no card keeps slipping away"))
    table = Table("where", "lapses", "status", "prompt", box=None, pad_edge=False)
    for card in leeches.cards:
        prompt = card.prompt.splitlines()[0] if card.prompt else ""
        table.add_row(Text(short_location(card.location)), str(card.lapses), card.status,
                      Text(prompt, overflow="ellipsis", no_wrap=True))
    more = leeches.count - len(leeches.cards)
    hint = (f"and {more} more; " if more > 0 else "") + "rewrite them, or `trainer cards is:leech` lists them all"
    return Group(_heading(title), table, Text(hint, style="dim"))


def short_location(location: str) -> str:
    """`path:line` short enough for a column: relative to here, else the last two parts."""
    path, _, line = location.rpartition(":")
    bundled = bundled_decks_dir().resolve()
    if Path(path).is_relative_to(bundled):
        return f"bundled {Path(path).name}:{line}"
    shown = display_path(path)
    parts = Path(shown).parts
    if len(parts) > 2 and Path(shown).is_absolute():
        shown = str(Path("…", *parts[-2:]))
    return visible_line(f"{shown}:{line}")


def _drills(report: StatsReport) -> Group:
    table = Table("week to", "drills", "rubric met", "time used", "recalled", box=None, pad_edge=False)
    for week in report.drills:
        table.add_row(week.last_day, str(week.answers), percent(week.rubric_met), percent(week.time_share),
                      percent(week.recalled))
    return Group(_heading("Drills: rubric scores by week"), table,
                 Text("rubric met: items ticked over items; time used: time taken over the drill's time", style="dim"))


def _practice(report: StatsReport) -> Group:
    p = report.practice
    if p is None or not (p.today or p.last_30_days):
        line = Text("none yet (`trainer practice`, or p on the decks screen; it never changes the schedule)")
    else:
        line = Text(f"today {p.today} answers on {p.today_cards} cards, Again {p.today_again}; "
                    f"last 30 days {p.last_30_days} answers, {duration(p.time_ms_30_days)}.")
    return Group(_heading("Practice (kept apart from the schedule and the figures above)"), line)


def _parameters(report: StatsReport) -> Group:
    p = report.parameters
    if p.source == "fitted":
        when = f" at {p.fitted_at}" if p.fitted_at else ""
        line = f"FSRS parameters fitted to your reviews{when} ({p.fitted_on} reviews)"
    else:
        line = "FSRS default parameters (`trainer optimize` fits your own)"
    return Group(_heading("Scheduler"), Text(f"{line}; desired retention {percent(p.desired_retention)}"))
