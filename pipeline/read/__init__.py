"""Reading: deck transcripts (their layouts, the input checks, the streaming parser) and notes files.

May import ``pipeline.deck`` and ``pipeline.models``; nothing from repair, align or io.
"""
