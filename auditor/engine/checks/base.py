"""The interface every check kind implements (one module per kind, registered in __init__).

A rule's TOML names its check with `check = "<name>"` and holds the check's configuration
in the table named by `Check.table` (for example `[match]` for plain conditions). The engine
validates the common fields; the check validates its own table in `parse` and computes
finding groups in `evaluate`. `evaluate` is pure: it gets the inventory, reference data and
the as-of date through its arguments and must not read files, the network or the clock.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, Protocol

from auditor.errors import location
from auditor.model import ClearedScreening, FindingGroup, InventoryTable, Rule, TariffExposure

if TYPE_CHECKING:
    from auditor.refdata import RefData


class RuleError(Exception):
    """A rule file that is not valid; carries file and line for the message (exit 2)."""

    def __init__(self, path: str, line: int | None, message: str):
        self.path, self.line, self.message = path, line, message
        super().__init__(f"{location(path, line or None)}: {message}")


@dataclass
class Where:
    """Locates keys of a rule file for error messages (tomllib keeps no positions)."""

    path: str
    text: str

    def line_of(self, key: str, after: str | None = None) -> int | None:
        """Best-effort line of `key = …` (after the table header `after`, when given)."""
        import re

        lines = self.text.splitlines()
        start = 0
        if after:
            pat = re.compile(r"^\s*\[\[?\s*" + re.escape(after) + r"\s*\]\]?")
            for i, ln in enumerate(lines):
                if pat.match(ln):
                    start = i
                    break
        pat = re.compile(r"(^|[\s{,])[\"']?" + re.escape(key) + r"[\"']?\s*=")
        for i in range(start, len(lines)):
            if pat.search(lines[i]):
                return i + 1
        return None

    def error(self, message: str, key: str | None = None, after: str | None = None) -> RuleError:
        return RuleError(self.path, self.line_of(key, after) if key else None, message)


@dataclass
class EvalContext:
    as_of: date
    refdata: RefData
    # Fleet-level figures checks add while evaluating; they become AuditResult fields.
    tariff: TariffExposure | None = None  # the tariff rule with `summary = true`
    cleared_matches: list[ClearedScreening] = field(default_factory=list)  # screen: reviewed false positives
    # screen: decisions that did not clear (review date passed, dated after the audit or before the listing)
    clearances_not_applied: list[dict[str, Any]] = field(default_factory=list)
    # screen: the rules evaluated, and the cleared decisions a match of theirs found (applied or
    # not); a decision none found cleared nothing and is reported (`screen.unmatched_decisions`).
    screen_rules: list[str] = field(default_factory=list)
    cleared_found: set[Any] = field(default_factory=set)


class Check(Protocol):
    name: str  # value of `check = …` in the rule file
    table: str  # TOML table holding this check's configuration
    kinds: frozenset[str]  # finding kinds this check may produce (validated against rule.kind)

    def parse(self, spec: dict[str, Any], where: Where) -> Any:
        """Validate the check's table; return an immutable config. Raise RuleError."""

    def fields(self, config: Any) -> tuple[str, ...]:
        """Canonical inventory columns the check reads (used to build self-test rows)."""

    def needs(self, config: Any) -> tuple[frozenset[str], ...]:
        """(Optional: absent means nothing.) Fields without which the check cannot judge a rig, as clauses (one field of each
        clause must have data). An inventory that lacks one makes the rule *not evaluated*
        on its rows (engine/coverage.py) instead of silently clean. Checks that report a
        missing value themselves (firmware "not recorded") need nothing."""

    def not_applicable(self, rule: Rule, ctx: EvalContext) -> str | None:
        """(Optional: absent means always applicable.) Why the rule does not apply to this
        audit at all — what it compares against was not given ("no approved-firmware list",
        "no device snapshot") — or None. Such a rule is reported as not applicable (a skipped
        case in JUnit), never as a pass: it judged nothing."""

    def evaluate(self, rule: Rule, table: InventoryTable, ctx: EvalContext) -> list[FindingGroup]:
        """Finding groups for rows of `table` that fail the rule as of `ctx.as_of`."""
