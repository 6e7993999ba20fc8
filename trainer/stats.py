"""Pure summaries of the review log and the card cache, for `trainer stats` and its screen.

No UI here: `compute_stats` returns dataclasses and `stats_to_dict` the JSON
form whose keys are the field names (stable: scripts read them). Days are
study days (they start at settings.day_starts_at, local time); `tz` is the
local zone, None meaning the machine's.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import asdict
from datetime import date, datetime, time, timedelta, timezone, tzinfo

from trainer.config import Settings
from trainer.days import EPOCH, StudyCalendar, day_start, study_day, to_ms, to_utc_text
from trainer.errors import TrainerError
from trainer.scheduler import Scheduler
from trainer.store import Store
from trainer.store import plans as plans_table
from trainer.store import practice as practice_table
from trainer.store import stats_queries as q
from trainer.store.cards import resolve_deck
from trainer.stats_model import (  # noqa: F401  (re-exported: the report types)
    Today,
    CardCounts,
    DayCount,
    Forecast,
    ActivityDay,
    Activity,
    Pass,
    RetentionWindow,
    DeckMemory,
    Bin,
    Memory,
    CalibrationBin,
    HardCard,
    LeechCard,
    Leeches,
    Parameters,
    PlanReadiness,
    Practice,
    StatsReport,
    DrillWeek,
)

FORECAST_DAYS = 30
RETENTION_WINDOWS = (1, 7, 30)
CALIBRATION_BINS = 10
HARDEST_COUNT = 10
LEECHES_LISTED = 10
READY_IN_DAYS = 7  # the default interview day, from today
CATEGORIES = ("new", "learning", "young", "mature", "suspended", "retired")
# Upper bounds (days) of the stability histogram; the last bin is open-ended.
STABILITY_EDGES = (1, 7, 21, 90, 365)


def stats_to_dict(report: StatsReport) -> dict:
    """The JSON form: field names as keys, times as UTC ISO text."""
    return asdict(report)


def _rate(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _pass(passed: int, total: int) -> Pass:
    return Pass(passed, total, _rate(passed, total))


class _Days:
    """UTC bounds of study days around `now`, in ms as the database keeps times."""

    def __init__(self, now: datetime, settings: Settings, tz: tzinfo | None):
        self.hour = settings.day_starts_at
        self.tz = tz
        self.today = study_day(now, self.hour, tz)
        self.study = StudyCalendar(self.hour, tz)

    def start(self, day: date) -> str:
        return to_ms(day_start(day, self.hour, self.tz))

    def span(self, first: date, days: int) -> tuple[int, int]:
        return self.start(first), self.start(first + timedelta(days=days))

    def each(self, first: date, count: int) -> list[tuple[date, tuple[int, int]]]:
        days = [first + timedelta(days=i) for i in range(count + 1)]
        starts = [self.start(d) for d in days]
        return [(days[i], (starts[i], starts[i + 1])) for i in range(count)]


def compute_stats(
    store: Store,
    settings: Settings,
    now: datetime,
    *,
    deck: str | None = None,
    days: int = 84,
    on: date | None = None,
    tz: tzinfo | None = None,
) -> StatsReport:
    """Every figure of `trainer stats`, for one deck or all of them."""
    deck = resolve_deck(store, deck)
    calendar = _Days(now, settings, tz)
    plan = plans_table.in_force(store, StudyCalendar(settings.day_starts_at, tz).day_of(now))
    if plan is not None and plan.deck != deck:
        plan = None  # a plan for other cards says nothing of these
    # With a plan in force, readiness is for its date unless another is asked for.
    on = on or (EPOCH + timedelta(days=plan.on_day) if plan else calendar.today + timedelta(days=READY_IN_DAYS))
    if on < calendar.today:
        raise TrainerError(f"--on: {on.isoformat()} is in the past; give today or a later date")
    reviews_ever = q.review_count(store, deck)
    activity = _activity(store, calendar, days, deck)
    memory, ranked, counts = _memory(store, settings, now, on, tz, deck, plan)
    per_deck = {name: CardCounts(**found, total=sum(found.values())) for name, found in sorted(counts.items())}
    return StatsReport(
        generated_at=to_utc_text(now),
        deck=deck,
        day_starts_at=settings.day_starts_at,
        reviews_ever=reviews_ever,
        message=_empty_message(deck, reviews_ever, per_deck),
        today=_today(store, calendar, activity, deck),
        cards=per_deck,
        cards_total=CardCounts(**{c: sum(getattr(v, c) for v in per_deck.values()) for c in CATEGORIES + ("total",)}),
        forecast=_forecast(store, calendar, deck),
        activity=activity,
        retention=[_retention(store, calendar, n, deck) for n in RETENTION_WINDOWS],
        memory=memory,
        calibration=_calibration(store, deck),
        hardest=_hardest(store, ranked),
        parameters=_parameters(settings),
        drills=_drills(store, calendar, deck),
        leeches=_leeches(store, settings, deck),
        practice=_practice(store, calendar, deck),
    )


def _empty_message(deck: str | None, reviews_ever: int, per_deck: dict[str, CardCounts]) -> str | None:
    if reviews_ever:
        return None
    cards = sum(c.total for c in per_deck.values())
    where = f"in deck {deck!r}" if deck else "yet"
    if not cards:
        return "No cards yet: run `trainer import PATH` to add your decks, then `trainer review`."
    return f"No reviews {where}: {cards} cards are waiting. Run `trainer review` to start."


def _activity(store: Store, calendar: _Days, days: int, deck: str | None) -> Activity:
    first = calendar.today - timedelta(days=days - 1)
    start, end = calendar.span(first, days)
    # Each answer's study day in SQL (DST included), grouped there: one pass over the window.
    day_sql = calendar.study.sql_day("r.at", start, end)
    found = q.reviews_per_day(store, day_sql, start, end, deck)
    base = calendar.study.number(first)
    rows = []
    for i in range(days):
        n, ms = found.get(base + i, (0, 0))
        rows.append(ActivityDay((first + timedelta(days=i)).isoformat(), n, ms))
    return Activity(
        days=rows,
        total_reviews=sum(r.reviews for r in rows),
        total_time_ms=sum(r.time_ms for r in rows),
        active_days=sum(1 for r in rows if r.reviews),
    )


def _streak(store: Store, calendar: _Days, activity: Activity, deck: str | None) -> int:
    """Study days in a row with reviews, ending today (or yesterday: today is not over)."""
    active = [row.reviews > 0 for row in activity.days]
    if active and not active[-1]:
        active.pop()  # nothing yet today does not break the streak
        first_missing = calendar.today - timedelta(days=1)
    else:
        first_missing = calendar.today
    streak = 0
    while active and active[-1]:
        active.pop()
        streak += 1
    if active:  # a day without reviews was found inside the window
        return streak
    # The streak fills the window shown: keep looking back a day at a time.
    day = first_missing - timedelta(days=streak)
    while q.any_review_between(store, *calendar.span(day, 1), deck):
        streak += 1
        day -= timedelta(days=1)
    return streak


def _today(store: Store, calendar: _Days, activity: Activity, deck: str | None) -> Today:
    totals = q.window_totals(store, *calendar.span(calendar.today, 1), deck)
    return Today(
        date=calendar.today.isoformat(),
        reviews=totals["reviews"],
        cards=totals["cards"],
        again=totals["again"],
        again_rate=_rate(totals["again"], totals["reviews"]),
        time_ms=totals["time_ms"],
        new_learned=totals["new"],
        streak_days=_streak(store, calendar, activity, deck),
    )


def _forecast(store: Store, calendar: _Days, deck: str | None) -> Forecast:
    spans = calendar.each(calendar.today, FORECAST_DAYS)
    counts = q.due_per_range(store, [span for _, span in spans], deck)
    overdue = q.overdue_count(store, calendar.start(calendar.today), deck)
    return Forecast(overdue, [DayCount(day.isoformat(), n) for (day, _), n in zip(spans, counts)])


def _retention(store: Store, calendar: _Days, days: int, deck: str | None) -> RetentionWindow:
    found = q.review_state_answers(store, *calendar.span(calendar.today - timedelta(days=days - 1), days), deck)
    young, mature = found["young"], found["mature"]
    return RetentionWindow(
        days=days,
        young=_pass(*young),
        mature=_pass(*mature),
        all=_pass(young[0] + mature[0], young[1] + mature[1]),
    )


def interview_moment(on: date, now: datetime, tz: tzinfo | None) -> datetime:
    """Noon local time on the interview day (or now, if that noon has passed)."""
    noon = datetime.combine(on, time(12))
    local = noon.astimezone() if tz is None else noon.replace(tzinfo=tz)
    return max(now, local.astimezone(timezone.utc))


def _memory(store, settings, now, on, tz, deck, plan=None
            ) -> tuple[Memory, list[tuple[int, float, str]], dict[str, dict[str, int]]]:
    """Recall of studied cards now and on the interview day if nothing more is studied.

    Also returns deck -> category -> cards: the same pass over the cards counts them.

    New cards have no memory to forget: they are left out of the averages and
    counted as 0 in `expected_known` (cards you would recall), so an unstarted
    deck shows as not ready. Also returns the hardest cards (a lapse, or
    recall below the desired retention), ranked: most lapses first, then
    lowest recall now. Recall is FSRS's forgetting curve over study days, as
    the scheduler counts them, summed in SQL: a hundred thousand cards never
    come into Python one by one.
    """
    scheduler = Scheduler(settings, fuzz=False, tz=tz)
    moment = interview_moment(on, now, tz)
    calendar = StudyCalendar(settings.day_starts_at, tz)
    today, that_day = calendar.day_of(now), calendar.day_of(moment)
    oldest = q.oldest_review(store)
    day_sql = calendar.sql_day("last_review", oldest if oldest is not None else to_ms(now), to_ms(now))
    factor, decay = scheduler._factor, scheduler._decay
    difficulty_edges = tuple(range(2, 10))
    sums: dict[str, list] = {}
    stability_bins = [0] * (len(STABILITY_EDGES) + 1)
    difficulty_bins = [0] * (len(difficulty_edges) + 1)
    counts: dict[str, dict[str, int]] = {}
    active: dict[str, int] = {}
    for name, category, sb, db, n, r_now, r_on in q.card_summary(store, day_sql, today, that_day, factor, decay,
                                                                 STABILITY_EDGES, difficulty_edges, deck):
        found = counts.setdefault(name, {})
        found[category] = found.get(category, 0) + n
        if category not in ("retired", "suspended"):
            active[name] = active.get(name, 0) + n
        if sb < 0:
            continue  # no memory yet (new), or set aside
        acc = sums.setdefault(name, [0, 0.0, 0.0])
        acc[0] += n
        acc[1] += r_now
        acc[2] += r_on
        stability_bins[sb] += n
        difficulty_bins[db] += n

    def summary(name: str, studied: int, total_now: float, total_on: float, cards: int) -> DeckMemory:
        return DeckMemory(name, cards, studied, _rate(total_now, studied), _rate(total_on, studied), total_now, total_on)

    decks = [summary(name, *sums.get(name, (0, 0.0, 0.0)), active[name]) for name in sorted(active)]
    total = summary("all", sum(d.studied for d in decks), sum(d.expected_known_now for d in decks),
                    sum(d.expected_known_on for d in decks), sum(active.values()))
    # Only cards that have shown trouble: a lapse, or recall already below the target (elapsed / S
    # above the ratio where the forgetting curve crosses it).
    forgotten = (settings.desired_retention ** (1 / decay) - 1) / factor
    troubled = q.hardest(store, day_sql, today, forgotten, HARDEST_COUNT, deck)
    recalls = scheduler.recall_after_days((1.0, ratio) for _, ratio, _ in troubled)
    ranked = [(-lapses, recall, key) for (lapses, _, key), recall in zip(troubled, recalls)]
    memory = Memory(
        on_date=on.isoformat(),
        on_moment=to_utc_text(moment),
        decks=decks,
        total=total,
        stability=_bins(stability_bins, STABILITY_EDGES, "d"),
        difficulty=_bins(difficulty_bins, difficulty_edges, ""),
        plan=_plan_readiness(store, plan, on, sum(active.values()), calendar, day_sql, that_day, scheduler, deck),
    )
    return memory, ranked, counts


def _bins(counts: list[int], edges: tuple, unit: str) -> list[Bin]:
    labels = [f"<{edges[0]}{unit}"] + [f"{a}-{b}{unit}" for a, b in zip(edges, edges[1:])] + [f">={edges[-1]}{unit}"]
    return [Bin(label, n) for label, n in zip(labels, counts)]


def _plan_readiness(store, plan, on: date, cards: int, calendar: StudyCalendar, day_sql: str, that_day: int,
                    scheduler: Scheduler, deck: str | None) -> PlanReadiness | None:
    """The plan's expected figure beside the unplanned one, when the plan is for this date."""
    if plan is None or calendar.number(on) != plan.on_day:
        return None
    # Recall at or above the target is elapsed / S at or below where the curve crosses it.
    ratio = (plan.target ** (1 / scheduler._decay) - 1) / scheduler._factor
    unplanned = q.recalled_at_least(store, day_sql, that_day, ratio, deck)
    return PlanReadiness(plan.target, cards, unplanned, plan.expected, calendar.date(plan.fitted_day).isoformat())


