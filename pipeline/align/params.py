"""The aligner's named parameters: title matching, the evidence and the sequence model
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
    title_min: float
    # evidence (Aligner._grid, ContentIndex.log_ratio)
    max_postings: int
    candidates: int
    max_states: int
    mixture: float
    beyond: float
    content_scale: float
    title_weight: float
    calibration_sample: int
    level_percentile: float
    level_features: float
    below_level: float
    max_shortfall: float
    share_window: int
    share_min: float
    # the sequence model (sequence.SectionChain): starting step probabilities, EM pseudo-counts
    step_next: float
    step_same: float
    step_skip: float
    step_back: float
    step_none: float
    prior_next: float
    prior_same: float
    prior_skip: float
    prior_back: float
    prior_none: float
    skip_decay: float
    em_rounds: int
    min_evidence: float
    min_posterior: float
    max_units: int
    min_slides_more: int


def align_params(overrides=None) -> AlignParams:
    """The defaults, with ``overrides`` (``pipeline.step.load_params``)."""
    return load_params(AlignParams, overrides)
