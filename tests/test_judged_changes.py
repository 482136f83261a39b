"""Every judged change, over the samples, the seed deck and the dev corpora: its margin is the
log-likelihood of the chosen reading minus the best rival (leaving the text as it is
included), so an accepted change never has a negative one; and every plan a repair claims
replays: ftfy's ``apply_plan`` on its ``before`` gives its ``after``.

The samples are always measured; the seed and the dev corpora when ``../shared`` is there
(``pytest -s`` prints the counts).
"""

from __future__ import annotations

import json
from collections import Counter
from functools import lru_cache

import ftfy
import pytest

from paths import ROOT, SEED_DECK, SHARED

import pipeline

DEV = SHARED / "devcorpus"


@lru_cache(maxsize=None)
def repairs_of(corpus: str) -> tuple[dict, ...]:
    """The repairs the pipeline makes on one corpus (each a record's repair dict)."""
    out: list[dict] = []
    if corpus == "samples":
        for path in sorted((ROOT / "samples").glob("*.txt")):
            deck = pipeline.clean_deck(path.read_text(encoding="utf-8"), name=path.name)
            out += [r for rec in deck.records() for r in rec["repairs"]]
    elif corpus == "seed":
        deck = pipeline.clean_deck(SEED_DECK.read_text(encoding="utf-8"), name=SEED_DECK.name)
        out += [r for rec in deck.records() for r in rec["repairs"]]
    elif corpus == "decks":
        for path in sorted((DEV / "decks" / "raw").glob("*.txt")):
            try:
                deck = pipeline.clean_deck(path.read_text(encoding="utf-8"), name=path.name)
            except ValueError:  # a page the reader refuses (bench/real_decks.py scores it as nothing)
                continue
            out += [r for rec in deck.records() for r in rec["repairs"]]
    elif corpus == "mojibake":
        for path in sorted((DEV / "mojibake" / "expected").glob("*.json")):
            want = json.loads(path.read_text(encoding="utf-8"))
            out += pipeline.clean_text(want["input"])["repairs"]
    return tuple(out)


CORPORA = ("samples", "seed", "decks", "mojibake")


def _corpus(name: str) -> tuple[dict, ...]:
    if name != "samples" and not (SEED_DECK.is_file() if name == "seed" else (DEV / name).is_dir()):
        pytest.skip(f"third-party material not found at {SHARED} ({name}): measured in CI")
    return repairs_of(name)


@pytest.mark.parametrize("corpus", CORPORA)
def test_no_accepted_change_has_a_negative_margin(corpus):
    repairs = _corpus(corpus)
    judged = [r for r in repairs if "margin" in r]
    negative = [r for r in judged if r["margin"] < 0]
    by_rule = Counter(r["rule"] for r in negative)
    print(f"\n{corpus}: {len(judged)} judged changes of {len(repairs)}, {len(negative)} with a negative margin"
          + (f" {dict(by_rule)}" if by_rule else ""))
    assert not negative, [(r["rule"], r["before"], r["after"], r["margin"]) for r in negative[:10]]


@pytest.mark.parametrize("corpus", CORPORA)
def test_every_plan_replays(corpus):
    repairs = _corpus(corpus)
    planned = [r for r in repairs if "plan" in r]
    failed = []
    for r in planned:
        try:
            got = ftfy.apply_plan(r["before"], [tuple(step) for step in r["plan"]])
        except (LookupError, UnicodeError, ValueError) as e:
            got = f"<{type(e).__name__}: {e}>"
        if got != r["after"]:
            failed.append((r["rule"], r["plan"], r["before"], r["after"], got))
    print(f"\n{corpus}: plans replayed {len(planned) - len(failed)}/{len(planned)} "
          f"({len(repairs)} repairs)")
    assert not failed, failed[:10]
