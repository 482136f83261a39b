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
"""

from __future__ import annotations

import re
from collections import Counter
from types import MappingProxyType
from typing import Any, Mapping

from pipeline.deck import MAKING, Deck, Slide, Stats
from pipeline.models.rule_files import load_json

__all__ = ["PatternStep", "Stats", "Step", "step_params"]


def step_params(*sections: str, overrides: Mapping[str, Any] | None = None) -> Mapping[str, Any]:
    """A step's parameters: the named sections of ``rules/steps.json`` merged, then
    ``overrides`` (an unknown name is an error, not a silent no-op)::

        >>> step_params("quoted", overrides={"share": 0.6})["share"]
        0.6
    """
    rules = load_json("steps.json")
    merged: dict[str, Any] = {}
    for section in sections:
        merged.update(rules.get(section, {}))
    for key, value in (overrides or {}).items():
        if key not in merged:
            raise ValueError(f"{'/'.join(sections)}: no parameter {key!r} (it has: {', '.join(sorted(merged))})")
        merged[key] = type(merged[key])(value)
    return MappingProxyType(merged)


class Step:
    name: str
    params: Mapping[str, Any] = MappingProxyType({})  # named parameters, from rules/steps.json

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
