"""Reading report.json back: every finding whole, from schema version 1 or 2.

Version 2 (auditor/formats/json_format.py) writes what findings share once — `rules` and
`groups` — and each finding refers to its group. Readers that want a finding as one object
(the baseline comparison, tools, tests) call `findings(doc)`: the version-1 shape, with the
rule's kind, title and references and the group's message and evidence filled in.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

SUPPORTED = ("1", "2")
#: The JSON Schema (draft 2020-12) of the report.json this version writes; shipped in the package.
SCHEMA_PATH = Path(__file__).parent / "schemas" / "report.schema.json"


@lru_cache(maxsize=1)
def schema() -> dict[str, Any]:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def schema_errors(doc: Any, limit: int = 20) -> list[str]:
    """Where `doc` departs from the shipped schema ("$.findings[3].group: ..."), at most `limit`."""
    import jsonschema

    validator = jsonschema.Draft202012Validator(schema())
    out = []
    for err in validator.iter_errors(doc):
        out.append(f"{err.json_path}: {err.message[:300]}")
        if len(out) >= limit:
            break
    return out


class ReportFormatError(ValueError):
    """report.json that does not hold together (a group or rule a finding names is missing)."""


def findings(doc: dict[str, Any]) -> list[dict[str, Any]]:
    """Every finding of a report.json document as a whole object (the version-1 shape)."""
    items = doc.get("findings")
    if not isinstance(items, list):
        raise ReportFormatError("'findings' must be a list")
    if str(doc.get("schema_version")) == "1":
        return items
    groups, rules = doc.get("groups"), doc.get("rules")
    if not isinstance(groups, list) or not isinstance(rules, dict):
        raise ReportFormatError("schema version 2 needs a 'groups' list and a 'rules' object")
    return [_whole(i, f, groups, rules) for i, f in enumerate(items)]


def _whole(i: int, f: Any, groups: list, rules: dict) -> dict[str, Any]:
    if not isinstance(f, dict):
        raise ReportFormatError(f"findings[{i}] is not an object")
    g = f.get("group")
    if not isinstance(g, int) or isinstance(g, bool) or not 0 <= g < len(groups) or not isinstance(groups[g], dict):
        raise ReportFormatError(f"findings[{i}] names group {g!r}, which the report does not have")
    group = groups[g]
    rule = rules.get(group.get("rule_id"))
    if not isinstance(rule, dict):
        raise ReportFormatError(f"groups[{g}] names rule {group.get('rule_id')!r}, which the report does not have")
    out = {k: v for k, v in f.items() if k != "group"}
    out.update(
        kind=rule.get("kind"), title=rule.get("title"), references=rule.get("references", []),
        message=group.get("message"), evidence=group.get("evidence"),
    )
    return out
