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

LISTS = (
    "participants",
    "mentions",
    "speakers",
    "targets",
    "parts",
    "documents",
    "statements",
    "holders",
)
"""Keys that hold a list of ids, resolved wherever a row has them."""
SINGLE = ("event", "part_of", "claims_more")
"""Keys that hold one id."""


class Resolver:
    """Resolves the references of answer rows, reading each record named once."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._briefs: dict[str, Row] = {}

    def brief(self, record_id: str) -> Row:
        """The small object a reference to a record becomes ({"id": ...} if it is gone)."""
        found = self._briefs.get(record_id)
        if found is None:
            row = self.store.get(record_id)
            if row is None:
                found = {"id": record_id}
            else:
                keys = BRIEF.get(row["type"], _DEFAULT)
                found = {key: row.get(key) for key in keys}
                if row["type"] == "person":
                    found["kind"] = row.get("kind")
                elif row["type"] == "statement":  # who said it, by name
                    found["speakers"] = self.names(row["speakers"])
            self._briefs[record_id] = found
        return found

    def names(self, ids: list[str]) -> list[Row]:
        return [self.brief(record_id) for record_id in ids]

    def resolve(self, row: Row) -> Row:
        """A copy of the row with its references resolved (the row itself is not changed)."""
        out: Row = dict(row)
        for key in LISTS:
            value = out.get(key)
            if value and isinstance(value[0], str):
                out[key] = self.names(value)
        for key in SINGLE:
            value = out.get(key)
            if isinstance(value, str):
                out[key] = self.brief(value)
        if row["type"] == "conflict":
            out["records"] = [
                {**self.brief(record_id), "type": self._type(record_id)}
                for record_id in row["records"]
            ]
        if row.get("roles"):
            out["roles"] = [self._role(role) for role in row["roles"]]
        return out

    def _role(self, role: dict[str, Any]) -> dict[str, Any]:
        offices = role.get("office")
        if not offices or not isinstance(offices[0], str):
            return role
        return {**role, "office": self.names(offices)}

    def _type(self, record_id: str) -> str | None:
        row = self.store.get(record_id)
        return None if row is None else str(row["type"])
