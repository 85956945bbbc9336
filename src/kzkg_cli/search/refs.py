"""References resolved: where a row names other records by id (participants, speakers, an
office, an event, targets, parts), the answer carries small objects instead, with the id and
the few fields a script needs, so that `jq` needs no second call and a table can show names.

    participants: ["tokayev"]  ->  [{"id": "tokayev", "name": "...", "name_latin": "..."}]
"""

from __future__ import annotations

from typing import Any

from kzkg_cli.core.rows import Row
from kzkg_cli.index.store import Store

BRIEF: dict[str, tuple[str, ...]] = {
    "person": ("id", "name", "name_latin"),
    "office": ("id", "label", "label_en", "kind", "country"),
    "event": ("id", "title", "title_en", "date", "date_inferred", "status"),
    "statement": ("id", "date", "date_inferred", "summary", "summary_en"),
    "agreement": ("id", "title", "title_en", "date", "date_inferred", "status"),
    "trade": ("id", "title", "title_en", "value_usd", "horizon", "period", "period_inferred"),
    "border": ("id", "name", "name_latin", "status"),
    "initiative": ("id", "title", "title_en", "status"),
    "conflict": ("id", "field", "certainty"),
    "source": ("id", "outlet", "date", "date_inferred"),
}
"""The fields of each kind a reference to it carries (besides type, for a conflict's)."""
_DEFAULT = ("id", "type")

REFERENCES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "person": ((), ()),
    "office": (("holders",), ()),
    "event": (("participants", "mentions", "parts", "documents", "statements"), ("part_of",)),
    "statement": (("speakers",), ("event",)),
    "agreement": (("targets",), ("event",)),
    "initiative": (("mentions",), ()),
    "conflict": ((), ("claims_more",)),
}
"""By kind, the keys that hold a list of ids and those that hold one id (a person's are in its
roles, a conflict's records are typed: both are resolved apart). Kinds not here name none."""


LEARNT = frozenset(("source", "person"))
"""The kinds a stream of every record keeps the briefs of as they pass, for the records after
them (in the index's order of kinds) that name them: the people events, statements and
offices name (by far the most references), and the articles conflicts cite. Other references
(an event's parts, a statement's event) are read when met, so that memory stays small."""


class Resolver:
    """Resolves the references of answer rows, reading each record named once."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._briefs: dict[str, Row] = {}
        self._types: dict[str, str] = {}

    def brief(self, record_id: str) -> Row:
        """The small object a reference to a record becomes ({"id": ...} if it is gone)."""
        found = self._briefs.get(record_id)
        if found is None:
            row = self.store.get(record_id)
            found = {"id": record_id} if row is None else self.learn(row)
            self._briefs[record_id] = found
        return found

    def learn(self, row: Row) -> Row:
        """Keep the brief of a row read anyway: a stream of every record (the kinds in index
        order, so the people come before the events and statements that name them) then
        resolves its references without reading a record twice."""
        kind = row["type"]
        found = {key: row.get(key) for key in BRIEF.get(kind, _DEFAULT)}
        if kind == "person":
            found["kind"] = row.get("kind")
        elif kind == "statement":  # who said it, by name
            found["speakers"] = self.names(row["speakers"])
        self._briefs[row["id"]] = found
        self._types[row["id"]] = kind
        return found

    def names(self, ids: list[str]) -> list[Row]:
        return [self.brief(record_id) for record_id in ids]

    def resolve(self, row: Row) -> Row:
        """The row with its references resolved: a copy, where it names any (the row itself
        is not changed)."""
        kind = row["type"]
        lists, single = REFERENCES.get(kind, ((), ()))
        named = [key for key in lists if row.get(key)] + [key for key in single if row.get(key)]
        if not named and kind not in ("person", "conflict"):
            return row
        out: Row = dict(row)
        for key in named:
            value = out[key]
            if isinstance(value, str):
                out[key] = self.brief(value)
            elif isinstance(value[0], str):
                out[key] = self.names(value)
        if kind == "conflict":
            out["records"] = [
                {**self.brief(record_id), "type": self._type(record_id)}
                for record_id in row["records"]
            ]
        elif row.get("roles"):
            out["roles"] = [self._role(role) for role in row["roles"]]
        return out

    def _role(self, role: dict[str, Any]) -> dict[str, Any]:
        offices = role.get("office")
        if not offices or not isinstance(offices[0], str):
            return role
        return {**role, "office": self.names(offices)}

    def _type(self, record_id: str) -> str | None:
        if record_id not in self._types:
            self.brief(record_id)
        return self._types.get(record_id)
