"""The language of the text tables show: Russian (the sources' own) or the curated English."""

from __future__ import annotations

import os
from typing import Any

from kzkg_cli.errors import UsageError

LANGS = ("ru", "en")
LANG_ENV = "KZKG_LANG"


def resolve_lang(option: str | None) -> str:
    """--lang, else $KZKG_LANG, else Russian; anything but ru or en is a usage error."""
    where, value = (LANG_ENV, os.environ.get(LANG_ENV)) if option is None else ("--lang", option)
    chosen = (value or "").strip().lower()
    if not chosen:
        return "ru"
    if chosen not in LANGS:
        raise UsageError(f"{where} must be ru or en, not {(value or '')[:40]!r}")
    return chosen


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
