"""A deck's PDF as input: each glyph's route to text, exact Korean where the font can be
mapped, unmapped glyphs quarantined, empty pages said so (PDFs made by tests/pdf_maker.py)."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

import pipeline
from pdf_maker import cids, no_text_pdf, truetype_subset, write_pdf
from pipeline.cli import main
from pipeline.models.cid_profile import load_profile
from pipeline.read.pdf import read_pdf

PAGES = ["배포 파이프라인, 다시 보기!", "목차: (1) 배경 (2) 결과", "감사합니다. 질문은 '언제든지' 환영!"]


def lines(text: str) -> list[list[int]]:
    return [cids(text)]


def records(pdf: bytes, config: pipeline.Config | None = None) -> list[dict]:
    return pipeline.clean_pdf(pdf, name="talk.pdf", config=config).records()


@pytest.mark.parametrize("ordering", ["Korea1", "Identity"])
def test_a_cid_font_without_tounicode_reads_exactly(ordering):
    """Adobe-Korea1 named, or Adobe-Identity-0 (Keynote) with CIDs in Adobe-Korea1's order read
    through the forced profile (under auto an Identity font's CIDs go to the CID step:
    tests/test_pdf_collections.py): every character exact, spaces and punctuation included."""
    recs = records(write_pdf([lines(p) for p in PAGES], ordering=ordering), pipeline.Config(profile="adobe-korea1"))
    assert [r["text"] for r in recs] == PAGES
    assert all(r["format"] if "format" in r else True for r in recs)
    for r in recs:
        assert {x["rule"] for x in r["repairs"]} == {"cid-collection"} and not r["quarantine"]
        assert r["raw"].startswith("(cid:") and r["repairs"][0]["before"] == r["raw"][:len(r["repairs"][0]["before"])]


def test_one_cid_is_one_character_on_both_routes():
    """A font naming Adobe-Korea1 and an Adobe-Identity-0 font with Adobe-Korea1 CIDs read
    through the one profile: CID 104 is the Korean middle dot U+00B7 (CP949's A1A4) on both,
    and so is every symbol CID whose character pdfminer.six's own map of the collection gives
    otherwise."""
    prof = load_profile()
    line = [104, *cids("가나"), 104, *cids("다"), 109, 110, 111, 113, 176, 177, 200, 210, 227, *cids("끝")]
    want = "".join(prof.decode_char(chr(c)) for c in line)
    assert want.startswith("\u00b7가나\u00b7다")
    for ordering in ("Korea1", "Identity"):
        (slide,) = read_pdf(write_pdf([[line]], ordering=ordering)).slides
        assert slide.text() == want, ordering
        assert {r.rule for r in slide.repairs} == {"cid-collection"} and not slide.quarantine


def test_a_truetype_subset_is_read_through_its_cmap():
    font, gids = truetype_subset(PAGES[0])
    recs = records(write_pdf([[gids]], ordering="Identity", subtype="CIDFontType2", font_file=font))
    assert recs[0]["text"] == PAGES[0] and {x["rule"] for x in recs[0]["repairs"]} == {"font-cmap"}


def test_a_renumbered_subset_without_cmap_is_quarantined_with_its_glyph_ids():
    pages = []
    for p in PAGES[:2]:
        font, gids = truetype_subset(p, keep_cmap=False)
        pages.append(write_pdf([[gids]], ordering="Identity", subtype="CIDFontType2", font_file=font))
    for pdf in pages:
        rec = records(pdf)[0]
        assert rec["repairs"] == [] and rec["quarantine"]
        assert all(q["reason"] == "unmapped-glyph" and q["raw"].startswith("(gid:") for q in rec["quarantine"])
        assert "(cid:" not in rec["raw"]  # glyph ids are never read as a collection's CIDs
        assert set(rec["text"]) <= {"\ufffd", " "}


def test_a_wrong_tounicode_map_is_mended_by_the_text_stages():
    """A ToUnicode map that gives each syllable's UTF-8 bytes read as cp1252 (mojibake made
    when the map was written): the map is used as is, then the mojibake is undone."""
    text = "안녕 하세요 여러분"
    codes = cids(text)
    wrong = {c: ch.encode("utf-8").decode("cp1252", "replace") for c, ch in zip(codes, text)}
    rec = records(write_pdf([[codes]], tounicode=wrong))[0]
    assert rec["text"] == text


def test_a_right_tounicode_map_is_used_as_is():
    text = "오늘 발표"
    codes = cids(text)
    rec = records(write_pdf([[codes]], tounicode=dict(zip(codes, text))))[0]
    assert rec["text"] == text and {x["rule"] for x in rec["repairs"]} == {"tounicode"}


def test_a_pdf_without_text_gives_empty_records_and_says_so(tmp_path):
    pdf = tmp_path / "scan.pdf"
    pdf.write_bytes(no_text_pdf())
    out = tmp_path / "scan.jsonl"
    res = CliRunner().invoke(main, [str(pdf), "-o", str(out)])
    assert res.exit_code == 0, res.output
    recs = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert [r["text"] for r in recs] == [""] and "no text in the PDF" in res.output


def test_the_cli_and_batch_know_a_pdf_by_its_content(tmp_path):
    pdf = write_pdf([lines(p) for p in PAGES], ordering="Identity", title="배포 이야기", author="Yoon")
    src = tmp_path / "deck.txt"  # a PDF whatever its name says
    src.write_bytes(pdf)
    out = tmp_path / "out.jsonl"
    res = CliRunner().invoke(main, [str(src), "-o", str(out), "--summary"])
    assert res.exit_code == 0, res.output
    recs = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert [r["text"] for r in recs] == PAGES and [r["slide"] for r in recs] == [1, 2, 3]
    summary = json.loads(res.output.strip().splitlines()[-1])
    assert summary["format"] == "pdf" and summary["title"] == "배포 이야기" and summary["author"] == "Yoon"
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.pdf").write_bytes(pdf)
    res = CliRunner().invoke(main, ["batch", str(folder), "-o", str(tmp_path / "many"), "--jobs", "1", "--no-progress"])
    assert res.exit_code == 0, res.output
    batch = [json.loads(x) for x in (tmp_path / "many" / "a.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [r["text"] for r in batch] == PAGES


def test_notes_align_with_a_pdf_deck_as_with_a_transcript():
    """The sample deployment talk as a PDF (its characters Adobe-Korea1 has), aligned with the
    speaker's script: the same sections as its transcript gets."""
    from paths import ROOT

    src = ROOT / "samples" / "align" / "src" / "talk_deploy_ko.slides.txt"
    from pipeline.models.cid_profile import load_profile

    prof = load_profile()
    slides = [" ".join(x.strip() for x in b.splitlines() if x.strip())
              for b in src.read_text(encoding="utf-8").split("\n---\n") if b.strip()]
    pages = [[cids("".join(c for c in s if prof.cid_of(c) is not None))] for s in slides]
    notes = ROOT / "samples" / "align" / "notes" / "deploy_script.md"
    deck = pipeline.clean_pdf(write_pdf(pages), name="talk.pdf", notes=[notes])
    gold = json.loads((ROOT / "samples" / "align" / "golden.json").read_text(encoding="utf-8"))
    want = gold["talk_deploy_ko.txt"]["deploy_script.md"]
    got = {str(s.number): s.alignment["section"] for s in deck.slides if s.alignment}
    transcript = pipeline.clean_deck((ROOT / "samples" / "align" / "talk_deploy_ko.txt").read_text(encoding="utf-8"),
                                     name="talk_deploy_ko.txt", notes=[notes])
    as_transcript = {str(s.number): s.alignment["section"] for s in transcript.slides if s.alignment}
    right = sum(1 for k, v in got.items() if want.get(k) == v)
    print(f"PDF of the deployment talk: {right} of {sum(v is not None for v in want.values())} slides right, {len(got)} aligned")
    assert got == as_transcript  # the same sections as its transcript gets
    assert right == sum(v is not None for v in want.values())  # 14 of 14 (and the diagram slide on GitOps)


def _encrypted(pdf: bytes) -> bytes:
    import io

    pikepdf = pytest.importorskip("pikepdf")
    out = io.BytesIO()
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        doc.save(out, encryption=pikepdf.Encryption(owner="owner", user="secret", R=6))
    return out.getvalue()


@pytest.mark.parametrize("kind", ["truncated", "malformed", "encrypted"])
def test_a_pdf_that_cannot_be_read_is_one_clear_line(tmp_path, kind):
    pdf = write_pdf([lines(p) for p in PAGES])
    data = {"truncated": pdf[: len(pdf) // 3], "malformed": b"%PDF-1.7\n" + bytes(range(256)) * 40,
            "encrypted": _encrypted(pdf) if kind == "encrypted" else b""}[kind]
    src = tmp_path / "talk.pdf"
    src.write_bytes(data)
    out = tmp_path / "talk.jsonl"
    res = CliRunner().invoke(main, [str(src), "-o", str(out)])
    assert res.exit_code == 2 and res.exc_info[0] is SystemExit, res.output
    assert "Traceback" not in res.output and str(src) in res.output and not out.exists()
    if kind == "encrypted":
        assert "password" in res.output
    with pytest.raises(ValueError):
        pipeline.clean_pdf(data)
