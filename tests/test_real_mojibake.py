"""Real Korean mojibake (../shared/devcorpus/mojibake): the published figures are the measured ones.

Runs ``bench/real_mojibake.py`` when the dev corpus is beside the checkout and compares
every kind with its row of the table "Real mojibake" in ``docs/measurements.md``: samples,
exact, correct, characters left wrong, wrong repairs, the character repair rate (to 4
decimals, as printed), texts made worse and half-mended words are the table's, exactly (a
change either way means the table is out of date); the negatives get no repair, and no kind
has more half-mended words than the table says.
"""

from __future__ import annotations

import importlib.util
import re
import sys

import pytest

from paths import ROOT, SHARED

SAMPLES = SHARED / "devcorpus" / "mojibake"
pytestmark = pytest.mark.skipif(not SAMPLES.is_dir(), reason=f"no mojibake dev corpus at {SAMPLES}")

COLUMNS = ("samples", "exact", "correct", "characters wrong", "wrong repairs", "repair rate", "worse", "half-mended")
_ROW = re.compile(r"^\| ([^|`]+?) \| (\d+) \| (\d+) \| (\d+) \| (\d+) \| (\d+) \| (-?\d+\.\d{4}|n/a) \| (\d+) \| (\d+) \|$", re.M)


def published_figures() -> dict[str, tuple]:
    """kind -> (samples, exact, correct, characters wrong, wrong repairs, repair rate as
    printed, worse, half-mended) from docs/measurements.md."""
    text = (ROOT / "docs" / "measurements.md").read_text(encoding="utf-8")
    section = text.split("<!-- real-mojibake -->")[1].split("<!-- /real-mojibake -->")[0]
    figures = {}
    for kind, *nums in _ROW.findall(section):
        rate = nums.pop(5)
        ints = list(map(int, nums))
        figures[kind] = (*ints[:5], rate, *ints[5:])
    return figures


def measured(s) -> tuple:
    return (s.samples, s.exact, s.correct, s.wrong_chars, s.wrong_repairs, s.rate_text(), s.worse, s.half_mended)


def test_real_mojibake_scores_what_the_table_says():
    spec = importlib.util.spec_from_file_location("real_mojibake", ROOT / "bench" / "real_mojibake.py")
    bench = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = bench  # its dataclasses look their module up
    spec.loader.exec_module(bench)
    kinds = bench.run()
    figures = published_figures()
    assert set(figures) == set(kinds), "the table lists every kind of the dev corpus, each row with all its columns"
    for kind, s in kinds.items():
        got, want = measured(s), figures[kind]
        assert s.half_mended <= want[COLUMNS.index("half-mended")], (
            f"{kind}: {s.half_mended} half-mended words, more than the table's: {s.half_mended_words}")
        assert got == want, f"{kind}: measured " + ", ".join(
            f"{c} {g} (table: {w})" for c, g, w in zip(COLUMNS, got, want) if g != w)
        if kind.startswith("negative"):
            assert s.wrong_repairs == 0 and s.correct == s.samples and s.worse == 0
