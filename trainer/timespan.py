"""Spans of time as a person reads them on a button: 10m, 2d, 1.5mo, 2.3y.

The same units and rounding as Anki's answer buttons, so the two can be
compared label for label: seconds, minutes and days are whole; hours,
months (a twelfth of a year) and years show one decimal, without a
trailing `.0`. A span shorter than the learn-ahead window reads `<10m`:
such a card may come back a little before that.
"""

from __future__ import annotations

import math

MINUTE = 60.0
HOUR = 3600.0
DAY = 86400.0
YEAR = 365 * DAY
MONTH = YEAR / 12
LEARN_AHEAD_S = 20 * 60

_UNITS = ((MINUTE, "s", 1.0, 0), (HOUR, "m", MINUTE, 0), (DAY, "h", HOUR, 1), (MONTH, "d", DAY, 0),
          (YEAR, "mo", MONTH, 1), (math.inf, "y", YEAR, 1))


def _round(value: float, decimals: int) -> float:
    scale = 10**decimals
    return math.floor(value * scale + 0.5) / scale


def format_span(seconds: float) -> str:
    """The largest fitting unit: 45s, 10m, 1.5h, 3d, 1.1mo, 2.5y."""
    seconds = abs(seconds)
    for limit, unit, size, decimals in _UNITS:
        if seconds < limit:
            amount = _round(seconds / size, decimals)
            text = f"{amount:.{decimals}f}" if decimals else f"{int(amount)}"
            return text.removesuffix(".0") + unit
    raise AssertionError("unreachable")


def button_label(seconds: float, learn_ahead_s: float = LEARN_AHEAD_S) -> str:
    """What an answer button shows for the interval it gives."""
    text = format_span(seconds)
    return f"<{text}" if 0 < seconds < learn_ahead_s else text
