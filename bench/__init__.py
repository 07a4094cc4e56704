"""Benchmarks that compare: ``python -m bench``. How to add a figure: bench/README.md."""
