"""Write a valid, realistic fact file of N records, with seed articles its quotes verify against.

    python benchmarks/generate.py 100000 /tmp/kzkg-100k

writes /tmp/kzkg-100k/facts.toml and /tmp/kzkg-100k/seeds/*.txt. Proportions follow the real
fact base: about a third people (with dated roles, each naming an office), a quarter events,
then statements, trade figures, agreements, border records, initiatives, a few conflicts; one
source article per 200 records. Every quote is a sentence of its article that states the
record's values (dates, amounts, places, the people it names), and every text has its English,
so `kzkg verify --strict --facts OUT/facts.toml` passes, support check included.
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path

FIRST = """Асан Бакыт Ерлан Нурлан Айдар Серик Олжас Данияр Тимур Руслан Марат Канат Алмаз Аида
Айгуль Динара Жанар Гульнара Сания Мирбек""".split()
SYLLABLES = "ба бе ка ке ма мы на ну та ты са сы жа жу ра ры ла лы да ды ту ку бу му ну".split()
ENDINGS = ("ов", "ев", "баев", "алиев", "беков", "ин")
TITLES = {  # Russian: English
    "министр энергетики": "Minister of Energy",
    "министр транспорта": "Minister of Transport",
    "министр экономики": "Minister of Economy",
    "посол": "Ambassador",
    "аким области": "Regional governor (akim)",
    "заместитель министра": "Deputy minister",
    "председатель комитета": "Committee chairman",
    "советник президента": "Adviser to the president",
}
PLACES = {"Бишкек": "Bishkek", "Астана": "Astana", "Алматы": "Almaty", "Ош": "Osh",
          "Каракол": "Karakol", "Тараз": "Taraz", "Шымкент": "Shymkent", "Нарын": "Naryn",
          "Туркестан": "Turkestan"}  # fmt: skip
EVENT_KINDS = (
    "visit",
    "talks",
    "council",
    "briefing",
    "signing",
    "opening",
    "ceremony",
    "cultural",
)
INDICATORS = ("turnover", "agri_trade", "investment", "export_potential", "energy_trade")
AGREEMENT_KINDS = ("treaty", "plan", "roadmap", "protocol", "joint_statement", "decision")
STATUSES = ("signed", "adopted", "agreed", "planned", "instructed")
SHARES = {"person": 0.31, "event": 0.23, "statement": 0.05, "trade": 0.13, "agreement": 0.11,
          "border": 0.08, "initiative": 0.07, "conflict": 0.01}  # fmt: skip
MONTHS = ("января февраля марта апреля мая июня июля августа сентября октября ноября "
          "декабря").split()  # fmt: skip
TOPICS = ("trade", "water", "energy", "transport", "culture", "investment")


LATIN = str.maketrans({
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ж": "zh", "з": "z", "и": "i",
    "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s",
    "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "ы": "y", "ь": "",
    "ю": "yu", "я": "ya",
})  # fmt: skip


def latin(name: str) -> str:
    """A Cyrillic name in Latin letters, as English-language media would spell it."""
    return " ".join(word.lower().translate(LATIN).capitalize() for word in name.split())


def toml_str(text: str) -> str:
    """A TOML basic string (JSON string escaping is valid TOML for these texts)."""
    return json.dumps(text, ensure_ascii=False)


class Generator:
    """Builds records and the article sentences their quotes come from."""

    def __init__(self, n: int, seed: int, prefix: str = "") -> None:
        self.rng = random.Random(seed)
        self.n = n
        self.prefix = prefix
        """Put before every id and article name, so that generated records can join others."""
        self.docs = [f"{prefix}gen_{i:05d}" for i in range(max(1, n // 200))]
        self.sentences: dict[str, list[str]] = {doc: [] for doc in self.docs}
        self.people: list[str] = []
        self.names: dict[str, str] = {}
        """Each person's name, to put into the sentences of the records that name them."""
        self.events: list[str] = []
        self.trade: list[str] = []
        self.serial = 0

    def cite(self, sentence: str) -> str:
        """Put a numbered sentence into an article; return the inline sources array."""
        self.serial += 1
        doc = self.rng.choice(self.docs)
        text = f"{sentence} (сообщение {self.serial})."
        self.sentences[doc].append(text)
        return f"[{{ doc = {toml_str(doc)}, quote = {toml_str(text)} }}]"

    def date(self) -> tuple[str, str]:
        """A day, as ISO and as an article writes it ("21 августа 2025 года")."""
        year, month, day = (
            self.rng.randint(2005, 2025),
            self.rng.randint(1, 12),
            self.rng.randint(1, 28),
        )
        return f"{year}-{month:02d}-{day:02d}", f"{day} {MONTHS[month - 1]} {year} года"

    def offices(self) -> list[str]:
        """One office per title and country, each worded as the roles word it."""
        out = []
        for number, (russian, english) in enumerate(TITLES.items()):
            for country, suffix, land in (("KZ", "РК", "Kazakhstan"), ("KG", "КР", "Kyrgyzstan")):
                title = f"{russian.capitalize()} {suffix}"
                kind = "deputy_head_of_government" if "заместитель" in russian else "minister"
                doc = self.docs[0]
                self.sentences[doc].append(f"Должность: {title}.")
                out.append(
                    f'[[office]]\nid = "{self.prefix}o{number}-{country.lower()}"\n'
                    f"label = {toml_str(title)}\nlabel_en = {toml_str(f'{english}, {land}')}\n"
                    f'country = "{country}"\nkind = "{kind}"\naliases = [{toml_str(title)}]\n'
                    f"aliases_en = [{toml_str(english)}]\n"
                    f'sources = [{{ doc = "{doc}", quote = {toml_str(f"Должность: {title}.")} }}]\n'
                )
        return out

    def surname(self) -> str:
        stem = "".join(self.rng.choice(SYLLABLES) for _ in range(self.rng.randint(2, 3)))
        return stem.capitalize() + self.rng.choice(ENDINGS)

    def person(self, i: int) -> str:
        first, last = self.rng.choice(FIRST), self.surname()
        name = f"{first} {last}"
        country = self.rng.choice(("KZ", "KG"))
        self.people.append(f"{self.prefix}p{i}")
        self.names[f"{self.prefix}p{i}"] = name
        roles = []
        for _ in range(self.rng.randint(1, 3)):
            number = self.rng.randrange(len(TITLES))
            russian = list(TITLES)[number]
            title = russian.capitalize() + (" РК" if country == "KZ" else " КР")
            english = f"{TITLES[russian]}, {'Kazakhstan' if country == 'KZ' else 'Kyrgyzstan'}"
            day, spoken = self.date()
            sources = self.cite(f"{spoken} {title} {name} принял участие во встрече")
            office = f"{self.prefix}o{number}-{country.lower()}"
            roles.append(
                f"{{ title = {toml_str(title)}, title_en = {toml_str(english)}, "
                f'office = ["{office}"], country = "{country}", date = "{day}", '
                f"sources = {sources} }}"
            )
        sources = self.cite(f"Слово взял {name}")
        return (
            f'[[person]]\nid = "{self.prefix}p{i}"\nname = {toml_str(name)}\n'
            f"name_latin = {toml_str(latin(name))}\naliases = [{toml_str(last)}]\n"
            f'country = "{country}"\nsources = {sources}\nroles = [{", ".join(roles)}]\n'
        )

    def event(self, i: int) -> str:
        place = self.rng.choice(list(PLACES))
        kind = self.rng.choice(EVENT_KINDS)
        participants = self.rng.sample(self.people, k=min(2, len(self.people)))
        named = " и ".join(self.names[p] for p in participants)
        day, spoken = self.date()
        title = f"Встреча делегаций в городе {place} номер {i}"
        title_en = f"Meeting of delegations in {PLACES[place]}, number {i}"
        self.events.append(f"{self.prefix}e{i}")
        return (
            f'[[event]]\nid = "{self.prefix}e{i}"\nkind = "{kind}"\ntitle = {toml_str(title)}\n'
            f"title_en = {toml_str(title_en)}\n"
            f'date = "{day}"\nplace = {toml_str(place)}\nplace_en = "{PLACES[place]}"\n'
            f"participants = {json.dumps(participants)}\n"
            f"summary = {toml_str('Стороны обсудили сотрудничество в торговле и транспорте.')}\n"
            'summary_en = "The parties discussed cooperation in trade and transport."\n'
            f"sources = {self.cite(f'{spoken} в городе {place} прошла встреча {i}: {named}')}\n"
        )

    def statement(self, i: int) -> str:
        speaker = self.rng.choice(self.people)
        day, spoken = self.date()
        topic = self.rng.choice(TOPICS)
        words = f"{self.names[speaker]} {spoken} заявил о сотрудничестве, тема {topic}, номер {i}"
        return (
            f'[[statement]]\nid = "{self.prefix}s{i}"\nspeakers = ["{speaker}"]\n'
            f'mode = "reported"\ndate = "{day}"\ntopics = ["{topic}"]\n'
            f"summary = {toml_str(f'Заявление о сотрудничестве номер {i}')}\n"
            f'summary_en = "Statement on cooperation number {i}"\n'
            f"sources = {self.cite(words)}\n"
        )

    def trade_figure(self, i: int) -> str:
        year = self.rng.randint(2005, 2025)
        value = self.rng.randint(1, 3000) * 1_000_000
        indicator = self.rng.choice(INDICATORS)
        growth = self.rng.randint(-30, 60)
        self.trade.append(f"{self.prefix}t{i}")
        quote = self.cite(
            f"Показатель {indicator} за {year} год составил {value // 1_000_000} млн долларов, "
            f"изменение {growth}%"
        )
        return (
            f'[[trade]]\nid = "{self.prefix}t{i}"\nindicator = "{indicator}"\nkind = "actual"\n'
            f'title = {toml_str(f"Показатель {indicator} за {year} год")}\nperiod = "{year}"\n'
            f'title_en = "Indicator {indicator}, {year}"\n'
            f"value_usd = {value}\ngrowth_pct = {growth}\nsources = {quote}\n"
        )

    def agreement(self, i: int) -> str:
        kind, status = self.rng.choice(AGREEMENT_KINDS), self.rng.choice(STATUSES)
        title = f"Соглашение о сотрудничестве номер {i}"
        day, spoken = self.date()
        return (
            f'[[agreement]]\nid = "{self.prefix}a{i}"\nkind = "{kind}"\ntitle = {toml_str(title)}\n'
            f'title_en = "Cooperation agreement number {i}"\n'
            f'date = "{day}"\nparties = ["KZ", "KG"]\nstatus = "{status}"\n'
            f"sources = {self.cite(f'{spoken} подписано соглашение номер {i}')}\n"
        )

    def border(self, i: int) -> str:
        name = self.surname() + "-Тобе"
        return (
            f'[[border]]\nid = "{self.prefix}b{i}"\nkind = "checkpoint"\nname = {toml_str(name)}\n'
            f'name_latin = "Checkpoint {i}"\nstatus = "planned"\nhorizon = "2030"\n'
            f"plan = {toml_str('Реконструкция пункта пропуска.')}\n"
            'plan_en = "Reconstruction of the crossing point."\n'
            f"sources = {self.cite(f'Пункт пропуска {name} будет реконструирован до 2030 года')}\n"
        )

    def initiative(self, i: int) -> str:
        title = f"Туристический маршрут номер {i}"
        return (
            f'[[initiative]]\nid = "{self.prefix}n{i}"\narea = "tourism"\n'
            f"title = {toml_str(title)}\n"
            f'title_en = "Tourist route number {i}"\n'
            f"summary = {toml_str('Совместный маршрут для туристов.')}\n"
            'summary_en = "A joint route for tourists."\n'
            f"sources = {self.cite(f'Открыт туристический маршрут номер {i}')}\n"
        )

    def conflict(self, i: int) -> str:
        a, b = self.rng.sample(self.trade, k=2) if len(self.trade) > 1 else (self.trade * 2)[:2]
        low, high = 100 + i, 200 + i  # millions of dollars; no draw, so the rest is unchanged
        first = self.cite(f"По одним данным показатель {i} составил {low} млн долларов")
        second = self.cite(f"По другим данным показатель {i} составил около {high} млн долларов")
        return (
            f'[[conflict]]\nid = "{self.prefix}c{i}"\nfield = "value_usd"\n'
            f'records = ["{a}", "{b}"]\ncertainty = "certain"\n'
            f'summary = "Сгенерированное расхождение {i}."\n'
            f'summary_en = "Generated disagreement {i}."\nreadings = [\n'
            f"  {{ value = {low * 1_000_000}, sources = {first} }},\n"
            f"  {{ value = {high * 1_000_000}, approximate = true, sources = {second} }},\n]\n"
        )

    def sources(self) -> list[str]:
        out = []
        for doc in self.docs:
            lead = f"Статья {doc} о казахстанско-кыргызских отношениях, 2025 год, Generated."
            self.sentences[doc].insert(0, lead)
            out.append(
                f'[[source]]\nid = "{doc}"\noutlet = "Generated"\ndate = "2025"\n'
                f"lead = {toml_str(lead)}\n"
                f'lead_en = "Article {doc} on Kazakhstan-Kyrgyzstan relations, 2025, Generated."\n'
                f'sources = [{{ doc = "{doc}", quote = {toml_str(lead)} }}]\n'
            )
        return out


def generate(n: int, out: Path, seed: int = 1, prefix: str = "") -> None:
    """Write out/facts.toml with about n records and out/seeds/ (ids start with prefix)."""
    gen = Generator(n, seed, prefix)
    body = ["schema_version = 1\n"]
    makers = {"person": gen.person, "event": gen.event, "statement": gen.statement,
              "trade": gen.trade_figure, "agreement": gen.agreement, "border": gen.border,
              "initiative": gen.initiative, "conflict": gen.conflict}  # fmt: skip
    offices = gen.offices()
    body.extend(offices)
    remaining = n - len(gen.docs) - len(offices)
    for kind, share in SHARES.items():
        count = max(1, round(remaining * share))
        body.extend(makers[kind](i) for i in range(count))
    body = body[:1] + gen.sources() + body[1:]
    (out / "seeds").mkdir(parents=True, exist_ok=True)
    (out / "facts.toml").write_text("\n".join(body), encoding="utf-8")
    for doc, sentences in gen.sentences.items():
        (out / "seeds" / f"{doc}.txt").write_text("\n".join(sentences) + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, help="number of records")
    parser.add_argument("out", type=Path, help="output folder")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    generate(args.n, args.out, args.seed)


if __name__ == "__main__":
    main()
