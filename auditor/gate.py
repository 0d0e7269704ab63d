"""The CI gate: which findings make `auditor audit` exit 1.

One definition shared by the exit code (auditor.cli.audit_cmd) and by the formats that show
pass/fail (JUnit failures, the Markdown verdict), so that a red test case in a CI viewer
always means the same thing as the exit code.

A finding counts when it is open (not waived), its severity is at or above `fail_on`, and —
with `new_only` — it is not "unchanged" against the baseline.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from auditor.model import AuditResult, Finding, Severity

DEFAULT_FAIL_ON = "high"  # DESIGN.md: --fail-on defaults to high
FAIL_ON_CHOICES = ("info", "low", "medium", "high", "critical", "never")


@dataclass(frozen=True)
class Gate:
    fail_on: str = DEFAULT_FAIL_ON  # a severity label, or "never"
    new_only: bool = False  # with a baseline: only "new" findings count

    def __post_init__(self) -> None:
        if self.fail_on not in FAIL_ON_CHOICES:
            raise ValueError(f"unknown --fail-on value {self.fail_on!r} (expected one of: {', '.join(FAIL_ON_CHOICES)})")

    @property
    def threshold(self) -> Severity | None:
        return None if self.fail_on == "never" else Severity.parse(self.fail_on)

    def counts(self, finding: Finding) -> bool:
        threshold = self.threshold
        if threshold is None or finding.status != "open" or finding.severity < threshold:
            return False
        # Without a baseline every finding is new: new_only never turns a failure into a pass
        # just because the baseline is missing (the CLI refuses that combination anyway).
        return not (self.new_only and finding.baseline_state == "unchanged")

    def fails(self, result: AuditResult) -> bool:
        """True when at least one finding counts (the audit's completeness is checked separately)."""
        threshold = self.threshold
        if threshold is None:
            return False
        if not self.new_only or result.baseline is None:
            # Fast path: per-severity counts of open findings, no per-rig expansion.
            open_by = result.summary()["open_by_severity"]
            return any(n for label, n in open_by.items() if Severity.parse(label) >= threshold)
        return any(self.counts(f) for f in result.iter_findings())

    def describe(self) -> str:
        if self.threshold is None:
            return "never fails on findings (--fail-on never)"
        text = f"fails on open findings at or above {self.fail_on}"
        return text + (" that are new against the baseline" if self.new_only else "")

    def as_json(self) -> dict[str, Any]:
        return {"fail_on": self.fail_on, "new_only": self.new_only}

    @classmethod
    def of(cls, result: AuditResult) -> "Gate":
        """The gate the audit was run with (`result.gate`), else the default."""
        return result.gate if result.gate is not None else cls()
