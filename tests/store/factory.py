"""Hand-made AuditResults for the store, diff, waiver and baseline tests.

Rules and finding groups are built directly (no rule engine), so every expected value in the
tests follows from the rows and groups written here.
"""

from __future__ import annotations

from datetime import date

import numpy as np

from auditor.inventory.table import table_from_rows
from auditor.model import AuditResult, FindingGroup, InventorySource, Kind, Rule, Severity


def rule(rule_id: str, severity: Severity = Severity.HIGH, kind: Kind = Kind.ENTITY) -> Rule:
    return Rule(
        id=rule_id, title=f"title of {rule_id}", severity=severity, kind=kind, check_kind="condition",
        check=None, message="m", references=(), remediation="", effective_from=None, effective_until=None,
        tests=(), version=1, sha256="0" * 64 if rule_id < "m" else "1" * 64, path=f"rules/{rule_id}.toml",
    )


def result(rows: list[dict], groups: list[tuple[Rule, list[int], str, dict]], as_of: date = date(2025, 6, 18),
           source: str = "fleet.csv", row_evidence: dict | None = None, sha: str = "a" * 64) -> AuditResult:
    """rows: inventory rows (line = index + 2); groups: (rule, row indices, message, evidence)."""
    table = table_from_rows(rows, source=source)
    rules = sorted({g[0].id: g[0] for g in groups}.values(), key=lambda r: r.id)
    fgroups = []
    for i, (r, idx, msg, ev) in enumerate(groups):
        fgroups.append(FindingGroup(rule=r, rows=np.array(sorted(idx), dtype=np.int64), message=msg, evidence=ev,
                                    row_evidence=(row_evidence or {}).get(i)))
    inv = InventorySource(path=source, sha256=sha, rows_read=len(rows), rows_audited=len(rows), rows_rejected=0)
    return AuditResult(as_of=as_of, tool_version="0.1.0", inventory=[inv], rules=rules, lists=[], table=table,
                       groups=fgroups, rejected=[])


def big_result(n: int, as_of: date = date(2025, 6, 18)) -> AuditResult:
    """n rigs; rule R-BIG fails on every one of them (one group of n rows)."""
    rows = [{"serial": f"SN{i:07d}", "model": "S19", "supplier": "Acme"} for i in range(n)]
    return result(rows, [(rule("R-BIG"), list(range(n)), "big", {"model": "S19"})], as_of=as_of)
