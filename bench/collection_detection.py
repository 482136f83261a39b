"""Which CID collection explains a deck: the choice against the truth, on decks the simulator
garbles from the project's own text in all four languages and on clean decks.

    python bench/collection_detection.py [--verbose]

Garbled decks (truth: the profile they were garbled with) come from the project-written
sources: the Korean samples (``samples/src``, ``samples/align/src``), the Japanese,
simplified- and traditional-Chinese samples (``samples/cjk/src``) and the Japanese and
Chinese clean-guard paragraphs (``tests/data/clean_guard``). Each is garbled as the committed
sample pages are, and in variants: other seeds, Latin in the CJK font (some tokens, every
token, plain English words too, or the whole text in the CJK font), with and without NFC,
short decks of one to three slides, and slides mixed with English ones. A deck the garbling
left unchanged is a clean deck. Clean decks (truth: leave) are the same sources ungarbled,
whole, short and mixed with English, and the twelve clean-guard texts of
``tests/test_clean_guard.py``.

For each deck the choice is read twice: ``detect_collection`` over its slides' raw text, and
the ``cid`` step's stat in ``clean_deck``'s stats (``profile_<name>``; ``profile_none``, or
no stat when no slide is suspect, is "leave"). A confusion table (truth × choice, by the
step's stats) and the count wrong are printed, then the real Japanese pages
(``../shared/devcorpus/decks_ja``, when there), each of which must choose adobe-japan1.
"""

from __future__ import annotations

import random
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import pipeline  # noqa: E402
from pipeline.models.cid_profile import available_profiles  # noqa: E402
from pipeline.simulate import garble  # noqa: E402

DECKS_JA = Path(__file__).resolve().parents[2] / "shared" / "devcorpus" / "decks_ja"
SAMPLES = ROOT / "samples"
GUARD = ROOT / "tests" / "data" / "clean_guard"
LEAVE = "leave"
PLAIN = pipeline.Config(format="plain")

# language -> (profile, project-written sources: slide files and clean-guard paragraph files)
LANGUAGES = {
    "ko": ("adobe-korea1", [SAMPLES / "src" / "talk_transformers_ko.slides.txt",
                            SAMPLES / "src" / "talk_speech_vision_ko.slides.txt",
                            SAMPLES / "align" / "src" / "talk_deploy_ko.slides.txt",
                            SAMPLES / "align" / "src" / "talk_search_ko.slides.txt"]),
    "ja": ("adobe-japan1", [SAMPLES / "cjk" / "src" / "talk_observability_ja.slides.txt", GUARD / "ja.txt"]),
    "zh-Hans": ("adobe-gb1", [SAMPLES / "cjk" / "src" / "talk_vector_search_zh_hans.slides.txt", GUARD / "zh.txt"]),
    "zh-Hant": ("adobe-cns1", [SAMPLES / "cjk" / "src" / "talk_web_performance_zh_hant.slides.txt"]),
}
# the committed sample pages, read with the default reader: page -> profile
SAMPLE_PAGES = {
    SAMPLES / "talk_transformers_ko.txt": "adobe-korea1",
    SAMPLES / "talk_speech_vision_ko.txt": "adobe-korea1",
    SAMPLES / "cjk" / "talk_observability_ja.txt": "adobe-japan1",
    SAMPLES / "cjk" / "talk_vector_search_zh_hans.txt": "adobe-gb1",
    SAMPLES / "cjk" / "talk_web_performance_zh_hant.txt": "adobe-cns1",
}
# how a variant is garbled (the samples' own setting first)
OPTIONS = {
    "some-latin": {"shift_ascii": 0.25},
    "cjk-latin": {"shift_ascii": 0.0},
    "shifted-latin": {"shift_ascii": 1.0, "shift_words": 0.3},
    "whole-font": {"cjk_font": True},
}
SEEDS = (11, 12)
SHORT = 6  # short decks per language, garbled and clean


@dataclass
class Row:
    name: str
    language: str
    truth: str  # a profile or "leave"
    detected: str  # detect_collection over the slides
    stepped: str  # the cid step's stat in clean_deck
    changed: int  # slides clean_deck repaired or quarantined anything in

    @property
    def wrong(self) -> bool:
        return self.detected != self.truth or self.stepped != self.truth


def read_source(path: Path) -> list[str]:
    """The slides of a source: ``---``-separated slides, or a clean-guard file's paragraphs."""
    text = path.read_text(encoding="utf-8")
    if path.name.endswith(".slides.txt"):
        blocks = [b for b in text.split("\n---\n")]
    else:
        blocks = text.split("\n\n")
    return [" ".join(x.strip() for x in b.splitlines() if x.strip()) for b in blocks if b.strip()]


def english() -> list[str]:
    return read_source(GUARD / "en.txt")


def choice_of_step(deck) -> str:
    stats = deck.stats.get("cid", {})
    chosen = [k[len("profile_"):] for k, v in stats.items() if k.startswith("profile_") and v]
    if len(chosen) > 1:
        return "+".join(sorted(chosen))
    return LEAVE if not chosen or chosen[0] == "none" else chosen[0]


def judge(name: str, language: str, truth: str, text: str, config=PLAIN) -> Row:
    from pipeline.repair.collection import detect_collection

    deck = pipeline.clean_deck(text, name=name, config=config)
    choice = detect_collection([s.raw for s in deck.slides])
    changed = sum(1 for s in deck.slides if s.repairs or s.quarantine)
    return Row(name, language, truth, choice.profile or LEAVE, choice_of_step(deck), changed)


