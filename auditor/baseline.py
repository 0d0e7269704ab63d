"""Baseline without a database: compare the audit with a previous report.json.

For CI: `auditor audit … --baseline previous/report.json` marks every finding "new" or
"unchanged" (`AuditResult.baseline`) and lists the baseline's findings that are gone
(`AuditResult.absent`), so a pipeline can fail only on new findings. Matching is the same
multiset fingerprint comparison as `auditor diff` (auditor.diff.compare).
"""

from __future__ import annotations

import json
from pathlib import Path

from auditor.diff import Diff, compare, result_findings
from auditor.limits import BASELINE_MAX_BYTES, read_capped
from auditor.model import AuditResult
from auditor.report_json import SUPPORTED, ReportFormatError
from auditor.report_json import findings as whole_findings


class BaselineError(Exception):
    """A baseline file that cannot be used (exit 2): message starts with file[:line:col]."""


def load_baseline(path: str | Path) -> list[dict]:
    """The findings of a report.json, validated enough to compare against."""
    shown = str(path)
    try:
        text = read_capped(path, BASELINE_MAX_BYTES, "baseline report").decode("utf-8-sig")
    except OSError as exc:
        raise BaselineError(f"{shown}: cannot read baseline report: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        raise BaselineError(f"{shown}: baseline report is not UTF-8 (byte {exc.start})") from None
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise BaselineError(f"{shown}:{exc.lineno}:{exc.colno}: baseline report is not valid JSON: {exc.msg}") from None
    if not isinstance(doc, dict):
        raise BaselineError(f"{shown}: baseline report must be a JSON object (an auditor report.json)")
    version = doc.get("schema_version")
    if version is None:
        raise BaselineError(f"{shown}: no 'schema_version': not an auditor report.json")
    if str(version) not in SUPPORTED:
        raise BaselineError(
            f"{shown}: report schema_version {version!r} is not supported (this auditor reads "
            f"{' and '.join(repr(v) for v in SUPPORTED)})"
        )
    try:
        findings = whole_findings(doc)  # version 2 refers to shared groups and rules: made whole here
    except ReportFormatError as exc:
        raise BaselineError(f"{shown}: {exc}") from None
    for i, f in enumerate(findings):
        if not isinstance(f, dict):
            raise BaselineError(f"{shown}: findings[{i}] is not an object")
        fp = f.get("fingerprint")
        if not isinstance(fp, str) or not fp:
            raise BaselineError(f"{shown}: findings[{i}] has no 'fingerprint' string")
    return findings


def apply_baseline(result: AuditResult, baseline: str | Path | list[dict], label: str | None = None) -> AuditResult:
    """The result with `baseline` (fingerprint -> "new"/"unchanged") and `absent` set.

    `baseline` is the report's path, or its findings already read by `load_baseline` (so that
    a malformed file is refused before anything is evaluated). Raises BaselineError on a
    malformed file. `label` names the file in the reports (default: the path given).
    Asset changes are not computed: a report lists findings, not every asset.
    """
    if isinstance(baseline, list):
        before = baseline
    else:
        before, label = load_baseline(baseline), label or str(baseline)
    new, resolved, unchanged = compare(before, result_findings(result))
    return Diff({"baseline": label}, None, new, resolved, unchanged).apply_to(result)
