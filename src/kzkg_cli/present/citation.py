"""Citations a journalist can paste: a record's claim, and each verbatim quote with its article.

A citation is built from a record's row (or a passage's: a sentence of an article) and the
source records of the articles it quotes; it is written as plain text, Markdown, or JSON with
keys modelled on CSL-JSON (one object a quote: CSL describes one document per item, and each
quote is from one article). The Russian is always there; the curated English is added beside
it, never in place of the words the article has.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any, NamedTuple

from kzkg_cli.core.lang import english_key
from kzkg_cli.core.rows import Row, citations
from kzkg_cli.core.text import neutralise, squash

CSL_TYPE = "article-newspaper"
"""The CSL item type of what a citation names: a news article."""

JSON_KEYS: dict[str, str] = {
    "id": "The record's id, `#` and the quote's number among its quotes: unique, as CSL wants.",
    "type": f"The CSL item type, `{CSL_TYPE}`: what is cited is the article the quote is from.",
    "title": "The claim in Russian: the record's title, name, label or summary (a statement's "
    "speakers and summary; for a quote attesting a role, `name — role`); for a passage, the "
    "sentence.",
    "title-en": "The claim in the curated English; null where there is none.",
    "quote": "The article's words, verbatim, as the fact file holds them.",
    "container-title": "The outlet; null where the article names none.",
    "container-title-en": "The outlet in English, where its name has Cyrillic letters; else null.",
    "issued": 'The article\'s date as CSL date parts (`{"date-parts": [[2025, 11]]}`), with '
    '`"circa": true` where the date is inferred; null where it has none.',
    "URL": "The article's address; null where the fact base has none.",
    "headline": "The article's headline; null where it has none.",
    "headline-en": "The headline in English; null where there is none.",
    "note": "Where to find it again (`kzkg show ID (kind); article ARTICLE`), and what the "
    "article relays, where it relays a source.",
    "language": "The language of the quote and the title: `ru`.",
    "record": "The id `kzkg show` and `kzkg cite` take.",
    "record-type": "The kind of record (`person`, `event`, ..., or `passage`).",
    "article": "The article's id (its file stem in seeds/).",
}
"""The keys of a citation in JSON, in order, each with what it holds (README documents them)."""


class Article(NamedTuple):
    """The article a quote is from, as a citation names it."""

    id: str
    outlet: str | None
    outlet_en: str | None
    relays: str | None
    relays_en: str | None
    date: str | None
    date_inferred: bool
    headline: str | None
    headline_en: str | None
    url: str | None


class Quote(NamedTuple):
    """One verbatim quote of a citation, with its article and the part it supports."""

    text: str
    article: Article
    part: str | None = None
    """The role a person's quote attests ("Премьер-министр Казахстана"); None for the record."""
    part_en: str | None = None


class Citation(NamedTuple):
    """A record (or a sentence) cited: its claim in Russian and English, and its quotes."""

    id: str
    kind: str
    claim: str | None
    """None for a passage: the sentence is its own claim."""
    claim_en: str | None
    quotes: list[Quote]


ArticleOf = Callable[[str], Row | None]
"""The source record of an article by its id (None where the fact base has none)."""


# ----------------------------------------------------------------------------- building


def build(row: Row, article_of: ArticleOf) -> Citation:
    """The citation of a row as `kzkg show` returns it (references resolved)."""
    articles: dict[str, Article] = {}

    def article(doc: str) -> Article:
        if doc not in articles:
            articles[doc] = _article(doc, article_of(doc))
        return articles[doc]

    if row["type"] == "passage":
        quotes = [Quote(row["text"], article(row["source"]))]
        return Citation(row["id"], "passage", None, None, quotes)
    roles = row.get("roles") or []
    quotes = []
    for cited in citations(row):
        number = re.fullmatch(r"roles\[(\d+)\]", cited.part)
        role = roles[int(number.group(1))] if number else {}
        quotes.append(
            Quote(cited.quote, article(cited.doc), role.get("title"), role.get("title_en"))
        )
    return Citation(row["id"], row["type"], claim(row, "ru"), claim(row, "en"), quotes)


