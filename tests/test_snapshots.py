"""SVG snapshots at 80x24: one card of each kind (cloze and drill too), before and after reveal.

Regenerate after a deliberate change with `pytest tests/test_snapshots.py --snapshot-update`
and look at the SVGs before committing them.
"""

from __future__ import annotations

from datetime import timezone

import pytest

from trainer.config import Settings
from trainer.importer import import_paths
from trainer.store import open_db
from trainer.tui.app import TrainerApp

from conftest import T0, Clock

CARDS = {
    "contrast": (
        "## Mistakes to avoid\n"
        "BAD: I would improve Spotify recommendations with better machine learning.\n"
        "GOOD: I would improve Home ranking for returning listeners by optimizing\n"
        "repeat use and guarding against over-personalization.\n"
        "WHY: One surface, one user state, one tradeoff.\n"
    ),
    "pair": "## Contrasts\n- Not “better AI,” but a sharper decision about which user state you are serving.\n",
    "ladder": (
        "## Metric ladder\n"
        "LADDER: Home feed for returning listeners\n"
        "PRIMARY: repeat listening within 7 days\n"
        "PROXY: saves and follows\n"
        "PROXY: skip rate\n"
        "GUARDRAIL: feed diversity\n"
    ),
    "faq": (
        "## FAQ\n"
        "Q: Does Spotify expect deep ML knowledge in PM interviews?\n"
        "A: No. Enough ML literacy to avoid naive answers: cold start, feedback loops,\n"
        "ranking tradeoffs, and why one metric can mislead.\n"
    ),
    "cloze": "## The answer\nCLOZE: Start with the {{c1::user state}}, then the {{c2::surface}}, then the metric.\n",
    "drill": (
        "## Drills\n"
        "DRILL: Design personalization for Spotify Home for returning listeners.\n"
        "TIME: 90s\n"
        "RUBRIC:\n"
        "- names one user state and one surface\n"
        "- picks one primary metric, a proxy and a guardrail\n"
        "- says what would be sacrificed\n"
        "A: Returning listeners on Home; repeat listening; diversity as the guardrail.\n"
        "FOLLOWUP: How would you know it is working after two weeks?\n"
    ),
}
# A drill is revealed with Enter (Space runs its clock).
REVEAL = {"drill": "enter"}


@pytest.fixture
def app_for(tmp_path):
    stores = []

    def build(kind: str) -> TrainerApp:
        deck = tmp_path / f"{kind}.md"
        deck.write_text("# Spotify PM interview\n\n" + CARDS[kind], encoding="utf-8")
        store = open_db(tmp_path / f"{kind}.db")
        stores.append(store)
        import_paths(store, [deck], T0)
        return TrainerApp(store, Settings(fuzz=False), clock=Clock(), tz=timezone.utc, straight_to_review=True)

    yield build
    for store in stores:
        store.close()


@pytest.mark.parametrize("kind", sorted(CARDS))
def test_card_before_reveal(snap_compare, app_for, kind):
    assert snap_compare(app_for(kind), press=["_"], terminal_size=(80, 24))


@pytest.mark.parametrize("kind", sorted(CARDS))
def test_card_after_reveal(snap_compare, app_for, kind):
    assert snap_compare(app_for(kind), press=["_", REVEAL.get(kind, "space"), "_"], terminal_size=(80, 24))
