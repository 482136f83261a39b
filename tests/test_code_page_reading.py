"""Every page of the code-page table is read, and what a page cannot explain is not read
through it (pipeline/repair/mojibake.py, lost_bytes.py, ftfy_repair.py, byte_repair.py).

The texts are Korean this project wrote (``pipeline.simulate.MOJIBAKE_PARAGRAPHS``),
garbled by its own code-page table.
"""

import re

import pytest

import pipeline
from pipeline.models import codepages
from pipeline.repair.lost_bytes import Params, choose_page, loss_loglik, pages
from pipeline.repair.mojibake import reads_as_itself
from pipeline.simulate import MOJIBAKE_PARAGRAPHS
from pipeline.step import load_params

PARAGRAPH = MOJIBAKE_PARAGRAPHS[0]
HANGUL_RUN = re.compile("[가-힣]+")


@pytest.mark.parametrize("chain", ["cp949>cp1251", "cp949>iso-8859-5", "cp949>koi8-r", "cp949>cp850",
                                   "cp949>cp1258", "utf-8>koi8-r", "utf-8>cp850", "utf-8>iso-8859-5"])
def test_lossless_text_through_any_page_of_the_table_is_read(chain):
    """These pages were missing from the readers' own lists: nothing through them was read."""
    text = PARAGRAPH.split(". ")[0] + "."
    garbled = codepages.garble(text, codepages.parse_chain(chain))
    assert garbled != text
    assert pipeline.clean_text(garbled)["text"] == text


def test_the_page_that_explains_lost_bytes_is_chosen_over_one_that_shows_them():
    """UTF-8 through latin-1 with its C1 bytes stripped: cp1252 shows the same surviving
    characters, but it would lose only 5 of 64 trail bytes, not 32; the text's losses make
    it latin-1's. Lossless text through cp1252 stays cp1252's."""
    p = load_params(Params)
    lossy = codepages.garble(PARAGRAPH, codepages.parse_chain("utf-8>latin-1+controls-stripped"))
    assert choose_page(lossy, p)[0].name == "latin-1"
    lossless = codepages.garble(PARAGRAPH, codepages.parse_chain("utf-8>cp1252/c1"))
    assert choose_page(lossless, p)[0].name == "cp1252"
    by = {pg.name: loss_loglik(lossy, pg) for pg in pages()}
    assert by["latin-1"] > by["cp1252"]


def test_lost_bytes_are_read_or_quarantined_never_misread():
    """UTF-8 through latin-1 with its C1 bytes stripped: a third of the bytes are gone, a
    syllable may lose both trail bytes (the lattice puts back one or two before a
    character). Whatever the model cannot tell is quarantined; every Korean word that
    comes out is one of the text's."""
    for text in MOJIBAKE_PARAGRAPHS[:3]:
        garbled = codepages.garble(text, codepages.parse_chain("utf-8>latin-1+controls-stripped"))
        assert len(garbled) < len(text) * 2  # bytes were lost (a syllable shows as 1-3 characters)
        out = pipeline.clean_text(garbled)["text"]
        assert "\ufffd" in out
        for word in HANGUL_RUN.findall(out):
            assert word in text, word
    text = "클라이언트 키 설정"
    out = pipeline.clean_text(codepages.garble(text, codepages.parse_chain("utf-8>latin-1+controls-stripped")))["text"]
    assert all(o in (w, "\ufffd") for w, o in zip(text.split(), out.split()))


def test_clean_text_of_an_alphabet_is_not_read_as_korean_alone():
    """Russian in capitals is EUC-KR through ISO-8859-5 too (ИГРА reads 립육); alone it stays."""
    for text in ("ИГРА ОКОНЧЕНА", "'ИГРА' и 'СНОВА'", "ΑΘΗΝΑ"):
        assert pipeline.clean_text(text)["text"] == text
    assert reads_as_itself("ИГРА") and not reads_as_itself("ЗС±№")


def test_ftfy_reads_the_whole_text_where_another_reader_took_spans():
    """The legacy reader takes the Korean words; ftfy's evidence is still the whole text,
    so an emoji line that alone does not convince it is mended too."""
    text = "ko: '게임 오버', tr: 'OYUN BİTTİ',\n    tr: '🔄 TEKRAR OYNA', de: '🔄 NOCHMAL SPIELEN'"
    garbled = codepages.garble(text, codepages.parse_chain("utf-8>cp1251/c1"))
    res = pipeline.clean_text(garbled)
    assert res["text"] == text
