"""Where the shipped fact file and seeds live, in a wheel or in a source checkout."""

from __future__ import annotations

import os
from pathlib import Path

FACTS_ENV = "KZKG_FACTS"
_PACKAGE_DIR = Path(__file__).resolve().parent


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