def _article(doc: str, source: Row | None) -> Article:
    found = source or {}
    return Article(
        id=doc,
        outlet=found.get("outlet"),
        outlet_en=found.get("outlet_en"),
        relays=found.get("relays"),
        relays_en=found.get("relays_en"),
        date=found.get("date"),
        date_inferred=bool(found.get("date_inferred")),
        headline=found.get("headline"),
        headline_en=found.get("headline_en"),
        url=found.get("url"),
    )


CLAIM_KEYS = ("title", "label", "name", "headline", "lead", "summary")
"""The text that says what a record is, in this order of preference."""


def claim(row: Row, lang: str) -> str | None:
    """What a record says, in one language (None where that language has no text for it): a
    statement's speakers and summary, a border's name and plan, else its first text key."""
    kind = row["type"]
    if kind == "statement":
        said = _text(row, "summary", lang)
        speakers = ", ".join(filter(None, (_text(s, "name", lang) for s in row["speakers"])))
        return f"{speakers}: {said}" if said and speakers else said
    if kind == "border":
        name, plan = _text(row, "name", lang), _text(row, "plan", lang)
        return f"{name}: {plan}" if name and plan else name
    key = next((key for key in CLAIM_KEYS if row.get(key)), None)
    return _text(row, key, lang) if key else None


def _text(row: object, key: str, lang: str) -> str | None:
    """A row's text for key in lang, exactly (no Russian stands in for missing English)."""
    if not isinstance(row, dict):
        return None
    value = row.get(english_key(key) if lang == "en" else key)
    return str(value) if value else None


# ----------------------------------------------------------------------------- plain text


def as_text(citation: Citation, english: bool, width: int | None = None) -> str:
    """A citation as plain text: the id, the claim, then each quote and its article. Each
    paragraph is one line (ready to paste), or, given a width, wrapped at spaces to it."""
    lines = [(f"{citation.id} ({citation.kind})", "")]
    lines += _claim_lines(citation.claim, citation.claim_en, english, "")
    for quote in citation.quotes:
        lines.append(("", ""))
        lines += _claim_lines(quote.part, quote.part_en, english, "  ")
        lines.append((f"«{_clean(quote.text)}»", "  "))
        lines.append((f"— {attribution(quote.article, english, PLAIN)}", "  "))
    return "".join(_wrapped(_shown(line), indent, width) + "\n" for line, indent in lines)


def _claim_lines(
    ru: str | None, en: str | None, english: bool, indent: str
) -> list[tuple[str, str]]:
    lines = [(_clean(ru), indent)] if ru else []
    if english and en:
        lines.append((f"en: {_clean(en)}", indent))
    return lines


def _wrapped(text: str, indent: str, width: int | None) -> str:
    if not text:
        return ""
    if width is None:
        return indent + text
    import textwrap  # only a terminal's text is wrapped

    return textwrap.fill(
        text,
        max(width, len(indent) + 20),
        initial_indent=indent,
        subsequent_indent=indent + "  " * text.startswith("— "),
        break_long_words=False,
        break_on_hyphens=False,
    )


class Style(NamedTuple):
    """How a format shows the values of an attribution."""

    text: Callable[[str], str]
    """Data text: on one line, neutralised (and escaped where the format has markup)."""
    code: Callable[[str], str]
    """An id."""
    link: Callable[[str | None, str], str]
    """A headline (already shown, or None) and the article's address."""


def attribution(article: Article, english: bool, style: Style) -> str:
    """Where a quote is from, in a line: outlet (and what it relays), date (~ where inferred),
    headline, address and the article's id."""

    def beside(ru: str, en: str | None) -> str:
        shown = style.text(ru)
        return shown + (f"; en: {style.text(en)}" if english and en and en != ru else "")

    outlet = style.text(article.outlet) if article.outlet else "outlet not named"
    if english and article.outlet_en and article.outlet_en != article.outlet:
        outlet += f" (en: {style.text(article.outlet_en)})"
    if article.relays:
        outlet += f" (relays {beside(article.relays, article.relays_en)})"
    # "~" is no data: left unescaped, it is the one in its paragraph, so never strikethrough
    when = "~" * article.date_inferred + style.text(article.date) if article.date else "undated"
    parts = [outlet, when]
    headline = f"«{style.text(article.headline)}»" if article.headline else None
    if headline is not None or article.url:
        parts.append(style.link(headline, article.url) if article.url else str(headline))
        if english and article.headline_en:
            parts[-1] += f" (en: {style.text(article.headline_en)})"
    parts.append(f"article {style.code(article.id)}")
    return ", ".join(parts)


