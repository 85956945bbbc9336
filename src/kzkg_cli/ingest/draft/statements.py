"""What people said: direct speech in quotation marks or after a dash, with the speaker the
attribution names ("…", – сказал Касым-Жомарт Токаев); and reported speech ("X отметил,
что …", "По словам X, …"). A speaker named only by a post or "он" is left for the context
to settle (search.link), and marked inferred."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from kzkg_cli.ingest.draft.article import Article, Sentence
from kzkg_cli.ingest.draft.candidate import Candidate, Person, PersonKey, Span, Title
from kzkg_cli.ingest.draft.documents import Dating

SPEECH_VERBS = (
    "сказал сказала заявил заявила отметил отметила подчеркнул подчеркнула добавил добавила "
    "сообщил сообщила напомнил напомнила пояснил пояснила указал указала заключил заключила "
    "назвал назвала выразил выразила поблагодарил поблагодарила остановился остановилась "
    "объявил объявила объявили предложил предложила передал передала отметили подчеркнули "
    "заявили сказали"
).split()
_VERB = "|".join(SPEECH_VERBS)
_OPEN = '"«“„'
_ATTRIBUTION = re.compile(rf"[\"»“”]?\s*,?\s*[–—-]\s+(?P<verb>{_VERB})\b(?P<who>[^.!?\n]*)[.!?]?")
_REPORTED = re.compile(rf"(?<![\w-])(?P<verb>{_VERB})\b")
_ACCORDING = re.compile(r"\bПо\s+словам\s+(?P<who>[^,]+),", re.I)
_ANAPHORA = re.compile(r"^(?:он|она|они)$", re.I)


class Speakers:
    """Who a stretch of the article names: a person, a post, or "он"."""

    def __init__(self, article: Article, people: list[Person], titles: list[Title]) -> None:
        self.article = article
        self.mentions = sorted(
            ((span, PersonKey(p.key)) for p in people for span in p.mentions), key=lambda m: m[0]
        )
        self.titles = titles

    def people_in(self, span: Span) -> list[PersonKey]:
        found = [key for s, key in self.mentions if span.start <= s.start and s.end <= span.end]
        return list(dict.fromkeys(found))

    def title_in(self, span: Span) -> Title | None:
        return next((t for t in self.titles if span.start <= t.span.start < span.end), None)

    def last_before(self, offset: int) -> PersonKey | None:
        before = [key for s, key in self.mentions if s.end <= offset]
        return before[-1] if before else None

    def who(self, span: Span, text: str) -> dict[str, Any] | None:
        """The speakers fields of a span that names the speaker; None if it names no one."""
        people = self.people_in(span)
        if people:
            return {"speakers": people}
        title = self.title_in(span)
        context = self.last_before(span.start)
        if title is not None:
            return {"speakers": [title], "speakers_context": context}
        if _ANAPHORA.match(text.strip()) and context is not None:
            note = (
                f"The text names the speaker as '{text.strip()}'; "
                "read as the person named last before it."
            )
            return {"speakers": [context], "speakers_inferred": True, "speakers_note": note}
        return None


def find_statements(article: Article, speakers: Speakers, date: Dating) -> Iterator[Candidate]:
    direct = list(_direct(article, speakers, date))
    yield from direct
    taken = [c.quotes[0] for c in direct]
    for sentence in article.sentences:
        if any(sentence.span.overlaps(span) for span in taken):
            continue
        candidate = _reported(article, sentence, speakers, date)
        if candidate is not None:
            yield candidate


def _direct(article: Article, speakers: Speakers, date: Dating) -> Iterator[Candidate]:
    for paragraph in re.finditer(r"[^\n]+", article.text):
        text = paragraph.group()
        opening = re.match(rf"\s*(?:[{_OPEN}]|[–—]\s)", text)
        if opening is None:
            continue
        attribution = None
        for match in _ATTRIBUTION.finditer(text, opening.end()):
            attribution = match
        if attribution is None:
            continue
        base = paragraph.start()
        words = Span(base + opening.end(), base + attribution.start())
        who_span = Span(base + attribution.start("who"), base + attribution.end("who"))
        who = speakers.who(who_span, attribution.group("who"))
        if who is None:
            continue
        tail = Span(base + attribution.start(), base + attribution.end())
        yield _statement(article, words, tail, "direct", who, date)


def _reported(
    article: Article, sentence: Sentence, speakers: Speakers, date: Dating
) -> Candidate | None:
    according = _ACCORDING.search(sentence.text)
    if according is not None:
        span = Span(
            sentence.span.start + according.start("who"), sentence.span.start + according.end("who")
        )
        who = speakers.who(span, according.group("who"))
        if who is not None:
            return _statement(article, sentence.span, None, "reported", who, date)
    for match in _REPORTED.finditer(sentence.text):
        before = sentence.text[: match.start()].rstrip()
        subject = re.search(r"([\w-]+(?:\s+[\w-]+){0,2})$", before)
        if subject is None or not before or before[-1] in ',–—"»':
            continue
        span = Span(sentence.span.start + subject.start(), sentence.span.start + subject.end())
        who = speakers.who(span, subject.group())
        if who is not None:
            return _statement(article, sentence.span, None, "reported", who, date)
    return None


def _statement(
    article: Article, words: Span, tail: Span | None, mode: str, who: dict[str, Any], date: Dating
) -> Candidate:
    words = _trimmed(article, words)
    fields: dict[str, Any] = {"id": "", **who, "mode": mode}
    sentence = article.sentence_of(words.start)
    if sentence is not None:
        dated = date.of(sentence, "date")
        if "date" in dated and not dated.get("date_inferred"):
            dated = {"date": dated["date"]}
        elif "date" in dated:
            dated["date_note"] = str(dated["date_note"]).replace(
                "The sentence gives no date", "The words are not dated"
            )
        fields.update(dated)
    fields["summary"] = article.cut(words)
    quotes = [words] + ([tail] if tail is not None else [])
    return Candidate("statement", fields, quotes, ("summary_en",))


def _trimmed(article: Article, span: Span) -> Span:
    text = article.cut(span)
    start = span.start + len(text) - len(text.lstrip(' "«“„–—'))
    end = span.end - (len(text) - len(text.rstrip(' "»”,–—')))
    return Span(start, max(start, end))
