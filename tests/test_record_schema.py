"""Every record matches rules/record.schema.json, and the changes audit and undo."""

from __future__ import annotations

import json

import jsonschema

import pipeline
from paths import SEED_DECK
from pipeline.models.rule_files import rules_path
from pipeline.simulate import garble

SCHEMA = json.loads(rules_path("record.schema.json").read_text(encoding="utf-8"))


def check(rec: dict) -> None:
    jsonschema.validate(rec, SCHEMA)
    for r in rec["repairs"]:
        assert rec["raw"][r["start"]:r["end"]] == r["before"]
    for q in rec["quarantine"]:
        assert rec["raw"][q["start"]:q["end"]] == q["raw"]


def test_schema_is_a_valid_schema():
    jsonschema.Draft202012Validator.check_schema(SCHEMA)


def test_seed_records_match_schema(shared):
    deck = pipeline.clean_deck(SEED_DECK.read_text(encoding="utf-8"), name=SEED_DECK.name)
    for rec in deck.records():
        check(json.loads(json.dumps(rec, ensure_ascii=False)))


def test_schema_rejects_a_record_without_raw():
    rec = pipeline.clean_deck("one slide", name="d").records()[0]
    del rec["raw"]
    try:
        jsonschema.validate(rec, SCHEMA)
    except jsonschema.ValidationError:
        return
    raise AssertionError("schema accepted a record without raw")


def test_undo_rebuilds_raw_from_changes():
    raw = garble("이거↖ 정말↖ (cid:1086)", nfc=False) + " (cid:8100)"
    deck = pipeline.clean_deck(raw, name="d")
    slide = deck.slides[0]
    assert slide.repairs and slide.quarantine
    assert slide.undo() == slide.raw
    check(slide.record())
