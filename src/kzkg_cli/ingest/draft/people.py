"""People an article names (a first name beside a surname, initials before one, a name and
patronymic), their nominative names, the posts written beside them, and posts named alone.

The nominative is worked out from the name's case: a surname's ending says which cases it
can be in (Токаева: genitive or accusative of Токаев, or the nominative of Токаева), the first
name's readings (pymorphy3) say which of them it agrees with. A post is the noun phrase before
a name that agrees with it in case ("с председателем Кабинета министров – руководителем
Администрации президента Кыргызстана Акылбеком Жапаровым"): segments led by a post word in the
name's case, joined by dashes, commas or "и".
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

from kzkg_cli.core import names
from kzkg_cli.ingest.draft.article import Article, Sentence, Word, nominative, parses, tags
from kzkg_cli.ingest.draft.candidate import Person, Role, Span, Title
from kzkg_cli.ingest.draft.latin import latin

POST_WORDS = frozenset(
    """президент премьер-министр премьер вице-премьер министр заместитель председатель
    руководитель директор глава посол аким спикер депутат советник мэр губернатор секретарь
    начальник командующий помощник представитель уполномоченный лидер писатель поэт
    композитор дирижёр дирижер артист художник учёный ученый""".split()
)
"""Words that lead a post or a description, as lemmas (any post in the news of two states)."""
CASES = ("nomn", "gent", "datv", "accs", "ablt", "loct")
_SURNAME = re.compile(r"^(.+?(?:ов|ев|ёв|ин|ын))(а|у|ым|е|ой|ою)?$")
_INITIALS = re.compile(r"\b([А-ЯЁ])\.\s?([А-ЯЁ])\.\s?([А-ЯЁ][а-яё]+)")
_SEPARATOR = re.compile(r"\s*(?:[,–—]|\s-\s)\s*|\s+и\s+")
_KZ = ("рк", "казахстан", "казахский", "казахстанский")
_KG = ("кр", "кыргызстан", "кыргызский", "киргизия", "киргизский", "кыргызская")
_ANAPHORA = frozenset(("он", "она", "они"))


class Reading(NamedTuple):
    """One way to read a word of a name: its case, gender and nominative form."""

    case: str
    gender: str | None
    nominative: str
    weight: float = 0.0
    """How likely the reading is: pymorphy3's score, more for a reading as a name."""


# ----------------------------------------------------------------------------- names


def find_people(article: Article) -> tuple[list[Person], list[Title]]:
    """Every person the article names, with their posts; and the posts named alone."""
    people: dict[str, Person] = {}
    cases: dict[Span, set[str]] = {}
    for sentence in article.sentences:
        for span, surface, name, found_cases in _names_in(article, sentence):
            person = _person_for(people, name, surface == name and found_cases == {"nomn"})
            person.mentions.append(span)
            person.surfaces.append(surface)
            cases[span] = found_cases
    _add_surname_mentions(article, people)
    spans = {span: person for person in people.values() for span in person.mentions}
    before: tuple[Span, Role] | None = None
    for span, person in sorted(spans.items()):
        role = _role_before(article, span, cases.get(span, set(CASES)), spans)
        if role is None and before is not None and _joined_by_and(article, before[0], span):
            shared = before[1]  # "президентов Касым-Жомарта Токаева и Садыра Жапарова"
            role = Role(
                shared.title, shared.parts, Span(shared.quote.start, span.end), shared.country
            )
        if role is not None:
            person.roles.append(role)
            person.country = person.country or role.country
            before = (span, role)
        else:
            before = None
    taken = [r.quote for p in people.values() for r in p.roles] + list(spans)
    titles = list(_titles_alone(article, taken))
    return list(people.values()), titles


def _joined_by_and(article: Article, first: Span, second: Span) -> bool:
    return article.text[first.end : second.start] == " и "


