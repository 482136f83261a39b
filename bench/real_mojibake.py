"""Real Korean mojibake (../shared/devcorpus/mojibake): per kind and in total, samples exact,
samples correct, characters left wrong, wrong repairs, the character repair rate, texts made
worse and half-mended words.

    python bench/real_mojibake.py [--verbose] [--markdown]

Each sample's text goes through ``pipeline.clean_text`` whole (one text, one decision).
A sample is *exact* when the clean text equals the expected text, *correct* when it is
exact or every span the MANIFEST calls unrecoverable is quarantined (shown as U+FFFD, neighbouring
ones as one) or stands recovered, and the rest is exact. *Characters left wrong* is the edit distance to the expected text,
an unrecoverable span shown as one placeholder counting as right. A *wrong repair* is a
repair whose output is not in the expected text, a placeholder in it matching any one character (on a
negative sample, every repair).
The *character repair rate* is 1 - (characters left wrong) / (edit distance of the input to
the expected text), summed over the samples ("n/a" where the input was already right). A
text is *made worse* when its clean text is farther from the expected text than its input
was (on a negative, when it is changed at all, unless the change is the quarantine of its
unrecoverable spans that makes it correct). A *half-mended word* (a maximal run of
non-ASCII characters in the clean text: a Korean word, apart from the identifier or bracket
glued to it, as the bytes step reads words) holds a repaired character (from a repair's result) and a
placeholder: a quarantine's, one a repair left in its result, or a U+FFFD of the input left
as it was.
Not a speed benchmark; it needs the shared dev corpus beside the checkout.
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pipeline  # noqa: E402
from pipeline.evaluate import edit_distance  # noqa: E402

SAMPLES = ROOT.parent / "shared" / "devcorpus" / "mojibake"
_PLACEHOLDERS = re.compile("\ufffd+")


@dataclass
class Score:
    samples: int = 0
    exact: int = 0
    correct: int = 0
    wrong_chars: int = 0
    wrong_repairs: int = 0
    input_edits: int = 0  # edit distance of the input to the expected text
    worse: int = 0
    half_mended: int = 0
    failed: list[str] = field(default_factory=list)
    half_mended_words: dict[str, list[str]] = field(default_factory=dict)  # stem -> words

    def add(self, other: "Score") -> None:
        self.samples += other.samples
        self.exact += other.exact
        self.correct += other.correct
        self.wrong_chars += other.wrong_chars
        self.wrong_repairs += other.wrong_repairs
        self.input_edits += other.input_edits
        self.worse += other.worse
        self.half_mended += other.half_mended
        self.failed += other.failed
        self.half_mended_words |= other.half_mended_words

    @property
    def repair_rate(self) -> float | None:
        """1 - characters left wrong / the input's edit distance; None where it was 0."""
        return 1 - self.wrong_chars / self.input_edits if self.input_edits else None

    def rate_text(self) -> str:
        rate = self.repair_rate
        return "n/a" if rate is None else f"{rate:.4f}"


def kinds_of_manifest() -> list[tuple[str, str]]:
    """(stem prefix, kind) from the MANIFEST's "Count per kind" table, longest prefix first."""
    text = (SAMPLES / "MANIFEST.md").read_text(encoding="utf-8").split("## Count per kind")[1]
    pairs = []
    for kind, _n, stems in re.findall(r"^\| ([^|]+?) \| (\d+) \| ([^|]+?) \|$", text, re.M):
        pairs += [(stem.strip(), kind) for stem in stems.split(",")]
    return sorted(pairs, key=lambda p: -len(p[0]))


def kind_of(stem: str, manifest: list[tuple[str, str]]) -> str:
    return next((kind for prefix, kind in manifest if stem.startswith(prefix)), stem.split("_")[0])


def _stands_in(after: str, expected: str) -> bool:
    """Whether a repair's result stands in the expected text, a placeholder (a character the
    repair left lost) matching any one character."""
    if "\ufffd" not in after:
        return after in expected
    return re.search(".".join(map(re.escape, after.split("\ufffd"))), expected, re.S) is not None


def quarantine_pattern(expected: str, spans: list[str]) -> re.Pattern:
    """The expected text with each occurrence of an unrecoverable span either standing or
    quarantined: one placeholder, or nothing right after another placeholder (neighbouring
    quarantined spans show as one)."""
    if not spans:
        return re.compile(re.escape(expected), re.S)
    alternation = "|".join(map(re.escape, sorted(set(spans), key=len, reverse=True)))
    parts, pos = [], 0
    for m in re.finditer(alternation, expected):
        parts.append(re.escape(expected[pos:m.start()]))
        parts.append(f"(?:{re.escape(m.group())}|\ufffd|(?<=\ufffd))")
        pos = m.end()
    parts.append(re.escape(expected[pos:]))
    return re.compile("".join(parts), re.S)


# where a character of the clean text came from: raw text left as it was, a repair's result,
# a placeholder (a quarantine's, or one a repair left in its result for a character it lost)
RAW, REPAIRED, PLACEHOLDER = "raw", "repaired", "placeholder"


