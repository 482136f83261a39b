"""The offset map behind ``Slide.fold``: a slide's text cut into segments made by a change
or unchanged, and text spans mapped back onto raw, widened to whole changes."""

from __future__ import annotations

from pipeline.deck import PLACEHOLDER, OffsetMap, Segment, Slide, Span


def slide() -> Slide:
    s = Slide("d", 1, "one two three four")
    s.repair(4, 7, "2", rule="r")  # text "one 2 three four"
    s.quarantine_span(14, 18, "lost")  # text "one 2 three \ufffd"
    return s


def test_segments_cover_text_and_raw():
    s = slide()
    m = OffsetMap(s)
    assert s.text() == "one 2 three " + PLACEHOLDER
    assert m.segments == [Segment(0, 4, 0, 4, False), Segment(4, 5, 4, 7, True),
                          Segment(5, 12, 7, 14, False), Segment(12, 13, 14, 18, True)]
    for g in m.segments:  # unchanged segments are the same string in text and raw
        if not g.changed:
            assert s.text()[g.text_start : g.text_end] == s.raw[g.raw_start : g.raw_end]


def test_spans_map_to_raw_widened_to_whole_changes():
    m = OffsetMap(slide())
    assert m.to_raw(0, 3) == Span(0, 3, 0, 3)  # unchanged: offsets shift by the changes before
    assert m.to_raw(6, 11) == Span(8, 13, 6, 11)
    assert m.to_raw(3, 6) == Span(3, 8, 3, 6)  # touches the repair: all of its raw
    assert m.to_raw(12, 13) == Span(14, 18, 12, 13)  # the placeholder: the quarantined raw
    assert m.to_raw(4, 4) == Span(4, 7, 4, 5)  # an insertion point inside a change takes it whole


def test_a_slide_without_changes_is_one_unchanged_segment():
    assert OffsetMap(Slide("d", 1, "")).segments == [Segment(0, 0, 0, 0, False)]
    assert OffsetMap(Slide("d", 1, "abc")).to_raw(1, 2) == Span(1, 2, 1, 2)


def test_fold_takes_change_objects_of_the_second_pass():
    s = slide()
    again = Slide("d", 1, s.text())
    again.repair(2, 5, "E 2!", rule="wide", margin=1.5)  # over text the first repair produced
    again.quarantine_span(8, 9, "odd")
    assert s.fold(again)
    assert [(r.rule, r.start, r.end, r.before, r.after, r.margin) for r in s.repairs] == [
        ("wide", 2, 7, "e two", "E 2!", 1.5)]
    assert sorted((q.start, q.end, q.reason) for q in s.quarantine) == [(10, 11, "odd"), (14, 18, "lost")]
    assert s.undo() == s.raw
