"""The table of synonyms and abbreviations shipped with kzkg (synonyms.toml beside this file),
read by the build, which keeps it in the index for search to read without a TOML parser."""

from __future__ import annotations

import os

TABLE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "synonyms.toml")
"""The table: [[group]] words = [...], note = "..." (see its header)."""


def table_groups(path: str = TABLE) -> list[list[str]]:
    """The groups of the table, each a list of ways of writing one thing; ValueError if the
    file is not a table of groups of strings."""
    import tomli

    with open(path, "rb") as handle:
        data = tomli.load(handle)
    groups = data.get("group")
    if not isinstance(groups, list):
        raise ValueError(f"{path}: no [[group]] tables")
    found = []
    for number, group in enumerate(groups, start=1):
        words = group.get("words") if isinstance(group, dict) else None
        if not isinstance(words, list) or not all(isinstance(w, str) and w for w in words):
            raise ValueError(f"{path}: group {number}: words must be a list of strings")
        found.append(words)
    return found
