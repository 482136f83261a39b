"""Repair stages: CID garbling, normalization damage, mojibake, lost bytes, each a step over a deck.

May import ``pipeline.deck``, ``pipeline.step`` and ``pipeline.models``; nothing from read, align or io.
"""
