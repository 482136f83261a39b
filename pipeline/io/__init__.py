"""Output and scale: JSONL records, data frames, batches of files, distributed recipes, the review page.

May import everything below it (``pipeline.clean`` and the stages); nothing imports it but ``cli``.
"""
