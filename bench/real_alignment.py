"""Real alignment cases (../shared/devcorpus/align): slides right per case and in total.

Each case folder holds a deck of a real talk (sometimes several crawls of it, each with its
gold file ``gold*.alignment.json``), the real notes written about the talk and real notes
about other talks (distractors). Every deck is cleaned with all of its folder's notes and
distractors as ``notes`` (as a user would pass ``--notes`` for each), and each slide's
(notes file, section) is compared with the gold answer:

- *strict*: the gold section (or the gold ``null``);
- *lenient*: the gold section or one the gold lists as also acceptable;
- *to distractors*: slides aligned to a distractor file (never right).

Slides past the stored excerpt are not counted, nor slides the gold leaves open.

    python bench/real_alignment.py [--verbose]

Not a speed benchmark: an alignment figure on notes the project did not write. It needs
the shared dev corpus beside the checkout; the package does not.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pipeline  # noqa: E402

ALIGN = ROOT.parent / "shared" / "devcorpus" / "align"


@dataclass
class CaseScore:
    slides: int = 0
    strict: int = 0
    lenient: int = 0
    to_distractors: int = 0
    misses: list[str] = field(default_factory=list)

    def add(self, other: "CaseScore") -> None:
        self.slides += other.slides
        self.strict += other.strict
        self.lenient += other.lenient
        self.to_distractors += other.to_distractors

    def row(self, name: str) -> str:
        share = self.strict / max(self.slides, 1)
        return (f"| {name} | {self.slides} | {self.strict} | {self.lenient} | {self.to_distractors} | "
                f"{share:.3f} |")


def _answer(alignment: dict | None) -> tuple[str, str] | None:
    if not alignment:
        return None
    return Path(str(alignment["notes"])).name, str(alignment["section"]).strip().lstrip("#").strip()


def score(records: list[dict], gold: dict) -> CaseScore:
    """Per-slide comparison of output records with a gold file (see the module docstring)."""
    got = {r["slide"]: _answer(r.get("alignment")) for r in records}
    beyond = set(gold.get("unknown_beyond_excerpt", []))
    distractors = set(gold.get("distractor_notes", []))
    out = CaseScore()
    for item in gold["per_slide"]:
        slide = item["slide"]
        if slide in beyond or (item["section"] is None and item.get("confidence") is None):
            continue
        notes = item.get("notes", gold["notes"])
        want = (notes, item["section"]) if item["section"] is not None else None
        fine = {want}
        for alt in item.get("also_acceptable", []):
            fine.add(None if alt is None else (alt["notes"], alt["section"]) if isinstance(alt, dict) else (notes, alt))
        have = got.get(slide)
        out.slides += 1
        out.strict += have == want
        out.lenient += have in fine
        out.to_distractors += bool(have and have[0] in distractors)
        if have != want:
            out.misses.append(f"slide {slide}: got {have}, gold {want}")
    return out


def cases() -> list[tuple[str, Path, list[Path], dict]]:
    """(name, deck, notes files, gold) for every gold file of every case folder."""
    out = []
    for folder in sorted(p for p in ALIGN.iterdir() if p.is_dir()):
        notes = sorted(p for p in folder.iterdir() if p.name.startswith(("notes_", "distractor_")))
        for gold_path in sorted(folder.glob("gold*.alignment.json")):
            gold = json.loads(gold_path.read_text(encoding="utf-8"))
            deck = folder / gold["deck"]
            out.append((f"{folder.name}/{deck.name}", deck, notes, gold))
    return out


def run(verbose: bool = False) -> dict[str, CaseScore]:
    """Each case's score, by ``case/deck`` name."""
    scores = {}
    for name, deck, notes, gold in cases():
        cleaned = pipeline.clean_deck(deck.read_text(encoding="utf-8"), name=deck.name, notes=notes)
        scores[name] = score(cleaned.records(), gold)
        if verbose:
            for miss in scores[name].misses:
                print(f"  {name} {miss}", file=sys.stderr)
    return scores


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--verbose", action="store_true", help="print every slide not strictly right")
    args = ap.parse_args()
    if not ALIGN.is_dir():
        sys.exit(f"no alignment cases at {ALIGN}")
    scores = run(args.verbose)
    total = CaseScore()
    print("| case | slides | strict | lenient | to distractors | strict share |")
    print("|---|---|---|---|---|---|")
    for name, s in scores.items():
        total.add(s)
        print(s.row(f"`{name}`"))
    print(total.row("all"))


if __name__ == "__main__":
    main()