def _person_for(people: dict[str, Person], name: str, certain: bool) -> Person:
    """The person a name stands for: one already met with the same first name and surname,
    or with the same first name where one of the two is a name and patronymic. A name the
    article writes in the nominative is the one kept."""
    key = names.canonical(name)
    if key in people:
        return people[key]
    for person in people.values():
        if _same_person(person.name, name):
            patronymic = any("Patr" in tags(word) for word in name.split()[1:])
            if certain and person.name != name and " " in name and not patronymic:
                person.name, person.name_latin = name, latin(name)
            return person
    people[key] = Person(key, name, latin(name), [], [])
    return people[key]


def _same_person(known: str, name: str) -> bool:
    """Two ways of writing one name: every word meets in some case form, or the first names
    meet and one of the two is a name and patronymic."""
    known_keys, keys = names.name_keys(known), names.name_keys(name)
    if len(known_keys) == len(keys) and all(a & b for a, b in zip(known_keys, keys, strict=True)):
        return True
    first_known, *rest_known = known.split()
    first, *rest = name.split()
    if names.canonical(first_known) != names.canonical(first):
        return False
    patronymic = any("Patr" in tags(word) for word in (*rest_known, *rest))
    return patronymic


def _names_in(article: Article, sentence: Sentence) -> Iterator[tuple[Span, str, str, set[str]]]:
    """(span, as written, nominative, the cases it may be in) of each full name."""
    words = article.words(sentence.span)
    used: set[int] = set()
    for match in _INITIALS.finditer(sentence.text):
        start = sentence.span.start + match.start()
        surname = match.group(3)
        readings = _surname_readings(surname)
        case = {r.case for r in readings}
        nominative = (
            f"{match.group(1)}.{match.group(2)}. {readings[0].nominative if readings else surname}"
        )
        used.update(
            i for i, w in enumerate(words) if start <= w.start < sentence.span.start + match.end()
        )
        yield Span(start, sentence.span.start + match.end()), match.group(), nominative, case
    index = 0
    while index < len(words) - 1:
        if index in used:
            index += 1
            continue
        found = _name_at(article, words, index)
        if found is None:
            index += 1
            continue
        size, nominative, case = found
        span = Span(words[index].start, words[index + size - 1].end)
        yield span, article.cut(span), nominative, case
        index += size


def _name_at(article: Article, words: list[Word], index: int) -> tuple[int, str, set[str]] | None:
    """A name starting at words[index]: how many words, its nominative and its cases."""
    first, second = words[index], words[index + 1]
    if not _adjacent(article, first, second) or not (_capital(first) and _capital(second)):
        return None
    if not (_first_name_like(first.text) or _name_by_surname(first.text, second.text)):
        return None
    allowed = _context_cases(article, words, index)
    if "Patr" in tags(second.text):  # a name and patronymic: "Касым-Жомарт Кемелевич"
        if index + 2 < len(words) and _adjacent(article, second, words[index + 2]):
            third = words[index + 2]
            if _capital(third) and _surname_like(third.text, True):
                return _joined([first.text, second.text, third.text], allowed)
        return _joined([first.text, second.text], allowed)
    if not _surname_like(second.text, "Name" in tags(first.text)):
        return None
    return _joined([first.text, second.text], allowed)


def _joined(parts: list[str], allowed: set[str] | None = None) -> tuple[int, str, set[str]]:
    best, cases = _nominative_name(parts, allowed)
    return len(parts), best, cases


_GOVERNS = {
    "от": {"gent"}, "из": {"gent"}, "у": {"gent"}, "для": {"gent"}, "без": {"gent"},
    "после": {"gent"}, "к": {"datv"}, "по": {"datv"}, "с": {"ablt"}, "со": {"ablt"},
    "между": {"ablt"}, "перед": {"ablt"}, "о": {"loct"}, "об": {"loct"}, "при": {"loct"},
}  # fmt: skip


