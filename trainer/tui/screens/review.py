"""The review: one card at a time, each answer saved before the next appears.

The screen draws from a review source: the day's Session (trainer.session),
or a practice run (trainer.practice), which shows no intervals and is marked
PRACTICE. Everything a card puts on screen (header, body, hint, buttons,
drill panel) is drawn inside one batch, so no frame ever shows the next
card's header over the last card's body. Database writes go through
GuardedWrites: a busy database is waited for on screen, never a crash.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Footer, Markdown, Static

from trainer import card_text
from trainer.model import Card, Rating
from trainer.safe_text import visible_line
from trainer.session import Session
from trainer.timespan import button_label
from trainer.tui.edit_card import edit_card
from trainer.tui.guarded import GuardedWrites
from trainer.tui.when import describe_due
from trainer.tui.widgets.drill_panel import DrillPanel, RubricList

RATING_NAMES = {Rating.AGAIN: "Again", Rating.HARD: "Hard", Rating.GOOD: "Good", Rating.EASY: "Easy"}
DRILL_KINDS = ("drill", "followup")


class ReviewScreen(GuardedWrites, Screen):
    BINDINGS = [
        Binding("space", "space", "Show / Good"),
        Binding("enter", "enter", "Show answer", show=False),
        Binding("1", "rate(1)", "Again", show=False),
        Binding("2", "rate(2)", "Hard", show=False),
        Binding("3", "rate(3)", "Good", show=False),
        Binding("4", "rate(4)", "Easy", show=False),
        Binding("u", "undo", "Undo"),
        Binding("ctrl+z", "undo", "Undo", show=False),
        Binding("s", "suspend", "Suspend"),
        Binding("b", "bury", "Bury"),
        Binding("e", "edit", "Edit"),
        Binding("i", "info", "Info", show=False),
        Binding("slash", "browse", "Browse", show=False),
        Binding("n", "notes", "Notes", show=False),
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

    @property
    def practice(self) -> bool:
        return bool(getattr(self.session, "practice", False))

    def compose(self) -> ComposeResult:
        with Horizontal(id="review-top"):
            yield Static("", id="where")
            yield Static("", id="counts")
        with VerticalScroll(id="card"):
            yield Markdown("", id="prompt", open_links=False)
            yield Markdown("", id="answer", open_links=False)
            yield Static("", id="done")
        yield DrillPanel(self.app.clock, id="drill")
        yield Static("", id="hint")
        with Horizontal(id="ratings"):
            for rating, name in RATING_NAMES.items():
                button = Button(f"{int(rating)} {name}", id=f"rate-{int(rating)}", classes=name.lower())
                button.can_focus = False
                yield button
        yield Footer(show_command_palette=False)  # at 80 columns "q Back" matters more; Ctrl+P still works

    async def on_mount(self) -> None:
        self.query_one(DrillPanel).display = False
        if self._undo_first:
            await self.action_undo()
        else:
            await self.show_next()

    # -- drawing -------------------------------------------------------------
    async def show_next(self) -> None:
        now = self.app.clock()
        card, queue = self.session.peek(now)
        if card is None:
            await self.finish(queue)
            return
        await self.show(card, queue)

    def _counts(self, queue, card: Card | None) -> Text:
        counts = Text()
        if self.practice:
            counts.append("PRACTICE", style="bold reverse magenta")
            counts.append(f"  {len(queue.cards) if queue is not None else 0} to go", style="bold")
            return counts
        if card is not None:
            plan = getattr(self.session, "plan_date_for", None)
            planned = plan(card) if plan else None
            if planned:
                counts.append(f"for {planned}", style="bold reverse cyan")
                counts.append("  ")
            now = self.app.clock()
            if self.session.is_early(card, now):
                counts.append(f"early: due {describe_due(card.memory.due, now, self.app.tz)}", style="bold yellow")
                counts.append("  ")
        if queue is not None:
            counts.append(f"{queue.new} new", style="bold blue")
            counts.append(" · ")
            counts.append(f"{queue.learning} learning", style="bold red")
            counts.append(" · ")
            counts.append(f"{queue.review} due", style="bold green")
        return counts

    def _where(self, card: Card) -> Text:
        where = Text(visible_line(card.deck), style="bold")  # a title may hold escape sequences
        if card.section:
            where.append(f" › {visible_line(card.section)}")
        where.append(f" · {card_text.kind_label(card)}", style="italic")
        return where

    async def show(self, card: Card, queue=None) -> None:
        """Draw a card, question side up: header, body, hint and panel change in one frame."""
        self.card = card
        self.revealed = False
        self.shown_at = self.app.clock()
        if queue is None:
            queue = self.session.queue(self.shown_at)
        with self.app.batch_update():
            prompt = self.query_one("#prompt", Markdown)
            answer = self.query_one("#answer", Markdown)
            await prompt.update(card_text.prompt_markdown(card))
            await answer.update("")
            prompt.display = True
            answer.display = False
            self.query_one("#done", Static).display = False
            self.query_one("#where", Static).update(self._where(card))
            self.query_one("#counts", Static).update(self._counts(queue, card))
            self.query_one(DrillPanel).load(card)
            self.query_one("#ratings").display = False
            hint = "Enter: show the rubric" if card.kind in DRILL_KINDS else "Space: show answer"
            self.query_one("#hint", Static).update(Text(f"{hint}    ?: keys", style="dim"))
            self.query_one("#card", VerticalScroll).scroll_home(animate=False)
            self.set_focus(None)

    async def action_reveal(self) -> None:
        if self.card is None or self.revealed:
            return
        self.revealed = True
        card = self.card
        with self.app.batch_update():
            answer = self.query_one("#answer", Markdown)
            await answer.update(card_text.answer_markdown(card))
            answer.display = True
            replaces = card_text.replaces_prompt(card)
            answer.set_class(not replaces, "below-prompt")
            if replaces:
                self.query_one("#prompt", Markdown).display = False
            self._label_buttons(card)
            self.query_one("#ratings").display = True
            if card.kind in DRILL_KINDS:
                self.query_one(DrillPanel).reveal()
                hint = "How did it go?  1 Again · 2 Hard · 3 Good · 4 Easy"
            else:
                good = " (Space: Good)" if self.app.settings.space_answers_good else ""
                hint = f"Recalled it?  1 Again · 2 Hard · 3 Good · 4 Easy{good}"
            self.query_one("#hint", Static).update(Text(hint, style="dim"))
        # Bring the answer into view when the card is taller than the screen.
        self.query_one("#card", VerticalScroll).scroll_to_widget(answer, animate=False, top=True)

    def _label_buttons(self, card: Card) -> None:
        intervals = None if self.practice else self.session.intervals(card, self.app.clock())
        for rating, name in RATING_NAMES.items():
            label = f"{int(rating)} {name}"
            if intervals:
                label += f" · {button_label(intervals[rating].total_seconds())}"
            self.query_one(f"#rate-{int(rating)}", Button).label = label

    async def finish(self, queue) -> None:
        self.card = None
        if self.session.tally.reviewed and not self.practice:
            from trainer.tui.screens.summary import SummaryScreen

            self.app.switch_screen(SummaryScreen(self.session))
            return
        now = self.app.clock()
        place = self.deck or "your decks"
        lines = [f"Practice done: {self.session.tally.reviewed} answers." if self.practice
                 else f"Nothing to review in {place} right now."]
        if not self.practice:
            due = self.session.next_due(now)
            if due is not None:
                lines.append(f"The next card is due {describe_due(due, now, self.app.tz)}.")
            if self.session.limit_reached(now):
                tomorrow = describe_due(self.session.tomorrow(now), now, self.app.tz)
                lines.append(f"Today's limit is reached; more new cards {tomorrow}.")
        lines.append("")
        undo = "   u: undo the last action" if self.session.tally.actions else ""
        lines.append(f"q: back to your decks{undo}")
        with self.app.batch_update():
            await self.query_one("#prompt", Markdown).update("")
            await self.query_one("#answer", Markdown).update("")
            done = self.query_one("#done", Static)
            done.update(Text("\n".join(lines)))
            done.display = True
            self.query_one("#prompt", Markdown).display = False
            self.query_one("#answer", Markdown).display = False
            self.query_one(DrillPanel).display = False
            self.query_one("#ratings").display = False
            self.query_one("#where", Static).update(Text(self.deck or "All decks", style="bold"))
            self.query_one("#counts", Static).update(self._counts(queue, None) if not self.practice else Text())
            self.query_one("#hint", Static).update("")

    # -- keys ------------------------------------------------------------------
    async def action_space(self) -> None:
        if self.card is None:
            return
        if self.card.kind in DRILL_KINDS and not self.revealed:
            self.query_one(DrillPanel).toggle()
        elif not self.revealed:
            await self.action_reveal()
        elif self.card.kind in DRILL_KINDS:
            await self._take_suggestion()
        elif self.app.settings.space_answers_good:
            await self.action_rate(int(Rating.GOOD))

    async def action_enter(self) -> None:
        if self.card is None:
            return
        if not self.revealed:
            await self.action_reveal()
        elif self.card.kind in DRILL_KINDS:
            await self._take_suggestion()
        elif self.app.settings.space_answers_good:
            await self.action_rate(int(Rating.GOOD))

    async def _take_suggestion(self) -> None:
        suggested = self.query_one(DrillPanel).suggestion()
        if suggested is None:
            self.notify("Rate this follow-up with 1-4.", timeout=3)
            return
        await self.action_rate(int(suggested))

    async def on_rubric_list_accepted(self, event: RubricList.Accepted) -> None:
        event.stop()
        await self._take_suggestion()

    async def on_drill_panel_time_up(self, event: DrillPanel.TimeUp) -> None:
        event.stop()
        self.notify("Time is up.", timeout=3)
        await self.action_reveal()

    def action_notes(self) -> None:
        if self.card is not None and self.card.kind in DRILL_KINDS:
            self.query_one("#notes").focus()

    async def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id and event.button.id.startswith("rate-"):
            await self.action_rate(int(event.button.id.removeprefix("rate-")))

    async def action_rate(self, value: int) -> None:
        if self.card is None:
            return
        if not self.revealed:
            self.notify("Show the answer first (Space).", timeout=2)
            return
        if self.waiting:
            self.notify("Still saving the last answer; one moment.", timeout=2)
            return
        card, now = self.card, self.app.clock()
        duration_ms = int((now - self.shown_at).total_seconds() * 1000)
        drill = self.query_one(DrillPanel).answer(duration_ms) if card.kind in DRILL_KINDS else None
        ok, answered = self.write("Answer", lambda: self.session.answer_card(card, Rating(value), now, duration_ms,
                                                                           drill), self._answered)
        if ok:
            await self._answered(answered)

    async def _answered(self, answered) -> None:
        if getattr(answered, "clock_went_back", False):
            self.notify("Your clock is earlier than this card's last review: the answer was stamped at that "
                        "review instead.", severity="warning", timeout=8)
        if getattr(answered, "leech", False):
            what = "suspended (leech_action)" if answered.suspended else "tagged as a leech"
            self.notify(f"That card has been forgotten {self.app.settings.leech_threshold}+ times: {what}. "
                        "Rewrite it, split it, or find it with is:leech.", severity="warning", timeout=10)
        await self.show_next()

    async def action_undo(self) -> None:
        if self.waiting:
            return
        last = self.session.last_action() if hasattr(self.session, "last_action") else None
        ok, card = self.write("Undo", self.session.undo)
        if not ok:
            return
        if card is None:
            self.notify("Nothing to undo in this sitting.", timeout=3)
            if self.card is None:
                await self.show_next()
            return
        what = {"answer": "Answer", "suspend": "Suspend", "bury": "Bury", "forget": "Forget"}.get(
            getattr(last, "kind", "answer"), "Action")
        self.notify(f"{what} undone.", timeout=2)
        await self.show(card)

    async def action_suspend(self) -> None:
        if self.card is None or self.waiting:
            return
        card = self.card
        ok, _ = self.write("Suspend", lambda: self.session.suspend(card, self.app.clock()))
        if ok:
            self.notify("Card suspended: hidden until you unsuspend it. u undoes.", timeout=4)
            await self.show_next()

    async def action_bury(self) -> None:
        if self.card is None or self.waiting:
            return
        card = self.card
        ok, _ = self.write("Bury", lambda: self.session.bury(card, self.app.clock()))
        if ok:
            self.notify("Skipped in this practice run. u undoes." if self.practice
                        else "Card buried until tomorrow. u undoes.", timeout=3)
            await self.show_next()

    async def action_edit(self) -> None:
        if self.card is None or self.waiting:
            return
        revealed = self.revealed

        async def done(fresh: Card | None) -> None:
            if fresh is not None and fresh.status.value == "active":
                await self.show(fresh)
                if revealed:
                    await self.action_reveal()
            else:
                await self.show_next()

        await edit_card(self, self.card, done)

    def action_info(self) -> None:
        if self.card is None:
            return
        try:
            from trainer.tui.screens.card_info import CardInfoScreen
        except ImportError:
            self.notify("Card info is not available in this version.", timeout=3)
            return
        self.app.push_screen(CardInfoScreen(self.card.key))

    def action_browse(self) -> None:
        from trainer.tui.screens.browser import BrowserScreen

        self._stamp_before_browse = self.session._stamp()
        self.app.push_screen(BrowserScreen(search_first=True))

    async def on_screen_resume(self) -> None:
        # Back from the browser: if it changed anything (the card on screen may be suspended,
        # buried or forgotten), draw what the queue holds now.
        before, self._stamp_before_browse = getattr(self, "_stamp_before_browse", None), None
        if before is not None and before != self.session._stamp() and not self.waiting:
            await self.show_next()

    def action_help(self) -> None:
        from trainer.tui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen())

    def action_back(self) -> None:
        if self.session.tally.reviewed and self.card is not None and not self.practice:
            from trainer.tui.screens.summary import SummaryScreen

            self.app.switch_screen(SummaryScreen(self.session))
            return
        self.app.pop_screen()
