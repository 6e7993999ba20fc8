"""Times as a person reads them: 'in 9m (14:05)'."""

from __future__ import annotations

from datetime import datetime, tzinfo

from trainer.timespan import format_span


def describe_due(due: datetime, now: datetime, tz: tzinfo | None = None) -> str:
    local = due.astimezone(tz) if tz is not None else due.astimezone()
    today = now.astimezone(tz) if tz is not None else now.astimezone()
    clock = local.strftime("%H:%M") if local.date() == today.date() else local.strftime("%a %d %b %H:%M")
    seconds = (due - now).total_seconds()
    if seconds <= 0:
        return f"now ({clock})"
    return f"in {format_span(seconds)} ({clock})"


def describe_duration(ms: int) -> str:
    seconds = round(ms / 1000)
    if seconds < 60:
        return f"{seconds}s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes}m {seconds:02d}s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h {minutes:02d}m"
