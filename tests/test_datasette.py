"""`datasette kzkg.db -m metadata.json` on a real export: the server on 127.0.0.1, asked for a
table, a person's row with its roles and quotes (through the foreign keys) and a full-text
search, as JSON, and the answers checked against kzkg's own (`export`, `show`, `search`).
Skipped only where Datasette is not installed (the test extra installs it)."""

from __future__ import annotations

import html
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from .conftest import Invoke

pytest.importorskip("datasette")

KZKG = [sys.executable, "-m", "kzkg_cli"]
READY_WITHIN = 120.0
"""Seconds a server may take to answer at all before the test gives up (a guard against a
hung start, not a measurement: nothing asserts how long it took)."""


@dataclass(frozen=True)
class Served:
    """A running Datasette: where it answers, and the files it serves."""

    base: str
    metadata: Path

    def get(self, path: str, **query: str) -> Any:
        """The JSON at path (query parameters added)."""
        url = self.base + path + ("?" + urllib.parse.urlencode(query) if query else "")
        with urllib.request.urlopen(url, timeout=60) as response:
            return json.load(response)

    def text(self, path: str) -> str:
        with urllib.request.urlopen(self.base + path, timeout=60) as response:
            text: str = response.read().decode("utf-8")
            return text

    def all_rows(self, table: str, **query: str) -> list[dict[str, Any]]:
        """Every row of a table page (its filters in query), page after page."""
        found: list[dict[str, Any]] = []
        page = self.get(f"/kzkg/{table}.json", _shape="objects", **query)
        found += page["rows"]
        while page.get("next_url"):
            with urllib.request.urlopen(page["next_url"], timeout=60) as response:
                page = json.load(response)
            found += page["rows"]
        return found


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def wait_until_ready(server: subprocess.Popen[bytes], base: str, log: Path) -> bool:
    """Poll the server until it answers (True), or until it has exited (False)."""
    deadline = time.monotonic() + READY_WITHIN
    while time.monotonic() < deadline:
        if server.poll() is not None:
            return False
        try:
            with urllib.request.urlopen(base + "/-/versions.json", timeout=5) as response:
                if response.status == 200:
                    return True
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.05)
    raise AssertionError(f"datasette did not answer: {log.read_text(errors='replace')}")


def stop(server: subprocess.Popen[bytes]) -> None:
    server.terminate()
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """The shipped fact base exported with its metadata and served by Datasette on a free
    port of 127.0.0.1; the server is stopped when the module's tests end, pass or fail."""
    folder = tmp_path_factory.mktemp("datasette")
    env = {k: v for k, v in os.environ.items() if not k.startswith("KZKG_")}
    env["KZKG_CACHE_DIR"] = str(folder / "cache")
    database = folder / "kzkg.db"
    command = [*KZKG, "export", "--format", "sqlite", str(database), "--metadata"]
    subprocess.run(command, env=env, check=True, capture_output=True, timeout=300)
    metadata = folder / "metadata.json"
    log = folder / "datasette.log"
    for _ in range(3):  # another process may take the free port first: try another
        port = free_port()
        serve = [sys.executable, "-m", "datasette", "serve", str(database)]
        serve += ["-m", str(metadata), "-h", "127.0.0.1", "-p", str(port)]
        with open(log, "wb") as output:
            server = subprocess.Popen(serve, stdout=output, stderr=subprocess.STDOUT)
        try:
            base = f"http://127.0.0.1:{port}"
            if wait_until_ready(server, base, log):
                yield Served(base, metadata)
                return
        finally:
            stop(server)
    raise AssertionError(f"datasette did not start: {log.read_text(errors='replace')}")


def person_with_most_roles(invoke: Invoke) -> dict[str, Any]:
    people: list[dict[str, Any]] = invoke("export", "--json", "--type", "person").json()
    return max(people, key=lambda person: (len(person["roles"]), person["id"]))


def shown(invoke: Invoke, record_id: str) -> dict[str, Any]:
    result = invoke("show", record_id, "--json")
    assert result.code == 0, result
    answer = result.json()
    record: dict[str, Any] = answer[0] if isinstance(answer, list) else answer
    return record