def _context_cases(article: Article, words: list[Word], index: int) -> set[str] | None:
    """The cases the word before a name allows it (a preposition governs one; a noun or
    adjective in apposition agrees), or None where it says nothing."""
    if not index or article.text[words[index - 1].end : words[index].start] != " ":
        return None
    before = words[index - 1].text.lower()
    if before in _GOVERNS:
        return _GOVERNS[before]
    if words[index - 1].text.isupper() or "Geox" in str(parses(before)[0].tag):
        return _post_cases(words, index - 1)  # "главу Кыргызстана Садыра": the post's case
    found = {
        str(p.tag.case) for p in parses(before) if p.tag.POS in ("NOUN", "ADJF") and p.tag.case
    }
    return found or None


def _post_cases(words: list[Word], index: int) -> set[str] | None:
    """The cases of the post word a place or abbreviation before a name hangs on ("главу
    Кыргызстана", "заместителя руководителя Администрации президента КР"), walking back over
    the words of the post; None where no post word comes first."""
    for word in reversed(words[max(0, index - 6) : index]):
        found = {
            str(p.tag.case)
            for p in parses(word.text.lower())
            if p.tag.POS == "NOUN" and str(p.normal_form) in POST_WORDS and p.tag.case
        }
        if found:
            return found
        if not (word.text.isupper() or _oblique_noun(word.text)):
            return None
    return None


def _adjacent(article: Article, a: Word, b: Word) -> bool:
    return article.text[a.end : b.start] == " "


def _capital(word: Word) -> bool:
    return word.text[:1].isupper() and not word.text.isupper() and _cyrillic(word.text)


def _cyrillic(text: str) -> bool:
    return bool(re.fullmatch(r"[А-ЯЁа-яёӘҒҚҢӨҰҮҺІәғқңөұүһі-]+", text))


def _common(word: str) -> bool:
    """A dictionary word that is no name: a post, an organ, a place, an adjective."""
    best = parses(word)[0]
    grammemes = tags(word)
    if grammemes & {"Name", "Surn", "Patr"} and "Geox" not in str(best.tag):
        return False
    return bool(best.is_known) or "Geox" in grammemes or "Orgn" in grammemes


def _first_name_like(word: str) -> bool:
    last = word.split("-")[-1]
    if word.lower() in POST_WORDS or _lemma_is_post(word):
        return False
    return "Name" in tags(word) or "Name" in tags(last) or not _common(word)


def _name_by_surname(word: str, following: str) -> bool:
    """A first name that is also a common noun (Алмаз, Талант, Нурбек unknown aside) is a
    name before a word shaped like a surname the dictionary does not know (Турабаев,
    Сыдыкова): a noun, no post, no place."""
    if _lemma_is_post(word) or "Geox" in tags(word) or parses(word)[0].tag.POS != "NOUN":
        return False
    return bool(_SURNAME.match(following)) and not parses(following)[0].is_known


def _surname_like(word: str, after_name: bool = True) -> bool:
    """Whether a word may be a surname: by its ending (after a known first name, even where
    it is also a dictionary word: Токаев), or by its readings."""
    if _lemma_is_post(word) or "Geox" in str(parses(word)[0].tag):
        return False
    if _SURNAME.match(word):
        known = parses(word)[0].is_known and not tags(word) & {"Surn", "Name"}
        return after_name or not known
    return bool(tags(word) & {"Surn", "Name"}) or not _common(word)


def _lemma_is_post(word: str) -> bool:
    return any(str(p.normal_form) in POST_WORDS for p in parses(word.lower()))


# ----------------------------------------------------------------------------- nominative


def _surname_readings(word: str) -> list[Reading]:
    """The cases a surname may be in, by its ending (Russian surnames in -ов, -ев, -ин), or
    by pymorphy3's readings where it has no such ending."""
    match = _SURNAME.match(word)
    if match is None:
        return _dictionary_readings(word) or [Reading(c, None, word) for c in CASES]
    stem, ending = match.group(1), match.group(2) or ""
    table = {
        "": [Reading("nomn", "masc", stem)],
        "а": [Reading("gent", "masc", stem), Reading("accs", "masc", stem),
              Reading("nomn", "femn", stem + "а")],
        "у": [Reading("datv", "masc", stem), Reading("accs", "femn", stem + "а")],
        "ым": [Reading("ablt", "masc", stem)],
        "е": [Reading("loct", "masc", stem)],
        "ой": [Reading(c, "femn", stem + "а") for c in ("gent", "datv", "ablt", "loct")],
        "ою": [Reading("ablt", "femn", stem + "а")],
    }  # fmt: skip
    return table[ending]


