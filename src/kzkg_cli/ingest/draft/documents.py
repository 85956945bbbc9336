"""Documents (договор, протокол, дорожная карта, концепция, план, меморандум, соглашение,
заявление, программа…) with their status words, as [[agreement]] candidates; and events
(заседание, визит, переговоры, встреча, брифинг…) as [[event]] candidates."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence

from kzkg_cli.core import names
from kzkg_cli.ingest.draft.article import Article, Sentence, nominative, parses
from kzkg_cli.ingest.draft.candidate import Candidate, PersonKey, Span
from kzkg_cli.ingest.draft.dates import Found, dates_in
from kzkg_cli.ingest.draft.phrases import phrase_at

DOCUMENTS = {
    "договор": "treaty",
    "соглашение": "treaty",
    "протокол": "protocol",
    "карта": "roadmap",
    "концепция": "concept",
    "план": "plan",
    "программа": "plan",
    "меморандум": "understanding",
    "заявление": "joint_statement",
    "решение": "decision",
    "документ": "documents",
    "договорённость": "understanding",
    "договоренность": "understanding",
    "режим": "regime",
}
"""Document words (lemmas) and the agreement kind each names (core.model.Agreement)."""
EVENTS = {
    "заседание": "council",
    "визит": "visit",
    "переговоры": "talks",
    "встреча": "talks",
    "брифинг": "briefing",
    "саммит": "council",
    "подписание": "signing",
    "открытие": "opening",
    "церемония": "ceremony",
    "концерт": "cultural",
    "фестиваль": "cultural",
}
"""Event words (lemmas) and the event kind each names (core.model.Event)."""
STATUSES = (  # the first that a sentence says wins: "будет подписан" is planned, not signed
    (
        "planned",
        r"будет\s+подписан\w*|разрабатыва\w*|планиру\w*|намерен\w*|предстоит\w*|будут\s+принят\w*",
    ),
    ("signed", r"подписа\w*"),
    ("in_force", r"ратифицир\w*|вступил\w*\s+в\s+силу"),
    ("instructed", r"поручен\w*|поручил\w*"),
    ("adopted", r"\bприня\w*|\bпринима\w*|одобр\w*|утвержд[её]н\w*|утвердил\w*"),
    ("agreed", r"договорил\w*|достигнут\w*|согласова\w*"),
    ("provided", r"предусматрива\w*|в\s+соответствии\s+с"),
    ("discussed", r"обсу[жд]\w*|рассмотр\w*"),
)
_HELD = re.compile(
    r"провел\w*|провели|состоял\w*|состоится|прош[её]л|прошл[аио]|пройд[её]т|совершил\w*|"
    r"прибыл\w*|посетил\w*|начал\w*|принял\w*|предстоящ\w*|планиру\w*|выступил\w*|"
    r"посеща\w*|прибыва\w*|проход\w*|проводит\w*",
    re.I,
)
_FUTURE = re.compile(r"состоится|пройд[её]т|предстоящ\w*|планиру\w*|будет", re.I)
_AGREED = re.compile(r"\b(?:договорились|достигнута\s+договоренность)\b", re.I)
_HORIZON = re.compile(r"\bдо\s+((?:19|20)\d{2})\s+года\b")

PeopleIn = Callable[[Span], list[PersonKey]]
PlaceIn = Callable[[Span], "tuple[str, Span] | None"]


def find_documents(article: Article, date: Dating) -> Iterator[Candidate]:
    """An agreement candidate for each document a sentence names with a status word."""
    seen: set[str] = set()
    for sentence in article.sentences:
        status = status_of(sentence.text)
        if status is None:
            continue
        for span, kind in _heads(article, sentence, DOCUMENTS, _document_head):
            title = _capital(nominative(article.cut(span)))
            key = names.canonical(title)
            if key in seen:
                continue
            seen.add(key)
            yield _agreement(article, sentence, span, title, kind, status, date)


def status_of(text: str) -> str | None:
    for status, pattern in STATUSES:
        if re.search(pattern, text, re.I):
            return status
    return None


_MANNER = frozenset(("режим",))
"""Document words that, in the instrumental or prepositional after "с" or "в", say how a
thing runs rather than name a document ("КПП станет международным с круглосуточным режимом
работы", "работает в штатном режиме")."""


def _document_head(word: str, following: str) -> str | None:
    for parse in parses(word.lower()):
        lemma = str(parse.normal_form).replace("ё", "е")
        if parse.tag.POS != "NOUN" or lemma not in DOCUMENTS:
            continue
        if lemma in _MANNER and parse.tag.case in ("ablt", "loct"):
            return None
        if lemma == "карта" and not re.match(r"дорожн", word.lower()) and not following:
            return None
        return lemma
    return None


def _heads(
    article: Article,
    sentence: Sentence,
    table: dict[str, str],
    head: Callable[[str, str], str | None],
) -> Iterator[tuple[Span, str]]:
    words = article.words(sentence.span)
    for index, word in enumerate(words):
        previous = words[index - 1].text.lower() if index else ""
        lemma = head(word.text, previous)
        if lemma is None or (lemma == "карта" and not previous.startswith("дорожн")):
            continue
        yield phrase_at(article, words, index), table[lemma]


def _agreement(
    article: Article,
    sentence: Sentence,
    span: Span,
    title: str,
    kind: str,
    status: str,
    date: Dating,
) -> Candidate:
    fields: dict[str, object] = {"id": "", "kind": kind, "title": title}
    comments = []
    fields.update(date.of(sentence, "date"))
    fields["parties"] = ["KZ", "KG"]
    comments.append("parties: KZ and KG assumed (a bilateral article); check them")
    fields["status"] = status
    horizon = _HORIZON.search(article.cut(span))
    if horizon:
        fields["horizon"] = horizon.group(1)
    return Candidate("agreement", fields, [sentence.span], ("title_en",), comments)


def find_understandings(article: Article, date: Dating) -> Iterator[Candidate]:
    """An understanding for each sentence saying the sides agreed to do something."""
    for sentence in article.sentences:
        match = _AGREED.search(sentence.text)
        if match is None or re.search(r"договоренност\w*\s+(?:об?|по)\s", sentence.text, re.I):
            continue
        rest = sentence.text[match.end() :].strip().rstrip(".")
        title = f"Договоренность: {rest}" if rest else "Договоренность"
        fields: dict[str, object] = {"id": "", "kind": "understanding", "title": title}
        fields.update(date.of(sentence, "date"))
        fields["parties"] = ["KZ", "KG"]
        fields["status"] = "agreed"
        yield Candidate(
            "agreement",
            fields,
            [sentence.span],
            ("title_en",),
            ["parties: KZ and KG assumed (a bilateral article); check them"],
        )


def find_events(
    article: Article,
    date: Dating,
    people_in: PeopleIn,
    place_in: PlaceIn,
    named: Sequence[Span] = (),
) -> Iterator[Candidate]:
    """An event candidate for each meeting, visit or session a sentence says was held (or
    will be); one per title, its later mentions added as quotes (named: where the article
    names people, which no title runs into)."""
    found: dict[str, Candidate] = {}
    for sentence in article.sentences:
        if not _HELD.search(sentence.text):
            continue
        for span, kind in _heads(article, sentence, EVENTS, _event_head):
            span = _before_participants(article, span)
            span = _before_names(article, span, named)
            title = _capital(nominative(article.cut(span)))
            key = names.canonical(title)
            if key in found:
                continue
            found[key] = _event(article, sentence, title, kind, date, people_in, place_in)
    yield from found.values()


_PARTICIPANTS = re.compile(r"\s+(?:с\s+участием|при\s+участии|под\s+председательством)\b", re.I)
"""Where an event's name ends and who took part begins ("заседание совета с участием
премьер-министра ..."): the participants are a field of their own, not part of the title."""


def _before_participants(article: Article, span: Span) -> Span:
    cut = _PARTICIPANTS.search(article.cut(span))
    return Span(span.start, span.start + cut.start()) if cut else span


def _before_names(article: Article, span: Span, named: Sequence[Span]) -> Span:
    """The span up to the first name of a person in it ("Официальный визит Садыр Жапаров
    посещает ..."): a name after the event's word says who, not what."""
    inside = [n.start for n in named if span.start < n.start < span.end]
    if not inside:
        return span
    text = article.text[span.start : min(inside)].rstrip()
    return Span(span.start, span.start + len(text))


def _event_head(word: str, previous: str) -> str | None:
    for parse in parses(word.lower()):
        lemma = str(parse.normal_form)
        if parse.tag.POS == "NOUN" and lemma in EVENTS:
            return lemma
    return None


def _event(
    article: Article,
    sentence: Sentence,
    title: str,
    kind: str,
    date: Dating,
    people_in: PeopleIn,
    place_in: PlaceIn,
) -> Candidate:
    fields: dict[str, object] = {"id": "", "kind": kind, "title": title}
    fields.update(date.of(sentence, "date"))
    place = place_in(sentence.span)
    english = ["title_en", "summary_en"]
    if place is not None:
        fields["place"] = place[0]
        english.append("place_en")
    participants = people_in(sentence.span)
    if participants:
        fields["participants"] = participants
    fields["summary"] = sentence.text.strip()
    if _FUTURE.search(sentence.text):
        fields["status"] = "planned"
    return Candidate("event", fields, [sentence.span], tuple(english))


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


class Dating:
    """The date a record takes from its sentence: a date the sentence states, else one it
    implies, else the article's own date, marked inferred with a note saying so."""

    def __init__(self, article: Article, date: str | None, given: bool) -> None:
        self.article = article
        self.date = date
        self.given = given

    def found(self, sentence: Sentence) -> list[Found]:
        return dates_in(sentence.text, sentence.span.start, self.date, self.given)

    def of(
        self, sentence: Sentence, field: str, roles: tuple[str, ...] = ("date",)
    ) -> dict[str, object]:
        for item in self.found(sentence):
            if item.role in roles and item.value:
                return _dated(field, item.value, item.inferred, item.note)
        if self.date is None:
            return {
                f"{field}_note": "The sentence gives no date and the article has no date line; "
                "give --date or date it by hand."
            }
        where = "the date given on the command line" if self.given else "the article's date line"
        note = f"The sentence gives no date; {self.date} is {where}."
        return _dated(field, self.date, True, note)


def _dated(field: str, value: str, inferred: bool, note: str) -> dict[str, object]:
    if not inferred:
        return {field: value}
    return {field: value, f"{field}_inferred": True, f"{field}_note": note}