def test_a_table_page_holds_every_record_of_its_kind(served: Served, invoke: Invoke) -> None:
    people = {p["id"]: p for p in invoke("export", "--json", "--type", "person").json()}
    rows = served.all_rows("person")
    assert {row["id"]: row["name"] for row in rows} == {i: p["name"] for i, p in people.items()}
    page = served.get("/kzkg/person.json")
    assert page["filtered_table_rows_count"] == len(people)


def test_a_person_s_page_links_their_roles_offices_and_quotes(
    served: Served, invoke: Invoke
) -> None:
    person = shown(invoke, person_with_most_roles(invoke)["id"])
    page = served.get(f"/kzkg/person/{person['id']}.json", _extras="foreign_key_tables")
    assert page["rows"][0][page["columns"].index("name")] == person["name"]
    links = {(fk["other_table"], fk["other_column"]): fk for fk in page["foreign_key_tables"]}

    quotes = [(s["doc"], s["quote"]) for s in person["sources"]]
    quotes += [(s["doc"], s["quote"]) for role in person["roles"] for s in role["sources"]]
    assert links["sources", "person_id"]["count"] == len(quotes)
    stored = served.all_rows("sources", person_id=person["id"])
    assert sorted((q["doc"], q["quote"]) for q in stored) == sorted(quotes)

    assert links["role", "person_id"]["count"] == len(person["roles"])
    roles = served.all_rows("role", person_id=person["id"], _labels="on", _sort="position")
    assert [r["title"] for r in roles] == [role["title"] for role in person["roles"]]
    for row, role in zip(roles, person["roles"], strict=True):
        if role["office"]:  # the link shows the office by its label
            office = role["office"][0]
            assert row["office_id"] == {"value": office["id"], "label": office["label"]}
        else:
            assert row["office_id"] is None


def test_a_role_s_quotes_link_back_to_it(served: Served, invoke: Invoke) -> None:
    person = shown(invoke, person_with_most_roles(invoke)["id"])
    roles = served.all_rows("role", person_id=person["id"], _sort="position")
    for row, role in zip(roles, person["roles"], strict=True):
        quotes = served.all_rows("sources", role_id=str(row["id"]))
        assert [(q["doc"], q["quote"]) for q in quotes] == [
            (s["doc"], s["quote"]) for s in role["sources"]
        ]
        assert {q["part"] for q in quotes} == {f"roles[{row['position']}]"}


def test_full_text_search_finds_what_kzkg_search_finds(served: Served, invoke: Invoke) -> None:
    """A surname, searched in Datasette's passages, quotes and records: every passage kzkg
    search gives that holds the word is among Datasette's, and every record whose title,
    summary or quote holds it is one kzkg search gives."""
    word = person_with_most_roles(invoke)["name"].split()[-1]
    searched = invoke("search", word, "--json")
    assert searched.code == 0, searched
    answers = searched.json()
    found_ids = {a["id"] for a in answers}

    passages = served.all_rows("passages", _search=word)
    assert passages and all(word.casefold() in p["text"].casefold() for p in passages)
    literal = {
        a["id"]
        for a in answers
        if a["type"] == "passage" and word.casefold() in a["text"].casefold()
    }
    assert literal <= {p["id"] for p in passages}
    sample = passages[0]
    assert shown(invoke, sample["id"])["text"] == sample["text"]

    records = served.all_rows("records", _search=word)
    quotes = served.all_rows("sources", _search=word)
    assert records and quotes
    assert all(word.casefold() in q["quote"].casefold() for q in quotes)
    assert {r["id"] for r in records} <= found_ids
    assert {q["record_id"] for q in quotes} <= found_ids


def test_the_metadata_is_served_and_shown(served: Served) -> None:
    written = json.loads(served.metadata.read_text(encoding="utf-8"))
    assert served.get("/-/metadata.json") == written
    described = written["databases"]["kzkg"]["tables"]["person"]
    page = html.unescape(served.text("/kzkg/person"))
    assert described["columns"]["name_latin"] in page
    assert written["license"] in page
