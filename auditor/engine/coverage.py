"""Rule coverage: which rules could judge which inventory files, and why not.

A rule needs some fields (Rule.needs: derived from its check and scope, or declared in the
rule file). When an inventory has no column for a needed field, or the column is empty on
every audited row, the rule is *not evaluated* on that file's rows: running it would look
like a clean result for rigs it never saw. The officer may acknowledge a missing field
(`--allow-missing FIELD`); otherwise the audit is INCOMPLETE (exit 3).

Pure: reads the table and the readers' column lists, never files.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, Sequence

import numpy as np

from auditor.model import CANONICAL_COLUMNS, InventorySource, InventoryTable, Rule

NO_COLUMN = "no column"
EMPTY = "empty on every row"


@dataclass(frozen=True)
class Gap:
    """One needed field (or set of alternatives) that one inventory file cannot supply."""

    source: str
    fields: tuple[str, ...]  # none of these has data in `source`
    why: str  # NO_COLUMN | EMPTY
    rows: int  # audited rows of `source` the rule did not judge
    acknowledged: bool = False

    def text(self) -> str:
        names = " or ".join(self.fields)
        return f"{self.source}: {names}: {self.why}"

    def as_json(self) -> dict[str, Any]:
        return {"file": self.source, "fields": list(self.fields), "reason": self.why, "rows": self.rows,
                "acknowledged": self.acknowledged}


@dataclass(frozen=True)
class RuleCoverage:
    """How far one rule ran. status: evaluated | partial (not on some files) | not_evaluated |
    not_in_force | not_applicable (what it compares against was not given: detail says what) |
    failed."""

    rule_id: str
    status: str
    gaps: tuple[Gap, ...] = ()
    detail: str = ""  # failure message, effective window…

    @property
    def skipped_rows(self) -> bool:
        return self.status in ("partial", "not_evaluated")

    @property
    def acknowledged(self) -> bool:
        return bool(self.gaps) and all(g.acknowledged for g in self.gaps)

    def as_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"rule_id": self.rule_id, "status": self.status}
        if self.gaps:
            out["not_evaluated_on"] = [g.as_json() for g in self.gaps]
            out["acknowledged"] = self.acknowledged
        if self.detail:
            out["detail"] = self.detail
        return out


class FieldPresence:
    """Per inventory file: which canonical fields have data on at least one audited row."""

    def __init__(self, table: InventoryTable, sources: Sequence[InventorySource]):
        n = len(sources)
        self.sources = list(sources)
        self.rows = np.bincount(table.source_index, minlength=n)[:n] if len(table) else np.zeros(n, np.int64)
        self._has: dict[str, np.ndarray] = {}
        self._table = table

    def has_data(self, field: str) -> np.ndarray:
        """bool per source: some audited row of that file has a value for `field`."""
        hit = self._has.get(field)
        if hit is None:
            n = len(self.sources)
            col = self._table.columns.get(field)
            if col is None or len(self._table) == 0:
                hit = np.zeros(n, dtype=bool)
            else:
                hit = np.bincount(self._table.source_index[col.codes != 0], minlength=n)[:n] > 0
            self._has[field] = hit
        return hit

    def why(self, source: int, field: str) -> str:
        cols = self.sources[source].columns
        return EMPTY if field in cols else NO_COLUMN


def rule_gaps(rule: Rule, presence: FieldPresence, allowed: frozenset[str]) -> tuple[Gap, ...]:
    """The (file, needed fields) pairs that stop `rule` from judging that file's rows."""
    gaps: list[Gap] = []
    for clause in rule.needs:
        fields = tuple(sorted(clause))
        ok = np.zeros(len(presence.sources), dtype=bool)
        for f in fields:
            ok |= presence.has_data(f)
        for s in np.flatnonzero(~ok).tolist():
            if presence.rows[s] == 0:
                continue  # every row of this file was rejected: nothing to judge
            whys = {presence.why(s, f) for f in fields}
            why = EMPTY if whys == {EMPTY} else NO_COLUMN
            gaps.append(Gap(presence.sources[s].path, fields, why, int(presence.rows[s]),
                            acknowledged=bool(allowed & set(fields))))
    return tuple(gaps)


def uncovered_sources(gaps: Iterable[Gap], sources: Sequence[InventorySource]) -> set[int]:
    paths = {g.source for g in gaps}
    return {i for i, s in enumerate(sources) if s.path in paths}


def incomplete_reasons(coverage: Sequence[RuleCoverage]) -> list[str]:
    """One line per (file, missing fields, why) that is not acknowledged, naming its rules."""
    by_gap: dict[tuple[str, tuple[str, ...], str], list[str]] = {}
    for cov in coverage:
        for g in cov.gaps:
            if not g.acknowledged:
                by_gap.setdefault((g.source, g.fields, g.why), []).append(cov.rule_id)
    out = []
    for (source, fields, why), rule_ids in by_gap.items():
        names = " or ".join(fields)
        out.append(
            f"{source}: {names}: {why}, so rule{'s' if len(rule_ids) > 1 else ''} {', '.join(rule_ids)} "
            f"did not run on its rows (map the column with --map \"Header={fields[0]}\", or acknowledge "
            f"with --allow-missing {fields[0]})"
        )
    return out


def not_evaluated_lines(coverage: Sequence[RuleCoverage]) -> list[str]:
    """Every rule that did not run on some rows, acknowledged or not: for reports."""
    out = []
    for cov in coverage:
        if not cov.skipped_rows:
            continue
        where = "; ".join(g.text() for g in cov.gaps)
        ack = " (acknowledged)" if cov.acknowledged else ""
        out.append(f"{cov.rule_id} not evaluated{ack}: {where}")
    return out


def check_fields(names: Iterable[str]) -> frozenset[str]:
    """Validate --allow-missing names (canonical fields or any header alias of one)."""
    from auditor.inventory.aliases import canonical_column

    out = set()
    for name in names:
        field = name if name in CANONICAL_COLUMNS else canonical_column(name)
        if field is None:
            raise ValueError(
                f"--allow-missing: unknown field {name!r} (expected one of: {', '.join(CANONICAL_COLUMNS)})"
            )
        out.add(field)
    return frozenset(out)
