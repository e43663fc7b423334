"""Benchmarks: quality and speed figures, each measured against a baseline in the same run."""
