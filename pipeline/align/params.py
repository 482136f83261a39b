"""The aligner's named parameters: title matching, the paper path and the content path
(``rules/steps.json``, section ``align``, where each is explained), set per call with
``Config(params={"align": {...}})``."""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.step import load_params

__all__ = ["AlignParams", "align_params"]


@dataclass(frozen=True)
class AlignParams:
    SECTION = "align"
    # title matching (title_match.title_score)
    score_exact: float
    score_short_name: float
    score_acronym: float
    fuzzy_min: float
    score_contained: float
    transliteration_cap: float
    phonetic_min: float
    weak_factor: float
    # the paper path (Aligner.align_titles)
    file_match: float
    title_content_weight: float
    title_content_cap: float
    skip_percentile: float
    calibration_sample: int
    title_skip_lead: float
    title_skip_floor: float
    title_skip_ceiling: float
    title_default_skip: float
    title_min_calibration: int
    title_stay: float
    max_postings: int
    # the content path (Aligner.align_content)
    neighbour_weight: float
    heading_weight: float
    floor: float
    ceiling: float
    skip_lead: float
    candidates: int
    min_slides: int
    stay: float
    head_words: int
    heading_at_start: float
    heading_near_start: float


def align_params(overrides=None) -> AlignParams:
    """The defaults, with ``overrides`` (``pipeline.step.load_params``)."""
    return load_params(AlignParams, overrides)
