"""Figures as the sources say them, in the language of the view: the bound or the
approximation inside the value ("more than 80%", "свыше 80%", "~$2 bn"), scale words and
units ("$1.4 bn", "$1,4 млрд", "4.2 mn t", "4,2 млн т") and the decimal mark ("80.5%",
"80,5%").

A figure is printed exactly: a scale word is used only where the number under it needs at
most three decimals (1.35 bn stays 1.35; 1,234,567,891 keeps every digit). Every view, the
chart and a conflict's readings format their figures here, so that a figure reads the same
wherever it is shown.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from kzkg_cli.core.lang import pick

if TYPE_CHECKING:
    from kzkg_cli.index.store import Store

Row = Mapping[str, Any]

BOUNDS: dict[str, dict[str, str]] = {
    "more_than": {"ru": "свыше", "en": "more than"},
    "less_than": {"ru": "менее", "en": "less than"},
}
"""Each bound of the model (core.model.Bound) in words, as the Russian sources write it
("свыше 80%") and in English."""
APPROXIMATE = "~"
"""Before an approximate figure in both languages ("~$2 bn", "~$2 млрд"): the sources' "около"."""
SCALES: tuple[tuple[int, dict[str, str]], ...] = (
    (10**12, {"ru": "трлн", "en": "tn"}),
    (10**9, {"ru": "млрд", "en": "bn"}),
    (10**6, {"ru": "млн", "en": "mn"}),
)
UNITS: dict[str, dict[str, str]] = {"тонн": {"ru": "т", "en": "t"}}
"""Short forms of units a count names (a trade's count_unit, as facts.toml writes it); a unit
not here is shown in full, in the view's language (count_unit_en in English)."""
DECIMALS = 3
"""At most this many decimals under a scale word; a number needing more is written whole."""
_MARKS = {"ru": (",", "\u00a0", 5), "en": (".", ",", 4)}
"""By language: the decimal mark, the thousands separator (a no-break space in Russian) and
the number of digits from which thousands are grouped (Russian leaves 1400 whole)."""
TRADE_FIGURES = ("value_usd", "share_pct", "count")
"""A trade record's figures, each in a column of its own; its approximate and bound qualify
the first it has (the model gives one pair of flags to a record)."""


def _decimal(value: float) -> Decimal:
    """A number exactly as stored: an int as it is, a float by its shortest repr (1.35e9
    is 1350000000, not 1349999999.99...)."""
    return Decimal(value) if isinstance(value, int) else Decimal(repr(float(value)))


def number(value: float | Decimal, lang: str) -> str:
    """A number in lang, every digit kept: 1.35 / 1,35; 12,500 / 12 500; 1400 / 1400."""
    point, group, from_digits = _MARKS[lang]
    exact = value if isinstance(value, Decimal) else _decimal(value)
    text = format(exact.normalize(), "f") if exact != exact.to_integral() else f"{exact:.0f}"
    sign = "-" if text.startswith("-") else ""
    whole, _, fraction = text.lstrip("-").partition(".")
    if len(whole) >= from_digits:
        head = len(whole) % 3 or 3
        whole = group.join([whole[:head], *(whole[i : i + 3] for i in range(head, len(whole), 3))])
    return sign + whole + (point + fraction if fraction else "")


def scaled(value: float, lang: str, smallest: int = 10**6) -> str:
    """A number with a scale word where one keeps it exact ("1.4 bn", "1,4 млрд", "326 mn"),
    else the whole number; scales below smallest are not used."""
    exact = _decimal(value)
    for size, words in SCALES:
        if size < smallest or abs(exact) < size:
            continue
        under = (exact / size).normalize()
        if -under.as_tuple().exponent <= DECIMALS:  # type: ignore[operator]
            return f"{number(under, lang)} {words[lang]}"
    return number(exact, lang)


def qualified(text: str, lang: str, approximate: bool = False, bound: str | None = None) -> str:
    """A formatted figure with its bound ("more than 80%") or approximation ("~$2 bn")."""
    if bound:
        return f"{BOUNDS[bound][lang]} {text}"
    return APPROXIMATE + text if approximate else text


def money(value: float, lang: str, approximate: bool = False, bound: str | None = None) -> str:
    """US dollars: $1.4 bn, $326 mn, $500,000; $1,4 млрд, $326 млн, $500 000."""
    sign = "-" if value < 0 else ""
    return qualified(f"{sign}${scaled(abs(value), lang)}", lang, approximate, bound)


