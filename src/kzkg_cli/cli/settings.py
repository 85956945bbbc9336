"""What the environment decides: which fact file and seeds, and the language text is shown in.

The only module below the entry point that reads environment variables for settings (the
cache folder's are read by index.cache, where the cache lives).
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from kzkg_cli.core.errors import UsageError
from kzkg_cli.core.lang import LANGS
from kzkg_cli.core.text import shown
from kzkg_cli.index.cache import PACKAGE_DIR

if TYPE_CHECKING:
    from pathlib import Path

FACTS_ENV = "KZKG_FACTS"
LANG_ENV = "KZKG_LANG"
# Paths here are strings (os.path): pathlib costs a plain scripted call about a third of
# Python's own start-up. A path the user types is a pathlib.Path, spelt as Typer spells it.


def shipped_facts() -> str:
    """facts.toml inside the installed package, else at the root of a source checkout."""
    packaged = os.path.join(PACKAGE_DIR, "data", "facts.toml")
    if os.path.isfile(packaged):
        return packaged
    return os.path.join(os.path.dirname(os.path.dirname(PACKAGE_DIR)), "facts.toml")


def resolve_facts(option: Path | None) -> Path | str:
    """The fact file to use: --facts, else $KZKG_FACTS, else the shipped one."""
    if option is not None:
        return option
    from_env = os.environ.get(FACTS_ENV, "").strip()
    if not from_env:
        return shipped_facts()
    from pathlib import Path

    return Path(from_env)


def default_seeds(facts_path: Path | str) -> str:
    """The seeds/ folder beside the fact file; for the shipped file, the shipped seeds."""
    from kzkg_cli.index.passages import seeds_beside

    return seeds_beside(facts_path)


def resolve_lang(option: str | None) -> str:
    """--lang, else $KZKG_LANG, else Russian; anything but ru or en is a usage error."""
    where, value = (LANG_ENV, os.environ.get(LANG_ENV)) if option is None else ("--lang", option)
    chosen = (value or "").strip().lower()
    if not chosen:
        return "ru"
    if chosen not in LANGS:
        raise UsageError(f"{where} must be ru or en, not {shown(value or '', 40)}")
    return chosen
