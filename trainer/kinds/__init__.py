"""The card-kind registry: kind name -> Kind, marker -> Kind.

Adding a kind means writing one module with a Kind subclass (see base.py and
the existing kinds) and listing it in `_ALL` below; the parser, the card text
and the labels all find it here. Markers that open a block must be unique
across kinds; a follower may be shared (A: is the answer of a Q: and the
model answer of a DRILL:), and belongs to whichever block is open.
"""

from __future__ import annotations

from trainer.kinds import cloze, contrast, faq, ladder, pair
from trainer.kinds.base import Kind

# Order matters in two places only: messages list markers in this order, and
# an orphan follower shared by two kinds is reported against the first.
_ALL: tuple[Kind, ...] = (contrast.KIND, pair.KIND, ladder.KIND, faq.KIND, cloze.KIND)

KINDS: dict[str, Kind] = {}
_STARTERS: dict[str, Kind] = {}
_FOLLOWERS: dict[str, Kind] = {}


def _register(kind: Kind) -> None:
    if kind.name in KINDS:
        raise ValueError(f"two card kinds are named {kind.name!r}")
    KINDS[kind.name] = kind
    for marker in kind.starters:
        if marker in _STARTERS or marker in _FOLLOWERS:
            raise ValueError(f"{marker}: would start both {_STARTERS.get(marker, _FOLLOWERS.get(marker)).name} and {kind.name} cards")
        _STARTERS[marker] = kind
    for marker in kind.followers:
        if marker in _STARTERS:
            raise ValueError(f"{marker}: starts {_STARTERS[marker].name} cards; {kind.name} cannot use it as a follower")
        _FOLLOWERS.setdefault(marker, kind)


for _kind in _ALL:
    _register(_kind)

MARKERS: frozenset[str] = frozenset(_STARTERS) | frozenset(_FOLLOWERS)


class _Unknown(Kind):
    """Shows a card whose kind this version does not know (a newer trainer wrote
    the database) as its plain prompt and answer, rather than failing."""

    replaces_prompt = False


def names() -> tuple[str, ...]:
    return tuple(KINDS)


def get(name: str) -> Kind:
    """The kind called `name`; an unknown name gets a plain stand-in that shows prompt and answer."""
    kind = KINDS.get(name)
    if kind is not None:
        return kind
    stand_in = _Unknown()
    stand_in.name = stand_in.label = str(name)
    return stand_in


def require(name: str) -> Kind:
    """The kind called `name`, or ValueError saying which kinds exist."""
    try:
        return KINDS[name]
    except KeyError:
        raise ValueError(f"unknown card kind {name!r}; the kinds are {', '.join(KINDS)}") from None


def starter(marker: str) -> Kind | None:
    """The kind whose blocks `marker` opens."""
    return _STARTERS.get(marker)


def owner(marker: str) -> Kind | None:
    """The first kind that uses `marker` as a follower (named when it has no block above it)."""
    return _FOLLOWERS.get(marker)


def sentence_kind(line: str) -> Kind | None:
    """The kind a plain line opens as a one-line card (`Not X, but Y`), if any."""
    return next((kind for kind in _ALL if kind.starts_sentence(line)), None)


def marker_summary() -> str:
    """Every marker, kind by kind: `BAD:/GOOD:/WHY:, NOT:/BUT: ... or Q:/A:`."""
    groups = ["/".join(f"{m}:" for m in kind.starters + kind.followers) for kind in _ALL if kind.starters]
    return _or(groups)


def pin_targets() -> str:
    """What a pin may stand right above: `BAD:, NOT:, ..., rung or `Not X, but Y``."""
    targets = [f"{m}:" for kind in _ALL for m in kind.starters]
    targets += [kind.pinned_follower_noun for kind in _ALL if kind.pinned_follower_noun]
    targets += [kind.sentence_noun for kind in _ALL if kind.sentence_noun]
    return _or(targets)


def _or(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " or " + items[-1]
