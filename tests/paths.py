"""Where the test material lives. Tests read ``../shared`` (seeds, eval scorers, reference tables) beside the checkout."""

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
    if not SHARED.is_dir():
        pytest.fail(f"these tests need the shared material at {SHARED} (CI checks it out beside the project)")
    return SHARED


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
