"""What the pipeline's steps share: a step is a callable ``Deck -> Deck`` with a ``name``.

``PatternStep`` is the common shape: handle each match of a pattern in the text that no
earlier step changed, and count what was done in ``deck.stats[name]``.
"""

from __future__ import annotations

import re
from collections import Counter

from pipeline.deck import Deck, Slide


class PatternStep:
    name: str
    pattern: re.Pattern

    def __call__(self, deck: Deck) -> Deck:
        stats = deck.stat(self.name)
        for slide in deck.suspects():
            for m in list(slide.free_matches(self.pattern)):
                self.handle(slide, m, stats)
        return deck

    def handle(self, slide: Slide, m: re.Match, stats: Counter) -> None:
        raise NotImplementedError
