"""The synonyms and abbreviations a query is read with: the table in core/synonyms.toml (ВМС and
Высший межгосударственный совет, КР and Кыргызстан, summit and the council's sessions …) and
every office's wordings from the fact base (премьер-министр, глава правительства, prime
minister …), each group a set of ways of writing one thing.

A query's words that spell one entry of a group (in any case form: each word is compared by
its stems, core.names) may be matched by any other entry of the group instead.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import NamedTuple

from kzkg_cli.core import names
from kzkg_cli.index.store import Store

Keys = tuple[frozenset[str], ...]
"""A wording as the stem sets of its meaningful words, in order."""


class Entry(NamedTuple):
    """One way of writing something, and the group it belongs to."""

    text: str
    keys: Keys
    group: int
    office: bool
    """From an office's wordings (not the table)."""


class Synonyms:
    """Groups of wordings, found by the stems of their first word."""

    def __init__(
        self, groups: Iterable[Iterable[str]], offices: Iterable[Iterable[str]] = ()
    ) -> None:
        self.groups: list[list[Entry]] = []
        self._first: dict[str, list[Entry]] = {}
        self._groups_of: Counter[Keys] = Counter()
        """How many offices have each wording: one that several have ("Minister of Energy",
        both countries' ministers) spells any of them but is offered for none."""
        marked = [(texts, False) for texts in groups] + [(texts, True) for texts in offices]
        for texts, office in marked:
            number = len(self.groups)
            entries = [Entry(t, tuple(names.keys(t)), number, office) for t in dict.fromkeys(texts)]
            entries = [e for e in entries if e.keys]
            if len(entries) < 2:
                continue
            self.groups.append(entries)
            if office:
                self._groups_of.update({entry.keys for entry in entries})
            for entry in entries:
                for key in entry.keys[0]:
                    self._first.setdefault(key, []).append(entry)

    def spelt_at(self, words: Keys, start: int) -> tuple[int, list[Entry]]:
        """The longest run of words from start that spells an entry: its length, and every
        entry of the groups so spelt (the spelling entries among them) but an office's
        wording that another office has too; (0, []) if none."""
        found: dict[int, list[Entry]] = {}
        for key in words[start]:
            for entry in self._first.get(key, ()):
                size = len(entry.keys)
                run = words[start : start + size]
                if len(run) == size and all(a & b for a, b in zip(entry.keys, run, strict=True)):
                    found.setdefault(size, []).append(entry)
        if not found:
            return 0, []
        longest = max(found)
        groups = dict.fromkeys(entry.group for entry in found[longest])
        return longest, [
            entry
            for group in groups
            for entry in self.groups[group]
            if not entry.office or self._groups_of[entry.keys] == 1
        ]


def synonyms(store: Store) -> Synonyms:
    """The shipped table (core.synonyms, as the build stored it) with every office's
    wordings, one group an office."""
    return Synonyms(store.synonym_groups(), store.office_groups())
