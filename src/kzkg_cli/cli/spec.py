"""How a command is declared: its parameters (each with the kind of value it takes) and what
it runs. The command table (cli.commands) is written in these terms; the Typer app (cli.app)
and the fast path (cli.fast) are both built from it, so a command has one grammar.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pathlib import Path


class Unparsed(Exception):
    """A value the fast path does not read exactly as Click would: Typer takes the call."""


class ValueType:
    """The type of value a parameter takes, and how the fast path reads one.

    (Plain classes here, not dataclasses or named tuples: the table is built on every call,
    and these are the cheapest to define.)
    """

    __slots__ = ("name", "choices", "case_sensitive", "low", "high")

    def __init__(
        self,
        name: str,
        choices: tuple[str, ...] = (),
        case_sensitive: bool = True,
        low: int | None = None,
        high: int | None = None,
    ) -> None:
        self.name = name
        """text, int, choice, date, path or flag."""
        self.choices = choices
        self.case_sensitive = case_sensitive
        self.low = low
        self.high = high

    def parse(self, text: str) -> Any:
        """The value as the command receives it; Unparsed where Typer must judge it."""
        reader: Callable[[str], Any] = getattr(self, f"_{self.name}")
        return reader(text)

    def _text(self, text: str) -> str:
        return text

    def _int(self, text: str) -> int:
        if not re.fullmatch(r"[0-9]{1,6}", text):
            raise Unparsed(text)
        value = int(text)
        if (self.low is not None and value < self.low) or (
            self.high is not None and value > self.high
        ):
            raise Unparsed(text)
        return value

    def _choice(self, text: str) -> str:
        if text in self.choices:
            return text
        if not self.case_sensitive:
            for choice in self.choices:
                if choice.casefold() == text.casefold():
                    return choice
        raise Unparsed(text)

    def _date(self, text: str) -> str:
        from kzkg_cli.core.dates import check_date

        if check_date(text):
            raise Unparsed(text)
        return text

    def _path(self, text: str) -> Path:
        if not text:
            raise Unparsed(text)
        from pathlib import Path  # only when a path is typed (see cli.settings)

        return Path(text)


TEXT = ValueType("text")
FLAG = ValueType("flag")
DATE = ValueType("date")
PATH = ValueType("path")


def choice(*values: str, case_sensitive: bool = True) -> ValueType:
    """A kind that takes one of these values."""
    return ValueType("choice", tuple(values), case_sensitive)


def number(low: int, high: int) -> ValueType:
    """A kind that takes a whole number within [low, high]."""
    return ValueType("int", low=low, high=high)


class Param:
    """One argument or option of a command."""

    __slots__ = (
        "dest",
        "flags",
        "value",
        "help",
        "default",
        "metavar",
        "env",
        "complete",
        "multiple",
        "joined",
    )

    def __init__(
        self,
        dest: str,
        flags: tuple[str, ...],
        value: ValueType,
        help: str,
        default: Any = None,
        metavar: str | None = None,
        env: str | None = None,
        complete: str | None = None,
        multiple: bool = False,
        joined: bool = False,
    ) -> None:
        self.dest = dest
        """The name the command body receives it by."""
        self.flags = flags
        """--long (and -short) names; none for the positional argument."""
        self.value = value
        self.help = help
        self.default = default
        self.metavar = metavar
        self.env = env
        """The environment variable the command reads when the option is not given."""
        self.complete = complete
        """What Tab offers, from the data: the name of a completer in cli.complete."""
        self.multiple = multiple
        """An option that may be given again, or a positional that takes any number of words
        (`kzkg search Хан Тенгри`): the body receives every value, as a tuple (see gather)."""
        self.joined = joined
        """With multiple: the body receives the values as one text, joined by single spaces
        (None when there are none), so that several words are one query."""

    def gather(self, values: Sequence[Any] | None) -> Any:
        """What the body of a multiple parameter receives of the values given: a tuple, or
        one text (None for none) where the parameter is joined."""
        if self.joined:
            return " ".join(values) if values else None
        return tuple(values or ())

    def full_help(self) -> str:
        """The help text, naming the environment variable where there is one."""
        if self.env is None:
            return self.help
        return f"{self.help.removesuffix('.')} (env: {self.env})."

    @property
    def positional(self) -> bool:
        return not self.flags


class Command:
    """One command, declared once."""

    __slots__ = ("name", "help", "run", "params", "examples", "instead")

    def __init__(
        self,
        name: str,
        run: Callable[..., int],
        params: tuple[Param, ...],
        examples: tuple[str, ...],
        instead: str = "",
    ) -> None:
        self.name = name
        self.help = " ".join((run.__doc__ or "").split())
        """What the command does: its body's docstring."""
        self.run = run
        """The body: takes the global options (a Globals) and each parameter by its dest, and
        returns the exit code; raises KzkgError for the caller to report."""
        self.params = params
        self.examples = examples
        """Real calls, shown at the end of --help (a test runs them)."""
        self.instead = instead
        """For a command that reads no query: what to use instead of the words or the --stdin
        given it ({words} stands for the words), said after the error."""

    def call(self, top: Globals, values: dict[str, Any]) -> int:
        """Run the body with these values. --color (the command's, else the global one) is
        the run's, taken here: the body never sees it."""
        from kzkg_cli.present.console import choose_colour

        colour = values.pop("colour", None)
        choose_colour(colour if colour is not None else top.colour)
        return self.run(top, **values)

    @property
    def reads_query(self) -> bool:
        """Whether the command reads a query: it takes --stdin."""
        return self.option("--stdin") is not None

    def positional(self) -> Param | None:
        return next((p for p in self.params if p.positional), None)

    def option(self, flag: str) -> Param | None:
        return next((p for p in self.params if flag in p.flags), None)

    def epilog(self) -> str:
        """The --help epilog: the examples, one paragraph each (Rich joins lines)."""
        return "Examples:\n\n" + "\n\n".join(f"  $ kzkg {call}" for call in self.examples)


class Globals:
    """The options given before the command: `kzkg --facts F --lang en who …`."""

    __slots__ = ("facts", "lang", "colour")

    def __init__(
        self, facts: Path | None = None, lang: str | None = None, colour: str | None = None
    ) -> None:
        self.facts = facts
        self.lang = lang
        self.colour = colour
