"""The command line: the only place that reads the clock for commands and turns
errors into messages and exit codes. Heavy imports (textual, fsrs) happen
inside the commands that need them, so `trainer import` starts fast.
"""

from __future__ import annotations

import os
import sqlite3
import sys
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path

import click

from trainer.errors import TrainerError
from trainer.safe_text import visible

EXIT_ERROR = 1
_CONTEXT = None  # the command's Context, so an SQLite error can name the database


@dataclass
class Context:
    db_option: str | None

    @property
    def db_path(self) -> Path:
        from trainer.config import db_path

        return db_path(self.db_option)

    def settings(self):
        from trainer.config import load_settings

        return load_settings()

    def open(self, *, create: bool = True, settings=None):
        """Open the database, with every card's schedule in step with the settings in force."""
        from trainer.current import open_current

        return open_current(self.db_path, settings or self.settings(), create=create, say=say)


def say(message: str) -> None:
    click.echo(message, err=True)


def now_utc() -> datetime:
    return datetime.now(timezone.utc)


class WholeHelpGroup(click.Group):
    """`trainer --help` lists each command with its whole first paragraph, wrapped, never cut at 45 characters."""

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = []
        for name in self.list_commands(ctx):
            command = self.get_command(ctx, name)
            if command is None or command.hidden:
                continue
            text = command.short_help or (command.help or "").split("\n\n")[0]
            rows.append((name, " ".join(text.split())))
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


