"""Places a sentence names ("в Бишкеке", "в Астане") and border crossing points ("пунктов
пропуска «Қарасу», «Бесагаш»") as [[border]] candidates."""

from __future__ import annotations

import re
from collections.abc import Iterator

from kzkg_cli.ingest.draft.article import Article, parses
from kzkg_cli.ingest.draft.candidate import Candidate, Span
from kzkg_cli.ingest.draft.latin import latin

_IN = re.compile(r"\b(?:в|во|на)\s+([А-ЯЁҚҒӨҰҮ][\w-]+(?:\s+[А-ЯЁҚҒӨҰҮ][\w-]+)?)")
_CHECKPOINTS = re.compile(r"пункт\w*\s+пропуска", re.I)
_NAMED = re.compile(r"«([^»]{2,40})»")
_PLANNED = re.compile(
    r"строительств|реконструкц|планиру|предусматрива|модерниз|обновлени|будет|будут", re.I
)
_OPERATING = re.compile(r"действу|работа[ею]т|открыт", re.I)


def place_in(article: Article, span: Span) -> tuple[str, Span] | None:
    """The first place a stretch names after "в", "во" or "на", in the nominative."""
    for match in _IN.finditer(article.cut(span)):
        word = match.group(1).split()[0]
        if word.isupper():  # an abbreviation (РК, КР) is a name as written
            start = span.start + match.start(1)
            return word, Span(start, start + len(word))
        for parse in parses(word):
            if "Geox" in parse.tag and parse.tag.POS == "NOUN":
                name = "-".join(p[:1].upper() + p[1:] for p in str(parse.normal_form).split("-"))
                start = span.start + match.start(1)
                return name, Span(start, start + len(word))
    return None


def find_checkpoints(article: Article) -> Iterator[Candidate]:
    """A border candidate for each crossing point a sentence names in quotation marks."""
    for sentence in article.sentences:
        mention = _CHECKPOINTS.search(sentence.text)
        if mention is None:
            continue
        status = (
            "operating"
            if _OPERATING.search(sentence.text) and not _PLANNED.search(sentence.text)
            else "planned"
            if _PLANNED.search(sentence.text)
            else "ongoing"
        )
        for named in _NAMED.finditer(sentence.text, mention.end()):
            name = named.group(1).strip()
            fields: dict[str, object] = {
                "id": "", "kind": "checkpoint", "name": name, "name_latin": latin(name),
                "status": status, "plan": sentence.text.strip(),
            }  # fmt: skip
            yield Candidate("border", fields, [sentence.span], ("plan_en",))
