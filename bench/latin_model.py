"""How well the Latin model tells shifted Latin from literal Latin, part by part.

    python bench/latin_model.py

Every ASCII piece the CID stage weighs in the sample decks (and, when it is beside the
checkout, the real decks of ../shared/devcorpus) is labelled by the expected text: shifted
when its shifted reading is in the expected slide and the piece itself is not, literal
when the reverse holds (pieces that are both or neither are left out). Printed: ROC AUC of
the shift gain under the sentencepiece part, the character part and their mean (what the
pipeline uses), and the literal pieces each ranks highest. Not a speed benchmark.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pipeline  # noqa: E402
from pipeline.repair.cid_repair import CidRepair  # noqa: E402
from pipeline.models.latin import load_latin, unshift  # noqa: E402

DECKS = ROOT.parent / "shared" / "devcorpus" / "decks"


def decks() -> list[tuple[Path, Path]]:
    out = [(p, p.with_suffix(".expected.jsonl")) for p in sorted((ROOT / "samples").glob("*.txt"))]
    if DECKS.is_dir():
        out += [(p, DECKS / "expected" / f"{p.stem}.expected.jsonl") for p in sorted((DECKS / "raw").glob("*.txt"))]
    return out


def labelled() -> set[tuple[str, bool]]:
    """(piece, shifted?) for the pieces the CID stage weighed."""
    cid = CidRepair.shared()
    seen: set[tuple[str, bool]] = set()
    for raw, expected in decks():
        want = {r["slide"]: r["text"] for r in map(json.loads, expected.read_text(encoding="utf-8").splitlines())}
        deck = pipeline.clean_deck(raw.read_text(encoding="utf-8"), name=raw.name)
        for slide in deck.slides:
            text = want.get(slide.number, "")
            spans = [(r.start, r.end) for r in slide.repairs if r.rule == "cid-shifted-ascii"]
            for start, end in spans + [(s, e) for s, e, _c, g in cid.latin_pieces(slide) if g is not None]:
                piece = slide.raw[start:end]
                shifted, literal = unshift(piece) in text, piece in text
                if shifted != literal:
                    seen.add((piece, shifted))
    return seen


def auc(scores: list[tuple[float, bool]]) -> float:
    pos = [s for s, y in scores if y]
    neg = [s for s, y in scores if not y]
    return sum((a > b) + 0.5 * (a == b) for a in pos for b in neg) / (len(pos) * len(neg))


def main() -> None:
    model = load_latin()
    pieces = sorted(labelled())
    print(f"{sum(y for _p, y in pieces)} shifted and {sum(not y for _p, y in pieces)} literal pieces")
    for name, logp in (("pieces", model.piece_logp), ("characters", model.char_logp), ("mean", model.logp)):
        scores = [(logp(unshift(p)) - logp(p), y) for p, y in pieces]
        top = sorted(((round(s, 1), p) for (s, y), (p, _y) in zip(scores, pieces) if not y), reverse=True)[:5]
        print(f"{name:>10}: ROC AUC {auc(scores):.4f}; literal pieces ranked highest {top}")


if __name__ == "__main__":
    main()
