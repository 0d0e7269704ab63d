"""report.sarif: SARIF 2.1.0 for code-scanning tools (GitHub code scanning, GitLab, IDEs).

One run. `tool.driver.rules` lists every rule of the audit (not only those that fired), so a
viewer can explain a rule and a baseline comparison knows the rule existed. Each result points
at the inventory file (relative URI, as given on the command line) and the physical line of
the row, and names the asset logically (`rig:SERIAL` or `po:NUMBER/LINE`).

Severity mapping (documented contract, GitHub's `security-severity` bands in brackets):

| severity | level   | security-severity |
|----------|---------|-------------------|
| critical | error   | 9.5 (critical ≥ 9.0) |
| high     | error   | 8.0 (high 7.0–8.9)   |
| medium   | warning | 5.5 (medium 4.0–6.9) |
| low      | note    | 3.0 (low 0.1–3.9)    |
| info     | note    | 0.0 (none)           |

Waived findings stay in the file with an external, accepted suppression carrying the waiver's
justification; with a baseline every result has `baselineState` (new / unchanged) and the
baseline's findings that are gone are listed as `absent` results.
Rejected input rows and incomplete-audit reasons become tool execution notifications, so
a SARIF consumer sees that rows were not audited. Output is deterministic (sorted keys,
no timestamps) and streamed result by result.

Size budget (a fleet is not a code base): GitHub code scanning rejects a file with more than
25,000 results or over 10 MB gzipped, so the file holds at most MAX_RESULTS results whatever
the inventory:
- findings below `--sarif-min-severity` (default: the `--fail-on` level; `info` when the gate is
  `never` or no gate was given) are left out and counted (run property `omitted_below_min_severity` and a
  notification pointing at report.json, which has them all);
- when more findings remain than the budget holds, whole (rule, file, reason) units are kept one
  result per rig in severity order while the budget lasts, and every other unit becomes ONE
  aggregated result at its first line, carrying the number of rigs, the first lines and the
  waived count (`properties.aggregated`). Counts are never lost: each result says how many
  findings it stands for. Findings on rows rejected from the audit (their party names screened
  all the same, engine/rejected.py) are a unit of their own, never folded with audited rigs':
  the aggregated result says so and counts them (`properties.rejectedRows`).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any, Iterable
from urllib.parse import quote

import numpy as np

from auditor.model import AuditResult, Finding, Rule, Severity
from auditor.output import create_file

SARIF_VERSION = "2.1.0"
SARIF_SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"

LEVEL = {
    Severity.CRITICAL: "error",
    Severity.HIGH: "error",
    Severity.MEDIUM: "warning",
    Severity.LOW: "note",
    Severity.INFO: "note",
}
SECURITY_SEVERITY = {
    Severity.CRITICAL: "9.5",
    Severity.HIGH: "8.0",
    Severity.MEDIUM: "5.5",
    Severity.LOW: "3.0",
    Severity.INFO: "0.0",
}
# Confidence of the rule's facts (P primary, R reported, U uncertain) -> SARIF/GitHub `precision`.
PRECISION = {"P": "high", "R": "medium", "U": "low"}
FINGERPRINT_KEY = "auditorFinding/v1"
MAX_RESULTS = 25_000  # GitHub code scanning's limit per upload
SAMPLE_LINES = 20  # lines listed on an aggregated result
_PLACEHOLDER = "\x00results\x00"


def artifact_uri(path: str) -> str:
    """A URI reference for an inventory path: relative paths stay relative (repository-rooted
    in CI, which is what code scanning needs); absolute paths become file: URIs."""
    win = PureWindowsPath(path)
    if win.drive:
        return win.as_uri()
    p = PurePosixPath(path.replace("\\", "/"))
    if p.is_absolute():
        return p.as_uri()
    text = p.as_posix()
    return quote(text, safe="/-._~")


def logical_name(asset_key: str) -> str:
    """`rig:SERIAL` for serial-keyed assets; PO (`po:…`) and line (`line:…`) keys as they are."""
    return asset_key if asset_key.startswith(("po:", "line:")) else f"rig:{asset_key}"


def _camel(title: str) -> str:
    words = re.findall(r"[A-Za-z0-9]+", title)
    return "".join(w[:1].upper() + w[1:] for w in words)[:80] or "Rule"


def _rule_help(rule: Rule) -> tuple[str, str]:
    lines = [rule.title, "", f"Remediation: {rule.remediation}" if rule.remediation else "Remediation: none given."]
    md = [f"**{_md(rule.title)}**", "", f"**Remediation:** {_md(rule.remediation or 'none given.')}"]
    if rule.references:
        lines += ["", "References:"]
        md += ["", "**References:**", ""]
        for ref in rule.references:
            lines.append(f"- {ref.title}" + (f" <{ref.url}>" if ref.url else ""))
            md.append(f"- [{_md(ref.title)}]({ref.url})" if ref.url else f"- {_md(ref.title)}")
    return "\n".join(lines), "\n".join(md)


def _md(text: str) -> str:
    # Rule text is ours (reviewed TOML), but keep stray markup inert anyway.
    return re.sub(r"([\\`*_{}\[\]<>()#|!])", r"\\\1", text)


def rule_descriptor(rule: Rule, as_of) -> dict[str, Any]:
    help_text, help_md = _rule_help(rule)
    window = []
    if rule.effective_from:
        window.append(f"from {rule.effective_from.isoformat()}")
    if rule.effective_until:
        window.append(f"until {rule.effective_until.isoformat()} (exclusive)")
    full = f"{rule.title}. Severity {rule.severity.label}, kind {rule.kind.value}"
    full += f", in force {' '.join(window)}." if window else "."
    desc: dict[str, Any] = {
        "id": rule.id,
        "name": _camel(rule.title),
        "shortDescription": {"text": rule.title},
        "fullDescription": {"text": full},
        "help": {"text": help_text, "markdown": help_md},
        "defaultConfiguration": {"level": LEVEL[rule.severity], "enabled": rule.in_force(as_of)},
        "properties": {
            "security-severity": SECURITY_SEVERITY[rule.severity],
            "severity": rule.severity.label,
            "precision": PRECISION.get(rule.confidence, "medium"),
            "tags": sorted({"security", "supply-chain", rule.kind.value.replace("_", "-")}),
            "version": rule.version,
            "sha256": rule.sha256,
        },
    }
    url = next((r.url for r in rule.references if r.url), None)
    if url:
        desc["helpUri"] = url
    return desc


class SarifFormat:
    name = "sarif"
    filename = "report.sarif"

    def write(self, result: AuditResult, out_dir: Path) -> Path:
        path = Path(out_dir) / self.filename
        rules = sorted(result.rules, key=lambda r: r.id)
        rule_index = {r.id: i for i, r in enumerate(rules)}
        plan = Budget.plan(result, min_severity(result), MAX_RESULTS)
        sources = [s.path for s in result.inventory]
        artifact_index = {p: i for i, p in enumerate(sources)}
        run: dict[str, Any] = {
            "tool": {
                "driver": {
                    "name": "auditor",
                    "fullName": "auditor — hardware provenance and security-risk auditor",
                    "version": result.tool_version,
                    "semanticVersion": result.tool_version,
                    "rules": [rule_descriptor(r, result.as_of) for r in rules],
                }
            },
            "artifacts": [
                {
                    "location": {"uri": artifact_uri(s.path), "uriBaseId": "%SRCROOT%"},
                    "hashes": {"sha-256": s.sha256},
                    "mimeType": "text/csv",
                    "roles": ["analysisTarget"],
                }
                for s in result.inventory
            ],
            "invocations": [self._invocation(result, plan)],
            "columnKind": "unicodeCodePoints",
            "properties": {
                "as_of": result.as_of.isoformat(),
                "status": "complete" if result.complete else "incomplete",
                "summary": _jsonable(result.summary()),
                "sarif_min_severity": plan.min_severity.label,
                "omitted_below_min_severity": plan.omitted,
                "aggregated_findings": plan.aggregated_findings,
            },
            "results": _PLACEHOLDER,
        }
        doc = {"$schema": SARIF_SCHEMA_URI, "version": SARIF_VERSION, "runs": [run]}
        head, tail = json.dumps(doc, sort_keys=True, ensure_ascii=False, indent=1).split(json.dumps(_PLACEHOLDER))
        with create_file(path) as fh:
            fh.write(head)
            fh.write("[")
            first = True
            for res in self._results(result, rule_index, artifact_index, plan):
                fh.write("\n" if first else ",\n")
                first = False
                fh.write(json.dumps(res, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str))
            fh.write("\n]" if not first else "]")
            fh.write(tail)
            fh.write("\n")
        return path

    def _results(self, result: AuditResult, rule_index, artifact_index, plan: "Budget") -> Iterable[dict]:
        with_baseline = result.baseline is not None
        folded: dict[tuple, dict[str, Any]] = {}
        for f in result.iter_findings():
            if f.severity < plan.min_severity:
                continue
            unit = (f.rule_id, f.source, f.message, f.rejected is not None)
            if unit not in plan.folded_units:
                yield self._result(f, rule_index, artifact_index, with_baseline)
                continue
            acc = folded.get(unit)
            if acc is None:
                acc = folded[unit] = {"first": f, "count": 0, "waived": 0, "lines": [], "new": 0}
            acc["count"] += 1
            acc["waived"] += f.status == "waived"
            acc["new"] += f.baseline_state == "new"
            if len(acc["lines"]) < SAMPLE_LINES:
                acc["lines"].append(f.line)
        for unit in sorted(folded, key=lambda u: (-int(folded[u]["first"].severity), u)):
            yield self._aggregate(folded[unit], rule_index, artifact_index, with_baseline)
        if with_baseline:
            absent = sorted(result.absent, key=_absent_order)
            if len(absent) <= plan.absent_budget:
                for rec in absent:
                    yield self._absent(rec, rule_index)
            else:
                by_rule: dict[str, list[dict]] = {}
                for rec in absent:
                    by_rule.setdefault(str(rec.get("rule_id", "")), []).append(rec)
                for rule_id, recs in sorted(by_rule.items()):
                    res = self._absent(recs[0], rule_index)
                    res["message"] = {"text": f"{len(recs)} findings of {rule_id} in the baseline are gone "
                                              "(aggregated; report.json lists each)"}
                    res["properties"]["aggregated"] = {"count": len(recs)}
                    yield res

    def _aggregate(self, acc: dict, rule_index, artifact_index, with_baseline: bool) -> dict:
        """One result standing for every finding of one (rule, file, reason) unit."""
        f: Finding = acc["first"]
        res = self._result(f, rule_index, artifact_index, with_baseline)
        n = acc["count"]
        if f.rejected is None:
            res["message"] = {"text": plain_text(f"{n} rigs: {f.message} (first at line {f.line}; aggregated, "
                                                 "findings.csv and report.json list every rig)")}
        else:  # rows rejected from the audit, their names screened all the same: a unit of their own
            res["message"] = {"text": plain_text(f"{n} rows rejected from the audit, their party names screened all "
                                                 f"the same: {f.message} (first at line {f.line}; aggregated, "
                                                 "findings.csv and report.json list every row and why it was "
                                                 "rejected)")}
        # One fingerprint per unit, stable across runs: the rule, the file name and the reason.
        res["partialFingerprints"] = {FINGERPRINT_KEY: _unit_fingerprint(f.rule_id, f.source, f.message,
                                                                         f.rejected is not None)}
        props = res["properties"]
        for key in ("asset", "serial", "evidence", "waiver", "rejectedRow"):
            props.pop(key, None)
        if f.rejected is not None:
            props["rejectedRows"] = n
        props["aggregated"] = {"count": n, "waived": acc["waived"], "lines": acc["lines"]}
        res.pop("suppressions", None)
        if acc["waived"] == n:  # every rig of the unit is waived: the unit is suppressed too
            res["suppressions"] = [{"kind": "external", "status": "accepted",
                                    "justification": f"all {n} findings waived (see report.json)"}]
            props["status"] = "waived"
        else:
            props["status"] = "open"
        if with_baseline:
            res["baselineState"] = "new" if acc["new"] else "unchanged"
        return res

    @staticmethod
    def _location(source: str | None, line: int | None, asset_key: str, artifact_index) -> dict:
        loc: dict[str, Any] = {
            "logicalLocations": [{"fullyQualifiedName": logical_name(asset_key), "kind": "object"}],
        }
        if source is not None:
            art: dict[str, Any] = {"uri": artifact_uri(source), "uriBaseId": "%SRCROOT%"}
            if source in artifact_index:
                art["index"] = artifact_index[source]
            phys: dict[str, Any] = {"artifactLocation": art}
            if line:
                phys["region"] = {"startLine": int(line)}
            loc["physicalLocation"] = phys
        return loc

    def _result(self, f: Finding, rule_index, artifact_index, with_baseline: bool) -> dict:
        res: dict[str, Any] = {
            "ruleId": f.rule_id,
            "level": LEVEL[f.severity],
            "kind": "fail",
            "message": {"text": plain_text(f.message)},
            "locations": [self._location(f.source, f.line, f.asset_key, artifact_index)],
            "partialFingerprints": {FINGERPRINT_KEY: f.fingerprint},
            "properties": {
                "security-severity": SECURITY_SEVERITY[f.severity],
                "severity": f.severity.label,
                "kind": f.kind,
                "status": f.status,
                "asset": f.asset_key,
                "serial": f.serial,
                "evidence": dict(f.evidence),  # dates / Decimals: str() at dump time
            },
        }
        if f.rule_id in rule_index:
            res["ruleIndex"] = rule_index[f.rule_id]
        if f.rejected is not None:  # a rejected row's names, screened all the same (engine/rejected.py)
            res["message"]["text"] = plain_text(f"{f.message} [on a row rejected from the audit: {f.rejected}; "
                                                "only its party names were screened]")
            res["properties"]["rejectedRow"] = f.rejected
        if with_baseline:
            res["baselineState"] = f.baseline_state or "new"
        if f.waiver is not None:
            res["suppressions"] = [_suppression(f.waiver)]
            res["properties"]["waiver"] = dict(f.waiver)
        return res

    def _absent(self, rec: dict, rule_index) -> dict:
        """A baseline finding that this audit no longer produces (fixed, removed or waived away)."""
        sev = Severity.parse(str(rec.get("severity", "info")))
        asset = rec.get("asset") or {}
        rule_id = str(rec.get("rule_id", ""))
        # The line is where the row *was* in the baseline's file: logical location only.
        res: dict[str, Any] = {
            "ruleId": rule_id,
            "level": LEVEL[sev],
            "kind": "fail",
            "baselineState": "absent",
            "message": {"text": plain_text(str(rec.get("message", "")))},
            "locations": [self._location(None, None, str(asset.get("key") or asset.get("serial") or ""), {})],
            "partialFingerprints": {FINGERPRINT_KEY: str(rec.get("fingerprint", ""))},
            "properties": {"security-severity": SECURITY_SEVERITY[sev], "severity": sev.label,
                           "baseline_location": _jsonable({"file": asset.get("file"), "line": asset.get("line")})},
        }
        if rule_id in rule_index:
            res["ruleIndex"] = rule_index[rule_id]
        return res

    @staticmethod
    def _invocation(result: AuditResult, plan: "Budget") -> dict:
        notes = []
        omitted = sum(plan.omitted.values())
        if omitted:
            detail = ", ".join(f"{n} {sev}" for sev, n in plan.omitted.items() if n)
            notes.append({"level": "note", "descriptor": {"id": "omitted-below-min-severity"},
                          "message": {"text": f"{omitted} findings below {plan.min_severity.label} ({detail}) are "
                                              "not listed here (--sarif-min-severity); report.json has them all"}})
        if plan.aggregated_findings:
            notes.append({"level": "note", "descriptor": {"id": "aggregated"},
                          "message": {"text": f"{plan.aggregated_findings} findings are shown as "
                                              f"{len(plan.folded_units)} aggregated results (one per rule, file "
                                              f"and reason, rejected rows apart) to stay within {MAX_RESULTS} "
                                              "results"}})
        for r in sorted(result.rejected, key=lambda r: (r.source, r.line)):
            reason = f"row not audited: {r.reason}" + (f" (column {r.column})" if r.column else "") + r.screened_note()
            notes.append({
                "level": "error",
                "message": {"text": plain_text(reason)},
                "locations": [{"physicalLocation": {
                    "artifactLocation": {"uri": artifact_uri(r.source), "uriBaseId": "%SRCROOT%"},
                    "region": {"startLine": int(r.line)},
                }}],
                "descriptor": {"id": "rejected-row"},
            })
        for reason in result.incomplete_reasons:
            notes.append({"level": "error", "message": {"text": plain_text(f"INCOMPLETE: {reason}")},
                          "descriptor": {"id": "incomplete"}})
        for cov in result.coverage:
            if not cov.skipped_rows:
                continue
            for g in cov.gaps:
                notes.append({
                    "level": "note" if g.acknowledged else "error",
                    "message": {"text": f"rule {cov.rule_id} not evaluated"
                                        f"{' (acknowledged)' if g.acknowledged else ''}: {g.text()}"},
                    "locations": [{"physicalLocation": {
                        "artifactLocation": {"uri": artifact_uri(g.source), "uriBaseId": "%SRCROOT%"}}}],
                    "descriptor": {"id": "rule-not-evaluated"},
                    "associatedRule": {"id": cov.rule_id},
                })
        for w in sorted(result.warnings):
            notes.append({"level": "warning", "message": {"text": plain_text(w)}, "descriptor": {"id": "warning"}})
        inv: dict[str, Any] = {"executionSuccessful": result.complete}
        if notes:
            inv["toolExecutionNotifications"] = notes
        return inv


def min_severity(result: AuditResult) -> Severity:
    """--sarif-min-severity, else the gate's --fail-on level (info when the gate never fails)."""
    if result.sarif_min_severity:
        return Severity.parse(result.sarif_min_severity)
    fail_on = result.gate.fail_on if result.gate is not None else None
    if not fail_on or fail_on == "never":  # no gate given (library use) or a gate that never fails
        return Severity.INFO
    return Severity.parse(str(fail_on))


