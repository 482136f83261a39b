"""Models and data the stages decide with: Korean and Latin models, n-gram tables, CID profiles, rule loading.

Loaded once per process, read-only. Imports nothing from the rest of ``pipeline``.
"""
