"""Money, percentages and counts as [[trade]] candidates: "$1,4 млрд", "1,7 млрд долларов",
"свыше 80%", "на 21%", "195 товарных позиций"; with "около", "порядка", "почти" (approximate)
and "свыше", "более", "не менее", "менее", "до" (a bound)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

from kzkg_cli.ingest.draft.article import Article, Sentence
from kzkg_cli.ingest.draft.candidate import Candidate
from kzkg_cli.ingest.draft.documents import Dating

_SCALES = {"трлн": 10**12, "триллион": 10**12, "млрд": 10**9, "миллиард": 10**9,
           "млн": 10**6, "миллион": 10**6, "тыс": 10**3, "тысяч": 10**3}  # fmt: skip
_NUMBER = r"\d{1,3}(?:[ \u00a0]\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?"
_MONEY = re.compile(
    rf"(?P<dollar>\$\s?)?(?P<num>{_NUMBER})\s*(?P<scale>трлн|млрд|млн|тыс\.?|триллион\w*|миллиард\w*|миллион\w*|тысяч\w*)?"
    r"(?:\s*(?P<cur>долл\w*|USD|\$|тенге|сом\w*|руб\w*|евро))?(?![\w%])",
    re.I,
)
_PERCENT = re.compile(rf"(?P<num>{_NUMBER})\s*(?:%|процент\w*)", re.I)
_COUNT = re.compile(r"(?<![\d.,$])(?P<num>\d{1,6})\s+(?P<unit>[а-яё]+(?:\s+[а-яё]+)?)", re.I)
_CLAUSE = re.compile(r",\s+(?:а|из\s+которых|из\s+них|в\s+том\s+числе)\s+|;\s+")
_APPROXIMATE = re.compile(r"(?:около|порядка|почти|примерно|приблизительно)\s+\$?\s*$", re.I)
_MORE = re.compile(r"(?:свыше|более|больше|выше|не\s+менее|не\s+меньше)\s+\$?\s*$", re.I)
_EXCEEDED = re.compile(r"\b(?:превысил\w*|превышает|превысит|перевалил\w*)\b", re.I)
"""A verb saying the amount after it was passed ("превысил порог в $2 млрд"): a bound."""
_LESS = re.compile(r"(?:менее|меньше|не\s+более|не\s+больше|до)\s+\$?\s*$", re.I)
_GROWTH = re.compile(r"\b(?:вырос|выросл|увеличил|возрос|прирост|рост)\w*", re.I)
_FALL = re.compile(r"\b(?:снизил|сократил|уменьшил|упал|снижени|сокращени)\w*", re.I)
_TARGET = re.compile(
    r"намерен\w*|планиру\w*|цел[ьи]\w*|довести|увеличить|увеличени\w*|наращивани\w*|нарастить", re.I
)
_POTENTIAL = re.compile(r"\bготов\w*|потенциал\w*|возможност\w*", re.I)
_NOT_UNITS = re.compile(
    r"^(?:лет|год\w*|месяц\w*|дн\w*|недел\w*|час\w*|минут\w*|раз\w*|процент\w*|млрд|млн|тыс\w*|трлн|января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|ноября|декабря)\b",
    re.I,
)
_INDICATORS = (
    ("investment", r"инвест\w*|вложил\w*|вложени\w*"),
    ("agri_trade", r"сельхоз\w*|агро\w*|сельскохозяйств\w*"),
    ("export", r"экспорт\w*"),
    ("import", r"импорт\w*"),
    ("turnover", r"товарооборот\w*|объ[её]м\w*\s+(?:\w+\s+)?торговл\w*|торговл\w*"),
)


class Money(NamedTuple):
    value: float
    approximate: bool
    bound: str | None


def find_figures(article: Article, date: Dating) -> Iterator[Candidate]:
    """A trade candidate for each clause that states a dollar amount or a percentage."""
    for sentence in article.sentences:
        for start, end in _clauses(sentence.text):
            clause = sentence.text[start:end]
            candidate = _trade(article, sentence, clause, date)
            if candidate is not None:
                yield candidate


def _clauses(text: str) -> list[tuple[int, int]]:
    cuts = [0, *(m.end() for m in _CLAUSE.finditer(text)), len(text)]
    return [(a, b) for a, b in zip(cuts, cuts[1:], strict=False) if b > a]


def _trade(article: Article, sentence: Sentence, clause: str, date: Dating) -> Candidate | None:
    money = _money(clause)
    percents = list(_PERCENT.finditer(clause))
    if money is None and not percents:
        return None
    kind = (
        "potential"
        if _POTENTIAL.search(clause)
        else "target"
        if _TARGET.search(clause) and money
        else "actual"
    )
    indicator = next(
        (name for name, pattern in _INDICATORS if re.search(pattern, clause, re.I)), "trade"
    )
    fields: dict[str, object] = {"id": "", "indicator": indicator, "kind": kind}
    fields["title"] = clause.strip().rstrip(".,;")[:1].upper() + clause.strip().rstrip(".,;")[1:]
    fields.update(_when(sentence, date, kind))
    approximate, bound = False, None
    if money is not None:
        fields["value_usd"] = _whole(money.value)
        approximate, bound = money.approximate, money.bound
    for match in percents:
        name, value = _percent(clause, match)
        fields[name] = value
        before = clause[: match.start()]
        approximate = approximate or bool(_APPROXIMATE.search(before))
        if name == "share_pct" and _MORE.search(before):
            bound = "more_than"
    count = _count(clause)
    if count is not None:
        fields["count"], fields["count_unit"] = count
    if approximate:
        fields["approximate"] = True
    if bound and kind == "actual":
        fields["bound"] = bound
    english = ["title_en", *(["count_unit_en"] if count is not None else [])]
    return Candidate("trade", fields, [sentence.span], tuple(english))


def _when(sentence: Sentence, date: Dating, kind: str) -> dict[str, object]:
    found = date.found(sentence)
    horizon = next((f for f in found if f.role == "horizon" and f.value), None)
    if kind == "target":
        if horizon is None:
            return {}
        return {"horizon": horizon.value}
    period = next((f for f in found if f.role in ("period", "date") and f.value), None)
    if period is None:
        return date.of(sentence, "period")
    if not period.inferred:
        return {"period": period.value}
    return {"period": period.value, "period_inferred": True, "period_note": period.note}


def _money(clause: str) -> Money | None:
    for match in _MONEY.finditer(clause):
        dollars = match.group("dollar") or (match.group("cur") or "").lower().startswith(
            ("долл", "usd", "$")
        )
        if not dollars:
            continue
        value = _float(match.group("num"))
        scale = (match.group("scale") or "").lower().rstrip(".")
        factor = next((f for word, f in _SCALES.items() if scale.startswith(word)), 1)
        before = clause[: match.start()]
        bound = (
            "more_than"
            if _MORE.search(before) or _EXCEEDED.search(before)
            else "less_than"
            if _LESS.search(before)
            else None
        )
        return Money(value * factor, bool(_APPROXIMATE.search(before)), bound)
    return None


def _percent(clause: str, match: re.Match[str]) -> tuple[str, float | int]:
    value = _whole(_float(match.group("num")))
    before = clause[: match.start()]
    if re.search(r"\bна\s*$", before) and (_GROWTH.search(clause) or _FALL.search(clause)):
        return "growth_pct", -value if _FALL.search(clause) else value
    return "share_pct", value


def _count(clause: str) -> tuple[int, str] | None:
    for match in _COUNT.finditer(clause):
        unit = match.group("unit")
        number = int(match.group("num"))
        if _NOT_UNITS.match(unit) or 1900 <= number <= 2100:
            continue
        return number, unit
    return None


def _float(text: str) -> float:
    return float(re.sub(r"[ \u00a0]", "", text).replace(",", "."))


def _whole(value: float) -> float | int:
    return int(value) if float(value).is_integer() else round(value, 6)