def _dictionary_readings(word: str) -> list[Reading]:
    found = []
    for parse in parses(word):
        if parse.tag.POS != "NOUN" or parse.tag.case not in CASES:
            continue
        inflected = parse.inflect({"nomn"})
        form = _capitalised(str(inflected.word)) if inflected else word
        weight = float(parse.score) + (1.5 if {"Name", "Surn"} & set(parse.tag.grammemes) else 0.0)
        gender = (
            str(parse.tag.gender) if parse.tag.gender else ("masc" if "ms-f" in parse.tag else None)
        )
        found.append(Reading(str(parse.tag.case), gender, form, weight))
    return found


def _first_name_readings(word: str) -> list[Reading]:
    """The cases a first name may be in: a hyphenated one by its last part (Касым-Жомарта)."""
    head, _, last = word.rpartition("-")
    readings = _dictionary_readings(last) or [Reading(c, None, last) for c in CASES]
    readings.append(Reading("nomn", None, last))
    prefix = head + "-" if head else ""
    return [Reading(r.case, r.gender, prefix + r.nominative, r.weight) for r in readings]


def _nominative_name(parts: list[str], allowed: set[str] | None = None) -> tuple[str, set[str]]:
    """A name in the nominative, and the cases its words agree on (of those the context
    allows, where it allows any of them)."""
    first = _first_name_readings(parts[0])
    last = _surname_readings(parts[-1])
    cases = {one.case for one in first} & {other.case for other in last}
    if allowed and cases & allowed:
        cases &= allowed
    best: tuple[float, str] | None = None
    for one in first:
        for other in last:
            if one.case != other.case or one.case not in cases:
                continue
            agree = 2.0 if one.gender and one.gender == other.gender else 0.0
            score = agree + one.weight + (0.5 if one.case == "nomn" else 0.0)
            rest = [_patronymic(word, one.case) for word in parts[1:-1]]
            text = " ".join([one.nominative, *rest, other.nominative])
            if best is None or score > best[0]:
                best = (score, text)
    if best is None:
        return " ".join(parts), set(CASES)
    return best[1], cases


def _patronymic(word: str, case: str) -> str:
    for parse in parses(word):
        if "Patr" in parse.tag and parse.tag.case == case:
            inflected = parse.inflect({"nomn"})
            return _capitalised(str(inflected.word)) if inflected else word
    return word


def _capitalised(word: str) -> str:
    return "-".join(part[:1].upper() + part[1:] for part in word.split("-"))


def _add_surname_mentions(article: Article, people: dict[str, Person]) -> None:
    """A surname alone ("По словам Токаева") is a mention of the one person of that surname."""
    taken = [span for person in people.values() for span in person.mentions]
    by_surname: dict[str, list[Person]] = {}
    for person in people.values():
        surname = person.name.split()[-1]
        by_surname.setdefault(names.canonical(surname), []).append(person)
    for word in article.words(Span(article.body_start, len(article.text))):
        if not _capital(word) or any(s.start <= word.start < s.end for s in taken):
            continue
        for reading in _surname_readings(word.text):
            owners = by_surname.get(names.canonical(reading.nominative), [])
            if len(owners) == 1:
                owners[0].mentions.append(Span(word.start, word.end))
                owners[0].surfaces.append(word.text)
                break


# ----------------------------------------------------------------------------- posts


class Piece(NamedTuple):
    """A word or a separator of the words before a name."""

    text: str
    start: int
    end: int
    word: bool