def simulated_decks() -> list[tuple[str, str, str, str, object]]:
    """(name, language, truth, page text, reader config) for every deck of the simulated set."""
    out = []
    for page, profile in SAMPLE_PAGES.items():
        lang = next(k for k, (p, _) in LANGUAGES.items() if p == profile)
        out.append((f"sample:{page.name}", lang, profile, page.read_text(encoding="utf-8"), pipeline.Config()))
    en = english()
    for lang, (profile, sources) in LANGUAGES.items():
        rng = random.Random(f"collection-bench:{lang}")
        pool = [s for src in sources for s in read_source(src)]

        def add(name: str, slides: list[str], garbled: bool, seed: int = 0, **opts) -> None:
            raw = [garble(s, profile=profile, seed=seed * 100 + i, **opts) for i, s in enumerate(slides)] \
                if garbled else slides
            truth = profile if garbled and raw != slides else LEAVE
            out.append((name, lang, truth, "\f".join(raw), PLAIN))

        for src in sources:
            slides = read_source(src)
            stem = src.name.split(".")[0]
            for seed in SEEDS:
                for opt, kw in OPTIONS.items():
                    for nfc in (True, False):
                        add(f"{lang}:{stem}:{opt}:seed{seed}:{'nfc' if nfc else 'raw'}", slides, True,
                            seed, nfc=nfc, **kw)
            add(f"{lang}:{stem}:clean", slides, False)
        for k in range(SHORT):
            n = 1 + k % 3
            slides = rng.sample(pool, n)
            opt = list(OPTIONS)[k % len(OPTIONS)]
            add(f"{lang}:short{n}:{opt}:{k}", slides, True, 20 + k, nfc=k % 2 == 0, **OPTIONS[opt])
            add(f"{lang}:short{n}:clean:{k}", slides, False)
        for k in range(2):
            mine = rng.sample(pool, 3)
            mixed = [x for pair in zip(mine, rng.sample(en, 3)) for x in pair]
            mixed_raw = [garble(s, profile=profile, seed=40 + k * 10 + i, shift_ascii=0.25) if i % 2 == 0 else s
                         for i, s in enumerate(mixed)]
            truth = profile if mixed_raw != mixed else LEAVE
            out.append((f"{lang}:mixed-latin:{k}", lang, truth, "\f".join(mixed_raw), PLAIN))
            out.append((f"{lang}:mixed-latin:clean:{k}", lang, LEAVE, "\f".join(mixed), PLAIN))
    for path in sorted(GUARD.glob("*.txt")):
        out.append((f"guard:{path.stem}", path.stem, LEAVE, "\f".join(read_source(path)), PLAIN))
    return out


def run_simulated() -> list[Row]:
    return [judge(name, lang, truth, text, config) for name, lang, truth, text, config in simulated_decks()]


def run_real() -> list[Row]:
    """The real Japanese pages: each must choose adobe-japan1 (empty when the corpus is not there)."""
    if not DECKS_JA.is_dir():
        return []
    return [judge(p.name, "ja", "adobe-japan1", p.read_text(encoding="utf-8"), pipeline.Config())
            for p in sorted((DECKS_JA / "raw").glob("*.txt"))]


def confusion(rows: list[Row]) -> str:
    labels = available_profiles() + [LEAVE]
    seen = sorted({r.stepped for r in rows} - set(labels))
    cols = labels + seen
    counts = Counter((r.truth, r.stepped) for r in rows)
    width = max(len(c) for c in cols + ["truth \\ chosen"])
    lines = ["truth \\ chosen".ljust(width) + "".join(f"  {c:>{len(c)}}" for c in cols) + "  decks"]
    for t in labels:
        n = sum(1 for r in rows if r.truth == t)
        if n:
            lines.append(t.ljust(width) + "".join(f"  {counts[(t, c)]:>{len(c)}}" for c in cols) + f"  {n:>5}")
    return "\n".join(lines)


def report(title: str, rows: list[Row], verbose: bool) -> None:
    wrong = [r for r in rows if r.wrong]
    split = sum(1 for r in rows if r.detected != r.stepped)
    print(f"{title}: {len(rows)} decks")
    print(confusion(rows))
    print(f"wrong: {len(wrong)} of {len(rows)} (by the cid step's stats: {sum(r.stepped != r.truth for r in rows)}, "
          f"by detect_collection: {sum(r.detected != r.truth for r in rows)}; the two differ on {split})")
    clean = [r for r in rows if r.truth == LEAVE]
    if clean:
        print(f"clean decks the pipeline changed anything in: {sum(1 for r in clean if r.changed)} of {len(clean)} "
              f"({sum(r.changed for r in clean)} slides)")
    by_lang = Counter(r.language for r in wrong)
    if by_lang:
        print("wrong by language: " + ", ".join(f"{k} {v}" for k, v in sorted(by_lang.items())))
    for r in wrong if verbose else []:
        print(f"  {r.name}: truth {r.truth}, detect_collection {r.detected}, cid step {r.stepped}, "
              f"slides changed {r.changed}")


def main() -> None:
    verbose = "--verbose" in sys.argv
    try:
        import pipeline.repair.collection  # noqa: F401
    except ImportError:
        sys.exit("no pipeline.repair.collection (detect_collection) in this checkout")
    report("simulated decks (project-written text)", run_simulated(), verbose)
    real = run_real()
    print()
    if real:
        report(f"real Japanese pages ({DECKS_JA})", real, True)
    else:
        print(f"no Japanese dev corpus at {DECKS_JA}")


if __name__ == "__main__":
    main()
