"""Where the test material lives: the project's own under ``tests/data`` and ``samples``;
third-party material (the seed deck and notes, the dev corpus) in ``../shared`` beside the
checkout, used when it is there."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SEED_DECK = SHARED / "seeds" / "001_c3ad37fb450c9d94.txt"
SEED_NOTES = sorted(p for p in (SHARED / "seeds").glob("*.txt") if p != SEED_DECK)
EXPECTED = SHARED / "eval" / "001_c3ad37fb450c9d94.expected.jsonl"
DATA = Path(__file__).resolve().parent / "data"


def need_shared() -> Path:
    """The third-party material beside the checkout; a test that needs it is skipped, with
    this one line, in a clone that stands alone (CI has it, and runs them)."""
    if not SHARED.is_dir():
        pytest.skip(f"third-party material not found at {SHARED} (seeds, dev corpus): measured in CI")
    return SHARED


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def published_deck_figures(marker: str) -> dict[str, tuple[int, int, float]]:
    """deck -> (slides, exact, repair rate) from the table of docs/measurements.md between
    ``<!-- marker -->`` and ``<!-- /marker -->`` (``real-decks``, ``real-decks-ja``)."""
    import re

    text = (ROOT / "docs" / "measurements.md").read_text(encoding="utf-8")
    section = text.split(f"<!-- {marker} -->")[1].split(f"<!-- /{marker} -->")[0]
    rows = re.findall(r"^\| `([\w.-]+)` \| (\d+) \| (\d+) \| ([\d.]+) \|", section, re.M)
    return {deck: (int(slides), int(exact), float(rate)) for deck, slides, exact, rate in rows}
