"""The language models the CID reader uses: one interface for Korean, Japanese and Chinese."""

from __future__ import annotations

import math
import os
import pickle
import random
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.models.chinese_lm import big5_class, gb_class, load_chinese_lm
from pipeline.models.cid_profile import load_profile
from pipeline.models.japanese_lm import NO_SUDACHI, jis_class, load_japanese_lm, sudachi_available
from pipeline.models.korean_lm import load_korean_lm
from pipeline.models.language import LANGUAGES, load_language_model

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
PROFILES = {"ko": "adobe-korea1", "ja": "adobe-japan1", "zh-Hans": "adobe-gb1", "zh-Hant": "adobe-cns1"}
LETTER = {"ko": "가", "ja": "の", "zh-Hans": "的", "zh-Hant": "們"}
needs_sudachi = pytest.mark.skipif(not sudachi_available(), reason="sudachipy or sudachidict_core missing")


def heldout(language: str) -> str:
    if language == "ja":
        return (DATA / "japanese_heldout.txt").read_text(encoding="utf-8")
    out, section = [], None
    for line in (DATA / "chinese_heldout.txt").read_text(encoding="utf-8").splitlines():
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1]
        elif section == language:
            out.append(line)
    return "\n".join(out)


# -- interface ---------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_interface(language):
    lm = load_language_model(language)
    assert lm.language == language
    assert isinstance(lm.has_morphology, bool)
    ch = LETTER[language]
    assert lm.is_letter(ch) and not lm.is_letter(" ") and not lm.is_letter("A") and not lm.is_letter("、")
    # extend is static and keeps the last two symbols; START opens, END closes
    state = type(lm).extend("^", ch)
    assert state == "^" + ch and type(lm).extend(state, ch) == ch + ch
    assert any(isinstance(k.__dict__.get("extend"), staticmethod) for k in type(lm).__mro__)
    lp = lm.logp("^", ch)
    assert -30 < lp < 0 and lm.logp("^", ch) == lp  # memoized, same value
    assert -30 < lm.logp(state, "$") < 0
    lp_seg, good = lm.segment(ch * 2, word_start=True)
    assert isinstance(lp_seg, float) and isinstance(good, bool)
    assert lm.score("abc 123") == float("-inf")
    assert lm.score(ch) == pytest.approx((lm.logp("^", ch) + lm.logp(state, "$")) / 2)
    assert -30 < lm.char_logp(ch) < 0
    assert load_language_model(language) is lm


def test_unknown_language():
    with pytest.raises(ValueError):
        load_language_model("fr")


def test_korean_keeps_its_scores():
    k = load_korean_lm()
    assert (k.language, k.has_morphology) == ("ko", True)
    assert k.score("세션들을") == pytest.approx(-4.739999997615814)
    assert k.score("만들어 드리겠습니다") == pytest.approx(-3.8474545405690814)
    assert k.is_letter("힣") and not k.is_letter("ㄱ")
    assert k.char_logp("이") > k.char_logp("뷁") and k.char_logp("x") == k.floor


# -- Japanese ------------------------------------------------------------------------------


@pytest.mark.parametrize("right,wrong", [
    ("運用してみてどうだったか", "運用てしみてどうだったか"),
    ("しました", "しまたし"),
    ("した", "たし"),
    ("ました", "またし"),
    ("運用してます", "運用てします"),
    ("使ってます", "使てっます"),
    ("ありがとうございました", "ありがとうございまたし"),
    # に, not ＝ (which would end the run), between a noun and a verb
    ("画面に表示します", "画面＝表示します"),
    ("本番に反映します", "本番＝反映します"),
    ("会議に参加する", "会議＝参加する"),
])
def test_japanese_orderings(right, wrong):
    lm = load_japanese_lm(sudachi=False)
    assert lm.score(right) > lm.score(wrong)


def test_japanese_letters_and_classes():
    lm = load_japanese_lm(sudachi=False)
    for ch in "あンー々漢ヶ":
        assert lm.is_letter(ch), ch
    for ch in "・、。＝ｱA1":
        assert not lm.is_letter(ch), ch
    assert [jis_class(c) for c in "の亜弌丂"] == ["kana", "jis1", "jis2", "kanji"]
    # an unseen kanji of level 1 beats one of level 2, which beats one outside JIS X 0208
    assert lm.floor("亜") > lm.floor("弌") > lm.floor("丂")


def test_sudachi_off():
    lm = load_japanese_lm(sudachi=False)
    assert lm.has_morphology is False
    assert lm.segment("てします") == (0.0, True) == lm.segment("してます", word_start=True)


