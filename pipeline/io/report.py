"""A review page for one deck: what was repaired, quarantined and aligned, side by side.

``render(records, notes_sections=…)`` returns one self-contained HTML page (no external
assets; fonts named with fallbacks the viewer has: the CJK fonts of each platform, then
the generic ``sans-serif``). At the top: counts per rule, quarantined spans, a strip with a
cell per slide coloured by the notes section it aligns to, and the sections left without
slides. Then a row per slide: the raw text and the clean text, each repaired span marked
by rule (its tooltip gives rule, before, after and margin), each quarantined span marked
with its reason, and the aligned section beside them.

Elements carry ``data-*`` attributes (``data-count-rule``, ``data-quarantined``,
``data-slide``, ``data-section``) so a browser test can read the counts back.
"""

from __future__ import annotations

import html
import json
from collections import Counter
from pathlib import Path
from typing import Iterable

FONTS = ('"Noto Sans KR", "Noto Sans CJK KR", "Apple SD Gothic Neo", "Malgun Gothic", "NanumGothic", '
         '"Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif')
PALETTE = ["#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1", "#ff9da7", "#9c755f",
           "#bab0ac"]
RULE_COLOURS = {"cid": "#dbeafe", "ftfy": "#fef3c7", "utf-8": "#fce7f3", "cp949": "#ede9fe", "hex": "#e0f2fe",
                "nfd": "#dcfce7"}

CSS = """
body { font-family: %(fonts)s; margin: 0; color: #1f2937; background: #f9fafb; }
header { padding: 16px 24px; background: #fff; border-bottom: 1px solid #e5e7eb; }
h1 { font-size: 20px; margin: 0 0 8px; } h2 { font-size: 15px; margin: 16px 0 6px; }
table.counts { border-collapse: collapse; font-size: 13px; } table.counts td { padding: 2px 10px 2px 0; }
.strip { display: flex; gap: 1px; margin: 8px 0; } .strip a { flex: 1; height: 18px; background: #e5e7eb; }
.legend span { display: inline-block; margin: 2px 10px 2px 0; font-size: 12px; }
.legend i { display: inline-block; width: 10px; height: 10px; margin-right: 4px; }
main { padding: 8px 24px 40px; }
.slide { display: grid; grid-template-columns: 60px 1fr 1fr 240px; gap: 12px; background: #fff;
         border: 1px solid #e5e7eb; border-radius: 6px; padding: 10px; margin: 8px 0; font-size: 14px; }
.num { font-weight: 600; color: #6b7280; } .raw, .clean { white-space: pre-wrap; word-break: break-word; }
.raw { color: #6b7280; } .label { font-size: 11px; color: #9ca3af; text-transform: uppercase; }
mark.r { border-radius: 3px; padding: 0 1px; } mark.q { background: #fecaca; outline: 1px dashed #dc2626; }
.section { font-size: 13px; border-left: 4px solid #e5e7eb; padding-left: 8px; }
.none { color: #9ca3af; }
""" % {"fonts": FONTS}


def _rule_colour(rule: str) -> str:
    for prefix, colour in RULE_COLOURS.items():
        if rule.startswith(prefix):
            return colour
    return "#e5e7eb"


def _marked(text: str, spans: list[tuple[int, int, str]]) -> str:
    """``text`` as HTML with spans (start, end, wrapped element's opening tag) marked."""
    out, pos = [], 0
    for start, end, tag in sorted(spans):
        out.append(html.escape(text[pos:start]))
        out.append(tag + html.escape(text[start:end]) + "</mark>")
        pos = end
    out.append(html.escape(text[pos:]))
    return "".join(out)


def _tip(r: dict) -> str:
    margin = f", margin {r['margin']}" if r.get("margin") is not None else ""
    return html.escape(f"{r['rule']}: {r['before']!r} → {r['after']!r}{margin}", quote=True)


