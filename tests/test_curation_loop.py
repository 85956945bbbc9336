"""The curator's loop of README "Adding facts", end to end through the real `kzkg`: a new
article saved in seeds/, `kzkg draft`, review (English written in, matches merged by hand),
paste, `kzkg verify --strict`, and the new facts answer queries. One round, no retyping.

The article is written here from a template with a generated official, a date line, a figure,
a document and a quoted remark, so no answer is hard-coded: every check reads the names and
values back from what the test wrote.
"""

from __future__ import annotations

import random
import re
import tomllib
from pathlib import Path

import pytest

from tests.conftest import Invoke, working_copy

pytest.importorskip("razdel", reason="kzkg draft needs the draft extra")
pytest.importorskip("pymorphy3", reason="kzkg draft needs the draft extra")

FIRST = ("Эрлан", "Нурбек", "Алмаз", "Бакыт", "Талант")
SYLLABLES = ("ка", "ны", "ба", "ту", "ра", "сы", "жа", "мы")
ARTICLE = "\n".join(
    (
        " date {date} Министр цифрового развития Кыргызстана {first} {surname} посетил Алматы",
        "Министр цифрового развития Кыргызстана {first} {surname} провел переговоры в Алматы,"
        " передает Kabar.kg.",
        "Стороны подписали Меморандум о сотрудничестве в области цифровизации.",
        "Товарооборот между Казахстаном и Кыргызстаном за {months} месяца текущего года вырос"
        " на {growth}% и составил ${amount} млн.",
        "«Мы откроем общий цифровой коридор до конца года», – сказал {first} {surname}.",
        "",
    )
)
TODO = re.compile(r"^# TODO English: (.+)$")
HEADER = re.compile(r"^\[\[(\w+)\]\]$")


def _official(rng: random.Random) -> tuple[str, str]:
    surname = "".join(rng.choice(SYLLABLES) for _ in range(3)).capitalize() + "ов"
    return rng.choice(FIRST), surname


def _reviewed(draft: str) -> str:
    """What a curator pastes after reviewing the draft: every `# TODO English` field written
    in (a record's own fields after its id; a title_en in each of a person's roles), and the
    records kept as comments (matches to merge by hand) left as they are."""
    lines = draft.splitlines()
    out: list[str] = []
    wanted: list[str] = []
    for line in lines:
        todo = TODO.match(line)
        if todo:
            wanted = [field.strip() for field in todo.group(1).split(",")]
        out.append(line)
        if line.startswith("id = ") and wanted:
            for field in wanted:
                if field == "title_en" and out[-2] == "[[person]]":
                    continue  # the roles' English, below
                value = [f"{field} English"] if field == "aliases_en" else f"{field} English"
                out.append(f"{field} = {_toml(value)}")
        if line.startswith("  { title = ") and "title_en" in wanted:
            out[-1] = line.replace("{ title = ", '{ title_en = "Role in English", title = ', 1)
        if not line.strip():
            wanted = []
    return "\n".join(out) + "\n"


def _toml(value: str | list[str]) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


