"""Fixtures over the shared material (see paths.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from paths import SEED_DECK, need_shared


@pytest.fixture(scope="session")
def shared() -> Path:
    return need_shared()


@pytest.fixture(scope="session")
def seed_text(shared) -> str:
    return SEED_DECK.read_text(encoding="utf-8")
