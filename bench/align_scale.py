#!/usr/bin/env python3
"""Alignment at scale: 1,000 decks against 10,000 notes sections, then against 20,000.

    python bench/align_scale.py [--decks 1000] [--sections 10000]

Synthetic but shaped like the real thing: paper titles are made from word pools, each
deck reviews four papers (an opening slide with the full title, then slides headed by a
short name), each deck's notes file has a section per paper (some headings short names,
some misspelt) among unrelated sections, and every other notes file is about other papers.
Prints the time per deck (the notes index is built once, outside that time) for the
sections as given and doubled, their ratio, and the share of paper slides aligned to the
right section. Doubling the sections must not double the time per deck: candidates come
from an index of heading keys, not from scoring every pair.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.align.aligner import Aligner  # noqa: E402
from pipeline.read.notes import read_notes  # noqa: E402
from pipeline.read.transcript import read_deck  # noqa: E402

ADJ = ("Deep Sparse Robust Efficient Scalable Neural Contrastive Generative Latent Hierarchical Recurrent "
       "Adaptive Federated Causal Bayesian Graph Implicit Stochastic Multimodal Unsupervised").split()
NOUN = ("Transformers Networks Embeddings Representations Models Attention Diffusion Retrieval Agents Policies "
        "Encoders Decoders Kernels Priors Features Tokenizers Optimizers Gradients Ensembles Memories").split()
TASK = ("Translation Recognition Segmentation Summarization Reasoning Detection Planning Compression Alignment "
        "Generation Tracking Parsing Ranking Forecasting Classification Captioning").split()
DOMAIN = "Speech Vision Language Video Music Robotics Tables Code Graphs Proteins Molecules Documents".split()
BODY = ["실험 결과가 좋았음", "모델 구조를 바꿈", "데이터를 많이 씀", "한계도 있음", "후속 연구가 많음",
        "학습이 빨라짐", "메모리를 줄임", "정확도가 오름", "비교 실험이 많음", "코드가 공개됨"]


def body(rng: random.Random) -> str:
    """A slide's body: two different remarks and a figure, so neighbouring slides differ."""
    a, b = rng.sample(BODY, 2)
    return f"{a}, {b} ({rng.randint(1, 99)}%)"


def make_title(rng: random.Random, k: int) -> tuple[str, str]:
    a, n, t, d = rng.choice(ADJ), rng.choice(NOUN), rng.choice(TASK), rng.choice(DOMAIN)
    short = f"{a[:2].upper()}{n[:2].upper()}{k % 97}"  # a model name the slides use as header
    return f"{short}: {a} {n} for {d} {t}", short


def corpus(n_decks: int, n_sections: int, seed: int = 0):
    rng = random.Random(seed)
    decks, notes, truth = [], [], []
    k = 0
    for d in range(n_decks):
        papers = []
        for _ in range(4):
            k += 1
            papers.append(make_title(rng, k))
        lines = ["Transcript"]
        n = 0
        expect = {}
        for title, short in papers:
            n += 1
            lines.append(f"  {n}. {title} Motivation {body(rng)}")
            expect[n] = title
            for part in ("Model", "Result"):
                n += 1
                lines.append(f"  {n}. {short} {part} {body(rng)}")
                expect[n] = title
        decks.append(("\n".join(lines), f"deck{d}.txt"))
        heads = []
        for i, (title, short) in enumerate(papers):
            head = [title, short, title.split(": ", 1)[1]][i % 3]
            heads.append((head, title))
        md = "\n".join(f"### {h}\n{body(rng)}\n" for h, _ in heads)
        notes.append((f"notes{d}.md", md))
        truth.append({n: next(h for h, t in heads if t == title) for n, title in expect.items()})
    # fill up with notes about other papers, ten sections a file
    made = 4 * n_decks
    f = 0
    while made < n_sections:
        md = []
        for _ in range(min(10, n_sections - made)):
            k += 1
            md.append(f"### {make_title(rng, k)[0]}\n{body(rng)}\n")
            made += 1
        notes.append((f"other{f}.md", "\n".join(md)))
        f += 1
    return decks, notes, truth


def run(decks, notes, truth) -> tuple[float, float, float]:
    t0 = time.perf_counter()
    aligner = Aligner([read_notes(text, name) for name, text in notes])
    index_time = time.perf_counter() - t0
    read = [read_deck(text, name) for text, name in decks]
    right = total = 0
    t0 = time.perf_counter()
    for deck, want in zip(read, truth):
        aligner.align(deck)
        for s in deck.slides:
            total += 1
            right += (s.alignment or {}).get("section") == want[s.number]
    per_deck = (time.perf_counter() - t0) / len(read)
    return per_deck, index_time, right / max(total, 1)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--decks", type=int, default=1000)
    ap.add_argument("--sections", type=int, default=10_000)
    a = ap.parse_args()
    decks, notes, truth = corpus(a.decks, a.sections)
    base, base_index, acc = run(decks, notes, truth)
    decks2, notes2, truth2 = corpus(a.decks, 2 * a.sections)
    double, double_index, acc2 = run(decks2, notes2, truth2)
    print(f"{a.decks} decks x {a.sections} sections: {base * 1000:.2f} ms per deck "
          f"(index {base_index:.2f} s), slides aligned right {acc:.3f}")
    print(f"{a.decks} decks x {2 * a.sections} sections: {double * 1000:.2f} ms per deck "
          f"(index {double_index:.2f} s), slides aligned right {acc2:.3f}")
    print(f"time per deck, doubled sections / sections: {double / base:.2f}")


if __name__ == "__main__":
    main()
