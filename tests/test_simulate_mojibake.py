"""The grid of code-page mojibake (pipeline.simulate.mojibake_kinds): the kinds, their names,
the real-world forms they give, and ``determinable``. No pipeline runs here (bench/mojibake_grid.py)."""

from __future__ import annotations

import re

import pytest

from pipeline.models import codepages
from pipeline.models.codepages import Step, chain_name, garble, parse_chain
from pipeline.simulate import (
    MOJIBAKE_PARAGRAPHS,
    MOJIBAKE_SOURCE,
    determinable,
    mojibake,
    mojibake_kinds,
    ms949_qmarks,
)

KINDS = list(mojibake_kinds())
BY_NAME = {k.name: k for k in KINDS}
STRICT = "strict steps"  # a step with no loss raises where an undefined byte is hit


def strict(chain) -> bool:
    return any(s.loss is None for s in chain)


def test_source_is_korean_prose_cp949_can_save():
    assert 600 <= len(MOJIBAKE_SOURCE) <= 1000
    assert len(MOJIBAKE_PARAGRAPHS) >= 3 and all(MOJIBAKE_PARAGRAPHS)
    MOJIBAKE_SOURCE.encode("cp949")  # strict: the EUC-KR kinds lose nothing on saving
    hangul = {c for c in MOJIBAKE_SOURCE if "가" <= c <= "힣"}
    assert len(hangul) >= 150
    head = "\n".join(MOJIBAKE_PARAGRAPHS[:2])  # what the bench takes by default
    assert re.search("[A-Za-z]{4}", head) and re.search("[0-9]", head) and "“" in head
    assert any(c.encode("cp949")[1] < 0x80 for c in head if "가" <= c <= "힣"), "a UHC pair"


def test_names_are_unique_and_round_trip():
    assert len(BY_NAME) == len(KINDS) > 300
    for k in KINDS:
        assert k.name == chain_name(k.chain)
        assert parse_chain(k.name) == k.chain, k.name
        assert all(isinstance(s, Step) for s in k.chain)
        assert 1 <= len(k.chain) <= codepages.MAX_CHAIN


def test_one_step_kinds_cover_every_page_encoding_loss_and_cleanup():
    for p in codepages.pages():
        for enc in codepages.ENCODINGS:
            if enc == p.name:  # documented skip: no damage
                assert f"{enc}>{p.name}" not in BY_NAME
                continue
            for loss in (None, *p.losses):
                base = f"{enc}>{p.name}" + (f"/{loss}" if loss else "")
                assert base in BY_NAME
                for after in p.after:
                    assert f"{base}+{after}" in BY_NAME


def test_real_chains_are_there():
    for name in ("utf-8>cp1252/c1|cp949>latin-1", "utf-8>cp1252/dropped|utf-8>cp1252/dropped|cp949>iso-8859-7/fallback",
                 "cp949>cp1253/dropped|utf-8>cp949/qmark", "cp949>mac-roman|utf-8>cp949/qmark",
                 "cp949>cp1252/fffd|utf-8>cp949/qmark", "cp949>utf-8/fffd", "utf-8>cp949/fffd|cp949>utf-8/fffd",
                 "cp949>gbk/fffd", "cp949>big5/qmark", "cp949>shift-jis/fffd"):
        assert name in BY_NAME, name
    assert max(len(k.chain) for k in mojibake_kinds(max_chain=2)) == 2
    assert {k.name for k in mojibake_kinds(max_chain=1)} == {k.name for k in KINDS if len(k.chain) == 1}


def test_every_kind_garbles_the_source():
    """Only a kind with a strict step (no loss) may fail, and only with UnicodeError; the rest
    garble every paragraph and change it."""
    failing = set()
    for k in KINDS:
        for text in MOJIBAKE_PARAGRAPHS:
            try:
                out = garble(text, k.chain)
            except UnicodeError:
                assert strict(k.chain), k.name
                failing.add(k.name)
                continue
            assert out != text, k.name
    assert "utf-8>cp1252" in failing and "cp949>utf-8" in failing
    assert len(failing) < len(KINDS) / 4


