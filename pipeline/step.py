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

from pipeline.deck import Deck, Slide, Stats

__all__ = ["PatternStep", "Stats", "Step"]


class Step:
    name: str

    def __call__(self, deck: Deck) -> Deck:
        self.run(deck, deck.stat(self.name))
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
