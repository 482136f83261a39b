"""Chinese plausibility: a hanzi bigram for Simplified (Adobe-GB1) and Traditional (Adobe-CNS1) text.

Both models are built by ``scripts/build_cjk_language_data.py`` from wordfreq's ``zh`` list
(bigrams within its tokens) and stored in ``rules/chinese_hans_lm.*`` and
``rules/chinese_hant_lm.*``. wordfreq's Chinese is Simplified; the Traditional model carries
its frequencies over through the hanzi both Big5 and GB 2312 hold, and gives the mass of
simplified-only forms to traditional-only ones. A hanzi the table lacks backs off to its
class, from Python's codecs: GB 2312 level 1 (the 3,755 common hanzi) / level 2 / other,
or Big5's common block (5,401) / less-common block / other::

    >>> hans = load_chinese_lm("zh-Hans")
    >>> hans.score("我们的系统") > hans.score("统们系的我")
    True
    >>> hans.char_logp("的") > hans.char_logp("亍") > hans.char_logp("\U00020000")
    True
    >>> hant = load_chinese_lm("zh-Hant")
    >>> hant.score("我們的系統") > hant.score("我们的系统")      # traditional text reads as such
    True
    >>> hans.has_morphology, hans.segment("系统")
    (False, (0.0, True))

No morphology: ``segment`` is neutral. Every character that is no CJK ideograph is a run
boundary.
"""

from __future__ import annotations

from functools import lru_cache

from pipeline.models.char_ngram import END, START, CharNgramLM  # noqa: F401
from pipeline.models.rule_files import load_json, rules_path

FILES = {"zh-Hans": "chinese_hans_lm", "zh-Hant": "chinese_hant_lm"}


def is_hanzi(ch: str) -> bool:
    """A CJK unified or compatibility ideograph (BMP blocks and the supplementary planes)."""
    if len(ch) != 1:
        return False
    o = ord(ch)
    return (0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF or 0xF900 <= o <= 0xFAFF
            or 0x20000 <= o <= 0x3134F)


def _cell(ch: str, codec: str) -> int | None:
    try:
        b = ch.encode(codec)
    except UnicodeEncodeError:
        return None
    return b[0] << 8 | b[1] if len(b) == 2 else None


def gb_class(ch: str) -> str:
    """``gb1`` (GB 2312 lead bytes B0-D7), ``gb2`` (D8-F7) or ``hanzi`` (neither)."""
    c = _cell(ch, "gb2312")
    if c is None:
        return "hanzi"
    lead = c >> 8
    return "gb1" if 0xB0 <= lead <= 0xD7 else "gb2" if 0xD8 <= lead <= 0xF7 else "hanzi"


def big5_class(ch: str) -> str:
    """``big5-common`` (A440-C67E), ``big5-rare`` (C940-F9D5) or ``hanzi`` (neither)."""
    c = _cell(ch, "big5")
    if c is None:
        return "hanzi"
    return "big5-common" if 0xA440 <= c <= 0xC67E else "big5-rare" if 0xC940 <= c <= 0xF9D5 else "hanzi"


class ChineseLM(CharNgramLM):
    has_morphology = False

    def __reduce__(self):  # a worker reloads the model instead of unpickling its tables
        return load_chinese_lm, (self.language,)


@lru_cache(maxsize=2)
def load_chinese_lm(language: str = "zh-Hans") -> ChineseLM:
    """The model of ``zh-Hans`` or ``zh-Hant``, loaded once per process."""
    if language not in FILES:
        raise ValueError(f"no Chinese model for {language!r}; known: {', '.join(FILES)}")
    data = load_json(FILES[language] + ".json")
    classify = gb_class if language == "zh-Hans" else big5_class
    return ChineseLM.from_file(rules_path(data["ngrams"]), data["alphabet"], data["order"], floors=data["floors"],
                               classify=classify, is_letter=is_hanzi, language=language)
