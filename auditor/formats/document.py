"""The report document shared by machine formats: everything in report.json but the findings.

Formats that need the same header (JSON, the HTML page's data, signing predicates) build it
here once, so that every format states the same inputs and summary.
"""

from __future__ import annotations

from typing import Any

from auditor.model import AuditResult

SCHEMA_VERSION = "1"


def header(result: AuditResult) -> dict[str, Any]:
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "auditor", "version": result.tool_version},
        "as_of": result.as_of.isoformat(),
        "status": "complete" if result.complete else "incomplete",
        "incomplete_reasons": list(result.incomplete_reasons),
        "warnings": sorted(result.warnings),
        "inputs": {
            "inventory": [s.as_json() for s in result.inventory],
            "rules": [
                {
                    "id": r.id,
                    "version": r.version,
                    "sha256": r.sha256,
                    "title": r.title,
                    "kind": r.kind.value,
                    "severity": r.severity.label,
                    "in_force": r.in_force(result.as_of),
                }
                for r in sorted(result.rules, key=lambda r: r.id)
            ],
            "lists": [li.as_json() for li in sorted(result.lists, key=lambda li: (li.name, li.source))],
            "reference_data": sorted(
                (dict(s) for s in result.options.get("refdata_sources", [])), key=lambda s: str(s.get("path"))
            ),
        },
        "summary": result.summary(),
    }


def rejected_rows(result: AuditResult) -> list[dict[str, Any]]:
    return [
        {"file": r.source, "line": r.line, "column": r.column, "reason": r.reason}
        for r in sorted(result.rejected, key=lambda r: (r.source, r.line))
    ]
