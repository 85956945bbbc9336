"""The two languages of text: Russian (the sources' own) and the curated English beside it."""

from __future__ import annotations

from typing import Any

LANGS = ("ru", "en")


def english_key(key: str) -> str:
    """The field that holds the English of a Russian one: title_en, or name_latin for a name."""
    return "name_latin" if key == "name" else f"{key}_en"


def pick(row: dict[str, Any], key: str, lang: str) -> Any:
    """A row's text for key in lang: in English, the English where there is one, else the
    Russian (a record not yet translated still shows)."""
    if lang == "en":
        english = row.get(english_key(key))
        if english:
            return english
    return row.get(key)
