"""How each command's rows look to a person: table and TSV columns, with a compact citation.

Every view takes the language its text is shown in (core.lang): the Russian of the sources, or
the curated English beside it. Headers, kinds and statuses are English in both.
"""

from __future__ import annotations

from collections.abc import Callable

from kzkg_cli.core.lang import pick
from kzkg_cli.core.rows import Row, cited_docs
from kzkg_cli.index.store import Store
from kzkg_cli.present.columns import Column, View

Cell = Callable[[Row], str]


def text(key: str, lang: str = "ru") -> Cell:
    """A cell showing one key as text in lang, empty when missing."""

    def cell(row: Row) -> str:
        value = pick(row, key, lang)
        return "" if value is None else str(value)

    return cell


def names(lang: str) -> list[Column]:
    """The two name columns, the reader's script first: Cyrillic and Latin, or Latin and
    Cyrillic."""
    if lang == "en":
        return [Column("name", text("name_latin")), Column("cyrillic", text("name"))]
    return [Column("name", text("name")), Column("latin", text("name_latin"))]


def dated(key: str = "date") -> Cell:
    """A partial date, with ~ where it was inferred and — where there is none."""

    def cell(row: Row) -> str:
        value = row.get(key)
        if not value:
            return "—"
        return f"~{value}" if row.get(f"{key}_inferred") else str(value)

    return cell


def money(value: float | None) -> str:
    """US dollars, short: $1.7 bn, $326 mn."""
    if value is None:
        return ""
    for size, unit in ((1e9, "bn"), (1e6, "mn")):
        if abs(value) >= size:
            return f"${value / size:g} {unit}"
    return f"${value:,.0f}"


def cite(store: Store) -> Column:
    """The compact source column: outlet (or article number) and date of each article cited."""

    def cell(row: Row) -> str:
        return "; ".join(_cite_doc(store, doc) for doc in cited_docs(row))

    return Column("source", cell)


def _cite_doc(store: Store, doc: str) -> str:
    source = store.get(doc)
    if source is None:
        return doc
    outlet = source.get("outlet") or f"art. {doc[:3]}"
    if not source.get("date"):
        return outlet
    return f"{outlet} {'~' if source.get('date_inferred') else ''}{source['date']}"


def _named(ref: object, lang: str) -> str:
    """A resolved reference as a person reads it: its name, title or label (never its id,
    unless the record it names is gone)."""
    if not isinstance(ref, dict):
        return str(ref)
    if "outlet" in ref:  # an article, as the source column names it
        return str(ref["outlet"] or f"art. {str(ref['id'])[:3]}")
    for key in ("name", "title", "label", "summary"):
        if ref.get(key):
            text = str(pick(ref, key, lang))
            speakers = ref.get("speakers") if key == "summary" else None
            if speakers:
                text = f"{', '.join(_named(s, lang) for s in speakers)}: {text}"
            return text
    return str(ref.get("id", ""))


def flags(row: Row) -> str:
    """Marks a reader must not miss: an event not held (announced, planned), approximate, a
    bound, a conflict between sources."""
    marks = []
    if row["type"] == "event" and row.get("status") not in (None, "held"):
        marks.append(str(row["status"]))
    if row.get("approximate"):
        marks.append("approx.")
    if row.get("bound"):
        marks.append(str(row["bound"]).replace("_", " "))
    if row.get("conflicts"):
        marks.append("CONFLICT: " + ", ".join(row["conflicts"]))
    return "; ".join(marks)


def _roles(lang: str) -> Cell:
    """Each office with the span the sources attest it over, then each description."""

    def cell(row: Row) -> str:
        parts = []
        for office in row.get("offices", []):
            first = dated("attested_first")(office)
            last = dated("attested_last")(office)
            span = "undated" if first == "—" else first if first == last else f"{first} … {last}"
            parts.append(f"{_named(office, lang)} ({span})")
        for role in row.get("roles", []):
            if role.get("office"):
                continue
            when = role.get("date")
            shown_date = f" ({'~' if role.get('date_inferred') else ''}{when})" if when else ""
            parts.append(f"{pick(role, 'title', lang)}{shown_date}")
        return "\n".join(parts)

    return cell


def _label(lang: str) -> Cell:
    def cell(row: Row) -> str:
        for key in ("name", "title", "label", "headline", "lead", "summary"):
            if row.get(key):
                return str(pick(row, key, lang))
        return ""

    return cell


def _people(key: str, lang: str) -> Cell:
    def cell(row: Row) -> str:
        return ", ".join(_named(p, lang) for p in row.get(key, []))

    return cell


def _period(row: Row) -> str:
    if row.get("period"):
        return ("~" if row.get("period_inferred") else "") + str(row["period"])
    if row.get("horizon"):
        return f"by {row['horizon']}"
    return "—"


