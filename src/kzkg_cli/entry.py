"""The `kzkg` console script: the fast path when it applies, else the Typer app."""

from __future__ import annotations

import sys


def main() -> None:
    """Console-script entry point."""
    from kzkg_cli.fast import run

    code = run(sys.argv[1:])
    if code is not None:
        sys.exit(code)
    from kzkg_cli.cli import app

    app(prog_name="kzkg")
