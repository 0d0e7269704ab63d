"""The report document shared by machine formats: everything in report.json but the findings.

Formats that need the same header (JSON, the HTML page's data, signing predicates) build it
here once, so that every format states the same inputs and summary.
"""

from __future__ import annotations

import hashlib
from typing import Any

from auditor.formats.actions import top_actions
from auditor.model import AuditResult, canonical_json
from auditor.public_names import public_name
from auditor.refdata.lists_source import ListCoverage

SCHEMA_VERSION = "2"  # report.json; what changed from 1: docs/REPORTS.md


def header(result: AuditResult) -> dict[str, Any]:
    doc = _header(result)
    doc["audit_id"] = audit_id(doc)  # the id printed on the PDF cover and in the HTML
    if result.tariff is not None:
        # The estimated duty by origin and programme: figures, not findings (per rig in tariff_rigs.csv).
        doc["tariff_exposure"] = result.tariff.as_json()
    if (coverage := list_coverage(result)) is not None:
        # Only when names were screened: which official lists, which expected ones were absent.
        doc["screening_lists"] = coverage.as_json()
    if result.baseline is not None:
        # Only with a baseline: without one report.json stays exactly as before.
        doc["absent_findings"] = absent_findings(result)
    return doc


def absent_findings(result: AuditResult) -> list[dict[str, Any]]:
    """The baseline's findings that this audit no longer raises, complete and in a fixed order.

    Records come from the baseline report.json (or the recorded run) as they were; their
    own `baseline_state` described an older comparison, so it is dropped.
    """
    out = [{k: v for k, v in f.items() if k != "baseline_state"} for f in result.absent]
    return sorted(out, key=_absent_order)


def _absent_order(f: dict[str, Any]) -> tuple:
    a = f.get("asset") or {}
    return (str(f.get("rule_id") or ""), str(a.get("key") or a.get("serial") or ""), str(f.get("fingerprint") or ""),
            str(a.get("file") or ""), int(a.get("line") or 0) if str(a.get("line") or 0).isdigit() else 0)


def list_coverage(result: AuditResult) -> ListCoverage | None:
    """Which official lists the names were screened against and which expected ones were absent
    (None: nothing was screened). report.md, JUnit, HTML and report.json all state it: a green
    gate must not read as "screened against the official lists" when they were not."""
    return ListCoverage.of(result.lists) if result.lists else None


def screening_note(result: AuditResult) -> str | None:
    """What report.md and JUnit say when expected official lists were not screened ("only the
    bundled curated list (29 entries) was screened, not the official lists: import them …"),
    None when they all were or nothing was screened. The HTML page and the PDF say it beside the
    status, in the same words: a bundled-only screening must not read as a clean one."""
    coverage = list_coverage(result)
    return coverage.note() if coverage is not None else None


def screening_caveat(note: str | None) -> str | None:
    """The note's first clause, what was (not) screened, for the status line and the cover."""
    return note.partition(": ")[0] if note else None


def audit_id(doc: dict[str, Any]) -> str:
    """A short, deterministic name for this audit: the same inputs and as-of date give the same id.

    First 16 hex digits of SHA-256 over the canonical JSON of the report header's `inputs`
    (inventory, rule, list and reference-data hashes) and `as_of`.
    """
    basis = canonical_json({"as_of": doc["as_of"], "inputs": doc["inputs"]})
    return hashlib.sha256(basis.encode("utf-8")).hexdigest()[:16]


def _header(result: AuditResult) -> dict[str, Any]:
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "auditor", "version": result.tool_version},
        "as_of": result.as_of.isoformat(),
        "organisation": result.organisation or None,  # --org, as printed on the report
        # The date the law in the reference data and rules was last researched.
        "law_researched": result.law_researched,
        "status": "complete" if result.complete else "incomplete",
        "incomplete_reasons": list(result.incomplete_reasons),
        # Which rules ran, which did not and why (a rule lacking a field it needs is never clean).
        "rule_coverage": [c.as_json() for c in sorted(result.coverage, key=lambda c: c.rule_id)],
        "rules_not_evaluated": result.not_evaluated(),
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
            "lists": [_public_list(li.as_json()) for li in sorted(result.lists, key=lambda li: (li.name, li.source))],
            "reference_data": sorted(
                (_public_source(s.as_json()) for s in result.refdata_sources), key=lambda s: str(s.get("path"))
            ),
        },
        "summary": result.summary(),
        # Each distinct problem needing action, most severe first (formats/actions.py).
        "actions": [a.as_json() for a in top_actions(result)],
    }


def _public_source(src: Any) -> dict[str, Any]:
    """A reference-data file as reports name it: an officer's own file by its name, never its path."""
    out = dict(src)
    if out.get("path"):
        out["path"] = public_name(str(out["path"]))
    return out


def _public_list(li: dict[str, Any]) -> dict[str, Any]:
    """A list's source ("csl-csv: /abs/dir/consolidated.csv (imported D)") with a local path named by file.

    New imports are stored that way already (refdata/lists_source.py); this also covers lists
    imported by earlier versions, whose history database still holds the path.
    """
    fmt, sep, rest = str(li.get("source") or "").partition(": ")
    if sep:
        path, sep2, tail = rest.partition(" (")
        li["source"] = f"{fmt}: {public_name(path)}{sep2}{tail}"
    return li


def rejected_rows(result: AuditResult) -> list[dict[str, Any]]:
    """report.json's `rejected_rows`: file, line, column, reason; and, when the row had them,
    its serial and the party names screened all the same (`parties`, engine/rejected.py)."""
    return [r.as_json() for r in sorted(result.rejected, key=lambda r: (r.source, r.line))]
