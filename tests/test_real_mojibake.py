"""Real Korean mojibake (../shared/devcorpus/mojibake): the published figures are the measured ones.

Runs ``bench/real_mojibake.py`` when the dev corpus is beside the checkout and compares
every kind with its row of the table "Real mojibake" in ``docs/measurements.md``: samples,
exact, correct, characters left wrong and wrong repairs are the table's, exactly (a change
either way means the table is out of date), and the negatives get no repair.
"""

from __future__ import annotations

import importlib.util
import re
import sys

import pytest

from paths import ROOT, SHARED

SAMPLES = SHARED / "devcorpus" / "mojibake"
pytestmark = pytest.mark.skipif(not SAMPLES.is_dir(), reason=f"no mojibake dev corpus at {SAMPLES}")


def published_figures() -> dict[str, tuple[int, int, int, int, int]]:
    """kind -> (samples, exact, correct, characters wrong, wrong repairs) from docs/measurements.md."""
    text = (ROOT / "docs" / "measurements.md").read_text(encoding="utf-8")
    section = text.split("<!-- real-mojibake -->")[1].split("<!-- /real-mojibake -->")[0]
    rows = re.findall(r"^\| ([^|`]+?) \| (\d+) \| (\d+) \| (\d+) \| (\d+) \| (\d+) \|$", section, re.M)
    return {kind: tuple(map(int, nums)) for kind, *nums in rows}


def test_real_mojibake_scores_what_the_table_says():
    spec = importlib.util.spec_from_file_location("real_mojibake", ROOT / "bench" / "real_mojibake.py")
    bench = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = bench  # its dataclasses look their module up
    spec.loader.exec_module(bench)
    kinds = bench.run()
    figures = published_figures()
    assert set(figures) == set(kinds), "the table lists every kind of the dev corpus"
    for kind, s in kinds.items():
        assert (s.samples, s.exact, s.correct, s.wrong_chars, s.wrong_repairs) == figures[kind], (
            f"{kind}: {s.correct} correct, {s.wrong_chars} characters wrong, {s.wrong_repairs} wrong repairs")
        if kind.startswith("negative"):
            assert s.wrong_repairs == 0 and s.correct == s.samples
