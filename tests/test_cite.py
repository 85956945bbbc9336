"""`kzkg cite`: citations whose quotes are the articles' own words, whose outlet and date are
their source records', in plain text, Markdown and CSL-like JSON, through the real entry.

Records are read from `kzkg export --json`, never named here, so a new article or record is
cited and checked as the shipped ones are.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import Any

import pytest
from markdown_it import MarkdownIt

from kzkg_cli.core.errors import ExitCode
from kzkg_cli.core.rows import citations
from kzkg_cli.core.text import squash
from kzkg_cli.present import formats
from kzkg_cli.present.citation import JSON_KEYS

from .conftest import MINI_FACTS, REAL_SEEDS, Invoke
from .test_escapes import HOSTILE, assert_escaped, assert_safe, hostile_facts


@pytest.fixture
def exported(invoke: Invoke) -> list[dict[str, Any]]:
    """Every record of the shipped fact base, as `kzkg export --json` gives it."""
    rows: list[dict[str, Any]] = invoke("export", "--json").json()
    return rows


def records(exported: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The records that quote something (every one does; a test would say otherwise)."""
    return [row for row in exported if list(citations(row))]


def sources(exported: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {row["id"]: row for row in exported if row["type"] == "source"}


def seed(doc: str) -> str:
    return squash((REAL_SEEDS / f"{doc}.txt").read_text(encoding="utf-8"))


def dated(source: dict[str, Any]) -> str:
    return ("~" if source.get("date_inferred") else "") + str(source["date"])


def test_every_record_is_cited_with_every_quote_verbatim_and_its_articles_outlet_and_date(
    invoke: Invoke, exported: list[dict[str, Any]]
) -> None:
    rows = records(exported)
    assert len(rows) == len(exported)
    result = invoke("cite", *(row["id"] for row in rows), "--json")
    assert result.code == ExitCode.OK, result.stderr
    cited = result.json()
    by_source = sources(exported)
    for obj in cited:
        assert list(obj) == list(JSON_KEYS), obj
        assert squash(obj["quote"]) in seed(obj["article"]), obj
        source = by_source[obj["article"]]
        assert obj["container-title"] == source.get("outlet")
        assert obj["container-title-en"] == source.get("outlet_en")
        assert obj["headline"] == source.get("headline")
        assert obj["URL"] == source.get("url")
        parts = [int(p) for p in source["date"].split("-")]
        assert obj["issued"]["date-parts"] == [parts], obj
        assert obj["issued"].get("circa", False) == bool(source.get("date_inferred"))
        assert obj["type"] == "article-newspaper" and obj["language"] == "ru"
        assert obj["id"].startswith(f"{obj['record']}#") and obj["title"]
    assert len({obj["id"] for obj in cited}) == len(cited)  # unique, as CSL wants
    for row in rows:
        mine = [obj for obj in cited if obj["record"] == row["id"]]
        assert [(o["article"], o["quote"]) for o in mine] == [
            (c.doc, c.quote) for c in citations(row)
        ]
        assert {o["record-type"] for o in mine} == {row["type"]}


def test_plain_text_gives_each_quote_on_its_line_with_its_article(
    invoke: Invoke, exported: list[dict[str, Any]]
) -> None:
    rows = records(exported)
    result = invoke("cite", *(row["id"] for row in rows))
    assert result.code == ExitCode.OK, result.stderr
    lines = result.stdout.splitlines()
    by_source = sources(exported)
    for row in rows:
        assert f"{row['id']} ({row['type']})" in lines
        for cited in citations(row):
            quote = f"  «{squash(cited.quote)}»"
            assert quote in lines, (row["id"], quote)
            after = [lines[n + 1] for n, line in enumerate(lines) if line == quote]
            assert any(attributed(line, by_source[cited.doc]) for line in after), after


def attributed(line: str, source: dict[str, Any]) -> bool:
    """Whether an attribution line names this article: outlet, date, headline and id."""
    return (
        line.startswith(f"  — {source.get('outlet') or 'outlet not named'}")
        and f", {dated(source)}," in line
        and line.endswith(f"article {source['id']}")
        and (not source.get("headline") or f"«{source['headline']}»" in line)
    )


def test_a_claim_is_the_records_title_name_or_summary(
    invoke: Invoke, exported: list[dict[str, Any]]
) -> None:
    for row in records(exported):
        [first, *_] = invoke("cite", row["id"], "--json").json()
        title = first["title"]
        if row["type"] == "statement":
            assert title.endswith(row["summary"])
            assert all(s["name"] in title for s in row["speakers"])
        elif row["type"] == "person":
            assert title.startswith(row["name"])
        else:
            texts = [row.get(key) for key in ("title", "label", "name", "headline", "lead")]
            assert any(text and title.startswith(text) for text in texts) or (
                title == row.get("summary")
            ), (row["id"], title)


def test_lang_en_adds_the_english_claim_and_keeps_the_russian_quote(
    invoke: Invoke, exported: list[dict[str, Any]]
) -> None:
    translated = [row for row in records(exported) if row.get("title_en")]
    assert translated
    for row in translated[:5]:
        russian = invoke("cite", row["id"]).stdout
        english = invoke("cite", row["id"], "--lang", "en").stdout
        assert f"en: {squash(row['title_en'])}" in english.splitlines()
        assert row["title_en"] not in russian
        for cited in citations(row):
            assert f"«{squash(cited.quote)}»" in english
        markdown = invoke("--lang", "en", "cite", row["id"], "--format", "markdown").stdout
        assert "en: " in markdown
    [obj, *_] = invoke("cite", translated[0]["id"], "--json").json()
    assert obj["title-en"] == translated[0]["title_en"]  # JSON carries both, whatever --lang


def test_a_person_s_role_quotes_name_the_role(
    invoke: Invoke, exported: list[dict[str, Any]]
) -> None:
    person = next(row for row in exported if row["type"] == "person" and row["roles"])
    role = person["roles"][0]
    cited = invoke("cite", person["id"], "--json").json()
    quote = role["sources"][0]["quote"]
    [obj] = [o for o in cited if o["quote"] == quote][:1]
    assert obj["title"] == f"{person['name']} — {role['title']}"
    text = invoke("cite", person["id"], "--lang", "en").stdout.splitlines()
    at = text.index(f"  «{squash(quote)}»")
    assert text[at - 2 : at] == [f"  {role['title']}", f"  en: {role['title_en']}"]


def test_a_sentence_of_an_article_is_cited_by_its_short_id(
    invoke: Invoke, exported: list[dict[str, Any]]
) -> None:
    doc = next(iter(sources(exported)))
    short = f"{doc.split('_')[0]}:2"
    [passage] = invoke("show", short, "--json").json()
    [obj] = invoke("cite", short, "--json").json()
    assert obj["record"] == passage["id"] and obj["record-type"] == "passage"
    assert obj["quote"] == passage["text"] == obj["title"]
    assert squash(obj["quote"]) in seed(doc)
    text = invoke("cite", short).stdout
    assert f"«{squash(passage['text'])}»" in text and text.startswith(f"{passage['id']} (")


def test_json_lines_are_the_json_objects(invoke: Invoke, exported: list[dict[str, Any]]) -> None:
    ids = [row["id"] for row in records(exported)[:6]]
    array = invoke("cite", *ids, "--format", "json").json()
    lines = invoke("cite", *ids, "--format", "jsonl").stdout.splitlines()
    assert [json.loads(line) for line in lines] == array


def test_an_unknown_id_is_one_line_with_the_exit_code_of_show(
    invoke: Invoke, exported: list[dict[str, Any]]
) -> None:
    real = next(row["id"] for row in exported if row["type"] == "event")
    typo = real[:-1]
    shown = invoke("show", typo)
    result = invoke("cite", typo)
    assert result.code == shown.code == ExitCode.NO_RESULTS
    assert result.stdout == ""
    assert len(result.stderr.splitlines()) == 1, result.stderr
    assert "did you mean" in result.stderr and real in result.stderr
    both = invoke("cite", real, typo, "--json")
    assert both.code == ExitCode.NO_RESULTS
    assert {obj["record"] for obj in both.json()} == {real}  # the others are still cited
    assert len(both.stderr.splitlines()) == 1


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["cite", "igc\udcff"], "not UTF-8"),
        (["cite", ""], "empty"),
        (["cite", "  "], "empty"),
        (["cite"], "give a record id"),
        (["cite", "x", "--stdin"], "not both"),
        (["cite", "x", "--json", "--format", "markdown"], "two formats"),
    ],
)
def test_usage_errors_are_one_line_and_exit_2(invoke: Invoke, args: list[str], said: str) -> None:
    result = invoke(*args)
    assert result.code == ExitCode.USAGE
    assert result.stdout == ""
    assert len(result.stderr.splitlines()) == 1 and said in result.stderr, result.stderr
    assert "Traceback" not in result.stderr


