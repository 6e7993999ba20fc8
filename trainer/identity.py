"""The stable key of a card.

A key comes from the card's kind and its prompt side only, so editing the
answer keeps the card (and its history) while editing the prompt makes a new
one. It never includes the file, so moving a card between decks keeps it.
Each field is length-prefixed before hashing: without that, ("ab", "c") and
("a", "bc") would collide.
"""

from __future__ import annotations

import hashlib

KEY_LENGTH = 20
PINNED_PREFIX = "id:"


def normalise(text: str) -> str:
    """Collapse runs of whitespace so re-wrapping a line keeps the key."""
    return " ".join(text.split())


def hash_fields(*fields: str) -> str:
    digest = hashlib.sha256()
    for value in fields:
        data = normalise(value).encode("utf-8")
        digest.update(str(len(data)).encode("ascii") + b":" + data)
    return digest.hexdigest()[:KEY_LENGTH]


def card_key(identity: tuple[str, ...], pinned_id: str | None = None) -> str:
    """The key of a card: its pinned id if it has one, else a hash of its identity."""
    if pinned_id:
        return PINNED_PREFIX + pinned_id
    return hash_fields(*identity)
