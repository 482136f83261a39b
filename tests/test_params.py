"""One parameter mechanism: every step with parameters, the decoder lost-bytes runs and the
aligner declare a frozen dataclass whose defaults are their section of rules/steps.json,
and Config(params={section: {...}}) sets any of them (checked by name and type)."""

from __future__ import annotations

import dataclasses

import pytest

import pipeline
from pipeline.clean import TUNABLE, build_steps, make_aligner
from pipeline.models.rule_files import load_json
from pipeline.repair.byte_lattice import decoder
from pipeline.repair.byte_repair import ByteRepair
from pipeline.repair.collection import CollectionStep
from pipeline.repair.lost_bytes import LostBytes
from pipeline.repair.lost_text import LostText
from pipeline.repair.mojibake import KoreanLegacy
from pipeline.repair.quoted import QuotedExamples
from pipeline.simulate import garble
from pipeline.step import load_params

from paper_deck import NOTES, PAPERS  # noqa: E402


def _step(config: pipeline.Config, kind: type):
    """The step of ``kind``, or the reader of ``kind`` inside one (the bytes step's readers)."""
    steps = [x for s in build_steps(config) for x in (s, *getattr(s, "readers", ()))]
    return next(s for s in steps if isinstance(s, kind))


def test_every_section_of_steps_json_is_one_owners_defaults():
    sections = {k for k in load_json("steps.json") if k != "comment"}
    assert sections == set(TUNABLE) >= {"cid", "lost-bytes", "byte-lattice", "legacy-mojibake", "lost-text",
                                        "quoted", "align"}
    for name, cls in TUNABLE.items():
        p = load_params(cls)
        assert dataclasses.is_dataclass(p) and cls.SECTION == name
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(p, dataclasses.fields(p)[0].name, 0)


# one parameter per owner: (section, parameter, value, how to find the params object it sets)
OWNERS = [
    ("cid", "weak_min", -9.5, lambda c: _step(c, CollectionStep).reader("adobe-korea1").params),
    ("collection", "min_margin", 9.0, lambda c: _step(c, CollectionStep).params),
    ("bytes", "min_line_evidence", 9, lambda c: _step(c, ByteRepair).params),
    ("lost-bytes", "min_margin", 50.0, lambda c: _step(c, LostBytes).params),
    ("byte-lattice", "beam", 5, lambda c: _step(c, LostBytes).decoder.p),
    ("legacy-mojibake", "max_chain", 1, lambda c: _step(c, KoreanLegacy).params),
    ("legacy-mojibake", "max_chain", 1, lambda c: _step(c, LostText).legacy.params),  # the reader lost-text builds
    ("lost-text", "min_score", -3.0, lambda c: _step(c, LostText).params),
    ("quoted", "min_quoted", 5, lambda c: _step(c, QuotedExamples).params),
    ("align", "min_posterior", 0.75, lambda c: make_aligner(NOTES, config=c).params),
]


@pytest.mark.parametrize("section, name, value, owner", OWNERS, ids=[f"{o[0]}.{o[1]}" for o in OWNERS])
def test_one_parameter_of_each_owner_is_set_through_config(section, name, value, owner):
    default = getattr(owner(pipeline.Config()), name)
    assert default != value
    tuned = owner(pipeline.Config(params={section: {name: value}}))
    assert getattr(tuned, name) == value
    assert tuned == dataclasses.replace(owner(pipeline.Config()), **{name: value})  # nothing else moved


@pytest.mark.parametrize("section, params, text", [
    ("lost-bytes", {"min_margin": 50.0}, "ì˜¤ëŠ˜ ë°œí‘œ ìžë£Œë¥¼"),  # 자 was filled with less than 50 nats to spare
    ("byte-lattice", {"budget": 1}, "ì˜¤ëŠ˜ ë°œí‘œ ìžë£Œë¥¼"),  # the decoder gives up: too complex
    ("legacy-mojibake", {"max_chain": 0}, "인사: ¾È³çÇÏ¼¼¿ä"),  # no wrong decode undone
    ("lost-text", {"min_score": 5.0}, "寃곌낵 踰덉뿭 媛먯궗"),  # no reading is that likely
    ("quoted", {"share": 1.5}, "寃곌낵 = 결과"),  # no line is a quotation
    ("cid", {"strong_min": 100.0, "weak_min": 100.0}, garble("오늘 발표를 시작합니다")),
])
def test_a_parameter_set_through_config_changes_the_output(section, params, text):
    default = pipeline.clean_text(text)
    tuned = pipeline.clean_text(text, config=pipeline.Config(params={section: params}))
    assert (tuned["text"], tuned["quarantine"]) != (default["text"], default["quarantine"])


