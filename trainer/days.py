"""Study days: a day starts at the configured hour, local time, not at midnight.

Reviewing at 1 a.m. still counts for the evening before when the day starts
at 4. Every function takes `now`; `tz` defaults to the machine's local zone.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone, tzinfo


def _local(moment: datetime, tz: tzinfo | None) -> datetime:
    return moment.astimezone(tz) if tz is not None else moment.astimezone()


def study_day(moment: datetime, day_starts_at: int, tz: tzinfo | None = None) -> date:
    """The study day a moment belongs to."""
    return (_local(moment, tz) - timedelta(hours=day_starts_at)).date()


def day_start(day: date, day_starts_at: int, tz: tzinfo | None = None) -> datetime:
    """When a study day begins, in UTC."""
    naive = datetime.combine(day, time(hour=day_starts_at))
    if tz is None:
        local = naive.astimezone()  # the machine's zone, with its DST rules
    else:
        local = naive.replace(tzinfo=tz)
    return local.astimezone(timezone.utc)


def day_bounds(moment: datetime, day_starts_at: int, tz: tzinfo | None = None) -> tuple[datetime, datetime]:
    """[start, end) in UTC of the study day that holds `moment`."""
    day = study_day(moment, day_starts_at, tz)
    return day_start(day, day_starts_at, tz), day_start(day + timedelta(days=1), day_starts_at, tz)


def to_utc_text(moment: datetime) -> str:
    """The one text form of a time in the database: UTC, microseconds, sortable."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime: pass times in UTC")
    return moment.astimezone(timezone.utc).isoformat(timespec="microseconds")


def from_utc_text(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(timezone.utc)
