"""Turn validated rows into index entries, build them into SQLite, and cache the result."""