def test_sudachi_forced_off_by_environment():
    env = dict(os.environ, **{NO_SUDACHI: "1"})
    out = subprocess.run([sys.executable, "-c", "from pipeline.models.language import load_language_model as l;"
                          "m = l('ja'); print(m.has_morphology, m.segment('てします'))"],
                         cwd=ROOT, env=env, capture_output=True, text=True, check=True).stdout
    assert out.split("\n")[0] == "False (0.0, True)"


@needs_sudachi
def test_sudachi_on():
    lm = load_japanese_lm(sudachi=True)
    assert lm.has_morphology is True and load_language_model("ja").has_morphology is True
    right, good = lm.segment("してます")
    wrong, _ = lm.segment("てします")
    assert good and right > wrong  # what the trigram alone gets wrong on this short run
    assert lm.segment("運用してみてどうだったか")[0] > lm.segment("運用てしみてどうだったか")[0]
    assert lm.segment("運用してます") == lm.segment("運用してます")  # memoized, deterministic
    assert lm.segment("にします", word_start=True)[1] is False  # a particle cannot open a word
    assert lm.segment("にします")[1] is True
    # the trigram is the same with or without sudachi
    assert lm.score("運用してます") == load_japanese_lm(sudachi=False).score("運用してます")


# -- Chinese -------------------------------------------------------------------------------


def test_chinese_orderings_and_classes():
    hans, hant = load_chinese_lm("zh-Hans"), load_chinese_lm("zh-Hant")
    assert hans.has_morphology is False and hans.segment("系统") == (0.0, True)
    assert hans.score("我们的系统") > hans.score("统们系的我")
    assert hans.score("数据平台") > hans.score("台平据数")
    assert hant.score("我們的系統") > hant.score("我们的系统")
    assert hans.score("我们的系统") > hans.score("我們的系統")
    assert [gb_class(c) for c in "啊亍們"] == ["gb1", "gb2", "hanzi"]
    assert [big5_class(c) for c in "一乂们"] == ["big5-common", "big5-rare", "hanzi"]
    assert hans.floor("啊") > hans.floor("亍") > hans.floor("\U00020000")
    assert hant.char_logp("們") > hant.char_logp("乂")
    with pytest.raises(ValueError):
        load_chinese_lm("zh-HK")


# -- which collection explains a deck ----------------------------------------------------------


@pytest.mark.parametrize("language", ["ja", "zh-Hans", "zh-Hant"])
def test_char_logp_separates_text_from_random_letters(language):
    lm = load_language_model(language)
    p = load_profile(PROFILES[language])
    text = [c for c in heldout(language) if lm.is_letter(c)]
    assert len(text) > 150
    real = sum(map(lm.char_logp, text)) / len(text)
    letters = sorted(cid for cid, cls in p.cid_class.items() if cls in p.letters and cid in p.to_char)
    rng = random.Random(1)
    rand = sum(lm.char_logp(p.to_char[rng.choice(letters)]) for _ in range(3000)) / 3000
    null = -math.log(len(letters))
    assert real > null + 2.5 > rand + 2.5
    # the same text garbled in its collection and read through Adobe-Korea1 looks random
    ko = load_profile("adobe-korea1")
    dec = [ko.decode_char(g) for c in text if (g := p.encode_char(c)) and ko.is_letter(g)]
    kl = load_korean_lm()
    assert sum(map(kl.char_logp, dec)) / len(dec) < -9.32 + 1  # about log(1/N) of Korea1's letters


def test_japanese_read_as_korean_letters_is_unlikely():
    """Korean text decoded under Adobe-Japan1 has a mean far below Japanese text."""
    ja, ko = load_profile("adobe-japan1"), load_profile("adobe-korea1")
    lm = load_japanese_lm(sudachi=False)
    korean = "오늘은 저희 팀이 지난 일 년 동안 해 온 일을 소개하려고 합니다"
    dec = [ja.decode_char(g) for c in korean if (g := ko.encode_char(c)) and ja.is_letter(g)]
    wrong = sum(map(lm.char_logp, dec)) / len(dec)
    right = [c for c in heldout("ja") if lm.is_letter(c)]
    assert sum(map(lm.char_logp, right)) / len(right) > wrong + 4


# -- processes -------------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES[1:])
def test_pickles_as_its_loader(language):
    lm = load_language_model(language)
    assert pickle.loads(pickle.dumps(lm)) is lm
    assert len(pickle.dumps(lm)) < 200  # never the tables, never a tokenizer


def test_deterministic_across_processes():
    code = ("from pipeline.models.language import load_language_model as l;"
            "print(repr(l('ja').score('運用してみてどうだったか')), repr(l('zh-Hans').score('我们的系统')),"
            " repr(l('zh-Hant').char_logp('們')), l('ja').segment('してます'))")
    runs = [subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True).stdout
            for _ in range(2)]
    assert runs[0] == runs[1]
    here = load_language_model("ja")
    assert runs[0].split()[0] == repr(here.score("運用してみてどうだったか"))
