"""Where each record and each value of a fact file sits: line numbers, which tomli does not give.

A small scanner for the TOML the fact file uses: array-of-tables headers (``[[person]]``),
table headers, ``key = value`` with bare, quoted and dotted keys, basic and literal strings
(one-line and multi-line, with every escape), arrays and inline tables spanning lines, numbers,
booleans, dates and comments. It maps each record (by kind and index, and by id) and each value
path inside it (``lead``, ``sources[2].quote``, ``roles[1].sources[0].quote``, ``roles[1].date``)
to the line its value starts on, with the value decoded as tomli decodes it, so that a message
can point at the very quote it is about. It is run only when a message needs a line, on text
tomli has already parsed; anything it does not follow raises ScanError, and the caller says
less (no line) rather than something wrong.
"""

from __future__ import annotations

import bisect
import datetime
import re
from typing import Any, NamedTuple

RecordKey = tuple[str, int]
"""A record as the file orders it: its kind and its index among the records of that kind."""


class ScanError(ValueError):
    """The text holds TOML the scanner does not follow (or is not TOML)."""


class Spot(NamedTuple):
    """Where one value starts, and the value as tomli reads it."""

    line: int
    value: Any


class Positions:
    """Every record's values and their lines; the document as a whole, for tests."""

    def __init__(self) -> None:
        self.records: dict[RecordKey, dict[str, Spot]] = {}
        """Each record's value paths ("" is its header) and where they start."""
        self.ids: dict[str, RecordKey] = {}
        """Each record id (its ``id`` string), the first record to give it."""
        self.document: dict[str, Any] = {}
        """The whole file as tomli reads it (scalars other than strings read simply)."""

    def spots(self, record: str | RecordKey) -> dict[str, Spot] | None:
        """A record's spots, by id or by kind and index."""
        key = self.ids.get(record) if isinstance(record, str) else record
        return None if key is None else self.records.get(key)

    def line(self, record: str | RecordKey, path: str = "", value: object = None) -> int | None:
        """The line of a value of a record: at path (holding value, if given); else, for a
        value given, the first path of the record holding it (a conflict's quotes sit in its
        readings); else the line of the nearest part path names that the file writes (a
        field left out: its table's line, or the record's id line); None for a record the
        file does not have."""
        spots = self.spots(record)
        if spots is None:
            return None
        spot = spots.get(path)
        if spot is not None and (value is None or spot.value == value):
            return spot.line
        if value is not None:
            leaf = path.rsplit(".", 1)[-1]
            found = [s for p, s in spots.items() if p.endswith(leaf) and s.value == value]
            if found:
                return found[0].line
        while path:
            path = _parent(path)
            if path in spots:
                return spots[path].line
        return spots.get("id", spots[""]).line


def _parent(path: str) -> str:
    """The path of the table or array holding path's value: roles[1].date -> roles[1]."""
    cut = max(path.rfind("."), path.rfind("["))
    return path[: max(cut, 0)]


_BARE = re.compile(r"[A-Za-z0-9_-]+")
_SPACE = re.compile(r"[ \t]*")
_TOKEN = re.compile(
    r"\d{4}-\d{2}-\d{2}(?:[Tt ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:[Zz]|[+-]\d{2}:\d{2})?)?"
    r"|\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?"
    r"|[^\s,\]\}#]+"
)
_ESCAPES = {"b": "\b", "t": "\t", "n": "\n", "f": "\f", "r": "\r", '"': '"', "\\": "\\"}
_ESCAPES["e"] = "\x1b"  # TOML 1.1, which tomli reads
_HEX = {"x": 2, "u": 4, "U": 8}


def scan(text: str) -> Positions:
    """The positions of every record and value of a fact file's text; ScanError if the
    scanner cannot follow it."""
    return _Scanner(text).run()


