"""Every command is documented in the README and answers --help."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import typer.main

from kzkg_cli.cli.app import app
from kzkg_cli.cli.commands import COMMANDS as TABLE
from kzkg_cli.core.errors import ExitCode

from .conftest import ROOT, Invoke, working_copy

README = (ROOT / "README.md").read_text(encoding="utf-8")
COMMANDS = sorted(TABLE)


def test_the_typer_app_has_exactly_the_commands_of_the_table() -> None:
    assert sorted(typer.main.get_command(app).commands) == COMMANDS  # type: ignore[attr-defined]


def test_the_commands_the_issues_name_exist() -> None:
    wanted = {"who", "when", "trade", "borders", "agreements", "search", "show"}
    wanted |= {"verify", "export", "sources"}
    assert wanted <= set(COMMANDS)


@pytest.mark.parametrize("command", COMMANDS)
def test_command_is_documented_with_an_example(command: str) -> None:
    assert f"### `kzkg {command}" in README
    assert f"$ kzkg {command}" in README


@pytest.mark.parametrize("command", COMMANDS)
def test_command_has_help(invoke: Invoke, command: str) -> None:
    result = invoke(command, "--help")
    assert result.code == 0 and "Usage" in result.stdout


def test_every_exit_code_is_documented() -> None:
    for code in ExitCode:
        assert f"| {int(code)} |" in README, code


def test_the_changelog_keeps_a_changelog_and_matches_the_version(invoke: Invoke) -> None:
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    releases = re.findall(r"^## \[(\d+\.\d+\.\d+)\] - (\d{4}-\d{2}-\d{2})$", changelog, re.M)
    assert releases, "no released section"
    assert "## [Unreleased]" in changelog
    newest = releases[0][0]
    assert invoke("--version").stdout == f"kzkg {newest}\n"
    for heading in re.findall(r"^### (.+)$", changelog, re.M):
        assert heading in {"Added", "Changed", "Deprecated", "Removed", "Fixed", "Security"}


@pytest.mark.parametrize("command", COMMANDS)
def test_help_ends_with_examples_that_work(
    invoke: Invoke, command: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # an example may write a file (export --format sqlite) or read an article (draft
    # seeds/…): it runs in a curator's working copy
    working_copy(tmp_path)
    monkeypatch.chdir(tmp_path)
    shown = invoke(command, "--help").stdout
    tail = shown[shown.index("Examples:") :]
    calls = re.findall(r"\$ kzkg (.+?)\s*$", tail, re.M)
    assert 2 <= len(calls) <= 3, calls
    for call in calls:
        result = invoke(*call.split())
        assert result.code == 0, (call, result.stderr)
        assert result.stdout or result.stderr.startswith("kzkg: wrote ")  # data, or a file


def test_no_arguments_give_a_short_overview_whose_commands_work(
    capsys: pytest.CaptureFixture[str], invoke: Invoke
) -> None:
    from kzkg_cli.cli import entry

    assert entry._run([]) == 0
    overview = capsys.readouterr().out
    assert len(overview.splitlines()) <= 15
    lines = [line.strip() for line in overview.splitlines() if line.startswith("  kzkg ")]
    calls = [re.split(r"\s{2,}", line)[0].removeprefix("kzkg ").split() for line in lines]
    assert {call[0] for call in calls} >= {"who", "when", "trade", "agreements"}
    for call in calls:
        if not call[-1].isupper():  # ID and ТЕКСТ are placeholders
            assert invoke(*call).code == 0, call


def test_the_entry_points_own_exit_codes_are_the_documented_ones() -> None:
    from kzkg_cli.cli import entry

    assert (entry.OK, entry.USAGE, entry.INTERRUPTED) == (
        ExitCode.OK,
        ExitCode.USAGE,
        ExitCode.INTERRUPTED,
    )