def test_stdin_cites_each_line_and_says_which_it_cannot(
    invoke: Invoke, exported: list[dict[str, Any]]
) -> None:
    ids = [row["id"] for row in records(exported)[:3]]
    lines = f"{ids[0]}\n\n  {ids[1]}  \nno-such-record\n{ids[2]}\n"
    result = invoke("cite", "--stdin", "--format", "jsonl", input=lines)
    assert result.code == ExitCode.NO_RESULTS
    assert [json.loads(line)["record"] for line in result.stdout.splitlines()] == [
        record for record in ids for _ in citations(next(r for r in exported if r["id"] == record))
    ]
    assert len(result.stderr.splitlines()) == 1 and "no-such-record" in result.stderr
    plain = invoke("cite", "--stdin", input="\n".join(ids) + "\n")
    assert plain.code == ExitCode.OK and plain.stdout == invoke("cite", *ids).stdout
    broken = invoke("cite", "--stdin", input=f"{ids[0]}\nigc\udcff\n")
    assert broken.code == ExitCode.USAGE and "not UTF-8" in broken.stderr
    assert broken.stdout.startswith(f"{ids[0]} (")


MARKDOWN = MarkdownIt("commonmark").enable("table").enable("strikethrough")
"""A CommonMark parser with GitHub's tables and strikethrough."""