def _pieces(article: Article, start: int, end: int) -> list[Piece]:
    chunk = article.text[start:end]
    found = []
    for match in re.finditer(r"[\w.-]+|[,–—]|\S", chunk):
        text = match.group().rstrip(".")
        is_word = bool(re.match(r"\w", text))
        found.append(
            Piece(text or match.group(), start + match.start(), start + match.end(), is_word)
        )
    return found


def _role_before(
    article: Article, span: Span, cases: set[str], spans: dict[Span, Person]
) -> Role | None:
    """The post written just before a name, agreeing with it in case; None if none is."""
    sentence = article.sentence_of(span.start)
    if sentence is None:
        return None
    pieces = _pieces(article, sentence.span.start, span.start)
    others = [s for s in spans if s != span]
    start = _title_start(pieces, cases, others)
    if start is None:
        return None
    title_span = Span(start, pieces[-1].end)
    raw = article.cut(title_span)
    title, parts = _title_nominative(raw, cases)
    quote = Span(start, span.end)
    return Role(title, parts, quote, country_of(raw))


def _title_start(pieces: list[Piece], cases: set[str], others: list[Span]) -> int | None:
    """Where the post before a name starts (walking back from the name), or None."""
    start: int | None = None
    pending_separator = False
    chained = False
    """Walking through the nouns a post found hangs on ("руководителя Администрации
    президента Кыргызстана": "президента" names whose administration, not the post)."""
    for number in range(len(pieces) - 1, -1, -1):
        piece = pieces[number]
        if any(s.start <= piece.start < s.end for s in others):
            break
        if not piece.word:
            if piece.text in (",", "–", "—", "-") and not chained:
                pending_separator = True
                continue
            break
        word = piece.text
        if (  # "Чрезвычайный и Полномочный Посол": two adjectives of one post
            word.lower() == "и"
            and 0 < number < len(pieces) - 1
            and start == pieces[number + 1].start
            and _adjective_in_case(pieces[number - 1].text, cases)
            and _adjective_in_case(pieces[number + 1].text, cases)
        ):
            continue
        if word.lower() == "и" and not chained:
            pending_separator = True
            continue
        if _post_in_case(word, cases):
            start = piece.start
            pending_separator = chained = False
            continue
        if _place_after_post(pieces, number, start):  # "Посол Кыргызстана в Астане"
            continue
        if start is not None and not pending_separator:
            if not chained and _adjective_in_case(word, cases):
                start = piece.start
                continue
            if _complement(word) and _oblique_noun(word):
                chained = True  # the post found may hang on this noun: look further back
                continue
            break
        if not _complement(word):
            break
    return start


def _place_after_post(pieces: list[Piece], number: int, start: int | None) -> bool:
    """Whether pieces[number] is "в" or "во" before a place, or that place, inside a post
    ("Посол Кыргызстана в Астане", "представитель ... в Бишкеке"), while no post is found yet."""
    if start is not None:
        return False
    word = pieces[number].text
    if word.lower() in ("в", "во"):
        return number + 1 < len(pieces) and _place_word(pieces[number + 1].text)
    return number > 0 and pieces[number - 1].text.lower() in ("в", "во") and _place_word(word)


def _place_word(word: str) -> bool:
    return word[:1].isupper() and any(
        "Geox" in p.tag and p.tag.case == "loct" for p in parses(word)
    )


def _oblique_noun(word: str) -> bool:
    """A noun another may hang on: in the genitive, dative, instrumental or prepositional."""
    if word.isupper():
        return False
    best = parses(word.lower())[0]
    return best.tag.POS == "NOUN" and best.tag.case in ("gent", "datv", "ablt", "loct")


def _post_in_case(word: str, cases: set[str]) -> bool:
    return any(
        str(p.normal_form) in POST_WORDS and p.tag.case in cases and p.tag.POS == "NOUN"
        for p in parses(word.lower())
    )


def _adjective_in_case(word: str, cases: set[str]) -> bool:
    return any(p.tag.POS in ("ADJF", "PRTF") and p.tag.case in cases for p in parses(word.lower()))


