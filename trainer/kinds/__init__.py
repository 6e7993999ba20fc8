"""The card-kind registry: kind name -> Kind, marker -> Kind.

Adding a kind means writing one module with a Kind subclass (see base.py and
the existing kinds) and listing it in `_ALL` below; the parser, the card text
and the labels all find it here. Markers that open a block must be unique
across kinds; a follower may be shared (A: is the answer of a Q: and the
model answer of a DRILL:) and belongs to whichever block is open.
"""

from __future__ import annotations

from trainer.kinds import cloze, contrast, drill, faq, followup, ladder, pair
from trainer.kinds.base import Kind

# Order matters in two places only: messages list markers in this order, and
# an orphan follower shared by two kinds is reported against the first.
_ALL: tuple[Kind, ...] = (
    contrast.KIND, pair.KIND, ladder.KIND, faq.KIND, cloze.KIND, drill.KIND, followup.KIND,
)


class Registry:
    """A set of kinds, checked for clashing markers when it is built."""

    def __init__(self, kinds: tuple[Kind, ...]):
        self.kinds = kinds
        self.by_name: dict[str, Kind] = {}
        self.starters: dict[str, Kind] = {}
        self.followers: dict[str, Kind] = {}  # marker -> first kind that uses it
        for kind in kinds:
            self._add(kind)
        self.markers = frozenset(self.starters) | frozenset(self.followers)

    def _add(self, kind: Kind) -> None:
        if kind.name in self.by_name:
            raise ValueError(f"two card kinds are named {kind.name!r}")
        self.by_name[kind.name] = kind
        for marker in kind.starters:
            clash = self.starters.get(marker) or self.followers.get(marker)
            if clash:
                raise ValueError(f"{marker}: is already a marker of {clash.name} cards; {kind.name} cannot start with it")
            self.starters[marker] = kind
        for marker in kind.followers:
            if marker in self.starters:
                raise ValueError(f"{marker}: starts {self.starters[marker].name} cards; {kind.name} cannot use it inside")
            self.followers.setdefault(marker, kind)


REGISTRY = Registry(_ALL)
# The names of the kinds there are, for callers that validate a kind column.
KINDS = REGISTRY.by_name


class _Unknown(Kind):
    """Shows a card whose kind this version does not know (a newer trainer wrote
    the database) as its plain prompt and answer, rather than failing."""

    def __init__(self, name: str):
        self.name = self.label = name


def names() -> tuple[str, ...]:
    return tuple(REGISTRY.by_name)


def get(name: str) -> Kind:
    """The kind called `name`; an unknown name gets a plain stand-in that shows prompt and answer."""
    return REGISTRY.by_name.get(name) or _Unknown(str(name))


def require(name: str) -> Kind:
    """The kind called `name`, or ValueError saying which kinds exist."""
    try:
        return REGISTRY.by_name[name]
    except KeyError:
        raise ValueError(f"unknown card kind {name!r}; the kinds are {', '.join(REGISTRY.by_name)}") from None


def is_marker(word: str) -> bool:
    return word in REGISTRY.markers


def starter(marker: str) -> Kind | None:
    """The kind whose blocks `marker` opens."""
    return REGISTRY.starters.get(marker)


def owner(marker: str) -> Kind | None:
    """The first kind that uses `marker` inside its block (named when no block is above it)."""
    return REGISTRY.followers.get(marker)


def sentence_kind(line: str) -> Kind | None:
    """The kind a plain line opens as a one-line card (`Not X, but Y`), if any."""
    return next((kind for kind in REGISTRY.kinds if kind.starts_sentence(line)), None)


def marker_summary() -> str:
    """Every marker, kind by kind: `BAD:/GOOD:/WHY:, NOT:/BUT: ... or DRILL:/...`."""
    return _or(["/".join(f"{m}:" for m in k.starters + k.followers) for k in REGISTRY.kinds if k.starters])


def pin_targets() -> str:
    """What a pin may stand right above: `BAD:, NOT:, ..., rung ... or `Not X, but Y``."""
    targets = [f"{m}:" for kind in REGISTRY.kinds for m in kind.starters]
    targets += [kind.pinned_follower_noun for kind in REGISTRY.kinds if kind.pinned_follower_noun]
    targets += [kind.sentence_noun for kind in REGISTRY.kinds if kind.sentence_noun]
    return _or(targets)


def _or(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " or " + items[-1]
