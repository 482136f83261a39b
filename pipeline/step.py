"""What the pipeline's steps share, like datatrove's base filter: one ``Step`` owns the loop
over the slides a step needs and the counting, and every step is one.

A step is a callable ``Deck -> Deck`` with a ``name``. By default it visits the deck's
suspect slides (``on_slide``); a step that decides for the deck as a whole (which
normalization the deck went through, whether it is garbled at all) overrides ``run``.
What it did goes to ``deck.stats[name]``, a ``Stats``::

    >>> s = Stats()
    >>> s.stat("decoded", 3); s.stat("deck_garbled", 1, unit="flag")
    >>> t = Stats(); t.stat("decoded", 2); t.stat("deck_garbled", 1, unit="flag")
    >>> s.merge(t); dict(s)
    {'decoded': 5, 'deck_garbled': 1}

``PatternStep`` is the commonest shape: handle each match of a pattern in the text no
earlier step changed.

A step with thresholds keeps them in ``self.params``, a frozen dataclass with a
``SECTION``: ``load_params`` fills it from that section of ``rules/steps.json`` and the
caller's overrides (``Config(params={SECTION: {...}})``); the aligner and the objects a step
builds for itself (lost-bytes' decoder, lost-text's legacy reader) get theirs the same way.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import fields, replace
from functools import lru_cache
from typing import Any, Mapping, TypeVar, get_origin, get_type_hints

from pipeline.deck import MAKING, Deck, Slide, Stats
from pipeline.models.rule_files import load_json

P = TypeVar("P")

__all__ = ["PatternStep", "Stats", "Step", "load_params"]


def load_params(cls: type[P], overrides: Mapping[str, Any] | None = None) -> P:
    """The one way a step (or the aligner, or an object a step builds for itself) gets its
    parameters: ``cls`` is a frozen dataclass whose ``SECTION`` names its section of
    ``rules/steps.json`` (the name a caller writes in ``Config(params={SECTION: {...}})``);
    the section gives every field its default, then ``overrides`` replace some. A name that
    is no field is a ValueError naming the section and the parameters it has; a value of
    the wrong type (a string for a number, a float for a count) is a TypeError::

        >>> from dataclasses import dataclass
        >>> @dataclass(frozen=True)
        ... class Quoted:
        ...     SECTION = "quoted"
        ...     min_quoted: int
        ...     share: float
        >>> load_params(Quoted, {"share": 1})
        Quoted(min_quoted=2, share=1.0)
        >>> load_params(Quoted, {"sharee": 1})
        Traceback (most recent call last):
        ...
        ValueError: quoted: no parameter 'sharee' (it has: min_quoted, share)
    """
    base = _defaults(cls)
    if not overrides:
        return base
    section, types = cls.SECTION, _field_types(cls)
    unknown = sorted(set(overrides) - set(types))
    if unknown:
        raise ValueError(f"{section}: no parameter {', '.join(map(repr, unknown))} (it has: {', '.join(types)})")
    return replace(base, **{k: _checked(section, k, v, types[k]) for k, v in overrides.items()})


@lru_cache(maxsize=None)
def _defaults(cls: type[P]) -> P:
    """``cls`` with the values of its section of ``rules/steps.json`` (checked as overrides
    are: the file and the code must name the same parameters)."""
    section, types = cls.SECTION, _field_types(cls)
    values = {k: v for k, v in load_json("steps.json")[section].items() if k != "comment"}
    missing, extra = sorted(set(types) - set(values)), sorted(set(values) - set(types))
    if missing or extra:
        raise ValueError(f"rules/steps.json: section {section!r} does not match its parameters "
                         f"(missing: {', '.join(missing) or '-'}; unknown: {', '.join(extra) or '-'})")
    return cls(**{k: _checked(section, k, v, types[k]) for k, v in values.items()})


@lru_cache(maxsize=None)
def _field_types(cls: type) -> dict[str, Any]:
    hints = get_type_hints(cls)
    return {f.name: hints[f.name] for f in fields(cls)}


def _checked(section: str, name: str, value: Any, kind: Any) -> Any:
    """``value`` as a ``kind`` (int, float, bool or dict[str, float]); an int may stand for a float."""
    if kind is float and isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    if kind in (int, bool) and type(value) is kind:
        return value
    if get_origin(kind) is dict and isinstance(value, Mapping):
        if all(isinstance(k, str) and isinstance(v, (int, float)) and not isinstance(v, bool) for k, v in value.items()):
            return {k: float(v) for k, v in value.items()}
    shown = getattr(kind, "__name__", None) if get_origin(kind) is None else str(kind)
    raise TypeError(f"{section}: parameter {name!r} is a {shown or kind}, not {value!r}")


class Step:
    name: str
    params: Any = None  # its named parameters, a frozen dataclass (``load_params``), if it has any

    def __call__(self, deck: Deck) -> Deck:
        making = MAKING.set(self.name)  # what this step changes says so (a later step may ask)
        try:
            self.run(deck, deck.stat(self.name))
        finally:
            MAKING.reset(making)
        return deck

    def run(self, deck: Deck, stats: Stats) -> None:
        """Visit the slides that may need this step (``Deck.suspects``)."""
        for slide in deck.suspects():
            self.on_slide(slide, stats)

    def on_slide(self, slide: Slide, stats: Stats) -> None:
        raise NotImplementedError


class PatternStep(Step):
    """Handle each match of ``pattern`` in the text no earlier step changed; with a
    ``quarantine_reason`` and no ``handle`` of its own, each match is quarantined."""

    pattern: re.Pattern
    quarantine_reason: str = ""

    def on_slide(self, slide: Slide, stats: Stats) -> None:
        for m in list(slide.free_matches(self.pattern)):
            self.handle(slide, m, stats)

    def handle(self, slide: Slide, m: re.Match, stats: Counter) -> None:
        if not self.quarantine_reason:
            raise NotImplementedError(f"{type(self).__name__}: no handle and no quarantine_reason")
        slide.quarantine_span(m.start(), m.end(), self.quarantine_reason)
        stats["spans"] += 1
