"""The command line: one command table, the Typer app and the fast path built from it."""