def _value(lang: str) -> Cell:
    def cell(row: Row) -> str:
        parts = [money(row.get("value_usd"))]
        if row.get("share_pct") is not None:
            parts.append(f"{row['share_pct']:g}%")
        if row.get("count") is not None:
            parts.append(f"{row['count']} {pick(row, 'count_unit', lang) or ''}".strip())
        return " ".join(p for p in parts if p)

    return cell


def _growth(row: Row) -> str:
    growth = row.get("growth_pct")
    return "" if growth is None else f"{growth:+g}%"


def people(store: Store, lang: str = "ru") -> View:
    return View(
        "People",
        [
            *names(lang),
            Column("country", text("country")),
            Column("kind", text("kind")),
            Column("offices (attested) and descriptions", _roles(lang)),
            cite(store),
        ],
    )


def statements(store: Store, lang: str = "ru") -> View:
    return View(
        "Statements",
        [
            Column("date", dated(), wrap=False),
            Column("speaker", _people("speakers", lang)),
            Column("said", text("summary", lang)),
            Column("words (verbatim)", _words),
            cite(store),
        ],
    )


def _words(row: Row) -> str:
    """The words said: the statement's first quote, as the article gives it."""
    sources = row.get("sources") or []
    return f"«{sources[0]['quote']}»" if sources else ""


def events(store: Store, lang: str = "ru") -> View:
    return View(
        "Timeline",
        [
            Column("date", dated(), wrap=False),
            Column("event", text("title", lang)),
            Column("place", text("place", lang)),
            Column("participants", _people("participants", lang)),
            Column("note", flags),
            cite(store),
        ],
    )


def trade(store: Store, lang: str = "ru") -> View:
    return View(
        "Trade and investment (US$)",
        [
            Column("period", _period, wrap=False),
            Column("indicator", text("indicator"), wrap=False),
            Column("figure", text("title", lang)),
            Column("value", _value(lang)),
            Column("growth", _growth, wrap=False),
            Column("note", flags),
            cite(store),
        ],
    )


def borders(store: Store, lang: str = "ru") -> View:
    return View(
        "Border crossings and infrastructure",
        [
            *names(lang),
            Column("kind", text("kind")),
            Column("status", text("status")),
            Column("horizon", dated("horizon")),
            Column("plan", text("plan", lang)),
            Column("note", flags),
            cite(store),
        ],
    )


def agreements(store: Store, lang: str = "ru") -> View:
    return View(
        "Agreements and documents",
        [
            Column("date", dated(), wrap=False),
            Column("document", text("title", lang)),
            Column("kind", text("kind")),
            Column("status", text("status")),
            Column("parties", lambda row: "-".join(row.get("parties", []))),
            Column("note", flags),
            cite(store),
        ],
    )


def search(store: Store, lang: str = "ru") -> View:
    return View(
        "Search results",
        [
            Column("type", text("type")),
            Column("id", text("id"), wrap=False),
            Column("what", _label(lang)),
            Column("date", lambda r: dated()(r) if "date" in r else _period(r)),
            cite(store),
        ],
    )


def sources(lang: str = "ru") -> View:
    return View(
        "Sources",
        [
            Column("id", text("id"), wrap=False),
            Column("outlet", lambda r: r.get("outlet") or "—"),
            Column("date", dated()),
            Column("facts", text("facts")),
            Column("headline", lambda r: pick(r, "headline", lang) or pick(r, "lead", lang) or ""),
        ],
    )


def records(lang: str = "ru") -> View:
    return View(
        "Records",
        [
            Column("id", text("id"), wrap=False),
            Column("type", text("type")),
            Column("what", _label(lang)),
        ],
    )


FIELD_VIEW = View(
    "Record", [Column("field", text("field"), wrap=False), Column("value", text("value"))]
)


def as_fields(row: Row, store: Store) -> list[Row]:
    """One record as field/value rows, every quote on a line of its own, for `show`."""
    out: list[Row] = []
    for key, value in row.items():
        if key == "sources" or value is None or value is False or value in ("", [], ()):
            continue
        out.append({"field": key, "value": _field_text(value)})
    for ref in row.get("sources", []):
        out.append(
            {"field": f"source {_cite_doc(store, ref['doc'])}", "value": f"«{ref['quote']}»"}
        )
    return out


def _field_text(value: object) -> str:
    if isinstance(value, list):
        return "\n".join(_field_text(v) for v in value)
    if isinstance(value, dict):
        if "id" in value and "sources" not in value:  # a reference: the name, not the id
            when = dated()(value) if value.get("date") else ""
            return _named(value, "ru") + (f" ({when})" if when else "")
        inner = {
            k: _field_text(v) if isinstance(v, dict | list) else v
            for k, v in value.items()
            if k != "sources" and v not in (None, False, [])
        }
        quotes = [f"«{s['quote']}»" for s in value.get("sources", [])]
        return "; ".join(f"{k}: {v}" for k, v in inner.items()) + "".join(" " + q for q in quotes)
    return str(value)
