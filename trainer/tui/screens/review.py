"""The review: one card at a time, each answer saved before the next appears."""

from __future__ import annotations

import os
import shlex
import subprocess

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Footer, Markdown, Static

from trainer import card_text
from trainer.model import Card, Rating
from trainer.session import Session
from trainer.store.cards import get_card
from trainer.timespan import button_label
from trainer.tui.when import describe_due

RATING_NAMES = {Rating.AGAIN: "Again", Rating.HARD: "Hard", Rating.GOOD: "Good", Rating.EASY: "Easy"}


class ReviewScreen(Screen):
    BINDINGS = [
        Binding("space", "reveal", "Show answer", priority=True),
        Binding("enter", "reveal", "Show answer", show=False, priority=True),
        Binding("1", "rate(1)", "Again", show=False),
        Binding("2", "rate(2)", "Hard", show=False),
        Binding("3", "rate(3)", "Good", show=False),
        Binding("4", "rate(4)", "Easy", show=False),
        Binding("u", "undo", "Undo"),
        Binding("s", "suspend", "Suspend"),
        Binding("b", "bury", "Bury"),
        Binding("e", "edit", "Edit"),
        Binding("question_mark", "help", "Keys"),
        Binding("q", "back", "Back"),
        Binding("escape", "back", "Back", show=False),
    ]

    def __init__(self, deck: str | None, session: Session | None = None, *, undo_first: bool = False):
        super().__init__()
        self.deck = deck
        self._session = session
        self._undo_first = undo_first
        self.card: Card | None = None
        self.revealed = False
        self.shown_at = None

    @property
    def session(self) -> Session:
        if self._session is None:
            self._session = Session(self.app.store, self.app.settings, deck=self.deck, tz=self.app.tz)
        return self._session

    def compose(self) -> ComposeResult:
        with Horizontal(id="review-top"):
            yield Static("", id="where")
            yield Static("", id="counts")
        with VerticalScroll(id="card"):
            yield Markdown("", id="prompt", open_links=False)
            yield Markdown("", id="answer", open_links=False)
            yield Static("", id="done")
        yield Static("", id="hint")
        with Horizontal(id="ratings"):
            for rating, name in RATING_NAMES.items():
                button = Button(f"{int(rating)} {name}", id=f"rate-{int(rating)}", classes=name.lower())
                button.can_focus = False
                yield button
        yield Footer()

    def on_mount(self) -> None:
        if self._undo_first:
            self.action_undo()
        else:
            self.show_next()

    # -- drawing -------------------------------------------------------------
    def show_next(self) -> None:
        now = self.app.clock()
        card, queue = self.session.peek(now)
        self._draw_counts(queue)
        if card is None:
            self.finish(queue)
            return
        self.show(card)

    def _draw_counts(self, queue) -> None:
        counts = Text()
        counts.append(f"{queue.new} new", style="bold blue")
        counts.append(" · ")
        counts.append(f"{queue.learning} learning", style="bold red")
        counts.append(" · ")
        counts.append(f"{queue.review} due", style="bold green")
        self.query_one("#counts", Static).update(counts)

    def show(self, card: Card) -> None:
        self.card = card
        self.revealed = False
        self.shown_at = self.app.clock()
        where = Text(card.deck, style="bold")
        if card.section:
            where.append(f" › {card.section}")
        where.append(f" · {card_text.kind_label(card)}", style="italic")
        self.query_one("#where", Static).update(where)
        self.query_one("#done", Static).display = False
        prompt = self.query_one("#prompt", Markdown)
        prompt.display = True
        prompt.update(card_text.prompt_markdown(card))
        answer = self.query_one("#answer", Markdown)
        answer.display = False
        answer.update("")
        self.query_one("#ratings").display = False
        self.query_one("#hint", Static).update(Text("Space: show answer    ?: keys", style="dim"))
        self.query_one("#card", VerticalScroll).scroll_home(animate=False)

    def action_reveal(self) -> None:
        if self.card is None or self.revealed:
            return
        self.revealed = True
        card = self.card
        answer = self.query_one("#answer", Markdown)
        answer.update(card_text.answer_markdown(card))
        answer.display = True
        replaces = card_text.replaces_prompt(card)
        answer.set_class(not replaces, "below-prompt")
        if replaces:
            self.query_one("#prompt", Markdown).display = False
        intervals = self.session.intervals(card, self.app.clock())
        for rating, name in RATING_NAMES.items():
            label = f"{int(rating)} {name} · {button_label(intervals[rating].total_seconds())}"
            self.query_one(f"#rate-{int(rating)}", Button).label = label
        self.query_one("#ratings").display = True
        self.query_one("#hint", Static).update(Text("How well did you recall it?  1 Again · 2 Hard · 3 Good · 4 Easy", style="dim"))

    def finish(self, queue) -> None:
        self.card = None
        if self.session.tally.reviewed:
            from trainer.tui.screens.summary import SummaryScreen

            self.app.switch_screen(SummaryScreen(self.session))
            return
        now = self.app.clock()
        lines = [f"Nothing to review in {self.deck or 'your decks'} right now."]
        due = self.session.next_due(now)
        if due is not None:
            lines.append(f"The next card is due {describe_due(due, now, self.app.tz)}.")
        if self.session.limit_reached(now):
            tomorrow = describe_due(self.session.tomorrow(now), now, self.app.tz)
            lines.append(f"Today's limit is reached; more new cards {tomorrow}.")
        lines.append("")
        lines.append("q: back to your decks   u: undo the last answer")
        done = self.query_one("#done", Static)
        done.update(Text("\n".join(lines)))
        done.display = True
        self.query_one("#prompt", Markdown).display = False
        self.query_one("#answer", Markdown).display = False
        self.query_one("#ratings").display = False
        self.query_one("#where", Static).update(Text(self.deck or "All decks", style="bold"))
        self.query_one("#hint", Static).update("")

    # -- actions -------------------------------------------------------------
    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id and event.button.id.startswith("rate-"):
            self.action_rate(int(event.button.id.removeprefix("rate-")))

    def action_rate(self, value: int) -> None:
        if self.card is None:
            return
        if not self.revealed:
            self.notify("Show the answer first (Space).", timeout=2)
            return
        now = self.app.clock()
        duration_ms = int((now - self.shown_at).total_seconds() * 1000)
        self.session.answer(self.card, Rating(value), now, duration_ms)
        self.show_next()

    def action_undo(self) -> None:
        card = self.session.undo()
        if card is None:
            self.notify("Nothing to undo since this screen was opened.", timeout=3)
            if self.card is None:
                self.show_next()
            return
        self.notify("Answer undone.", timeout=2)
        self.show(card)
        self._draw_counts(self.session.queue(self.app.clock()))

    def action_suspend(self) -> None:
        if self.card is None:
            return
        self.session.suspend(self.card, self.app.clock())
        self.notify("Card suspended: it won't be shown again.", timeout=3)
        self.show_next()

    def action_bury(self) -> None:
        if self.card is None:
            return
        self.session.bury(self.card, self.app.clock())
        self.notify("Card buried until tomorrow.", timeout=3)
        self.show_next()

    def action_edit(self) -> None:
        if self.card is None:
            return
        card = self.card
        editor = shlex.split(os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi")
        try:
            with self.app.suspend():
                subprocess.run([*editor, f"+{card.source_line}", card.path], check=False)
        except FileNotFoundError:
            self.notify(f"Editor not found: {editor[0]}. Set $EDITOR.", severity="error")
            return
        except Exception as exc:  # SuspendNotSupported in a headless or web terminal
            self.notify(f"Cannot open an editor here: {exc}", severity="error")
            return
        self._reimport(card)

    def _reimport(self, card: Card) -> None:
        from trainer.importer import import_paths

        report = import_paths(self.app.store, [card.path], self.app.clock())
        if not report.ok:
            problems = "\n".join(str(error) for error in report.all_errors[:3])
            self.notify(f"The file has errors; its cards are unchanged:\n{problems}", severity="error", timeout=10)
        else:
            notes = [note for deck in report.decks for note in deck.notes]
            self.notify("Re-imported." + (f"\n{notes[0]}" if notes else ""), timeout=4)
        fresh = get_card(self.app.store, card.key)
        if fresh is not None and fresh.status.value == "active":
            self.show(fresh)
        else:
            self.show_next()

    def action_help(self) -> None:
        from trainer.tui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen())

    def action_back(self) -> None:
        if self.session.tally.reviewed and self.card is not None:
            from trainer.tui.screens.summary import SummaryScreen

            self.app.switch_screen(SummaryScreen(self.session))
            return
        self.app.pop_screen()
