"""What the environment decides: which fact file and seeds, and the language text is shown in.

The only module below the entry point that reads environment variables for settings (the
cache folder's are read by index.cache, where the cache lives).
"""

from __future__ import annotations

import os
from pathlib import Path

from kzkg_cli.core.errors import UsageError
from kzkg_cli.core.lang import LANGS
from kzkg_cli.core.text import shown

FACTS_ENV = "KZKG_FACTS"
LANG_ENV = "KZKG_LANG"
_PACKAGE_DIR = Path(__file__).resolve().parent.parent


def shipped_facts() -> Path:
    """facts.toml inside the installed package, else at the root of a source checkout."""
    packaged = _PACKAGE_DIR / "data" / "facts.toml"
    if packaged.is_file():
        return packaged
    return _PACKAGE_DIR.parent.parent / "facts.toml"


def resolve_facts(option: Path | None) -> Path:
    """The fact file to use: --facts, else $KZKG_FACTS, else the shipped one."""
    if option is not None:
        return option
    from_env = os.environ.get(FACTS_ENV, "").strip()
    return Path(from_env) if from_env else shipped_facts()


def default_seeds(facts_path: Path) -> Path:
    """The seeds/ folder beside the fact file; for the shipped file, the shipped seeds."""
    return facts_path.parent / "seeds"


def resolve_lang(option: str | None) -> str:
    """--lang, else $KZKG_LANG, else Russian; anything but ru or en is a usage error."""
    where, value = (LANG_ENV, os.environ.get(LANG_ENV)) if option is None else ("--lang", option)
    chosen = (value or "").strip().lower()
    if not chosen:
        return "ru"
    if chosen not in LANGS:
        raise UsageError(f"{where} must be ru or en, not {shown(value or '', 40)}")
    return chosen
