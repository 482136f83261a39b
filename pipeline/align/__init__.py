"""Alignment of slides with notes sections: paper titles on slides, title matching, content similarity.

May import ``pipeline.deck``, ``pipeline.models`` and ``pipeline.read`` (notes); nothing from repair or io.
"""
