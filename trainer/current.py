"""A database whose cached schedules are those the settings in force give.

Every card's scheduling columns are a cache of replaying its log under the
settings that shape scheduling (trainer.scheduler.fingerprint says which).
When they change (a setting edited, new fitted parameters, a new trainer
version, another time zone), the next open replays the whole log once, so
"cache == replay of the log" holds whatever happened in between.
"""

from __future__ import annotations

from typing import Callable

from trainer.history import rebuild
from trainer.scheduler import Scheduler, fingerprint
from trainer.store import Store


def needs_rebuild(store: Store, scheduler: Scheduler) -> bool:
    return store.meta("schedule") != fingerprint(scheduler) or store.meta("rebuild") is not None


def ensure_current(store: Store, scheduler: Scheduler) -> int | None:
    """Replay everything if the settings or the schema changed since the cache was computed.

    Returns the number of cards whose schedule changed, or None when nothing
    needed doing. A database with no reviews just records the fingerprint.
    """
    if not needs_rebuild(store, scheduler):
        return None
    wanted = fingerprint(scheduler)
    if store.conn.execute("SELECT NOT EXISTS (SELECT 1 FROM reviews)").fetchone()[0]:
        with store.write():
            store.set_meta("schedule", wanted)
            store.set_meta("rebuild", None)
        return None
    return rebuild(store, scheduler)


def open_current(path, settings, *, create: bool = True, say: Callable[[str], None] = lambda _: None) -> Store:
    """Open the database with every card's schedule in step with `settings` (see ensure_current).

    A long replay (after an upgrade or a settings change on a big log) is
    announced through `say` first, so nobody wonders why the start is slow.
    """
    from trainer.store import open_db

    store = open_db(path, create=create)
    try:
        scheduler = Scheduler(settings, tz=settings.zone)
        if needs_rebuild(store, scheduler):
            reviews = store.conn.execute("SELECT count(*) FROM reviews").fetchone()[0]
            if reviews > 20_000:
                say(f"Recomputing every card's schedule from its {reviews:,} reviews "
                    "(the settings or the trainer version changed); this happens once.")
            ensure_current(store, scheduler)
    except BaseException:
        store.close()
        raise
    return store
