#!/usr/bin/env python3
"""Alignment on simulated talks and the kinds of notes people write about them.

    python bench/align_kinds_sim.py [--talks 40] [--seed 0]

Each talk is a run of topics; a topic has its own terms (made-up Hangul words and Latin
identifiers) and shares the field's generic words with every other talk. The deck has a
title slide, an agenda, one to three slides per topic (a build-up repeats the slide before
it, a section slide shows only the topic's title), a diagram slide of names, and a
thanks slide. Four kinds of notes are written about it, each with another talk's notes of
the same kind beside it as a distractor:

- ``script``: the speaker's script, a document title then one section per slide;
- ``recap``: a blog recap, a section per topic, some topics skipped, spacing changed;
- ``day``: a day of conference notes, the talk one part (its topics as sub-sections) among
  two other talks;
- ``plain``: the recap saved as plain text, headings as short lines standing alone.

Prints, per kind, the slides with a gold answer, those aligned right (the gold section, or
none where the gold is none) and those aligned to the distractor. Synthetic: a check of the
model on every kind at once, beside the real cases (``bench/real_alignment.py``).
"""

from __future__ import annotations

import argparse
import random
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pipeline  # noqa: E402

SYLLABLES = "가나다라마바사아자차카타파하거너더러머버서어저처커터퍼허고노도로모보소오조초코토포호구누두루무부수우주추쿠투푸후"
GENERIC = ("서비스 배포 데이터 모델 성능 개선 구조 운영 테스트 결과 문제 방법 시스템 사용자 개발 도입 "
           "환경 서버 과정 정리").split()
LATIN = "Kafka Redis Spark Argo Vault Istio Flink Ray Helm Loki Envoy Nats".split()


def word(rng: random.Random, n: int) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(n))


def talk(rng: random.Random, k: int) -> dict:
    topics = []
    for t in range(rng.randint(4, 6)):
        terms = [word(rng, rng.choice((2, 3))) for _ in range(4)] + [rng.choice(LATIN) + word(rng, 1).upper()]
        title = f"{terms[0]} {rng.choice(GENERIC)} {terms[1]}"
        topics.append({"title": title, "terms": terms})
    return {"title": f"{word(rng, 3)} 팀의 {rng.choice(GENERIC)} {word(rng, 2)} 이야기 {k}", "topics": topics}


def sentence(rng: random.Random, terms: list[str]) -> str:
    picked = rng.sample(terms, 2) + rng.sample(GENERIC, 2)
    rng.shuffle(picked)
    return " ".join(picked) + "."