@pytest.fixture
def checkout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    working_copy(tmp_path)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_a_new_article_goes_from_file_to_clean_verify_in_one_round(
    invoke: Invoke, checkout: Path
) -> None:
    rng = random.Random(15)
    first, surname = _official(rng)
    date = f"2026-0{rng.randint(3, 9)}-1{rng.randint(0, 9)}"
    months, growth, amount = rng.choice((2, 3, 4)), rng.randint(5, 40), rng.randint(120, 900)
    text = ARTICLE.format(
        first=first, surname=surname, date=date, months=months, growth=growth, amount=amount
    )
    article = checkout / "seeds" / "900_curation_loop.txt"
    article.write_text(text, encoding="utf-8")

    drafted = invoke("draft", str(article.relative_to(checkout)))
    assert drafted.code == 0, drafted.stderr
    draft = drafted.stdout
    tomllib.loads(draft)  # ready to paste as it stands

    before = invoke("verify", "--strict")  # the one thing wrong: the article is not cited yet
    assert before.code == 3
    assert before.stdout.splitlines() == [f"{article}: article is not cited by any fact"]

    facts = checkout / "facts.toml"
    facts.write_text(facts.read_text(encoding="utf-8") + "\n" + _reviewed(draft), "utf-8")
    after = invoke("verify", "--strict")
    assert after.code == 0, after.stdout + after.stderr
    assert after.stdout.startswith("ok:"), after.stdout
    assert str(facts) in after.stdout  # the file being edited is the file checked

    # the new official, with the post the article gives and its date line
    who = invoke("who", surname, "--json")
    assert who.code == 0, who.stderr
    person = who.json()[0]
    assert person["name"] == f"{first} {surname}"
    titles = [role["title"] for role in person["roles"]]
    assert any(title.startswith("Министр цифрового развития") for title in titles), titles
    assert {role.get("date") for role in person["roles"]} == {date}
    # the headline and the lead name the same post in the same words: one role, not two
    assert len(person["roles"]) == len({(r["title"], r.get("date")) for r in person["roles"]})

    # the figure, as the article states it, and the document and the remark
    trade = invoke("trade", "--json")
    rows = [row for row in trade.json() if row.get("value_usd") == amount * 1e6]
    assert rows and rows[0]["growth_pct"] == growth
    found = invoke("search", "Меморандум", "цифровизации", "--json")
    assert any(row["type"] == "agreement" for row in found.json())
    said = invoke("said", surname, "--json")
    assert said.code == 0, said.stderr
    assert any("цифровой коридор" in row["summary"] for row in said.json())
    # every record of the round cites the new article: nothing was retyped
    assert article.stem in invoke("sources", "--format", "tsv").stdout


def test_a_post_of_one_country_is_never_linked_to_the_other_countrys_office(
    invoke: Invoke, checkout: Path
) -> None:
    """A wording two countries' offices share ("Министр транспорта") with the country named
    after it links to an office of that country, or proposes a new one."""
    offices = invoke("export", "--type", "office", "--json").json()
    country_of = {office["id"]: office["country"] for office in offices}
    first, surname = _official(random.Random(16))
    for office in offices:
        if office["country"] != "KZ":
            continue
        bare = [a for a in office.get("aliases", ()) if not re.search(r"РК|Казахстан", a)]
        for alias in bare:
            article = checkout / "seeds" / "901_post_country.txt"
            article.write_text(
                f" date 2026-05-12 {alias} Кыргызстана {first} {surname} провел встречу"
                " в Бишкеке.\n",
                encoding="utf-8",
            )
            drafted = invoke("draft", str(article), "--json")
            assert drafted.code == 0, drafted.stderr
            people = [p["record"] for p in drafted.json() if p["type"] == "person"]
            assert [p["name"] for p in people] == [f"{first} {surname}"], alias
            linked = {o for p in people for r in p.get("roles", ()) for o in r.get("office", ())}
            assert all(country_of.get(o, "KG") == "KG" for o in linked), (alias, linked)


@pytest.mark.parametrize("scale, factor", [("миллиарда", 10**9), ("миллионов", 10**6)])
def test_an_amount_with_its_scale_spelt_out_is_drafted_and_verified(
    invoke: Invoke, checkout: Path, scale: str, factor: int
) -> None:
    """ "1,4 миллиарда долларов" is drafted as 1.4e9, and verify finds it in the quote."""
    rng = random.Random(factor)
    whole, tenth = rng.randint(1, 9), rng.randint(1, 9)
    article = checkout / "seeds" / "902_spelt_out.txt"
    article.write_text(
        " date 2026-06-01 Товарооборот\nТоварооборот между Казахстаном и Кыргызстаном за"
        f" 3 месяца текущего года составил {whole},{tenth} {scale} долларов.\n",
        encoding="utf-8",
    )
    drafted = invoke("draft", str(article), "--json")
    assert drafted.code == 0, drafted.stderr
    trade = [p["record"] for p in drafted.json() if p["type"] == "trade"]
    assert [t["value_usd"] for t in trade] == [pytest.approx((whole + tenth / 10) * factor)]
    draft = invoke("draft", str(article)).stdout
    facts = checkout / "facts.toml"
    facts.write_text(facts.read_text(encoding="utf-8") + "\n" + _reviewed(draft), "utf-8")
    verdict = invoke("verify", "--strict")
    assert verdict.code == 0, verdict.stdout
