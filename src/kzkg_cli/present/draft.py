"""Draft proposals as TOML to paste into facts.toml (a record that matches one the base holds
is written as comments, so pasting the whole output never duplicates an id), or as JSON."""

from __future__ import annotations

import json
from typing import Any

from kzkg_cli.search.link import Proposal

_ESCAPES = {
    '"': '\\"',
    "\\": "\\\\",
    "\b": "\\b",
    "\t": "\\t",
    "\n": "\\n",
    "\f": "\\f",
    "\r": "\\r",
}
_HEADINGS = {
    "source": "source",
    "office": "office",
    "person": "person",
    "event": "event",
    "statement": "statement",
    "trade": "trade",
    "agreement": "agreement",
    "border": "border",
}


def toml_string(text: str) -> str:
    """A TOML basic string: quotes, backslashes and control characters escaped."""
    out = []
    for char in text:
        if char in _ESCAPES:
            out.append(_ESCAPES[char])
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value) if isinstance(value, float) else str(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {toml_value(v)}" for k, v in value.items()) + " }"
    return toml_string(str(value))


def render_toml(proposals: list[Proposal], text: str, doc: str) -> str:
    """Every proposal as a TOML record, with a comment above it saying how it stands."""
    blocks = [f"# kzkg draft of {doc}: review every record before adding it to facts.toml."]
    for proposal in proposals:
        blocks.append(_block(proposal, text, doc))
    return "\n\n".join(blocks) + "\n"


def _block(proposal: Proposal, text: str, doc: str) -> str:
    head = [_status(proposal)]
    head += [f"# note: {c}" for c in proposal.comments]
    todo = [*proposal.english, *(e for role in proposal.roles for e in role.english)]
    if todo:
        head.append(f"# TODO English: {', '.join(dict.fromkeys(todo))}")
    lines = [f"[[{_HEADINGS[proposal.kind]}]]"]
    lines += [f"{key} = {toml_value(value)}" for key, value in proposal.fields.items()]
    if proposal.kind == "person":
        lines += _roles(proposal, text, doc)
    lines += _sources(proposal, text, doc)
    if proposal.status == "matches":
        lines = ["# " + line for line in lines]
    return "\n".join(head + lines)


def _status(proposal: Proposal) -> str:
    if proposal.status == "matches":
        score = f"{proposal.score:.2f}"
        return f"# matches {proposal.match} (score {score}): merge by hand, kept as comments"
    return f"# new (score {proposal.score:.2f})"


def _sources(proposal: Proposal, text: str, doc: str) -> list[str]:
    refs = [
        f"  {{ doc = {toml_string(doc)}, quote = {toml_string(text[q.start : q.end])} }},"
        for q in proposal.quotes
    ]
    return ["sources = [", *refs, "]"]


def _roles(proposal: Proposal, text: str, doc: str) -> list[str]:
    if not proposal.roles:
        return ["roles = []"]
    lines = ["roles = ["]
    for role in proposal.roles:
        fields = ", ".join(f"{k} = {toml_value(v)}" for k, v in role.fields.items())
        lines.append(f"  {{ {fields}, sources = [")
        lines += [
            f"    {{ doc = {toml_string(doc)}, quote = {toml_string(text[q.start : q.end])} }},"
            for q in role.quotes
        ]
        lines.append("  ] },")
    lines.append("]")
    return lines


def render_json(proposals: list[Proposal], text: str, doc: str) -> str:
    """The proposals as one JSON array: each with its type, status, match, score, record (with
    its sources) and the English fields still to write."""
    rows = [_json_row(p, text, doc) for p in proposals]
    return json.dumps(rows, ensure_ascii=False, indent=2) + "\n"


def _json_row(proposal: Proposal, text: str, doc: str) -> dict[str, Any]:
    record = dict(proposal.fields)
    if proposal.kind == "person":
        record["roles"] = [
            {
                **r.fields,
                "sources": [{"doc": doc, "quote": text[q.start : q.end]} for q in r.quotes],
            }
            for r in proposal.roles
        ]
    record["sources"] = [{"doc": doc, "quote": text[q.start : q.end]} for q in proposal.quotes]
    english = [*proposal.english, *(e for role in proposal.roles for e in role.english)]
    return {
        "type": proposal.kind,
        "status": proposal.status,
        "match": proposal.match,
        "score": proposal.score,
        "record": record,
        "todo_english": list(dict.fromkeys(english)),
        "notes": proposal.comments,
    }
