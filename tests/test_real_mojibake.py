"""Real Korean mojibake (../shared/devcorpus/mojibake): no regression from the README's figures.

Runs ``bench/real_mojibake.py`` when the dev corpus is beside the checkout and compares
every kind with its row of the README table "Real mojibake": samples correct may not fall,
characters left wrong and wrong repairs may not rise, and the negatives get no repair.
"""

from __future__ import annotations

import importlib.util
import re
import sys

import pytest

from paths import ROOT, SHARED

SAMPLES = SHARED / "devcorpus" / "mojibake"
pytestmark = pytest.mark.skipif(not SAMPLES.is_dir(), reason=f"no mojibake dev corpus at {SAMPLES}")


def readme_figures() -> dict[str, tuple[int, int, int, int, int]]:
    """kind -> (samples, exact, correct, characters wrong, wrong repairs) from the README."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("<!-- real-mojibake -->")[1].split("<!-- /real-mojibake -->")[0]
    rows = re.findall(r"^\| ([^|`]+?) \| (\d+) \| (\d+) \| (\d+) \| (\d+) \| (\d+) \|$", section, re.M)
    return {kind: tuple(map(int, nums)) for kind, *nums in rows}


def test_real_mojibake_at_least_as_good_as_the_readme_says():
    spec = importlib.util.spec_from_file_location("real_mojibake", ROOT / "bench" / "real_mojibake.py")
    bench = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = bench  # its dataclasses look their module up
    spec.loader.exec_module(bench)
    kinds = bench.run()
    figures = readme_figures()
    assert set(figures) == set(kinds), "the README table lists every kind of the dev corpus"
    for kind, s in kinds.items():
        samples, _exact, correct, wrong_chars, wrong_repairs = figures[kind]
        assert s.samples == samples, kind
        assert s.correct >= correct and s.wrong_chars <= wrong_chars and s.wrong_repairs <= wrong_repairs, (
            f"{kind}: {s.correct} correct, {s.wrong_chars} characters wrong, {s.wrong_repairs} wrong repairs")
        if kind.startswith("negative"):
            assert s.wrong_repairs == 0 and s.correct == s.samples