def _clean(text: str) -> str:
    """Text on one line: the quotes are verbatim whitespace aside, and a line break in them
    is the article's layout, not its words."""
    return squash(text)


def _shown(text: str) -> str:
    return neutralise(text)


def _plain_link(headline: str | None, url: str) -> str:
    return f"{headline}, {_shown(url)}" if headline else _shown(url)


PLAIN = Style(lambda text: _shown(_clean(text)), _shown, _plain_link)


# ----------------------------------------------------------------------------- Markdown

_SPECIAL = re.compile(r"([\\`*_\[\]<>|~#$&!])")
"""Characters Markdown (CommonMark and GitHub's: tables, strikethrough, math) may read as
markup anywhere in a line. Those that are markup only at a line's start (-, +, 1.) are left:
no line of a citation starts with data."""


def md_escape(text: str) -> str:
    """Text that Markdown shows as written: each special character backslash-escaped."""
    return _SPECIAL.sub(r"\\\1", text)


def md_code(text: str) -> str:
    """An inline code span holding text, its fence longer than any run of backticks in it."""
    longest = max((len(run) for run in re.findall("`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or not text.strip() else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def as_markdown(citation: Citation, english: bool) -> str:
    """A citation as Markdown: the claim in bold, its English, the id in code, then each
    quote as a block quote ending with its article. Data is escaped, never markup."""

    text = MARKDOWN.text
    lines = []
    if citation.claim:
        lines.append(f"**{text(citation.claim)}**  ")
    if english and citation.claim_en:
        lines.append(f"en: {text(citation.claim_en)}  ")
    lines.append(f"{md_code(_shown(citation.id))} ({citation.kind})")
    for quote in citation.quotes:
        lines.append("")
        if quote.part:
            en = f" (en: {text(quote.part_en)})" if english and quote.part_en else ""
            lines.append(f"> *{text(quote.part)}*{en}  ")
        lines.append(f"> «{text(quote.text)}»  ")
        lines.append(f"> — {attribution(quote.article, english, MARKDOWN)}")
    return "\n".join(lines) + "\n"


def _md_link(headline: str | None, url: str) -> str:
    address = f"<{_md_url(url)}>"
    return f"[{headline}]({address})" if headline else address


MARKDOWN = Style(
    lambda text: md_escape(_shown(_clean(text))), lambda text: md_code(_shown(text)), _md_link
)


def _md_url(url: str) -> str:
    """An address for a Markdown link in angle brackets: no line break, no bracket, no space."""
    cleaned = _shown(url.strip())
    return cleaned.replace("<", "%3C").replace(">", "%3E").replace(" ", "%20")


# ----------------------------------------------------------------------------- JSON


def as_json(citation: Citation) -> Iterator[dict[str, Any]]:
    """A citation as JSON objects, one a quote, with the keys of JSON_KEYS in that order."""
    for number, quote in enumerate(citation.quotes, 1):
        article = quote.article
        title, title_en = citation.claim, citation.claim_en
        if quote.part:
            title = f"{title} — {quote.part}" if title else quote.part
            title_en = f"{title_en} — {quote.part_en}" if title_en and quote.part_en else None
        note = f"kzkg show {citation.id} ({citation.kind}); article {article.id}"
        if article.relays:
            note += f"; the article relays {article.relays}"
        yield {
            "id": f"{citation.id}#{number}",
            "type": CSL_TYPE,
            "title": title if title is not None else quote.text,
            "title-en": title_en,
            "quote": quote.text,
            "container-title": article.outlet,
            "container-title-en": article.outlet_en,
            "issued": issued(article),
            "URL": article.url,
            "headline": article.headline,
            "headline-en": article.headline_en,
            "note": note,
            "language": "ru",
            "record": citation.id,
            "record-type": citation.kind,
            "article": article.id,
        }


def issued(article: Article) -> dict[str, Any] | None:
    """The article's date as CSL-JSON has it: date parts (two for an interval), and circa
    where the date is inferred."""
    if not article.date:
        return None
    parts = [[int(piece) for piece in end.split("-")] for end in article.date.split("/")]
    return {"date-parts": parts, **({"circa": True} if article.date_inferred else {})}