def origins(result: dict) -> list[tuple[str, str]]:
    """The clean text rebuilt from ``raw`` and the changes (``pipeline.clean_text``'s
    result, a quarantined span shown as one U+FFFD), as (character, origin) pairs."""
    raw = result["raw"]
    changes = [(r["start"], r["end"], r["after"]) for r in result["repairs"]]
    changes += [(q["start"], q["end"], None) for q in result["quarantine"]]
    out: list[tuple[str, str]] = []
    pos = 0
    for start, end, after in sorted(changes, key=lambda c: (c[0], c[1])):
        out += [(c, RAW) for c in raw[pos:start]]
        if after is None:
            out.append(("\ufffd", PLACEHOLDER))
        else:
            out += [(c, PLACEHOLDER if c == "\ufffd" else REPAIRED) for c in after]
        pos = end
    out += [(c, RAW) for c in raw[pos:]]
    if "".join(c for c, _ in out) != result["text"]:
        raise ValueError("the changes do not rebuild the clean text")
    return out


def half_mended_words(result: dict) -> list[str]:
    """Words of the clean text (maximal runs of non-ASCII characters) holding a repaired character
    and a U+FFFD: a placeholder, or one of the input left as it was."""
    chars = origins(result)
    words = []
    for m in re.finditer(r"[^\x00-\x7f]+", result["text"]):
        word = chars[m.start():m.end()]
        if any(o == REPAIRED for _, o in word) and any(c == "\ufffd" for c, _ in word):
            words.append(m.group())
    return words


def score_sample(stem: str, result: dict, want: dict) -> Score:
    text, expected = _PLACEHOLDERS.sub("\ufffd", result["text"]), want["expected"]
    spans = want.get("unrecoverable_spans") or []
    quarantined = expected
    for span in sorted(spans, key=len, reverse=True):
        quarantined = quarantined.replace(span, "\ufffd")
    quarantined = _PLACEHOLDERS.sub("\ufffd", quarantined)
    s = Score(samples=1)
    s.exact = int(result["text"] == expected)
    s.correct = int(s.exact or quarantine_pattern(expected, spans).fullmatch(text) is not None)
    s.wrong_chars = 0 if s.correct else min(edit_distance(text, expected), edit_distance(text, quarantined))
    negative = want["input"] == expected
    s.wrong_repairs = sum(1 for r in result["repairs"] if negative or not _stands_in(r["after"], expected))
    s.input_edits = edit_distance(want["input"], expected)
    # on a negative any change is worse; a text whose unrecoverable spans are its whole damage
    # (expected = input too) may be changed by quarantining them, as long as it stays correct
    s.worse = int(s.wrong_chars > s.input_edits or (negative and not s.correct and result["text"] != want["input"]))
    words = half_mended_words(result)
    s.half_mended = len(words)
    if words:
        s.half_mended_words[stem] = words
    if not s.correct:
        s.failed.append(stem)
    return s


def run(verbose: bool = False) -> dict[str, Score]:
    kinds: dict[str, Score] = {}
    manifest = kinds_of_manifest()
    for path in sorted((SAMPLES / "expected").glob("*.json")):
        want = json.loads(path.read_text(encoding="utf-8"))
        # the JSON's input, which its expected text was derived from (one raw/ file carries
        # four characters its JSON input does not)
        result = pipeline.clean_text(want["input"])
        s = score_sample(path.stem, result, want)
        kinds.setdefault(kind_of(path.stem, manifest), Score()).add(s)
        if verbose and (not s.correct or s.worse or s.half_mended):
            print(f"  {path.stem}: {s.wrong_chars} characters wrong (of {s.input_edits}), "
                  f"{s.wrong_repairs} wrong repairs{', made worse' if s.worse else ''}"
                  f"{f', {s.half_mended} half-mended words' if s.half_mended else ''}")
            for word in s.half_mended_words.get(path.stem, []):
                print(f"      half-mended: {word!r}")
    return kinds


def main() -> None:
    if not SAMPLES.is_dir():
        sys.exit(f"no mojibake dev corpus at {SAMPLES}")
    kinds = run("--verbose" in sys.argv)
    if "--markdown" in sys.argv:  # the table in docs/measurements.md
        print("| kind | samples | exact | correct | characters wrong | wrong repairs | repair rate | worse | half-mended |\n"
              "|---|---|---|---|---|---|---|---|---|")
        for kind, s in sorted(kinds.items()):
            print(f"| {kind} | {s.samples} | {s.exact} | {s.correct} | {s.wrong_chars} | {s.wrong_repairs} "
                  f"| {s.rate_text()} | {s.worse} | {s.half_mended} |")
        return
    width = max(map(len, kinds))
    print(f"{'kind':<{width}}  samples  exact  correct  chars wrong  wrong repairs  repair rate  worse  half-mended")
    total = Score()
    for kind, s in sorted(kinds.items()):
        print(f"{kind:<{width}}  {s.samples:>7}  {s.exact:>5}  {s.correct:>7}  {s.wrong_chars:>11}  {s.wrong_repairs:>13}"
              f"  {s.rate_text():>11}  {s.worse:>5}  {s.half_mended:>11}")
        total.add(s)
    neg = Score()
    for kind, s in kinds.items():
        if kind.startswith("negative"):
            neg.add(s)
    print(f"total: {total.samples} samples, {total.exact} exact, {total.correct} correct "
          f"({total.correct / total.samples:.0%}), {total.wrong_chars} characters wrong, "
          f"{total.wrong_repairs} wrong repairs ({neg.wrong_repairs} on negatives); character repair rate "
          f"{total.rate_text()} ({total.wrong_chars} edits left of {total.input_edits}), {total.worse} texts made worse "
          f"({neg.worse} negatives changed), {total.half_mended} half-mended words")


if __name__ == "__main__":
    main()
