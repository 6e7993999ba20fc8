"""Study days: a day starts at the configured hour, local time, not at midnight.

Reviewing at 1 a.m. still counts for the evening before when the day starts
at 4. Every function takes `now`; `tz` defaults to the machine's local zone.

Times are kept in the database as integer milliseconds since the Unix epoch
(UTC): compact, exact, and compared without parsing. `StudyCalendar` turns
them into study-day numbers fast enough to run over a million reviews.
"""

from __future__ import annotations

import os
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from pathlib import Path

DAY_MS = 86_400_000
EPOCH = date(1970, 1, 1)
_UTC_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
# UTC offsets change only at quarter hours in every zone in use, so an
# offset looked up once holds for its whole 15-minute bucket.
_BUCKET_MS = 15 * 60 * 1000


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


def to_ms(moment: datetime) -> int:
    """A UTC-aware datetime as integer milliseconds since the epoch (truncated)."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime: pass times in UTC")
    delta = moment - _UTC_EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1000 + delta.microseconds // 1000


def from_ms(ms: int) -> datetime:
    return _UTC_EPOCH + timedelta(milliseconds=ms)


def to_utc_text(moment: datetime) -> str:
    """A time as text for people and JSON: UTC, microseconds, sortable."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime: pass times in UTC")
    return moment.astimezone(timezone.utc).isoformat(timespec="microseconds")


def from_utc_text(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(timezone.utc)


def local_zone_name() -> str | None:
    """The IANA name of the machine's zone (TZ, then /etc/localtime), if it can be told."""
    name = os.environ.get("TZ", "").lstrip(":")
    if name and not name.startswith("/"):
        return name
    try:
        target = str(Path(name or "/etc/localtime").resolve())
    except OSError:
        return None
    marker = "zoneinfo/"
    return target.split(marker, 1)[1] if marker in target else None


class StudyCalendar:
    """Study-day numbers (days since 1970-01-01, local) for times in milliseconds.

    Day n runs from `day_starts_at` local time on 1970-01-01 + n days until
    the same hour the next day. The zone's offset is cached per quarter hour,
    so numbering a million reviews costs a dict lookup each.
    """

    def __init__(self, day_starts_at: int, tz: tzinfo | None = None):
        self.day_starts_at = day_starts_at
        self.tz = tz
        self._shift_ms = day_starts_at * 3_600_000
        self._offsets: dict[int, int] = {}

    def _offset_ms(self, ms: int) -> int:
        bucket = ms // _BUCKET_MS
        offset = self._offsets.get(bucket)
        if offset is None:
            moment = _local(from_ms(bucket * _BUCKET_MS), self.tz)
            offset = int(moment.utcoffset().total_seconds() * 1000)
            self._offsets[bucket] = offset
        return offset

    def day(self, ms: int) -> int:
        """The study day holding the moment `ms`."""
        return (ms + self._offset_ms(ms) - self._shift_ms) // DAY_MS

    def day_of(self, moment: datetime) -> int:
        return self.day(to_ms(moment))

    def date(self, day: int) -> date:
        return EPOCH + timedelta(days=day)

    def number(self, day: date) -> int:
        return (day - EPOCH).days

    def start_ms(self, day: int) -> int:
        """When study day `day` begins, in ms (daylight saving time included)."""
        return to_ms(day_start(self.date(day), self.day_starts_at, self.tz))

    def bounds_ms(self, ms: int) -> tuple[int, int]:
        """[start, end) of the study day holding `ms`."""
        day = self.day(ms)
        return self.start_ms(day), self.start_ms(day + 1)

    def offsets(self, low_ms: int, high_ms: int) -> list[tuple[int, int]]:
        """(from ms, UTC offset in ms) for every offset the zone uses in [low_ms, high_ms], first from low_ms.

        Found by stepping a day at a time and narrowing each change to its
        quarter hour, so a few years cost a few thousand offset lookups.
        """
        found = [(low_ms, self._offset_ms(low_ms))]
        step = DAY_MS
        at = low_ms
        while at < high_ms:
            nxt = min(at + step, high_ms)
            if self._offset_ms(nxt) != found[-1][1]:
                lo, hi = at, nxt  # the change lies in (lo, hi]
                while hi - lo > _BUCKET_MS:
                    mid = (lo + hi) // 2
                    if self._offset_ms(mid) == found[-1][1]:
                        lo = mid
                    else:
                        hi = mid
                start = (hi // _BUCKET_MS) * _BUCKET_MS
                if self._offset_ms(start) == found[-1][1]:
                    start += _BUCKET_MS
                found.append((start, self._offset_ms(start)))
            at = nxt
        return found

    def sql_day(self, column: str, low_ms: int, high_ms: int) -> str:
        """An SQL expression giving the study day of `column` (ms), exact for times in [low_ms, high_ms].

        The zone's offsets over the range become one CASE, so SQLite numbers a
        million reviews without a call back into Python.
        """
        changes = self.offsets(low_ms, high_ms)
        if len(changes) == 1:
            offset = str(changes[0][1])
        else:
            arms = " ".join(f"WHEN {column} < {start} THEN {previous}"
                            for (start, _), (_, previous) in zip(changes[1:], changes))
            offset = f"(CASE {arms} ELSE {changes[-1][1]} END)"
        return f"(({column} + {offset} - {self._shift_ms}) / {DAY_MS})"

    def offset_spans(self, low_ms: int, high_ms: int) -> list[tuple[int, int]]:
        """The zone's UTC offset over [low_ms, high_ms] as (from ms, offset ms) pieces, from the quarter hour of low_ms."""
        return self.offsets(low_ms // _BUCKET_MS * _BUCKET_MS, high_ms)

    @property
    def shift_ms(self) -> int:
        """How far after local midnight a study day starts, in ms."""
        return self._shift_ms