def _practice(store: Store, calendar: _Days, deck: str | None) -> Practice:
    today = practice_table.counts(store, *calendar.span(calendar.today, 1), deck)
    month = practice_table.counts(store, *calendar.span(calendar.today - timedelta(days=29), 30), deck)
    return Practice(today.answers, today.cards, today.again, month.answers, month.time_ms)


def _histogram(values: list[float], edges: tuple, unit: str) -> list[Bin]:
    """Counts in [previous edge, edge) bins, then one bin for the rest."""
    counts = [0] * (len(edges) + 1)
    for value in values:
        counts[bisect_right(edges, value)] += 1
    labels = [f"<{edges[0]}{unit}"] + [f"{a}-{b}{unit}" for a, b in zip(edges, edges[1:])] + [f">={edges[-1]}{unit}"]
    return [Bin(label, n) for label, n in zip(labels, counts)]


def _calibration(store: Store, deck: str | None) -> list[CalibrationBin]:
    found = q.calibration_bins(store, CALIBRATION_BINS, deck)
    bins = []
    for b in range(CALIBRATION_BINS):
        n, predicted, passed = found.get(b, (0, 0.0, 0))
        bins.append(CalibrationBin(b / CALIBRATION_BINS, (b + 1) / CALIBRATION_BINS, n, _rate(predicted, n), _rate(passed, n)))
    return bins


