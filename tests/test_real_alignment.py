"""Real alignment cases (../shared/devcorpus/align): no case does worse than the README says.

Runs ``bench/real_alignment.py`` when the cases are beside the checkout (every deck with all
of its folder's notes and distractors as notes) and compares each case with its row of the
README's table between ``<!-- real-alignment -->`` markers: slides right (strict and lenient)
may not fall, slides aligned to a distractor may not rise, and the table lists every case.
"""

from __future__ import annotations

import importlib.util
import re
import sys

import pytest

from paths import ROOT, SHARED

CASES = SHARED / "devcorpus" / "align"
pytestmark = pytest.mark.skipif(not CASES.is_dir(), reason=f"no alignment cases at {CASES}")
_ROW = re.compile(r"^\| `([^`]+)` \| (\d+) \| (\d+) \| (\d+) \| (\d+) \| [\d.]+ \|$", re.M)


def published() -> dict[str, tuple[int, int, int, int]]:
    """case -> (slides, strict, lenient, to distractors) from the README."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    table = text.split("<!-- real-alignment -->")[1].split("<!-- /real-alignment -->")[0]
    return {name: tuple(map(int, nums)) for name, *nums in _ROW.findall(table)}


def bench():
    spec = importlib.util.spec_from_file_location("real_alignment", ROOT / "bench" / "real_alignment.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_no_real_case_aligns_worse_than_the_readme_says():
    module = bench()
    scores = module.run()
    table = published()
    assert set(scores) == set(table), "the README table lists every case, and only those"
    for name, s in scores.items():
        slides, strict, lenient, to_distractors = table[name]
        print(f"{name}: {s.strict}/{s.slides} strict, {s.lenient} lenient, {s.to_distractors} to distractors "
              f"{s.misses}")
        assert s.slides == slides
        assert s.strict >= strict and s.lenient >= lenient, f"{name} regressed: {s.misses}"
        assert s.to_distractors <= to_distractors


def test_the_scorer_counts_what_the_gold_says():
    module = bench()
    gold = {"notes": "n.md", "distractor_notes": ["d.md"], "unknown_beyond_excerpt": [4],
            "per_slide": [{"slide": 1, "section": "A", "confidence": "high"},
                          {"slide": 2, "section": "B", "confidence": "low", "also_acceptable": ["A", None]},
                          {"slide": 3, "section": None, "confidence": "high"},
                          {"slide": 4, "section": "C", "confidence": "high"},
                          {"slide": 5, "section": None, "confidence": None}]}
    records = [{"slide": 1, "alignment": {"notes": "n.md", "section": "A"}},
               {"slide": 2, "alignment": {"notes": "n.md", "section": "A"}},
               {"slide": 3, "alignment": {"notes": "d.md", "section": "X"}},
               {"slide": 4, "alignment": None}, {"slide": 5, "alignment": None}]
    s = module.score(records, gold)
    assert (s.slides, s.strict, s.lenient, s.to_distractors) == (3, 1, 2, 1)