def percent(
    value: float,
    lang: str,
    approximate: bool = False,
    bound: str | None = None,
    signed: bool = False,
) -> str:
    """A percentage: 80% / 80,5%; signed (a change): +21%, -4%."""
    text = number(value, lang) + "%"
    if signed and value > 0:
        text = "+" + text
    return qualified(text, lang, approximate, bound)


def count(
    value: float,
    unit: str | None,
    lang: str,
    approximate: bool = False,
    bound: str | None = None,
) -> str:
    """A count with its unit: 4.2 mn t / 4,2 млн т, 195 commodity items / 195 товарных
    позиций (unit: as facts.toml writes it in lang; a short form from UNITS if it has one)."""
    text = scaled(value, lang)
    return qualified(f"{text} {unit}" if unit else text, lang, approximate, bound)


def unit_of(row: Row, key: str, lang: str) -> str | None:
    """The unit a row names at key ("count_unit", a reading's "unit") in lang: its short form
    where UNITS has one, else the row's own words (its English in English)."""
    russian = row.get(key)
    if isinstance(russian, str) and russian in UNITS:
        return UNITS[russian][lang]
    shown = pick(dict(row), key, lang)
    return str(shown) if shown else None


# ----------------------------------------------------------------------------- records


def qualified_key(row: Row) -> str | None:
    """The figure a trade row's approximate and bound qualify: its first (TRADE_FIGURES)."""
    return next((key for key in TRADE_FIGURES if row.get(key) is not None), None)


def of_row(row: Row, key: str, lang: str) -> str:
    """A record's figure at key, formatted, with the record's flags where they qualify it;
    "" where the record has none."""
    value = row.get(key)
    if value is None or isinstance(value, bool):
        return ""
    flags: dict[str, Any] = {}
    if key == qualified_key(row):
        flags = {"approximate": bool(row.get("approximate")), "bound": row.get("bound")}
    if key == "value_usd":
        return money(value, lang, **flags)
    if key == "growth_pct":
        return percent(value, lang, signed=True)
    if key.endswith("_pct"):
        return percent(value, lang, **flags)
    if key == "count":
        return count(value, unit_of(row, "count_unit", lang), lang, **flags)
    return qualified(scaled(value, lang), lang, **flags)


def cell(key: str, lang: str) -> Callable[[Row], str]:
    """A table cell showing one figure of a row (see of_row)."""
    return lambda row: of_row(row, key, lang)


# ----------------------------------------------------------------------------- conflicts


def reading(item: Row, field: str, lang: str) -> str:
    """One reading of a conflict about field, as the field's own figures read: "~$2 bn",
    "8 crossing points"; a text (a status) as it is."""
    if item.get("value") is None:
        return str(item.get("text") or "")
    value, approximate, bound = item["value"], bool(item.get("approximate")), item.get("bound")
    if field == "value_usd":
        return money(value, lang, approximate, bound)
    if field.endswith("_pct"):
        return percent(value, lang, approximate, bound, signed=field == "growth_pct")
    return count(value, unit_of(item, "unit", lang), lang, approximate, bound)


def readings(conflict: Row, lang: str) -> str:
    """A conflict's readings side by side: "$1.7 bn / ~$2 bn"."""
    field = str(conflict.get("field") or "")
    return " / ".join(reading(item, field, lang) for item in conflict.get("readings") or ())


def conflict_line(conflict_id: str, conflict: Row | None, lang: str) -> str:
    """A conflict in a line: its id, how sure it is where not certain, and its readings
    ("turnover-2024-conflict (possible): $1.7 bn / ~$2 bn")."""
    if conflict is None:
        return conflict_id
    sure = conflict.get("certainty")
    how = f" ({sure})" if sure and sure != "certain" else ""
    shown = readings(conflict, lang)
    return f"{conflict_id}{how}" + (f": {shown}" if shown else "")


def conflict_notes(store: Store, lang: str) -> Callable[[Row], list[str]]:
    """A cell listing a row's conflicts, each with its readings: "CONFLICT:
    turnover-2024-conflict (possible): $1.7 bn / ~$2 bn"."""

    def cell(row: Row) -> list[str]:
        ids = row.get("conflicts") or ()
        return [f"CONFLICT: {conflict_line(i, store.get(i), lang)}" for i in ids]

    return cell