def _hardest(store: Store, ranked: list[tuple[int, float, str]]) -> list[HardCard]:
    places = q.card_places(store, [key for _, _, key in ranked])
    cards = []
    for neg_lapses, recall, key in ranked:
        deck, path, line, prompt, reps = places[key]
        cards.append(HardCard(key, deck, f"{path}:{line}", prompt, -neg_lapses, reps, recall))
    return cards


DRILL_WEEKS = 12


def _drills(store: Store, calendar: _Days, deck: str | None) -> list[DrillWeek]:
    """Drill answers week by week (the last twelve): rubric met, time used, recalled."""
    first = calendar.today - timedelta(days=7 * DRILL_WEEKS - 1)
    start, end = calendar.span(first, 7 * DRILL_WEEKS)
    found = q.drill_weeks(store, calendar.study.sql_day("r.at", start, end), start, end, deck)
    if not found:
        return []
    base = calendar.study.number(first)
    weeks = []
    for week in range(DRILL_WEEKS):
        rows = [found[day] for day in range(base + 7 * week, base + 7 * week + 7) if day in found]
        answers = sum(r[0] for r in rows)
        if not answers:
            continue
        ticked, items, taken, allowed, recalled = (sum(r[i] for r in rows) for i in range(1, 6))
        weeks.append(DrillWeek(
            last_day=(first + timedelta(days=7 * week + 6)).isoformat(),
            answers=answers,
            rubric_met=_rate(ticked, items),
            time_share=_rate(taken, allowed),
            recalled=_rate(recalled, answers),
        ))
    return weeks


def _leeches(store: Store, settings: Settings, deck: str | None) -> Leeches:
    """Cards forgotten at least leech_threshold times (`is:leech` in the browser), the most forgotten first."""
    threshold = int(getattr(settings, "leech_threshold", 8))
    if threshold <= 0:
        return Leeches(threshold, 0, [])
    count, rows = q.leeches(store, threshold, deck, LEECHES_LISTED)
    cards = [LeechCard(key, name, f"{path}:{line}", prompt, lapses, status)
             for key, name, path, line, prompt, lapses, status in rows]
    return Leeches(threshold, count, cards)


def _parameters(settings: Settings) -> Parameters:
    fitted = bool(settings.parameters)
    return Parameters(
        source="fitted" if fitted else "default",
        fitted_at=settings.parameters_fitted_at or None if fitted else None,
        fitted_on=settings.parameters_fitted_on if fitted else 0,
        desired_retention=settings.desired_retention,
        values=list(Scheduler(settings, fuzz=False).parameters),
    )
