"""The file you are editing is the file you check: inside a folder holding facts.toml with
seeds/ beside it (the working directory or a parent), every command reads that file; --facts
and $KZKG_FACTS still win, and `verify` and `sources` name the file in use."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import REAL_FACTS, Invoke, working_copy


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    """A curator's working copy: facts.toml and seeds/, with one headline edited."""
    working_copy(tmp_path)
    (tmp_path / "notes" / "deep").mkdir(parents=True)
    return tmp_path


EDITED = "Edited Outlet"


def _outlets(result_json: list[dict[str, object]]) -> list[object]:
    return [row.get("outlet") for row in result_json]


def _edit_an_outlet(facts: Path) -> None:
    """Give the first source that names an outlet another one (a curator's edit)."""
    text = facts.read_text(encoding="utf-8")
    start = text.index("\noutlet = ", text.index("[[source]]"))
    end = text.index("\n", start + 1)
    facts.write_text(f'{text[:start]}\noutlet = "{EDITED}"{text[end:]}', encoding="utf-8")


@pytest.mark.parametrize("where", [".", "notes/deep"])
def test_commands_read_the_file_found_from_the_working_directory(
    invoke: Invoke, checkout: Path, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    _edit_an_outlet(checkout / "facts.toml")
    monkeypatch.chdir(checkout / where)
    result = invoke("sources", "--json")
    assert result.code == 0, result.stderr
    assert EDITED in _outlets(result.json())
    # verify checks the same file: a quote broken in it is found there
    facts = checkout / "facts.toml"
    text = facts.read_text(encoding="utf-8")
    facts.write_text(text.replace('quote = "', 'quote = "Retyped ', 1), encoding="utf-8")
    verdict = invoke("verify")
    assert verdict.code == 3, verdict.stderr
    assert verdict.stdout.startswith(f"{facts}:")
    assert "Retyped" in verdict.stdout


def test_a_facts_toml_without_seeds_beside_it_is_not_taken(
    invoke: Invoke, checkout: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _edit_an_outlet(checkout / "facts.toml")
    shutil.rmtree(checkout / "seeds")
    monkeypatch.chdir(checkout)
    result = invoke("sources", "--json")
    assert result.code == 0, result.stderr
    assert EDITED not in _outlets(result.json())  # the installed copy


@pytest.mark.parametrize("how", ["option", "global option", "environment"])
def test_facts_option_and_environment_win_over_the_found_file(
    invoke: Invoke, checkout: Path, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    _edit_an_outlet(checkout / "facts.toml")
    monkeypatch.chdir(checkout)
    chosen = str(REAL_FACTS)
    args = {
        "option": ("sources", "--json", "--facts", chosen),
        "global option": ("--facts", chosen, "sources", "--json"),
        "environment": ("sources", "--json"),
    }[how]
    env = {"KZKG_FACTS": chosen} if how == "environment" else None
    result = invoke(*args, env=env)
    assert result.code == 0, result.stderr
    assert EDITED not in _outlets(result.json())


def test_sources_table_names_the_file_and_how_it_was_chosen(
    invoke: Invoke, checkout: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(checkout / "notes")
    table = invoke("sources", "--format", "table")
    assert table.code == 0, table.stderr
    assert f"{checkout / 'facts.toml'} (found from the current directory)" in table.stdout
    chosen = invoke("sources", "--format", "table", "--facts", str(REAL_FACTS))
    assert f"{REAL_FACTS} (--facts)" in chosen.stdout


def test_a_working_directory_that_is_gone_falls_back_to_the_installed_copy(
    invoke: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    gone = tmp_path / "gone"
    gone.mkdir()
    monkeypatch.chdir(gone)
    gone.rmdir()
    result = invoke("sources", "--json")
    assert result.code == 0, result.stderr
    assert _outlets(result.json())