def _complement(word: str) -> bool:
    """A word that may stand inside a post's name: a noun, an adjective, an abbreviation."""
    if word.isupper():
        return True
    best = parses(word.lower())[0]
    return best.tag.POS in ("NOUN", "ADJF", "PRTF") and "Name" not in best.tag


def _title_nominative(raw: str, cases: set[str]) -> tuple[str, list[str]]:
    """A post's words in the nominative, segment by segment; and its segments (the offices
    a joint post names)."""
    out = []
    parts = []
    last = 0
    for segment in _segments(raw, cases):
        out.append(raw[last : segment.start()])
        text = nominative(segment.group(), POST_WORDS)
        out.append(text)
        parts.append(_capitalised_first(text))
        last = segment.end()
    out.append(raw[last:])
    return _capitalised_first("".join(out)), parts


def _segments(raw: str, cases: set[str]) -> list[re.Match[str]]:
    """The stretches of a post that each start with a post word in the name's case."""
    starts = [0]
    for separator in _SEPARATOR.finditer(raw):
        after = raw[separator.end() :].split(" ", 1)[0]
        if _post_in_case(after, cases):
            starts.append(separator.end())
    ends = []
    for number, begin in enumerate(starts[1:]):
        before = _SEPARATOR.search(raw, starts[number], begin)
        cut = begin
        for sep in _SEPARATOR.finditer(raw, starts[number], begin):
            if sep.end() == begin:
                cut = sep.start()
        ends.append(cut if before else begin)
    ends.append(len(raw))
    pattern = re.compile(r".+", re.S)
    return [m for b, e in zip(starts, ends, strict=True) if (m := pattern.match(raw, b, e))]


def _capitalised_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def country_of(text: str) -> str | None:
    """KZ or KG when a text names one of the two states (and not both)."""
    keys = {names.fold(w) for w in re.findall(r"\w+", text)}
    lemmas = {str(parses(w)[0].normal_form) for w in keys}
    kz = any(k in _KZ for k in keys | lemmas)
    kg = any(k in _KG for k in keys | lemmas)
    if kz == kg:
        return None
    return "KZ" if kz else "KG"


def _titles_alone(article: Article, taken: list[Span]) -> Iterator[Title]:
    """Posts named with no name beside them: a post word and the words that hang on it."""
    for sentence in article.sentences:
        words = article.words(sentence.span)
        for index, word in enumerate(words):
            if any(s.start <= word.start < s.end for s in taken):
                continue
            if not _lemma_is_post(word.text) or not _singular_noun(word.text):
                continue
            end = word.end
            for follower in words[index + 1 : index + 4]:
                if any(s.start <= follower.start < s.end for s in taken):
                    break  # a name: the post is that person's, or the name is someone else's
                if article.text[end : follower.start].strip() or not _genitive(follower.text):
                    break
                end = follower.end
            start = word.start
            if index and _adjective_before(article, words[index - 1], word):
                start = words[index - 1].start
            span = Span(start, end)
            raw = article.cut(span)
            yield Title(_capitalised_first(nominative(raw, POST_WORDS)), span, country_of(raw))


def _singular_noun(word: str) -> bool:
    """A post word read as a singular noun, by its likeliest reading ("после" is a
    preposition, though it is also the prepositional of "посол")."""
    best = parses(word.lower())[0]
    return (
        best.tag.POS == "NOUN" and best.tag.number == "sing" and str(best.normal_form) in POST_WORDS
    )


def _genitive(word: str) -> bool:
    if word.isupper():
        return True
    return any(
        p.tag.case == "gent" and p.tag.POS in ("NOUN", "ADJF", "NPRO") for p in parses(word.lower())
    ) and not any(p.tag.POS in ("VERB", "PREP", "CONJ") for p in parses(word.lower())[:1])


def _adjective_before(article: Article, before: Word, word: Word) -> bool:
    if article.text[before.end : word.start] != " ":
        return False
    return bool(parses(before.text.lower())[0].tag.POS == "ADJF")


def is_anaphora(word: str) -> bool:
    return word.lower() in _ANAPHORA
