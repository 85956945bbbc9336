"""How each command's rows look to a person: table and TSV columns, with a compact citation.

Every view takes the language its text is shown in (core.lang): the Russian of the sources, or
the curated English beside it. Headers, kinds and statuses are English in both.
"""

from __future__ import annotations

from collections.abc import Callable

from kzkg_cli.core.lang import pick
from kzkg_cli.core.rows import Row, cited_docs
from kzkg_cli.index.store import Store
from kzkg_cli.present import figures
from kzkg_cli.present.columns import CellValue, Column, View, as_text
from kzkg_cli.present.formats import plain_cell

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


def money(value: float | None, lang: str = "en") -> str:
    """US dollars, short: $1.7 bn, $326 mn (present.figures formats every figure)."""
    return "" if value is None else figures.money(value, lang)


def cite(store: Store) -> Column:
    """The compact source column: outlet (or article number) and date of each article cited."""

    def cell(row: Row) -> list[str]:
        if row.get("type") == "passage":
            return [_article(store, row.get("source"))]
        return [_cite_doc(store, doc) for doc in cited_docs(row)]

    return Column("source", cell)


def _source_of(store: Store, ref: object) -> Row | None:
    """The article a passage names, by id or by a resolved reference (kept where the record
    is gone)."""
    doc = ref.get("id") if isinstance(ref, dict) else ref
    found = store.get(str(doc)) if doc else None
    return ref if found is None and isinstance(ref, dict) else found


def _article(store: Store, ref: object) -> str:
    """The article of a passage as a person reads it: "art. 003", then its outlet and date
    where known (the number is what `kzkg show 003:N` takes)."""
    source = _source_of(store, ref)
    doc = str(source.get("id") if source else ref or "")
    parts = [f"art. {doc[:3]}"]
    if source is not None:
        parts += [str(source.get("outlet") or ""), dated()(source) if source.get("date") else ""]
    return " ".join(part for part in parts if part)


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
    """Marks a reader must not miss: an event not held (announced, planned), a conflict
    between sources. (A figure's bound or approximation is in the figure: "свыше 80%".)"""
    marks = []
    if row["type"] == "event" and row.get("status") not in (None, "held"):
        marks.append(str(row["status"]))
    if row.get("conflicts"):
        marks.append("CONFLICT: " + ", ".join(row["conflicts"]))
    return "; ".join(marks)


def _roles(lang: str) -> Callable[[Row], list[str]]:
    """Each office with the span the sources attest it over, then each description."""

    def cell(row: Row) -> list[str]:
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
        return parts

    return cell


def _label(lang: str) -> Cell:
    def cell(row: Row) -> str:
        for key in ("name", "title", "label", "headline", "lead", "summary", "text"):
            if row.get(key):
                return str(pick(row, key, lang))
        return ""

    return cell


def _people(key: str, lang: str) -> Callable[[Row], list[str]]:
    def cell(row: Row) -> list[str]:
        return [_named(p, lang) for p in row.get(key, [])]

    return cell


def _period(row: Row) -> str:
    if row.get("period"):
        return ("~" if row.get("period_inferred") else "") + str(row["period"])
    if row.get("horizon"):
        return f"by {row['horizon']}"
    return "—"


def _value(lang: str) -> Cell:
    """The US dollar figure, with its bound or approximation ("~$2 bn", "свыше $2 млрд")."""
    return figures.cell("value_usd", lang)


def _growth(lang: str) -> Cell:
    """The change, signed: "+21%", "+21,5%"."""
    return figures.cell("growth_pct", lang)


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
        lang,
    )


def statements(store: Store, lang: str = "ru") -> View:
    return View(
        "Statements",
        [
            Column("date", dated(), wrap=False),
            Column("speaker", _people("speakers", lang), inline=True),
            Column("said", text("summary", lang)),
            Column("words (verbatim)", _words),
            cite(store),
        ],
        lang,
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
            Column("participants", _people("participants", lang), inline=True),
            Column("note", flags),
            cite(store),
        ],
        lang,
    )


def trade(store: Store, lang: str = "ru") -> View:
    return View(
        "Trade and investment (US$)",
        [
            Column("period", _period, wrap=False),
            Column("indicator", text("indicator"), wrap=False),
            Column("figure", text("title", lang)),
            Column("value", _value(lang), wrap=False),  # a figure is read whole
            Column("share", figures.cell("share_pct", lang), wrap=False),
            Column("quantity", figures.cell("count", lang), wrap=False),
            Column("growth", _growth(lang), wrap=False),
            Column("note", figures.conflict_notes(store, lang)),
            cite(store),
        ],
        lang,
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
        lang,
    )


