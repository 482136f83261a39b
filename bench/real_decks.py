"""Real garbled deck pages (../shared/devcorpus/decks): slides read, exact slides and the
repair rate per deck and in total (``pipeline.evaluate``: 1 - edits left / edits between raw
and expected, whitespace removed), and the decks whose slide count differs from the
expected one.

    python bench/real_decks.py [--verbose]

Not a speed benchmark: a recovery figure on decks the project did not write. It needs the
shared dev corpus beside the checkout; the package does not.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pipeline
from pipeline.evaluate import DeckScore, read_jsonl, score_deck

DECKS = Path(__file__).resolve().parents[2] / "shared" / "devcorpus" / "decks"


def corpus() -> list[tuple[str, Path, Path]]:
    """(stem, raw page, expected JSONL) for every deck of the dev corpus."""
    out = []
    for expected in sorted((DECKS / "expected").glob("*.expected.jsonl")):
        stem = expected.name[: -len(".expected.jsonl")]
        out.append((stem, DECKS / "raw" / f"{stem}.txt", expected))
    return out


def run(verbose: bool = False) -> dict[str, DeckScore]:
    scores: dict[str, DeckScore] = {}
    for stem, raw, expected in corpus():
        try:
            records = pipeline.clean_deck(raw.read_text(encoding="utf-8"), name=raw.name).records()
        except ValueError as e:  # a page the reader refuses scores as nothing recovered
            print(f"{stem}: {e}", file=sys.stderr)
            records = []
        want = read_jsonl(expected)
        scores[stem] = score_deck(records, want)
        if verbose:
            have = {r["slide"]: r["text"] for r in records}
            for e in want:
                if e["slide"] in scores[stem].wrong:
                    print(f"  {stem} slide {e['slide']}\n    got: {have.get(e['slide'])!r}\n    exp: {e['text']!r}")
    return scores


def main() -> None:
    if not DECKS.is_dir():
        sys.exit(f"no dev corpus at {DECKS}")
    scores = run("--verbose" in sys.argv)
    width = max(map(len, scores))
    print(f"{'deck':<{width}}  slides  read  exact  damage  left  repair rate")
    for stem, s in scores.items():
        print(f"{stem:<{width}}  {s.slides:>6}  {s.read:>4}  {s.exact:>5}  {s.damage:>6}  {s.left:>4}  {s.rate:>11.4f}")
    total = sum(scores.values(), DeckScore())
    miscounted = [stem for stem, s in scores.items() if s.read != s.slides]
    print(f"slide count differs from expected: {', '.join(miscounted) or 'none'}")
    print(f"total: {len(scores)} decks, {total.slides} slides, {total.read} read, {total.exact} exact, "
          f"repair rate {total.rate:.4f}, worst deck {min(s.rate for s in scores.values()):.4f}")


if __name__ == "__main__":
    main()