@click.group(cls=WholeHelpGroup, invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--db", "db_option", metavar="PATH", help="Database file (default: $TRAINER_DB, else your user data folder).")
@click.version_option(package_name="trainer")
@click.pass_context
def cli(ctx: click.Context, db_option: str | None) -> None:
    """Spaced repetition for what you keep in Markdown.

    With no command, opens the daily review on your decks.
    """
    ctx.obj = Context(db_option)
    global _CONTEXT
    _CONTEXT = ctx.obj
    if ctx.invoked_subcommand is None:
        _open_app(ctx.obj, deck=None, straight_to_review=False)


@cli.command("import")
@click.argument("paths", nargs=-1, type=click.Path(path_type=str))
@click.option("--dry-run", is_flag=True, help="Report what would change; write nothing.")
@click.option("--forget", "forget", metavar="PATH", multiple=True,
              help="Stop following PATH (its cards stay as they are).")
@click.pass_obj
def import_command(obj: Context, paths: tuple[str, ...], dry_run: bool, forget: tuple[str, ...]) -> None:
    """Import deck files and folders (*.md, recursively).

    trainer follows the paths you import: with no PATH, it imports them all
    again (as it does at every start). --forget PATH stops following one.
    """
    from trainer import sync
    from trainer.import_report import format_report
    from trainer.store.connection import open_copy_in_memory, open_db

    if forget:
        if paths or dry_run:
            raise TrainerError("--forget takes no other paths and no --dry-run; run it on its own")
        with open_db(obj.db_path, create=False) as store:
            for path in forget:
                shown = sync.forget(store, path)
                click.echo(f"No longer following {visible(shown)}; its cards stay as they are "
                           "(`trainer import PATH` follows it again).")
        return
    if dry_run:
        # Nothing may be written, not even a schema upgrade: diff against a private copy.
        store = open_copy_in_memory(obj.db_path) if obj.db_path.exists() else open_db(":memory:")
    else:
        # Importing touches no schedule: the replay a settings change needs waits for the review.
        store = open_db(obj.db_path)
    with store:
        if paths:
            report = sync.import_and_follow(store, list(paths), now_utc(), dry_run=dry_run)
        else:
            report = sync.reimport(store, now_utc(), dry_run=dry_run)
    out, err = format_report(report)
    click.echo(out)
    if err:
        click.echo(err, err=True)
    if not report.ok:
        sys.exit(EXIT_ERROR)


@cli.command()
@click.option("--deck", metavar="NAME", help="Review one deck only.")
@click.pass_obj
def review(obj: Context, deck: str | None) -> None:
    """Open the review straight on the first card due."""
    _open_app(obj, deck=deck, straight_to_review=True)


@cli.command()
@click.pass_obj
def config(obj: Context) -> None:
    """Show where the settings live and what is in force."""
    from trainer.config import config_path, fields_in_force, user_decks_dir
    from trainer.safe_text import path_text

    path = config_path()
    settings = obj.settings()
    click.echo(f"settings file: {path_text(path)}" + ("" if path.exists() else " (not created yet: defaults in force)"))
    click.echo(f"database:      {path_text(obj.db_path)}")
    click.echo(f"decks folder:  {path_text(user_decks_dir())}  (editable copies of bundled decks)")
    click.echo("")
    for name, value in fields_in_force(settings):
        click.echo(f"{name} = {path_text(value)}")  # a string setting (theme) may hold anything


@cli.command()
@click.option("--deck", metavar="NAME", help="One deck only.")
@click.option("--days", type=click.IntRange(1, 3660), default=84, show_default=True, help="Days of activity to show.")
@click.option("--on", "on_date", metavar="DATE", help="Interview day for the memory forecast (YYYY-MM-DD; default: in 7 days).")
@click.option("--json", "as_json", is_flag=True, help="Print everything as one JSON document.")
@click.pass_obj
def stats(obj: Context, deck: str | None, days: int, on_date: str | None, as_json: bool) -> None:
    """What you have learned, what is coming, and whether you are ready."""
    from trainer.stats_view import run_stats

    target = _parse_date(on_date) if on_date else None
    sys.exit(run_stats(obj.db_path, obj.settings(), now_utc(), deck=deck, days=days, on=target, as_json=as_json))


@cli.command()
@click.option("--deck", metavar="NAME", help="Fit on one deck's history only.")
@click.option("--dry-run", is_flag=True, help="Report the scores; save nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@click.option("--retention", is_flag=True, help="Also suggest a desired retention and its daily workload.")
@click.pass_obj
def optimize(obj: Context, deck: str | None, dry_run: bool, as_json: bool, retention: bool) -> None:
    """Fit FSRS to your own review history, and keep it only if it predicts better."""
    from trainer.optimize_view import run_optimize

    sys.exit(run_optimize(obj.db_path, now_utc(), deck=deck, dry_run=dry_run, as_json=as_json, retention=retention))


@cli.command()
@click.option("--repair", is_flag=True, help="Rewrite every cached value that differs, in one transaction.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.pass_obj
def check(obj: Context, repair: bool, as_json: bool) -> None:
    """Replay every card's review log and compare it with the cached schedules.

    Exits 0 when every cached value equals the replay, 1 when some differ
    (after --repair: 0 once they are rewritten).
    """
    from trainer.check_view import run_check

    sys.exit(run_check(obj.db_path, obj.settings(), repair=repair, as_json=as_json))


@cli.command(context_settings={"ignore_unknown_options": True})
@click.argument("words", nargs=-1, metavar="[ACTION] [SEARCH]...")
@click.option("--json", "as_json", is_flag=True, help="List the cards as one JSON array.")
@click.option("--yes", is_flag=True, help="Act on more than 20 cards.")
@click.option("--dry-run", is_flag=True, help="Show which cards the action would change; change nothing.")
@click.option("--days", type=int, metavar="N", help="set-due: due N study days from today (0: today).")
@click.pass_obj
def cards(obj: Context, words: tuple[str, ...], as_json: bool, yes: bool, dry_run: bool, days: int | None) -> None:
    """List the cards a search finds, or act on them.

    \b
    trainer cards is:due deck:metrics          one card a line, tab-separated
    trainer cards prop:recall<0.8 --json
    trainer cards suspend is:leech --yes      suspend|unsuspend|bury|unbury|forget
    trainer cards set-due --days 3 "cold start"

    Lines are: key, deck, state, status, due (UTC), recall now, path:line,
    prompt. docs/browse.md describes the search; a leading - negates a term
    (-is:suspended). More than 20 cards need --yes.
    """
    from trainer.cards_view import run_cards

    sys.exit(run_cards(obj.db_path, obj.settings(), now_utc(), words, as_json=as_json, yes=yes, dry_run=dry_run,
                       days=days))


@cli.command("prepare")
@click.option("--on", "on_date", metavar="DATE", help="The interview date (YYYY-MM-DD); without it, the plan in force.")
@click.option("--target", type=float, default=0.9, show_default=True, help="Recall each card should have that day.")
@click.option("--minutes-per-day", "minutes", type=float, default=20.0, show_default=True, help="Daily budget.")
@click.option("--deck", metavar="NAME", help="Plan one deck only.")
@click.option("--accept", is_flag=True, help="Store the plan without asking.")
@click.option("--simulate", is_flag=True, help="Compare the plan with plain FSRS and a greedy baseline; store nothing.")
@click.option("--runs", type=click.IntRange(1, 10_000), default=20, show_default=True, help="Simulated learners.")
@click.option("--seed", type=int, default=1, show_default=True, help="Seed of the simulation.")
@click.option("--cancel", is_flag=True, help="Drop the plan in force.")
@click.option("--json", "as_json", is_flag=True, help="Print the plan (or the comparison) as JSON.")
@click.pass_obj
def prepare_command(obj: Context, on_date: str | None, target: float, minutes: float, deck: str | None, accept: bool,
                    simulate: bool, runs: int, seed: int, cancel: bool, as_json: bool) -> None:
    """Plan reviews so that every card is above a target recall on an interview date.

    Shows the plan day by day; --accept (or answering yes) stores it, and the
    daily review then serves its cards first until the date.
    """
    from trainer.prepare_view import run_prepare

    on = _parse_date(on_date) if on_date else None
    interactive = sys.stdin.isatty() and sys.stdout.isatty()
    sys.exit(run_prepare(
        obj.db_path, obj.settings(), now_utc(), on=on, target=target, minutes=minutes, deck=deck, accept=accept,
        simulate=simulate, as_json=as_json, runs=runs, seed=seed, cancel=cancel,
        confirm=lambda: interactive and click.confirm("Follow this plan?", default=False),
    ))


def _parse_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise TrainerError(f"--on: {text!r} is not a date; write it as YYYY-MM-DD") from None


def has_terminal() -> bool:
    """The review needs a real terminal both ways (keys in, screen out)."""
    return sys.stdin.isatty() and sys.stdout.isatty()


@cli.command()
@click.option("--deck", metavar="NAME", help="Practise one deck.")
@click.option("--section", metavar="TEXT", help="Cards whose section (headings) contains TEXT.")
@click.option("--search", metavar="TEXT", help="Cards whose prompt or answer contains TEXT.")
@click.option("--weakest", type=click.IntRange(1), metavar="N", help="The N studied cards with the lowest recall now.")
@click.option("--below", type=float, metavar="R", help="Studied cards whose recall on --on DATE is below R.")
@click.option("--on", "on_date", metavar="DATE", help="The date for --below (YYYY-MM-DD).")
@click.option("--limit", type=click.IntRange(1), metavar="N", help="At most N cards.")
@click.pass_obj
def practice(obj: Context, deck: str | None, section: str | None, search: str | None, weakest: int | None,
             below: float | None, on_date: str | None, limit: int | None) -> None:
    """Practise cards without touching their schedule (answers are kept apart, never replayed)."""
    from trainer.practice import PracticeSession, Selection, select_cards
    from trainer.store.cards import resolve_deck

    on = _parse_date(on_date) if on_date else None
    settings = obj.settings()

    def source(store):
        selection = Selection(resolve_deck(store, deck), section, search, weakest, below, on, limit)
        keys = select_cards(store, settings, now_utc(), selection)
        return PracticeSession(store, settings, keys, deck=selection.deck, tz=settings.zone)

    with obj.open(settings=settings) as store:
        source(store)  # a selection that cannot work is said now, terminal or not
    _open_app(obj, deck=deck, straight_to_review=True, source=source)


def _open_app(obj: Context, *, deck: str | None, straight_to_review: bool, source=None) -> None:
    from trainer.first_run import sync_bundled_decks
    from trainer.prepare import refit
    from trainer.session import resolve_deck

    from trainer import sync

    settings = obj.settings()
    # One connection from start to quit: each open and close of the database costs a commit.
    with obj.open(settings=settings) as store:
        greeting = sync_bundled_decks(store, now_utc())
        # The decks you follow, in step with their files (nothing said when nothing changed).
        changed = sync.rescan(store, now_utc())
        if changed is not None:
            news = sync.summary(changed)
            click.echo(news, err=True)
            greeting = f"{greeting}\n{news}" if greeting else news
        resolve_deck(store, deck)  # an unknown deck is an error, terminal or not
        # An interview plan in force is fitted again once a study day, from the memory the answers left.
        plan = refit(store, settings, now_utc())
        if plan is not None:
            today = len(plan.fit.by_day.get(plan.first_day, []))
            note = f"Your plan for {plan.on.isoformat()}: {today} cards today, fitted to what you remembered."
            greeting = f"{greeting}\n{note}" if greeting else note
        if not has_terminal():
            click.echo(
                "trainer needs a terminal to show the review; its output is not one (redirected to a file or a "
                "pipe). For scripts use `trainer stats`, `trainer import` or `trainer check`.",
                err=True,
            )
            sys.exit(2)
        from trainer.tui.app import run_app

        code = run_app(obj.db_path, settings, deck=deck, straight_to_review=straight_to_review, greeting=greeting,
                       source=source, store=store)
    if code:
        sys.exit(code)


def main() -> None:
    """Entry point: run the CLI; errors become one clear line on stderr, never a traceback."""
    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except TrainerError as exc:
        click.echo(f"error: {visible(str(exc))}", err=True)
        sys.exit(EXIT_ERROR)
    except KeyboardInterrupt:
        sys.exit(130)
    except sqlite3.Error as exc:
        # Read-only, disk full, damaged, locked too long ...: say which, and what to do.
        from trainer.store.connection import explain

        where = str(_CONTEXT.db_path) if _CONTEXT is not None else "the database"
        click.echo(f"error: {visible(str(explain(exc, where)))}", err=True)
        sys.exit(EXIT_ERROR)
    except Exception as exc:  # the last line of defence: no traceback reaches a user
        if os.environ.get("TRAINER_DEBUG"):
            raise
        click.echo(
            f"error: unexpected {type(exc).__name__}: {visible(str(exc))}\n"
            "This is a bug in trainer; run again with TRAINER_DEBUG=1 to see the traceback.",
            err=True,
        )
        sys.exit(EXIT_ERROR)
