"""Real garbled deck pages: slides read, exact slides and the repair rate per deck and in
total (``pipeline.evaluate``: 1 - edits left / edits between raw and expected, whitespace
removed), and the decks whose slide count differs from the expected one. Two corpora:
the Korean pages (../shared/devcorpus/decks) and the Japanese ones
(../shared/devcorpus/decks_ja, Adobe-Japan1), where the Hangul syllables (U+AC00-U+D7A3)
in the outputs are counted too (a Japanese page read as Korean shows them).

    python bench/real_decks.py [--corpus ko|ja|all] [--verbose]     # default: both, Korean first

Not a speed benchmark: a recovery figure on decks the project did not write. It needs the
shared dev corpus beside the checkout; the package does not. Every page is cleaned with
``pipeline.clean_deck(text, name=...)`` and the default configuration.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pipeline
from pipeline.evaluate import DeckScore, read_jsonl, score_deck
from pipeline.models.hangul import HANGUL

DEVCORPUS = Path(__file__).resolve().parents[2] / "shared" / "devcorpus"
DECKS = DEVCORPUS / "decks"
DECKS_JA = DEVCORPUS / "decks_ja"
CORPORA = {"ko": DECKS, "ja": DECKS_JA}
TITLES = {"ko": "Korean pages", "ja": "Japanese pages"}


def corpus(root: Path = DECKS) -> list[tuple[str, Path, Path]]:
    """(stem, raw page, expected JSONL) for every deck of a dev corpus folder."""
    out = []
    for expected in sorted((root / "expected").glob("*.expected.jsonl")):
        stem = expected.name[: -len(".expected.jsonl")]
        out.append((stem, root / "raw" / f"{stem}.txt", expected))
    return out


def run(verbose: bool = False, corpus_name: str = "ko", records: dict[str, list[dict]] | None = None
        ) -> dict[str, DeckScore]:
    """Each deck's score; ``records``, when given, receives each deck's output records."""
    scores: dict[str, DeckScore] = {}
    for stem, raw, expected in corpus(CORPORA[corpus_name]):
        try:
            recs = pipeline.clean_deck(raw.read_text(encoding="utf-8"), name=raw.name).records()
        except ValueError as e:  # a page the reader refuses scores as nothing recovered
            print(f"{stem}: {e}", file=sys.stderr)
            recs = []
        if records is not None:
            records[stem] = recs
        want = read_jsonl(expected)
        scores[stem] = score_deck(recs, want)
        if verbose:
            have = {r["slide"]: r["text"] for r in recs}
            for e in want:
                if e["slide"] in scores[stem].wrong:
                    print(f"  {stem} slide {e['slide']}\n    got: {have.get(e['slide'])!r}\n    exp: {e['text']!r}")
    return scores


def hangul_syllables(recs: list[dict]) -> int:
    """Hangul syllables (U+AC00-U+D7A3) in the output text of a deck's records."""
    return sum(len(HANGUL.findall(r["text"])) for r in recs)


def report(corpus_name: str, verbose: bool) -> None:
    records: dict[str, list[dict]] = {}
    scores = run(verbose, corpus_name, records)
    hangul = corpus_name != "ko"
    width = max(map(len, scores))
    print(f"{'deck':<{width}}  slides  read  exact  damage  left  repair rate" + ("  hangul" if hangul else ""))
    for stem, s in scores.items():
        extra = f"  {hangul_syllables(records[stem]):>6}" if hangul else ""
        print(f"{stem:<{width}}  {s.slides:>6}  {s.read:>4}  {s.exact:>5}  {s.damage:>6}  {s.left:>4}  {s.rate:>11.4f}"
              + extra)
    total = sum(scores.values(), DeckScore())
    miscounted = [stem for stem, s in scores.items() if s.read != s.slides]
    print(f"slide count differs from expected: {', '.join(miscounted) or 'none'}")
    print(f"total: {len(scores)} decks, {total.slides} slides, {total.read} read, {total.exact} exact, "
          f"repair rate {total.rate:.4f}, worst deck {min(s.rate for s in scores.values()):.4f}")
    if hangul:
        print(f"Hangul syllables in the outputs: {sum(map(hangul_syllables, records.values()))}")


def main() -> None:
    args = sys.argv[1:]
    which = args[args.index("--corpus") + 1] if "--corpus" in args else "all"
    names = list(CORPORA) if which == "all" else [which]
    if any(n not in CORPORA for n in names):
        sys.exit(f"--corpus takes {', '.join(CORPORA)} or all")
    present = [n for n in names if CORPORA[n].is_dir()]
    if not present:
        sys.exit(f"no dev corpus at {', '.join(str(CORPORA[n]) for n in names)}")
    for k, name in enumerate(names):
        if len(names) > 1:
            print(("\n" if k else "") + f"{TITLES[name]} ({CORPORA[name]})")
        if name not in present:
            print(f"no dev corpus at {CORPORA[name]}")
            continue
        report(name, "--verbose" in args)


if __name__ == "__main__":
    main()