def _slide_html(rec: dict, colour: dict[str, str], placeholder: str = "\ufffd") -> str:
    raw_spans, clean_spans = [], []
    changes = sorted([(r["start"], r["end"], r) for r in rec["repairs"]] +
                     [(q["start"], q["end"], q) for q in rec["quarantine"]], key=lambda c: c[0])
    shift = 0
    for start, end, ch in changes:
        if "rule" in ch:
            tag = f'<mark class="r" data-rule="{html.escape(ch["rule"])}" title="{_tip(ch)}" ' \
                  f'style="background:{_rule_colour(ch["rule"])}">'
            after = ch["after"]
        else:
            tag = f'<mark class="q" data-reason="{html.escape(ch["reason"])}" ' \
                  f'title="{html.escape("quarantined: " + ch["reason"] + " " + repr(ch["raw"]), quote=True)}">'
            after = placeholder
        raw_spans.append((start, end, tag))
        clean_spans.append((start + shift, start + shift + len(after), tag))
        shift += len(after) - (end - start)
    al = rec.get("alignment")
    if al:
        key = _key(rec)
        side = (f'<div class="section" style="border-color:{colour.get(key, "#e5e7eb")}" '
                f'data-section="{html.escape(key, quote=True)}"><div class="label">notes</div>'
                f'{html.escape(al["section"] or "(untitled)")}<br><small>{html.escape(al["notes"])} · '
                f'{html.escape(str(al.get("method", "")))} {al.get("score", "")}</small></div>')
    else:
        side = '<div class="section none"><div class="label">notes</div>no section</div>'
    text = rec["text"]
    return (f'<section class="slide" id="slide-{rec["slide"]}" data-slide="{rec["slide"]}">'
            f'<div class="num">{rec["slide"]}</div>'
            f'<div><div class="label">raw</div><div class="raw">{_marked(rec["raw"], raw_spans)}</div></div>'
            f'<div><div class="label">clean</div><div class="clean">{_marked(text, clean_spans)}</div></div>'
            f'{side}</section>')


def _key(rec: dict) -> str | None:
    al = rec.get("alignment")
    return f"{al['notes']}: {al['section']}" if al else None


def render(records: list[dict], notes_sections: Iterable[str] = (), title: str | None = None) -> str:
    """The page for one deck's records; ``notes_sections`` ("file: heading") are the sections
    of the notes used, so the ones without slides can be shown."""
    rules: Counter = Counter()
    reasons: Counter = Counter()
    for rec in records:
        rules.update(r["rule"] for r in rec["repairs"])
        reasons.update(q["reason"] for q in rec["quarantine"])
    aligned = [_key(r) for r in records if r.get("alignment")]
    keys = list(dict.fromkeys(aligned))
    colour = {k: PALETTE[i % len(PALETTE)] for i, k in enumerate(keys)}
    unused = [s for s in notes_sections if s not in set(aligned)]
    deck = records[0]["deck"] if records else "deck"
    counts = "".join(f'<tr><td>{html.escape(rule)}</td><td data-count-rule="{html.escape(rule)}">{n}</td></tr>'
                     for rule, n in sorted(rules.items()))
    qrows = "".join(f'<tr><td>{html.escape(reason)}</td><td data-count-reason="{html.escape(reason)}">{n}</td></tr>'
                    for reason, n in sorted(reasons.items()))
    cells = []
    for r in records:
        key = _key(r)
        name = (r.get("alignment") or {}).get("section") or "no section"
        cells.append(f'<a href="#slide-{r["slide"]}" title="slide {r["slide"]}: {html.escape(name, quote=True)}" '
                     f'style="background:{colour.get(key, "#e5e7eb")}"></a>')
    strip = "".join(cells)
    legend = "".join(f'<span><i style="background:{colour[k]}"></i>{html.escape(k)}</span>' for k in keys)
    unused_html = "".join(f'<li data-unused-section="{html.escape(s, quote=True)}">{html.escape(s)}</li>' for s in unused)
    body = "".join(_slide_html(r, colour) for r in records)
    return f"""<!DOCTYPE html>
<html lang="ko"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title or deck)} · clean-slides review</title><style>{CSS}</style></head>
<body><header><h1>{html.escape(title or deck)}</h1>
<div data-slides="{len(records)}" data-repairs="{sum(rules.values())}" data-quarantined="{sum(reasons.values())}"
 data-aligned="{len(aligned)}">{len(records)} slides · {sum(rules.values())} repairs ·
 {sum(reasons.values())} quarantined spans · {len(aligned)} slides aligned</div>
<h2>Repairs by rule</h2><table class="counts">{counts or '<tr><td class="none">none</td></tr>'}</table>
<h2>Quarantined spans</h2><table class="counts">{qrows or '<tr><td class="none">none</td></tr>'}</table>
<h2>Slides → notes sections</h2><div class="strip">{strip}</div><div class="legend">{legend}</div>
<h2>Notes sections without slides</h2><ul>{unused_html or '<li class="none">none</li>'}</ul>
</header><main>{body}</main></body></html>
"""


def read_records(path: str | Path) -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def sections_of(notes, records: list[dict]) -> list[str]:
    """"file: heading" for every titled section of the notes files the records align to."""
    used = {r["alignment"]["notes"] for r in records if r.get("alignment")}
    return [f"{n.name}: {sec.heading}" for n in notes if n.name in used for sec in n.sections if sec.heading]
