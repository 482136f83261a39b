#!/usr/bin/env python3
"""Build the garbled decks of the alignment samples in ``samples/align/``.

    python scripts/make_align_samples.py   # rewrites samples/align/talk_*.txt

Sources are ``samples/align/src/<deck>.slides.txt``: clean slides written by this
project, separated by lines holding only ``---``. Each slide is garbled with
``make_samples.damage`` and the deck is laid out with ``make_samples``' page layouts:
``talk_deploy_ko`` as a Speaker Deck page, ``talk_search_ko`` in the player layout.
Seeds are fixed, so the output is the same on every run.

The notes in ``samples/align/notes/`` and the gold alignment
``samples/align/golden.json`` are written by hand; this script does not touch them.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from make_samples import damage, layout_player, layout_speakerdeck, read_slides  # noqa: E402

ALIGN = ROOT / "samples" / "align"
DECKS = {  # deck -> (layout, author, date, seed)
    "talk_deploy_ko": (layout_speakerdeck, "Jaemin Yoon", "June 22, 2024", 11),
    "talk_search_ko": (layout_player, "Harin Moon", "April 27, 2024", 12),
}


def main() -> None:
    for deck, (make, author, date, seed) in DECKS.items():
        slides = read_slides(ALIGN / "src" / f"{deck}.slides.txt")
        damaged = [damage(s, seed * 1000 + i) for i, s in enumerate(slides, 1)]
        title = slides[0]
        out = ALIGN / f"{deck}.txt"
        out.write_text(make(title, author, date, [d[0] for d in damaged]), encoding="utf-8")
        dropped = sum("dropped" in d[2] for d in damaged)
        print(f"{out.relative_to(ROOT)}: {len(slides)} slides ({dropped} with dropped characters)")


if __name__ == "__main__":
    main()