def deck_of(rng: random.Random, t: dict) -> tuple[list[str], list[int | None]]:
    """Slides and, per slide, the topic it is about (None: the talk's frame)."""
    slides = [f"{t['title']} 발표자 {word(rng, 3)}", "목차 " + " ".join(x["title"] for x in t["topics"])]
    about: list[int | None] = [-1, -2]  # -1: the title slide, -2: the agenda
    for k, topic in enumerate(t["topics"]):
        if rng.random() < 0.3:  # a section slide: the title alone
            slides.append(topic["title"])
            about.append(k)
        body = f"{topic['title']} " + " ".join(sentence(rng, topic["terms"]) for _ in range(2))
        slides.append(body)
        about.append(k)
        if rng.random() < 0.3:  # a build-up: the same slide with one line more
            slides.append(body + " " + sentence(rng, topic["terms"]))
            about.append(k)
    slides.insert(len(slides) // 2, " → ".join(rng.sample(LATIN, 4)))  # a diagram of names
    about.insert(len(about) // 2, None)
    slides.append("감사합니다 질문 받겠습니다")
    about.append(None)
    return slides, about


def notes_of(kind: str, rng: random.Random, t: dict, slides: list[str], about: list, others: list[dict]):
    """(notes text, per slide the gold section heading or None)."""
    topics = t["topics"]
    if kind == "script":
        lines, gold = [f"# {t['title']} 발표 대본", ""], []
        for n, (text, k) in enumerate(zip(slides, about), 1):
            if k is None:  # the script leaves out the diagram and the thanks
                gold.append(None)
                continue
            head = f"슬라이드 {n} — " + (t["title"] if k == -1 else "목차" if k == -2 else topics[k]["title"])
            say = t["title"] + " 소개" if k == -1 else " ".join(x["title"] for x in topics) if k == -2 \
                else " ".join(sentence(rng, topics[k]["terms"]) for _ in range(2))
            lines += [f"## {head}", say, ""]
            gold.append(head)
        return "\n".join(lines), gold
    skipped = {k for k in range(len(topics)) if rng.random() < 0.25}
    recap = [f"# {t['title']}", "- [발표 영상](https://example.com/v)", ""]
    for k, topic in enumerate(topics):
        if k in skipped:
            continue
        glued = topic["title"].replace(" ", "") if rng.random() < 0.5 else topic["title"]
        recap += [f"## {glued}", " ".join(sentence(rng, topic["terms"]) for _ in range(3)), ""]
    heading_of = {k: (topic["title"].replace(" ", "") if f"## {topic['title'].replace(' ', '')}" in recap
                      else topic["title"]) for k, topic in enumerate(topics) if k not in skipped}
    gold = [t["title"] if k == -1 else heading_of.get(k) if isinstance(k, int) and k >= 0 else None for k in about]
    if kind == "recap":
        return "\n".join(recap), gold
    if kind == "plain":
        body = "\n".join(("\n" + x[3:] + "\n") if x.startswith("## ") else x for x in recap[3:])
        return t["title"] + "\n\n" + "발표를 듣고 정리한 글이다. " * 3 + "\n" + body, gold  # the title line heads it
    day = ["# 컨퍼런스 하루 기록", ""]
    order = [others[0], t, others[1]]
    for talk_ in order:
        day += [f"## {talk_['title']}", f"{talk_['title']} 발표를 들었다.", ""]
        for k, topic in enumerate(talk_["topics"]):
            if talk_ is t and k in skipped:
                continue
            day += [f"### {topic['title']}", " ".join(sentence(rng, topic["terms"]) for _ in range(2)), ""]
    gold = [t["title"] if k == -1 else topics[k]["title"] if isinstance(k, int) and k >= 0 and k not in skipped
            else None for k in about]
    return "\n".join(day), gold


def run(talks: int, seed: int) -> dict[str, Counter]:
    rng = random.Random(seed)
    made = [talk(rng, k) for k in range(talks + 2)]
    out: dict[str, Counter] = {}
    for kind in ("script", "recap", "day", "plain"):
        score: Counter = Counter()
        for k in range(talks):
            t, other = made[k], made[(k + 1) % talks]
            slides, about = deck_of(rng, t)
            text, gold = notes_of(kind, rng, t, slides, about, [made[talks], made[talks + 1]])
            o_slides, o_about = deck_of(rng, other)
            distractor, _ = notes_of(kind, rng, other, o_slides, o_about, [made[talks], made[talks + 1]])
            deck = "Transcript\n" + "".join(f"  {n}. {s}\n" for n, s in enumerate(slides, 1))
            cleaned = pipeline.clean_deck(deck, name=f"talk{k}.txt",
                                          notes=[(f"{kind}.md", text), (f"other_{kind}.md", distractor)])
            for slide, want in zip(cleaned.slides, gold):
                a = slide.alignment
                got = a["section"] if a and a["notes"] == f"{kind}.md" else None
                score["slides"] += 1
                score["right"] += got == want
                score["to_distractor"] += bool(a and a["notes"] != f"{kind}.md")
        out[kind] = score
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--talks", type=int, default=40)
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args()
    print("| kind | slides | right | share | to distractor |")
    print("|---|---|---|---|---|")
    for kind, s in run(a.talks, a.seed).items():
        print(f"| {kind} | {s['slides']} | {s['right']} | {s['right'] / max(s['slides'], 1):.3f} | {s['to_distractor']} |")


if __name__ == "__main__":
    main()