def agreements(store: Store, lang: str = "ru") -> View:
    return View(
        "Agreements and documents",
        [
            Column("date", dated(), wrap=False),
            Column("document", text("title", lang)),
            Column("kind", text("kind")),
            Column("status", text("status")),
            Column("parties", lambda row: list(row.get("parties", [])), inline=True),
            Column("note", flags),
            cite(store),
        ],
        lang,
    )


def search(store: Store, lang: str = "ru") -> View:
    return View(
        "Search results",
        [
            Column("type", text("type")),
            Column("id", text("id"), wrap=False),
            Column("what", _label(lang)),
            Column("date", _search_date(store), wrap=False),
            cite(store),
        ],
        lang,
    )


def _search_date(store: Store) -> Cell:
    """A record's date or period; a passage's, its article's."""

    def cell(row: Row) -> str:
        if row.get("type") == "passage":
            source = _source_of(store, row.get("source"))
            return dated()(source) if source else "—"
        return dated()(row) if "date" in row else _period(row)

    return cell


# ----------------------------------------------------------------------------- why it matched


def why(row: Row) -> str:
    """Why a row matched, in a line: the fields, then each alias used and each word found
    (`title: ВМС → Высший межгосударственный совет`); a name's alias, way and score
    (`name: Садыр Жапаров (exact, 100)`); empty where the row carries no match."""
    match = row.get("match")
    if not isinstance(match, dict):
        return ""
    if "alias" in match:  # who: how the name was found
        score = match.get("score")
        how = ", ".join(str(p) for p in (match.get("kind"), _score(score)) if p)
        return f"name: {match['alias']}" + (f" ({how})" if how else "")
    fields = ", ".join(str(field) for field in match.get("fields") or ())
    via = [v for v in match.get("via") or () if isinstance(v, dict)]
    typed = {str(v.get("typed", "")).casefold() for v in via}
    words = [str(w) for w in match.get("words") or () if str(w).casefold() not in typed]
    found = ", ".join([*(f"{v.get('typed')} → {v.get('alias')}" for v in via), *words])
    return f"{fields}: {found}" if fields and found else fields or found


def _score(score: object) -> str:
    return f"{score:g}" if isinstance(score, int | float) else ""


def matched(view: View, why_column: bool) -> View:
    """The view of a command that matches text: with --why, a column saying why each row
    matched; and always, last, the row's match as compact JSON for scripts reading TSV
    (a table leaves it out)."""
    extra = [Column("why", why)] if why_column else []
    data = Column("match", lambda row: plain_cell(row.get("match")), in_table=False)
    return View(view.title, [*view.columns, *extra, data], view.lang)


def sources(lang: str = "ru", facts: str = "") -> View:
    """The articles; the title names the fact file in use, where given."""
    return View(
        f"Sources in {facts}" if facts else "Sources",
        [
            Column("id", text("id"), wrap=False),
            Column("outlet", lambda r: pick(r, "outlet", lang) or "—"),
            Column("date", dated()),
            Column("facts", text("facts")),
            Column("headline", lambda r: pick(r, "headline", lang) or pick(r, "lead", lang) or ""),
        ],
        lang,
    )


def records(lang: str = "ru") -> View:
    return View(
        "Records",
        [
            Column("id", text("id"), wrap=False),
            Column("type", text("type")),
            Column("what", _label(lang)),
        ],
        lang,
    )


FIELD_VIEW = View(
    "Record",
    [
        Column("field", text("field"), wrap=False),
        Column("value", lambda row: row["value"], inline=True, full=True),
    ],
)


def in_full(row: Row, store: Store, lang: str = "ru") -> tuple[list[Row], View]:
    """What `show` draws of a row: a record field by field, or a passage among its
    neighbours."""
    if row.get("type") == "passage":
        return passage_lines(row), passage_view(row, store)
    title = f"{row.get('type', 'record')} {row.get('id', '')}".strip()
    return as_fields(row, store, lang), FIELD_VIEW._replace(title=title, lang=lang)


def passage_lines(row: Row) -> list[Row]:
    """A passage and its neighbours in the article's order, the asked one marked with ›."""
    lines = [*row.get("before", ()), row, *row.get("after", ())]
    return [
        {"n": ("› " if line is row else "  ") + str(line.get("n", "")), "text": line.get("text")}
        for line in lines
    ]


