"""docs/browse.md keeps up with the code: every term, kind, sort key and browser key is described."""

from __future__ import annotations

from pathlib import Path

from trainer import kinds
from trainer.card_actions import ACTIONS
from trainer.search import IS_VALUES, PROPS
from trainer.tui.screens.browser import BrowserScreen
from trainer.tui.screens.prompts import BROWSER_KEYS
from trainer.tui.widgets.card_table import CardTable

DOC = (Path(__file__).resolve().parents[1] / "docs" / "browse.md").read_text(encoding="utf-8")


def test_every_is_term_prop_and_kind_is_documented():
    for value in IS_VALUES:
        assert f"`is:{value}`" in DOC, value
    for name in PROPS:
        assert f"prop:{name}" in DOC, name
    for name in kinds.names():
        assert f"`{name}`" in DOC, name


def test_every_action_of_trainer_cards_is_documented():
    for action in ACTIONS:
        assert f"`{action}" in DOC, action


def test_every_browser_key_is_in_the_doc_and_on_the_keys_screen():
    names = {"slash": "/", "question_mark": "?", "escape": "Escape", "enter": "Enter", "space": "space",
             "pagedown": "PgDn", "pageup": "PgUp", "down": "↓", "up": "↑", "home": "g", "end": "G"}
    for binding in BrowserScreen.BINDINGS + CardTable.BINDINGS:
        for key in binding.key.split(","):
            shown = names.get(key, key)
            assert shown in DOC, key
            assert shown in BROWSER_KEYS, key