def rendered_text(markdown: str) -> str:
    """The text a reader sees of Markdown: rendered to HTML, tags dropped, entities read."""
    return html.unescape(re.sub(r"<[^>]+>", "", MARKDOWN.render(markdown)))


def test_markdown_escapes_markdown_in_data(
    invoke: Invoke, tmp_path: Path, exported: list[dict[str, Any]]
) -> None:
    marked = (
        "*звёзды* _курсив_ [ссылка](http://x.test) `код` <b>жирный</b> | ~~зачёркнуто~~ $x$ # &amp;"
    )
    text = MINI_FACTS.read_text(encoding="utf-8")
    text = text.replace('title = "Встреча"', f'title = "Встреча {marked}"')
    text = text.replace('outlet = "Test"', f'outlet = "Test {marked}"\nheadline = "{marked}"')
    text = text.replace('date = "2024-03-05"\n', 'date = "2024-03-05"\ndate_inferred = true\n', 1)
    (tmp_path / "seeds").mkdir()
    (tmp_path / "seeds" / "mini.txt").write_bytes(
        (MINI_FACTS.parent / "seeds/mini.txt").read_bytes()
    )
    facts = tmp_path / "facts.toml"
    facts.write_text(text, encoding="utf-8")
    result = invoke("cite", "meeting", "--format", "markdown", "--facts", str(facts))
    assert result.code == ExitCode.OK, result.stderr
    rendered = MARKDOWN.render(result.stdout)
    markup = {tag: rendered.count(tag) for tag in ("<em>", "<a ", "<b>", "<s>", "<h1>", "<table")}
    assert markup == dict.fromkeys(markup, 0), rendered
    assert rendered.count("<strong>") == 1 and rendered.count("<code>") == 2  # claim; two ids
    assert "~2024-03-05," in rendered  # an inferred date's mark, which strikes nothing through
    # the claim, the outlet and the headline read as written
    assert rendered_text(result.stdout).count(marked) == 3, rendered
    real = records(exported)[0]
    shown = rendered_text(invoke("cite", real["id"], "-f", "markdown").stdout)
    assert f"«{squash(real['sources'][0]['quote'])}»" in shown


def test_nothing_from_data_reaches_a_terminal_raw(
    invoke: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    facts = hostile_facts(tmp_path)
    monkeypatch.setattr(formats, "is_terminal", lambda stream: True)
    for fmt in ("text", "markdown", "json", "jsonl"):
        result = invoke("cite", "petrov", "--format", fmt, "--facts", str(facts))
        assert result.code == ExitCode.OK, result.stderr
        assert_safe(result)
        if fmt == "text":
            assert_escaped(result.stdout)
        elif fmt == "markdown":  # as it reads rendered (Markdown escapes the backslashes)
            assert_escaped(rendered_text(result.stdout))
    missing = invoke("cite", f"petrov{HOSTILE}", "--facts", str(facts))
    assert_safe(missing)
    assert len(missing.stderr.splitlines()) == 1


def test_on_a_terminal_text_is_wrapped_at_spaces_and_no_word_is_split(
    invoke: Invoke, exported: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = [row["id"] for row in records(exported)]
    piped = invoke("cite", *ids).stdout
    monkeypatch.setattr(formats, "is_terminal", lambda stream: True)
    shown = invoke("cite", *ids, env={"COLUMNS": "60"}).stdout
    assert shown.split() == piped.split()  # the same words, none cut in two
    for line in shown.splitlines():
        assert len(line) <= 60 or " " not in line.strip(), line