@dataclass(frozen=True)
class Budget:
    """Which (rule, file, reason) units are listed rig by rig and which are folded into one result."""

    min_severity: Severity
    omitted: dict[str, int]  # severity label -> findings left out (below min_severity)
    # (rule id, file, message, on rejected rows) shown as one aggregated result: findings on rows
    # rejected from the audit (engine/rejected.py) are never folded with the audited rigs'.
    folded_units: frozenset
    aggregated_findings: int
    absent_budget: int  # baseline findings that may still be listed one by one

    @classmethod
    def plan(cls, result: AuditResult, floor: Severity, cap: int) -> "Budget":
        sources = result.table.sources
        src_index = result.table.source_index
        units: dict[tuple, list] = {}  # unit -> [severity, count]
        omitted = {s.label: 0 for s in sorted(Severity, reverse=True)}
        for g in result.groups:
            sev = g.effective_severity
            if sev < floor:
                omitted[sev.label] += len(g.rows)
                continue
            rows = np.asarray(g.rows, dtype=np.int64)
            parts: list[tuple[bool, np.ndarray]] = [(False, rows)]
            if result.table.rejected_reasons and len(rows):
                on_rejected = result.table.rejected_mask(rows)
                parts = [(False, rows[~on_rejected]), (True, rows[on_rejected])]
            for rejected, part in parts:
                per_file = np.bincount(src_index[part], minlength=len(sources)) if len(part) else []
                for si, n in enumerate(per_file):
                    if n:
                        acc = units.setdefault((g.rule.id, sources[si], g.message, rejected), [sev, 0])
                        acc[1] += int(n)
        total = sum(n for _, n in units.values())
        absent = len(result.absent) if result.baseline is not None else 0
        if total + absent <= cap:
            return cls(floor, omitted, frozenset(), 0, absent)
        # Keep whole units rig by rig, most severe first (then the smallest, so more distinct
        # problems stay visible), while the rest can still have one result each.
        absent_rules = len({str(r.get("rule_id", "")) for r in result.absent}) if absent else 0
        order = sorted(units, key=lambda u: (-int(units[u][0]), units[u][1], u))
        budget = cap - len(units) - absent_rules
        kept: set = set()
        for u in order:
            n = units[u][1]
            if n - 1 <= budget:  # the unit's own slot is already reserved
                kept.add(u)
                budget -= n - 1
        folded = frozenset(u for u in units if u not in kept)
        return cls(floor, omitted, folded, sum(units[u][1] for u in folded), 0)


