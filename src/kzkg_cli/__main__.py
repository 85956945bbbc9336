"""Entry point for ``python -m kzkg_cli``."""

from kzkg_cli.cli.entry import main

if __name__ == "__main__":
    main()