def test_the_aligner_is_tuned_through_config_whether_built_here_or_given():
    def evidence(deck):
        return [(s.alignment or {}).get("evidence") for s in deck.slides][1:4]

    default = evidence(pipeline.clean_deck(PAPERS, name="d", notes=NOTES))  # ResNet in "ResNet 리뷰"
    tuned = pipeline.Config(params={"align": {"score_contained": 0.82}})
    weaker = evidence(pipeline.clean_deck(PAPERS, name="d", notes=NOTES, config=tuned))
    assert all(w < d for w, d in zip(weaker, default))  # the title match counts for less
    aligner = make_aligner(NOTES)  # an index built once for many decks (the CLI, batch workers)
    assert aligner.tuned(None) is aligner
    assert evidence(pipeline.clean_deck(PAPERS, name="d", aligner=aligner, config=tuned)) == weaker
    assert evidence(pipeline.clean_deck(PAPERS, name="d", aligner=aligner)) == default


def test_an_unknown_name_says_what_there_is():
    with pytest.raises(ValueError, match=r"align: no parameter 'stay_put' \(it has: score_exact, .*min_posterior"):
        pipeline.clean_deck(PAPERS, notes=NOTES, config=pipeline.Config(params={"align": {"stay_put": 0.1}}))
    with pytest.raises(ValueError, match=r"byte-lattice: no parameter 'beams' \(it has: beam, "):
        pipeline.clean_text("x", config=pipeline.Config(params={"byte-lattice": {"beams": 3}}))
    with pytest.raises(ValueError, match="no step with parameters named decoder .*align"):
        pipeline.clean_text("x", config=pipeline.Config(params={"decoder": {"beam": 3}}))


@pytest.mark.parametrize("section, name, value", [
    ("quoted", "min_quoted", 2.5),  # a count is an int
    ("cid", "weak_min", "-9"),  # a string is no number
    ("lost-bytes", "min_margin", True),  # nor is a bool
    ("byte-lattice", "swallowed", {".": "often"}),
    ("align", "candidates", None),
])
def test_a_value_of_the_wrong_type_is_an_error(section, name, value):
    with pytest.raises(TypeError, match=f"{section}: parameter '{name}' is a"):
        pipeline.clean_deck(PAPERS, notes=NOTES, config=pipeline.Config(params={section: {name: value}}))


def test_a_whole_number_stands_for_a_float():
    step = _step(pipeline.Config(params={"cid": {"weak_min": -9}}), CollectionStep)
    assert step.reader("adobe-korea1").params.weak_min == -9.0


def test_rules_and_code_must_name_the_same_parameters():
    @dataclasses.dataclass(frozen=True)
    class Quoted:
        SECTION = "quoted"
        min_quoted: int
        share: float
        spare: float

    with pytest.raises(ValueError, match="section 'quoted' does not match its parameters .*missing: spare"):
        load_params(Quoted)


def test_steps_are_built_once_per_setting():
    plain, tuned = pipeline.Config(), pipeline.Config(params={"byte-lattice": {"beam": 5}})
    assert all(a is b for a, b in zip(build_steps(plain), build_steps(pipeline.Config())))
    assert all(a is b for a, b in zip(build_steps(tuned), build_steps(pipeline.Config(params={"byte-lattice": {"beam": 5}}))))
    assert _step(plain, LostBytes) is not _step(tuned, LostBytes)
    assert _step(plain, LostBytes).decoder is decoder()  # the defaults share the process's decoder
    assert _step(tuned, LostBytes).decoder is not decoder()
