"""Draft records from a new article: people and their posts, dates, figures, documents,
events, statements and crossing points, each with quotes cut from the article by offset.

Needs the optional extra `kzkg[draft]` (razdel and pymorphy3), imported only here."""

from __future__ import annotations

import re

from kzkg_cli.core.errors import UsageError
from kzkg_cli.ingest.draft.candidate import Candidate, Extraction, Span

EXTRA_HINT = "pip install 'kzkg[draft]'"
_OUTLET = re.compile(
    r"\b(?:передает|передаёт|сообщает|пишет)\s+([\w.-]+\.[a-z]{2,}|[A-ZА-ЯЁ][\w.-]+)", re.I
)


class MissingExtra(UsageError):
    """kzkg draft was asked for without its extra installed."""


def require_extra() -> None:
    """Raise MissingExtra unless razdel and pymorphy3 can be imported."""
    try:
        import pymorphy3  # type: ignore[import-untyped]  # noqa: F401
        import razdel  # type: ignore[import-untyped]  # noqa: F401
    except ImportError as exc:
        raise MissingExtra(f"kzkg draft needs {exc.name}: {EXTRA_HINT}") from None


def extract(text: str, doc: str, date: str | None = None) -> Extraction:
    """Every candidate the article gives (date: the article's date where it has no date
    line)."""
    require_extra()
    from kzkg_cli.ingest.draft.article import Article
    from kzkg_cli.ingest.draft.documents import (
        Dating,
        find_documents,
        find_events,
        find_understandings,
    )
    from kzkg_cli.ingest.draft.figures import find_figures
    from kzkg_cli.ingest.draft.people import find_people
    from kzkg_cli.ingest.draft.places import find_checkpoints, place_in
    from kzkg_cli.ingest.draft.statements import Speakers, find_statements

    article = Article(text)
    given = article.date is None and date is not None
    day = article.date or date
    dating = Dating(article, day, given)
    people, titles = find_people(article)
    speakers = Speakers(article, people, titles)
    records: list[Candidate] = [
        *find_figures(article, dating),
        *find_documents(article, dating),
        *find_understandings(article, dating),
        *find_events(
            article,
            dating,
            speakers.people_in,
            lambda s: place_in(article, s),
            [span for person in people for span in person.mentions],
        ),
        *find_statements(article, speakers, dating),
        *find_checkpoints(article),
    ]
    source = _source(article, doc, day, given)
    return Extraction(doc, text, day, given, source, people, titles, records)


def _source(article: object, doc: str, date: str | None, given: bool) -> Candidate:
    from kzkg_cli.ingest.draft.article import Article

    assert isinstance(article, Article)
    fields: dict[str, object] = {"id": doc}
    quotes: list[Span] = []
    english = ["lead_en"]
    if article.date_line is not None:
        quotes.append(article.date_line)
    for sentence in article.sentences:
        match = _OUTLET.search(sentence.text)
        if match:
            fields["outlet"] = match.group(1).rstrip(".")
            fields["outlet_inferred"] = True
            fields["outlet_note"] = (
                f"The text says '{match.group()}', read as the outlet's sign-off."
            )
            quotes.append(
                Span(sentence.span.start + match.start(), sentence.span.start + match.end())
            )
            break
    if date is not None:
        fields["date"] = date
        if given:
            fields["date_inferred"] = True
            fields["date_note"] = (
                "The article has no date line; the date was given on the command line (--date)."
            )
    if article.sentences:
        fields["lead"] = article.sentences[0].text.strip()
        if not quotes:
            quotes.append(article.sentences[0].span)
    return Candidate("source", fields, quotes, tuple(english))