class _Scanner:
    def __init__(self, text: str) -> None:
        self.text = text
        self.at = 0
        self.breaks = [m.start() for m in re.finditer("\n", text)]
        self.found = Positions()
        self.counts: dict[str, int] = {}

    def run(self) -> Positions:
        record: dict[str, Spot] = {}
        self.found.records[("", 0)] = record
        table = self.found.document
        record[""] = Spot(1, table)
        while self._skip_lines():
            if self.text.startswith("[[", self.at):
                record, table = self._array_header()
            elif self.text.startswith("[", self.at):
                record, table = self._table_header()
            else:
                self._pair(table, record, "")
                self._end_of_line()
        for key, spots in self.found.records.items():
            spot = spots.get("id")
            if key[0] and spot is not None and isinstance(spot.value, str):
                self.found.ids.setdefault(spot.value, key)
        return self.found

    # -------------------------------------------------------------------- structure

    def _array_header(self) -> tuple[dict[str, Spot], dict[str, Any]]:
        line = self._line()
        self.at += 2
        keys = self._keys()
        self._expect("]]")
        self._end_of_line()
        parent = self._walk(self.found.document, keys[:-1])
        array = parent.setdefault(keys[-1], [])
        if not isinstance(array, list):
            raise ScanError(f"line {line}: {keys[-1]!r} is not an array of tables")
        table: dict[str, Any] = {}
        array.append(table)
        kind = ".".join(keys)
        index = self.counts.get(kind, 0)
        self.counts[kind] = index + 1
        record = {"": Spot(line, table)}
        self.found.records[(kind, index)] = record
        return record, table

    def _table_header(self) -> tuple[dict[str, Spot], dict[str, Any]]:
        line = self._line()
        self.at += 1
        keys = self._keys()
        self._expect("]")
        self._end_of_line()
        table = self._walk(self.found.document, keys)
        record = {"": Spot(line, table)}
        self.found.records[(".".join(keys), -1)] = record
        return record, table

    @staticmethod
    def _walk(table: dict[str, Any], keys: list[str]) -> dict[str, Any]:
        """The table at keys below table (made where missing; an array's last table)."""
        for key in keys:
            inner = table.setdefault(key, {})
            if isinstance(inner, list) and inner and isinstance(inner[-1], dict):
                inner = inner[-1]
            if not isinstance(inner, dict):
                raise ScanError(f"{key!r} is not a table")
            table = inner
        return table

    def _pair(self, table: dict[str, Any], record: dict[str, Spot], prefix: str) -> None:
        """key = value, into table; its spots under prefix."""
        keys = self._keys()
        self._expect("=")
        self._space()
        path = prefix + ".".join(keys)
        target = table
        for number, key in enumerate(keys[:-1]):
            target = target.setdefault(key, {})
            record.setdefault(prefix + ".".join(keys[: number + 1]), Spot(self._line(), target))
        target[keys[-1]] = self._value(record, path)

    def _keys(self) -> list[str]:
        keys = []
        while True:
            self._space()
            keys.append(self._key())
            self._space()
            if not self.text.startswith(".", self.at):
                return keys
            self.at += 1

    def _key(self) -> str:
        char = self.text[self.at : self.at + 1]
        if char == '"':
            return self._basic()
        if char == "'":
            return self._literal()
        match = _BARE.match(self.text, self.at)
        if match is None:
            raise ScanError(f"line {self._line()}: expected a key")
        self.at = match.end()
        return match.group()

    # -------------------------------------------------------------------- values

    def _value(self, record: dict[str, Spot], path: str) -> Any:
        line = self._line()
        text = self.text
        if text.startswith('"""', self.at):
            value: Any = self._multi_line('"""')
        elif text.startswith("'''", self.at):
            value = self._multi_line("'''")
        elif text.startswith('"', self.at):
            value = self._basic()
        elif text.startswith("'", self.at):
            value = self._literal()
        elif text.startswith("[", self.at):
            value = self._array(record, path)
        elif text.startswith("{", self.at):
            value = self._inline_table(record, path)
        else:
            value = self._scalar()
        record[path] = Spot(line, value)
        return value

    def _array(self, record: dict[str, Spot], path: str) -> list[Any]:
        self.at += 1
        items: list[Any] = []
        while True:
            self._skip_blank()
            if self.text.startswith("]", self.at):
                self.at += 1
                return items
            items.append(self._value(record, f"{path}[{len(items)}]"))
            self._skip_blank()
            if self.text.startswith(",", self.at):
                self.at += 1
            elif not self.text.startswith("]", self.at):
                raise ScanError(f"line {self._line()}: expected ',' or ']'")

    def _inline_table(self, record: dict[str, Spot], path: str) -> dict[str, Any]:
        self.at += 1
        table: dict[str, Any] = {}
        while True:
            self._skip_blank()
            if self.text.startswith("}", self.at):
                self.at += 1
                return table
            self._pair(table, record, f"{path}.")
            self._skip_blank()
            if self.text.startswith(",", self.at):
                self.at += 1
            elif not self.text.startswith("}", self.at):
                raise ScanError(f"line {self._line()}: expected ',' or '}}'")

    def _scalar(self) -> Any:
        match = _TOKEN.match(self.text, self.at)
        if match is None:
            raise ScanError(f"line {self._line()}: expected a value")
        self.at = match.end()
        return _read_scalar(match.group())

    def _basic(self) -> str:
        """A one-line basic string, escapes decoded."""
        text, at = self.text, self.at + 1
        parts: list[str] = []
        while True:
            stop = _next_of(text, at, '"\\\n')
            parts.append(text[at:stop])
            if stop >= len(text) or text[stop] == "\n":
                raise ScanError(f"line {self._line()}: unterminated string")
            if text[stop] == '"':
                self.at = stop + 1
                return "".join(parts)
            char, at = self._escape(stop)
            parts.append(char)

    def _literal(self) -> str:
        stop = self.text.find("'", self.at + 1)
        newline = self.text.find("\n", self.at + 1)
        if stop < 0 or 0 <= newline < stop:
            raise ScanError(f"line {self._line()}: unterminated string")
        value = self.text[self.at + 1 : stop]
        self.at = stop + 1
        return value

    def _multi_line(self, fence: str) -> str:
        text, at = self.text, self.at + 3
        if text.startswith("\n", at):  # a newline right after the fence is not text
            at += 1
        elif text.startswith("\r\n", at):
            at += 2
        parts: list[str] = []
        basic = fence == '"""'
        while True:
            stop = _next_of(text, at, fence[0] + ("\\" if basic else ""))
            parts.append(text[at:stop])
            if stop >= len(text):
                raise ScanError(f"line {self._line()}: unterminated string")
            if text[stop] == "\\":
                if _folds(text, stop + 1):  # a line-ending backslash: whitespace to the text
                    at = stop + 1
                    while at < len(text) and text[at] in " \t\r\n":
                        at += 1
                    continue
                char, at = self._escape(stop)
                parts.append(char)
                continue
            run = stop
            while run < len(text) and text[run] == fence[0]:
                run += 1
            quotes = run - stop
            if quotes >= 3:  # up to two quotes may end the text, just before the fence
                parts.append(fence[0] * (quotes - 3))
                self.at = run
                return "".join(parts)
            parts.append(text[stop:run])
            at = run

    def _escape(self, at: int) -> tuple[str, int]:
        """The character an escape at text[at] (a backslash) stands for, and where it ends."""
        code = self.text[at + 1 : at + 2]
        if code in _ESCAPES:
            return _ESCAPES[code], at + 2
        size = _HEX.get(code)
        digits = self.text[at + 2 : at + 2 + size] if size else ""
        if size is None or not re.fullmatch(f"[0-9a-fA-F]{{{size}}}", digits):
            raise ScanError(f"line {self._line()}: bad escape")
        return chr(int(digits, 16)), at + 2 + size

    # -------------------------------------------------------------------- whitespace

    def _space(self) -> None:
        self.at = _SPACE.match(self.text, self.at).end()  # type: ignore[union-attr]

    def _skip_blank(self) -> None:
        """Whitespace, newlines and comments (inside an array or an inline table)."""
        text = self.text
        while self.at < len(text):
            char = text[self.at]
            if char in " \t\r\n":
                self.at += 1
            elif char == "#":
                self._comment()
            else:
                return

    def _skip_lines(self) -> bool:
        """Blank and comment lines; whether there is more to read."""
        self._skip_blank()
        return self.at < len(self.text)

    def _comment(self) -> None:
        stop = self.text.find("\n", self.at)
        self.at = len(self.text) if stop < 0 else stop

    def _end_of_line(self) -> None:
        self._space()
        if self.text.startswith("#", self.at):
            self._comment()
        if self.text.startswith("\r\n", self.at):
            self.at += 2
        elif self.text.startswith("\n", self.at):
            self.at += 1
        elif self.at < len(self.text):
            raise ScanError(f"line {self._line()}: expected the end of the line")

    def _expect(self, token: str) -> None:
        self._space()
        if not self.text.startswith(token, self.at):
            raise ScanError(f"line {self._line()}: expected {token!r}")
        self.at += len(token)

    def _line(self) -> int:
        return bisect.bisect_left(self.breaks, self.at) + 1


def _next_of(text: str, at: int, chars: str) -> int:
    """The index of the first of chars at or after at, or len(text)."""
    found = [i for i in (text.find(c, at) for c in chars) if i >= 0]
    return min(found, default=len(text))


def _folds(text: str, at: int) -> bool:
    """Whether only spaces or tabs stand between at and the end of its line."""
    while at < len(text) and text[at] in " \t":
        at += 1
    return at < len(text) and text[at] in "\r\n"


def _read_scalar(token: str) -> Any:
    """A number, boolean or date as tomli reads it; any other token as its text."""
    if token in ("true", "false"):
        return token == "true"
    plain = token.replace("_", "")
    try:
        if re.fullmatch(r"[+-]?(?:0[xob][0-9a-fA-F]+|\d+)", plain):
            return int(plain, 0) if plain.lstrip("+-")[:2] in ("0x", "0o", "0b") else int(plain)
        if re.fullmatch(r"[+-]?(?:inf|nan|[\d.]+(?:[eE][+-]?\d+)?)", plain):
            return float(plain)
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", token):
            return datetime.date.fromisoformat(token)
    except ValueError:
        pass
    return token
