"""Likelihood models the repair stages decide with (loaded once per process, read-only)."""
