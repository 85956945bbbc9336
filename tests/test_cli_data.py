"""The data commands through the CLI: verify, export, sources, --facts and KZKG_FACTS."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kzkg_cli import __version__
from kzkg_cli.core.text import squash
from kzkg_cli.ingest.validate import load_rows

from .conftest import MINI_FACTS, REAL_FACTS, REAL_SEEDS, Invoke, working_copy

SOURCE_IDS = [row["id"] for row in load_rows(REAL_FACTS) if row["type"] == "source"]


@pytest.fixture
def real_copy(tmp_path: Path) -> Path:
    """A writable copy of the shipped fact file with the seeds beside it."""
    return working_copy(tmp_path)


def test_verify_passes_on_the_shipped_file(invoke: Invoke) -> None:
    result = invoke("verify")
    assert result.code == 0, result.stderr
    articles = len(list(REAL_SEEDS.glob("*.txt")))
    assert result.stdout.startswith("ok: ") and f"against {articles} articles" in result.stdout


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            'В 2024 году товарооборот достиг 1,7 млрд долларов" }',
            'В 2024 году товарооборот достиг 1,9 млрд долларов" }',
            "trade 'turnover-2024' sources[0].quote: quote not found verbatim in "
            "000_6c78a56247bf0a97.txt; the nearest passage differs in a retyped word",
        ),
        ('id = "sydykov"', 'id = "torobaev"', "'torobaev' id: duplicate id, first used by person["),
        (
            'name_latin = "Aida Balayeva"',
            'name_latn = "Aida Balayeva"',
            "'balaeva' name_latn: unknown field (did you mean 'name_latin'?)",
        ),
    ],
)
def test_verify_fails_precisely_on_a_broken_copy(
    invoke: Invoke, real_copy: Path, old: str, new: str, message: str
) -> None:
    text = real_copy.read_text(encoding="utf-8")
    assert old in text
    real_copy.write_text(text.replace(old, new, 1), encoding="utf-8")
    result = invoke("verify", "--facts", str(real_copy))
    assert result.code == 3
    assert message in result.stdout, result.stdout
    assert result.stdout.startswith(f"{real_copy}:")
    assert "problem(s) found" in result.stderr


def test_verify_reports_an_uncited_article(invoke: Invoke, tmp_path: Path) -> None:
    shutil.copytree(MINI_FACTS.parent, tmp_path / "mini")
    (tmp_path / "mini" / "seeds" / "extra.txt").write_text("Статья без фактов.", encoding="utf-8")
    result = invoke("verify", "--facts", str(tmp_path / "mini" / "facts.toml"))
    assert result.code == 3
    assert "extra.txt: article is not cited by any fact" in result.stdout


def test_verify_json_lists_problems(invoke: Invoke, tmp_path: Path) -> None:
    result = invoke("verify", "--json", "--facts", str(MINI_FACTS), "--seeds", str(tmp_path))
    assert result.code == 3
    payload = result.json()
    assert payload["ok"] is False
    assert any("mini.txt not found" in p for p in payload["problems"])


def test_export_json_has_every_record_with_verifiable_sources(invoke: Invoke) -> None:
    result = invoke("export", "--json")
    assert result.code == 0
    records = result.json()
    assert [r["id"] for r in records] == [row["id"] for row in load_rows(REAL_FACTS)]
    assert len({r["id"] for r in records}) == len(records)
    texts = {p.stem: squash(p.read_text(encoding="utf-8")) for p in REAL_SEEDS.glob("*.txt")}
    for record in records:
        assert record["sources"], record["id"]
        for ref in record["sources"]:
            assert squash(ref["quote"]) in texts[ref["doc"]], (record["id"], ref)
    assert "\\u04" not in result.stdout  # Cyrillic written as text, not escapes


def test_export_jsonl_and_csv_carry_the_same_records(invoke: Invoke) -> None:
    as_json = invoke("export", "--json").json()
    lines = invoke("export", "--format", "jsonl").stdout.splitlines()
    assert [json.loads(line) for line in lines] == as_json
    csv_text = invoke("export", "--format", "csv").stdout
    import csv
    import io

    rows = list(csv.DictReader(io.StringIO(csv_text)))
    assert [r["id"] for r in rows] == [r["id"] for r in as_json]
    assert json.loads(rows[0]["sources"]) == as_json[0]["sources"]


def test_export_filters_by_type(invoke: Invoke) -> None:
    people = invoke("export", "--json", "--type", "person").json()
    assert people and {r["type"] for r in people} == {"person"}
    bad = invoke("export", "--type", "persons")
    assert bad.code == 2 and "unknown type 'persons'" in bad.stderr and bad.stdout == ""


def test_sources_counts_citations(invoke: Invoke) -> None:
    rows = invoke("sources", "--json").json()
    assert [r["id"] for r in rows] == SOURCE_IDS
    assert {r["id"] for r in rows} == {p.stem for p in REAL_SEEDS.glob("*.txt")}
    by_outlet = {r["outlet"]: r for r in rows}
    assert by_outlet["BAQ.KZ"]["date"] == "2025-08-22"
    relaying = [r for r in rows if r["relays"] == "primeminister.kz"]
    assert [r["outlet"] for r in relaying] == [None]  # relayed, not its publisher
    assert relaying[0]["date_inferred"] is True
    assert all(r["facts"] > 0 for r in rows)


def test_sources_piped_is_plain_tsv(invoke: Invoke) -> None:
    lines = invoke("sources").stdout.splitlines()
    assert [line.split("\t")[0] for line in lines] == SOURCE_IDS
    assert lines[0].split("\t")[:3] == ["000_6c78a56247bf0a97", "BAQ.KZ", "2025-08-22"]
    assert "\x1b" not in "".join(lines)


def test_global_and_env_facts_select_another_file(invoke: Invoke) -> None:
    for args, env in (
        (["--facts", str(MINI_FACTS), "export", "--json"], None),
        (["export", "--json", "--facts", str(MINI_FACTS)], None),
        (["export", "--json"], {"KZKG_FACTS": str(MINI_FACTS)}),
    ):
        result = invoke(*args, env=env)
        assert [r["id"] for r in result.json()][:2] == ["mini", "petrov"], args


def test_missing_fact_file_is_one_line_and_exit_3(invoke: Invoke, tmp_path: Path) -> None:
    result = invoke("sources", "--facts", str(tmp_path / "nope.toml"))
    assert result.code == 3
    assert result.stdout == ""
    assert result.stderr == f"kzkg: error: {tmp_path / 'nope.toml'}: fact file not found\n"


def test_version(invoke: Invoke) -> None:
    assert invoke("--version").stdout == f"kzkg {__version__}\n"


def test_module_runs_from_another_directory(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KZKG_")}
    done = subprocess.run(
        [sys.executable, "-m", "kzkg_cli", "export", "--json", "--type", "source"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert [row["id"] for row in json.loads(done.stdout)] == SOURCE_IDS
