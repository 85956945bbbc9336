"""kzkg test suite."""