def _unit_fingerprint(rule_id: str, source: str, message: str, rejected: bool = False) -> str:
    import hashlib

    name = PurePosixPath(source.replace("\\", "/")).name
    key = f"{rule_id}\x00{name}\x00{message}" + ("\x00rejected rows" if rejected else "")
    return hashlib.sha256(key.encode()).hexdigest()[:32]


def _suppression(waiver) -> dict:
    w = dict(waiver)
    parts = [str(w.get("justification") or "waived")]
    meta = [f"{k} {w[k]}" for k in ("id", "approver", "expires") if w.get(k) is not None]
    if meta:
        parts.append(f"(waiver {'; '.join(meta)})")
    return {"kind": "external", "status": "accepted", "justification": " ".join(parts)}


def _absent_order(rec: dict) -> tuple:
    asset = rec.get("asset") or {}
    return (str(rec.get("rule_id", "")), str(asset.get("file") or ""), int(asset.get("line") or 0),
            str(rec.get("fingerprint", "")))



_BRACKET = re.compile(r"(\\*)([\[\]])")


def plain_text(text: str) -> str:
    """A SARIF plain-text message that shows `text` as written.

    SARIF 2.1.0 (3.11.6) gives `[text](target)` in message.text the meaning of an embedded link;
    inventory cells reach our messages, so every bracket is escaped as \\[ \\], and backslashes
    before a bracket are doubled so that they cannot cancel the escape.
    """
    return _BRACKET.sub(lambda m: m.group(1) * 2 + "\\" + m.group(2), text)

def _jsonable(value: Any) -> Any:
    """Evidence may hold dates and Decimals: SARIF property bags are plain JSON."""
    return json.loads(json.dumps(value, sort_keys=True, ensure_ascii=False, default=str))


FORMAT = SarifFormat()
