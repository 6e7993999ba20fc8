"""`trainer check`: is every cached schedule what a replay of the log gives?"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from trainer import current, history
from trainer.config import Settings
from trainer.safe_text import json_text, visible_line
from trainer.scheduler import Scheduler
from trainer.store import open_db

SHOWN = 20  # mismatched cards listed in the text report


def _plain(value):
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def run_check(db_path: Path, settings: Settings, *, repair: bool = False, as_json: bool = False) -> int:
    """Print the report; return 0 when all agree (or were repaired), 1 otherwise."""
    scheduler = Scheduler(settings, tz=settings.zone)
    # Opened as is, not through open_current: a check must see the cache as it was left.
    with open_db(db_path, create=False) as store:
        stale_settings = current.needs_rebuild(store, scheduler)
        report = history.check(store, scheduler, repair=repair)
    ok = report.ok or report.repaired
    if as_json:
        print(json_text(json.dumps({
            "cards": report.cards, "reviews": report.reviews, "ok": report.ok, "repaired": report.repaired,
            "settings_changed_since_last_rebuild": stale_settings,
            "mismatched": [
                {"key": m.key, "location": m.location,
                 "columns": {name: [_plain(a), _plain(b)] for name, (a, b) in m.columns.items()}}
                for m in report.mismatched
            ],
        }, indent=2)))
        return 0 if ok else 1
    print(f"Replayed {report.reviews:,} reviews of {report.cards:,} cards.")
    if report.ok:
        print("Every cached schedule and every review's derived columns equal the replay.")
        return 0
    print(f"{len(report.mismatched):,} card(s) differ from the replay of their log:", file=sys.stderr)
    for mismatch in report.mismatched[:SHOWN]:
        names = ", ".join(list(mismatch.columns)[:4]) + (" …" if len(mismatch.columns) > 4 else "")
        print(f"  {visible_line(mismatch.location)}  {names}", file=sys.stderr)
    if len(report.mismatched) > SHOWN:
        print(f"  … and {len(report.mismatched) - SHOWN:,} more (--json lists them all)", file=sys.stderr)
    if stale_settings:
        print("The settings changed since the schedules were last computed; that explains the differences.",
              file=sys.stderr)
    if report.repaired:
        print("Repaired: the cached values now equal the replay.")
        return 0
    print("Run `trainer check --repair` to rewrite them from the log.", file=sys.stderr)
    return 1
