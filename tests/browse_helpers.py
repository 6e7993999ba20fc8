"""A small collection with a card in every state, for the search, browser and `trainer cards` tests.

Every state is reached through trainer.history (real answers, real events),
so the cache equals a replay of the log.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from trainer import card_actions, history
from trainer.config import Settings
from trainer.importer import import_paths
from trainer.model import Rating, Status
from trainer.scheduler import Scheduler
from trainer.store import open_db
from trainer.store.cards import cards_where, set_status

from conftest import T0

UTC = timezone.utc
NOW = T0 + timedelta(days=20)  # when the tests look at the collection
SETTINGS = Settings(fuzz=False, leech_threshold=2)

ALPHA = """\
# Alpha deck

## Basics
Q: What is the north star metric?
A: The one outcome the team steers by.

Q: What is a guardrail?
A: A metric that must not get worse.

Q: What is a proxy?
A: A faster signal that moves with the outcome.

## Advanced
Q: What does [bold]cold start[/bold] mean?
A: No history yet for a new user or item.

Q: Why do feedback loops matter?
A: Recommendations shape the data they learn from.

CLOZE: A metric stack has one {{c1::primary}} outcome and {{c2::guardrails}}.

Q: Retired question?
A: Gone from the deck soon.
"""

BETA = """\
# Beta Deck

## Été
Q: Qu'est-ce que l'ÉTÉ ?
A: Une saison.

- Not the first click, but the second session.

Q: Which drills come first?
A: The ones you fail.
"""


@dataclass
class Collection:
    store: object
    keys: dict  # name -> key
    settings: Settings
    scheduler: Scheduler
    path: Path


def _key(store, text: str) -> str:
    found = [c.key for c in cards_where(store) if text in c.prompt]
    assert len(found) == 1, (text, found)
    return found[0]


def _to_review(store, scheduler, key, at: datetime) -> datetime:
    history.answer(store, scheduler, key, Rating.GOOD, at)
    at += timedelta(minutes=10)
    history.answer(store, scheduler, key, Rating.GOOD, at)
    return at


def build(tmp_path: Path, settings: Settings = SETTINGS) -> Collection:
    """Alpha deck (7 cards + 2 cloze deletions) and Beta Deck (3 cards), in these states at NOW:

    north: review, due later (answered Good, Good at T0, then Good at T0+3d)
    guardrail: new
    proxy: learning (one Good at NOW - 1h)
    cold: review and a leech (lapsed twice), low recall
    loops: suspended review card
    ete: review card buried until tomorrow
    retired: retired (its line removed and the deck re-imported)
    second: review, due well before NOW (overdue)
    """
    decks = tmp_path / "decks"
    decks.mkdir(exist_ok=True)
    (decks / "alpha.md").write_text(ALPHA, encoding="utf-8")
    (decks / "beta.md").write_text(BETA, encoding="utf-8")
    store = open_db(tmp_path / "trainer.db")
    report = import_paths(store, [decks], T0)
    assert report.ok, report.all_errors
    scheduler = Scheduler(settings, tz=UTC)
    keys = {name: _key(store, text) for name, text in (
        ("north", "north star"), ("guardrail", "guardrail?"), ("proxy", "proxy?"), ("cold", "cold start"),
        ("loops", "feedback loops"), ("ete", "ÉTÉ"), ("retired", "Retired question"), ("second", "first click"),
        ("drills", "Which drills"),
    )}
    at = _to_review(store, scheduler, keys["north"], T0)
    history.answer(store, scheduler, keys["north"], Rating.GOOD, T0 + timedelta(days=3))
    history.answer(store, scheduler, keys["north"], Rating.GOOD, T0 + timedelta(days=12))
    history.answer(store, scheduler, keys["proxy"], Rating.GOOD, NOW - timedelta(hours=1))
    at = _to_review(store, scheduler, keys["cold"], T0)
    for day in (4, 9):
        history.answer(store, scheduler, keys["cold"], Rating.AGAIN, T0 + timedelta(days=day))
        history.answer(store, scheduler, keys["cold"], Rating.GOOD, T0 + timedelta(days=day, minutes=10))
    _to_review(store, scheduler, keys["loops"], T0)
    _to_review(store, scheduler, keys["ete"], T0 + timedelta(days=1))
    _to_review(store, scheduler, keys["second"], T0)
    with store.write():
        set_status(store, [keys["retired"]], Status.RETIRED, T0)
    card_actions.suspend(store, [keys["loops"]], NOW)
    card_actions.bury(store, scheduler, [keys["ete"]], NOW)
    return Collection(store, keys, settings, scheduler, tmp_path / "trainer.db")