def passage_view(row: Row, store: Store) -> View:
    """The columns of a passage's lines, under its article's line: number, outlet, date and
    headline."""
    source = _source_of(store, row.get("source")) or {}
    headline = source.get("headline") or source.get("lead")
    title = _article(store, row.get("source")) + (f": {headline}" if headline else "")
    return View(title, [Column("n", text("n"), wrap=False), Column("sentence", text("text"))])


def as_fields(row: Row, store: Store, lang: str = "ru", depth: int = 0) -> list[Row]:
    """A record as field/value rows for `show`, every kind alike: each value in words (a
    reference by its name, an inferred value with ~ or "(inferred)", True as "yes"), its
    English beside it, its note on the next row; each nested record (a person's roles, a
    conflict's readings) as a heading row with its own fields indented under it; and each
    quote with the outlet and date of its article."""
    out: list[Row] = []
    pad = "  " * depth
    for key, value in row.items():
        if not _shown_key(row, key, value) or (depth and key in _HEADINGS):
            continue
        label = pad + key.replace("_", " ")
        if isinstance(value, list) and value and all(_nested(item) for item in value):
            for item in value:
                if key == "readings":  # a conflict's reading, as its field's figures read
                    heading = figures.reading(item, str(row.get("field") or ""), lang)
                    item = {k: v for k, v in item.items() if k not in _READING}
                else:
                    heading = _heading(item, lang)
                out.append({"field": pad + _singular(key), "value": heading})
                out += as_fields(item, store, lang, depth + 1)
            continue
        out.append({"field": label, "value": _in_words(row, key, value, lang)})
        note = row.get(f"{key}_note")
        if note:
            out.append({"field": f"{label} note", "value": str(note)})
    for ref in row.get("sources") or ():
        out.append(
            {"field": pad + "quote", "value": f"«{ref['quote']}» — {_quoted_in(store, ref)}"}
        )
    return out


_HEADINGS = ("title", "label", "name", "value")
_READING = ("value", "text", "approximate", "bound", "unit", "unit_en", "value_inferred")
"""A reading's keys its heading shows (present.figures.reading)."""
"""The keys a nested record's heading row shows (so its own rows leave them out)."""


def _shown_key(row: Row, key: str, value: object) -> bool:
    """Whether `show` gives key a row: not the quotes (shown last), not a flag or note shown
    with its value, not the English shown beside its Russian, not an empty value."""
    if key == "sources" or value is None or value is False or value in ("", [], ()):
        return False
    for suffix in ("_inferred", "_note", "_en"):
        if key.endswith(suffix) and key[: -len(suffix)] in row:
            return False
    return True


def _nested(item: object) -> bool:
    """A nested record with quotes of its own (a role, a conflict's reading)."""
    return isinstance(item, dict) and "sources" in item


def _singular(key: str) -> str:
    return key[:-1] if key.endswith("s") else key


def _heading(item: Row, lang: str) -> str:
    for key in _HEADINGS:
        if item.get(key) not in (None, ""):
            return as_text(_in_words(item, key, item[key], lang), ", ")
    return ""


def _in_words(row: Row, key: str, value: object, lang: str) -> CellValue:
    """One field's value as `show` gives it: lists as lists, the rest as a line."""
    if isinstance(value, list):
        return [str(_in_words(row, key, item, lang)) for item in value]
    if isinstance(value, dict):
        if "id" in value:
            return _named(value, lang)
        return "; ".join(f"{k}: {_in_words(value, k, v, lang)}" for k, v in value.items() if v)
    if value is True:
        return "yes"
    words = str(value)
    english = row.get(f"{key}_en")
    if isinstance(english, str) and english and english != words:
        words = f"{english} ({words})" if lang == "en" else f"{words} ({english})"
    if row.get(f"{key}_inferred"):
        words = f"~{words}" if key in _DATED else f"{words} (inferred)"
    return words


_DATED = ("date", "period", "horizon", "start", "end")
"""Keys whose inferred values are marked ~, as in every table."""


def _quoted_in(store: Store, ref: Row) -> str:
    """Where a quote is from: the outlet and date of its article, and the article's number."""
    doc = str(ref.get("doc", ""))
    cited = _cite_doc(store, doc)
    return cited if cited.startswith("art.") else f"{cited} (art. {doc[:3]})"
