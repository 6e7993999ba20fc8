"""One card's log as card info shows it: durations and drill answers beside the events replay reads."""

from __future__ import annotations

from trainer.model import DrillAnswer
from trainer.store.connection import Store


def durations(store: Store, card_id: int) -> dict[int, int | None]:
    """review id -> how long the card was on screen (ms), for every event of the card."""
    return dict(store.conn.execute("SELECT id, duration_ms FROM reviews WHERE card_id = ?", (card_id,)).fetchall())


def drill_answers(store: Store, card_id: int) -> dict[int, DrillAnswer]:
    """review id -> what a drill's answer held (time, rubric ticks, notes), for the answers that have one."""
    sql = (
        "SELECT d.review_id, d.time_ms, d.ticked, d.total, d.notes FROM reviews r "
        "JOIN drill_answers d ON d.review_id = r.id WHERE r.card_id = ?"
    )
    return {row[0]: DrillAnswer(row[1], row[2], row[3], row[4] or "") for row in store.conn.execute(sql, (card_id,))}
