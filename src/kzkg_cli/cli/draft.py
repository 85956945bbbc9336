"""The body of `kzkg draft`: read an article, propose records for it, print them."""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

from kzkg_cli.core.errors import ExitCode, UsageError
from kzkg_cli.core.text import one_line

if TYPE_CHECKING:
    from pathlib import Path


def read_article(path: Path) -> str:
    """The article's text; UsageError (exit 2) if it is missing, not UTF-8, or empty."""
    shown = one_line(os.fspath(path))
    try:
        with open(path, "rb") as article:
            data = article.read()
        text = data.decode("utf-8")
    except FileNotFoundError:
        raise UsageError(f"article not found: {shown}") from None
    except IsADirectoryError:
        raise UsageError(f"article is a folder, not a file: {shown}") from None
    except UnicodeDecodeError as exc:
        from kzkg_cli.ingest.articles import not_utf8

        raise UsageError(f"{shown}: {not_utf8(data, exc)}") from None
    except OSError as exc:
        raise UsageError(f"cannot read the article {shown}: {exc.strerror}") from None
    if not text.strip():
        raise UsageError(f"article is empty: {shown}")
    return text


def draft(
    article: Path, doc: str | None, date: str | None, facts: str | Path, as_json: bool
) -> int:
    """Propose records for the article and write them to stdout."""
    from kzkg_cli.ingest.draft import extract, require_extra

    require_extra()  # before the article is read: the one-line hint, whatever the input
    text = read_article(article)
    doc_id = doc or os.path.splitext(os.path.basename(article))[0]
    found = extract(text, doc_id, date)
    from kzkg_cli.index.cache import open_store
    from kzkg_cli.present.draft import render_json, render_toml
    from kzkg_cli.search.link import link

    with open_store(facts) as store:
        proposals = link(store, found)
    render = render_json if as_json else render_toml
    sys.stdout.write(render(proposals, text, doc_id))
    return int(ExitCode.OK)
