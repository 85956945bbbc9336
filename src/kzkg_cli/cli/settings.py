"""What the environment decides: which fact file and seeds, and the language text is shown in.

The only module below the entry point that reads environment variables for settings (the
cache folder's are read by index.cache, where the cache lives; the terminal's, KZKG_FORCE_TTY,
NO_COLOR, FORCE_COLOR, TERM and COLUMNS, by present.console, which draws for it).
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
    """The fact file to use: --facts, else $KZKG_FACTS, else the one a curator is editing
    (found_facts), else the shipped one."""
    if option is not None:
        return option
    from_env = os.environ.get(FACTS_ENV, "").strip()
    if not from_env:
        return found_facts() or shipped_facts()
    from pathlib import Path

    return Path(from_env)


def found_facts() -> str | None:
    """The facts.toml of the working directory or its nearest parent that has one with a
    seeds/ folder beside it (as git finds its repository), so that inside a checkout every
    command reads the file being edited; None outside one, or when the working directory is
    gone or unreadable."""
    try:
        here = os.getcwd()
    except OSError:  # the directory was removed under the shell, or cannot be read
        return None
    while True:
        candidate = os.path.join(here, "facts.toml")
        if os.path.isfile(candidate) and os.path.isdir(os.path.join(here, "seeds")):
            return candidate
        parent = os.path.dirname(here)
        if parent == here:
            return None
        here = parent


def facts_origin(path: Path | str, option: Path | None) -> str:
    """How the fact file in use was chosen, in words for a person."""
    if option is not None:
        return "--facts"
    if os.environ.get(FACTS_ENV, "").strip():
        return f"${FACTS_ENV}"
    if os.fspath(path) == found_facts():
        return "found from the current directory"
    return "the copy installed with kzkg"


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