def test_known_real_world_forms():
    assert garble("안녕하세요", BY_NAME["cp949>latin-1"].chain) == "¾È³çÇÏ¼¼¿ä"
    assert garble("자료", BY_NAME["utf-8>cp1252/dropped"].chain) == "ìžë£Œ"
    assert garble("자료", BY_NAME["utf-8>cp1252/c1"].chain) == "ìž\x90ë£Œ"
    out = garble(MOJIBAKE_SOURCE, BY_NAME["utf-8>cp949/fffd|cp949>utf-8/fffd"].chain)
    assert out.startswith("占쏙옙") and "占쏙옙" * 3 in out
    qm = garble("오늘 발표 자료", BY_NAME["utf-8>cp949/qmark"].chain)
    assert "?" in qm and qm == ms949_qmarks("오늘 발표 자료".encode("utf-8"))
    assert "\ufffd" in garble("자료", BY_NAME["cp949>utf-8/fffd"].chain)


@pytest.mark.parametrize("old, new", [
    ("euc-kr-as-latin-1", "cp949>latin-1"),
    ("euc-kr-as-cp1252", "cp949>cp1252/c1"),
    ("utf-8-as-cp1252", "utf-8>cp1252/c1"),
    ("utf-8-as-cp1252-dropped", "utf-8>cp1252/dropped"),
    ("utf-8-as-cp1252-nbsp-space", "utf-8>cp1252/c1+nbsp-space"),
    ("utf-8-as-cp1251-fffd", "utf-8>cp1251/fffd"),
    ("utf-8-as-cp949", "utf-8>cp949/fffd"),
    ("utf-8-as-cp949-qmarks", "utf-8>cp949/qmark"),
    ("utf-8-as-cp949-qmarks-as-cp1253", "cp949>cp1253/dropped|utf-8>cp949/qmark"),
    ("chain-2", "utf-8>cp1252/c1|cp949>latin-1"),
    ("chain-3", "utf-8>cp1252/c1|utf-8>cp1252/c1|cp949>iso-8859-7/fallback"),
])
def test_grid_kinds_give_the_named_kinds_of_simulate(old, new):
    """The grid's chains give what ``simulate.MOJIBAKE``'s hand-written kinds give (not
    ``utf-8-as-latin-1-c1-dropped``: the table's controls-stripped makes NEL a space)."""
    for text in MOJIBAKE_PARAGRAPHS:
        assert garble(text, BY_NAME[new].chain) == mojibake(text, old), (old, new)


@pytest.mark.parametrize("name", ["cp949>latin-1", "utf-8>latin-1", "utf-8>cp1252/c1", "utf-8>cp1253/fallback",
                                  "cp949>koi8-r", "utf-8>cp1252/c1|cp949>latin-1",
                                  "utf-8>cp1252/c1|utf-8>cp1252/c1|cp949>iso-8859-7/fallback"])
def test_determinable_lossless(name):
    assert all(determinable(t, BY_NAME[name].chain) for t in MOJIBAKE_PARAGRAPHS)


@pytest.mark.parametrize("name", ["utf-8>cp1252/dropped", "utf-8>cp1252/fffd", "utf-8>cp1252/qmark",
                                  "utf-8>cp1252/c1+nbsp-space", "utf-8>latin-1+controls-stripped",
                                  "cp949>utf-8/fffd", "utf-8>cp949/fffd|cp949>utf-8/fffd", "utf-8>cp949/qmark",
                                  "cp949>cp1253/dropped|utf-8>cp949/qmark", "utf-8>cp1252/dropped|cp949>latin-1"])
def test_determinable_lossy(name):
    assert not any(determinable(t, BY_NAME[name].chain) for t in MOJIBAKE_PARAGRAPHS)


def test_determinable_depends_on_the_text_and_raises_where_no_garble():
    chain = parse_chain("utf-8>cp1252/dropped")
    assert determinable("안녕", chain) and not determinable("자료", chain)
    with pytest.raises(UnicodeError):
        determinable("자료", parse_chain("utf-8>cp1252"))


def _lossless(step: Step) -> Step:
    if step.loss in ("dropped", "fffd", "qmark"):
        step = step._replace(loss="c1" if codepages.page(step.page).kind == "single" else None)
    return step._replace(after=())


def test_determinable_cells_equal_their_lossless_chain():
    """Over the whole grid: a determinable cell's garble is what the chain gives with every
    lossy loss made lossless (c1, or strict) and no clean-ups; and no cell that produced a
    U+FFFD or dropped a byte is determinable."""
    yes = no = 0
    for k in KINDS:
        lossless = tuple(map(_lossless, k.chain))
        for text in MOJIBAKE_PARAGRAPHS:
            try:
                out = garble(text, k.chain)
            except UnicodeError:
                continue
            if determinable(text, k.chain):
                yes += 1
                assert garble(text, lossless) == out, k.name
                assert "\ufffd" not in out
            else:
                no += 1
    assert yes > 100 and no > 100
