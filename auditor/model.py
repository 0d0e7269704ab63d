"""The shared vocabulary of auditor: plain, frozen data that every layer passes around.

Nothing here does I/O. Readers produce an `InventoryTable`, the engine turns it into
`FindingGroup`s, and every output format consumes one `AuditResult`.

Findings are stored *grouped*: a rule evaluated on the distinct values of the columns it
reads yields one group per distinct failing combination, holding the row indices that
share it. A million-rig fleet with a few dozen models therefore produces a few dozen
groups, not a million Python objects; formats expand groups into per-rig findings lazily
(`AuditResult.iter_findings`).
"""

from __future__ import annotations

import enum
import hashlib
import json
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Iterator, Mapping, NamedTuple, Sequence

import numpy as np


class Severity(enum.IntEnum):
    INFO = 0
    LOW = 1
    MEDIUM = 2
    HIGH = 3
    CRITICAL = 4

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> "Severity":
        try:
            return cls[text.strip().upper()]
        except KeyError:
            raise ValueError(
                f"unknown severity {text!r} (expected one of: {', '.join(s.label for s in cls)})"
            ) from None


class Kind(str, enum.Enum):
    """What a finding is about (not how it was computed)."""

    ENTITY = "entity"
    ORIGIN = "origin"
    TARIFF = "tariff"
    FIRMWARE = "firmware"
    DATA_QUALITY = "data_quality"


# Canonical inventory columns, in report order. `serial` is the asset key.
CANONICAL_COLUMNS: tuple[str, ...] = (
    "serial",
    "manufacturer",
    "model",
    "firmware",
    "firmware_version",
    "assembly_country",
    "assembly_site",
    "manufacture_date",
    "chip_vendor",
    "mac",
    "supplier",
    "po_number",
    "po_line",
    "quantity",
    "unit_price_usd",
    "ship_from_country",  # where the goods ship from (procurement); NOT a claim of origin
    "import_date",
    "declared_value_usd",
    "hts_code",
    "site",
)

# Columns whose parsed value is a datetime.date / a Decimal / an int.
DATE_COLUMNS = frozenset({"manufacture_date", "import_date"})
MONEY_COLUMNS = frozenset({"declared_value_usd", "unit_price_usd"})
INT_COLUMNS = frozenset({"quantity", "po_line"})


@dataclass(frozen=True)
class Rejected:
    """An input row that could not be audited, and why."""

    source: str  # file path as given
    line: int  # physical line where the row starts (1-based, header is line 1)
    reason: str
    column: str | None = None  # canonical column name, when one field is at fault


@dataclass(frozen=True)
class InventorySource:
    path: str
    sha256: str
    rows_read: int
    rows_audited: int
    rows_rejected: int
    columns: tuple[str, ...] = ()  # canonical columns present in the file
    ignored_columns: tuple[str, ...] = ()  # headers that map to no canonical column

    def as_json(self) -> dict:
        return {
            "path": self.path,
            "sha256": self.sha256,
            "rows_read": self.rows_read,
            "rows_audited": self.rows_audited,
            "rows_rejected": self.rows_rejected,
            "columns": list(self.columns),
            "ignored_columns": list(self.ignored_columns),
        }


class Column:
    """A dictionary-encoded column: `values[codes[i]]` is row i's parsed value.

    Code 0 is always `None` (empty cell), so "missing" tests are a comparison with 0.
    """

    __slots__ = ("values", "codes")

    def __init__(self, values: list[Any], codes: np.ndarray):
        self.values = values
        self.codes = codes

    def __len__(self) -> int:
        return len(self.codes)

    def value(self, row: int) -> Any:
        return self.values[self.codes[row]]


@dataclass
class InventoryTable:
    """The audited rows of every input file, stored column-wise.

    `source_index[i]` indexes `sources`; `lines[i]` is the physical line of row i in that file.
    Every canonical column exists (all-None when absent from the input).
    """

    columns: dict[str, Column]
    lines: np.ndarray  # int64, physical line numbers
    source_index: np.ndarray  # int32
    sources: list[str]  # paths, in input order

    def __len__(self) -> int:
        return len(self.lines)

    def row(self, i: int) -> dict[str, Any]:
        return {name: col.value(i) for name, col in self.columns.items()}

    def asset_key(self, i: int) -> str:
        """Stable identity of a rig: its serial, else purchase-order number and line."""
        serial = self.columns["serial"].value(i)
        if serial:
            return serial
        po = self.columns["po_number"].value(i)
        po_line = self.columns["po_line"].value(i)
        if po:
            return f"po:{po}/{po_line}" if po_line is not None else f"po:{po}"
        return f"line:{self.sources[self.source_index[i]]}:{self.lines[i]}"


@dataclass(frozen=True)
class Reference:
    """A citation: Federal Register document, CBP ruling, CVE record, press report…"""

    title: str
    url: str | None = None

    def as_json(self) -> dict:
        return {"title": self.title, "url": self.url}


@dataclass(frozen=True)
class RuleTest:
    name: str
    expect: str  # "fail" | "pass" | "not_applicable"
    rows: tuple[Mapping[str, Any], ...]  # one row, or several for cross-row checks
    as_of: date | None = None
    line: int | None = None


@dataclass(frozen=True)
class Rule:
    """One rule, loaded from one TOML file. `check` holds the check-kind's parsed config."""

    id: str
    title: str
    severity: Severity
    kind: Kind
    check_kind: str  # name of the registered check (condition, unique, screen, …)
    check: Any  # check-specific parsed configuration (opaque to the engine core)
    message: str
    references: tuple[Reference, ...]
    remediation: str
    effective_from: date | None
    effective_until: date | None  # exclusive: the rule stops applying on this day
    tests: tuple[RuleTest, ...]
    version: int
    sha256: str
    path: str
    confidence: str = "P"  # P primary / R reported / U uncertain (required in rule files)
    scope: Any = None  # optional Condition: rows outside it are not applicable

    def in_force(self, as_of: date) -> bool:
        if self.effective_from and as_of < self.effective_from:
            return False
        if self.effective_until and as_of >= self.effective_until:
            return False
        return True


@dataclass
class FindingGroup:
    """Rows that fail one rule for the same reason (same message and evidence)."""

    rule: Rule
    rows: np.ndarray  # int64 row indices into the InventoryTable, ascending
    message: str
    evidence: dict[str, Any]
    severity: Severity | None = None  # overrides rule.severity when set (e.g. U-confidence facts)
    # Per-row evidence additions (e.g. the duty on each rig's declared value), keyed by row index.
    row_evidence: dict[int, dict[str, Any]] | None = None

    @property
    def effective_severity(self) -> Severity:
        return self.severity if self.severity is not None else self.rule.severity


@dataclass(frozen=True)
class Finding:
    """One rule failing on one rig, as every output format shows it."""

    fingerprint: str
    rule_id: str
    kind: str
    severity: Severity
    status: str  # "open" | "waived"
    serial: str | None
    asset_key: str
    source: str
    line: int
    message: str
    evidence: Mapping[str, Any]
    references: tuple[Reference, ...]
    title: str
    waiver: Mapping[str, Any] | None = None
    baseline_state: str | None = None  # "new" | "unchanged" when a baseline was given
    # "waiver W expired on D" when an expired waiver would have covered this (now open) finding.
    waiver_note: str | None = None

    def as_json(self) -> dict:
        out = {
            "fingerprint": self.fingerprint,
            "rule_id": self.rule_id,
            "kind": self.kind,
            "severity": self.severity.label,
            "status": self.status,
            "title": self.title,
            "asset": {"serial": self.serial, "key": self.asset_key, "file": self.source, "line": self.line},
            "message": self.message,
            "evidence": dict(self.evidence),
            "references": [r.as_json() for r in self.references],
        }
        if self.waiver is not None:
            out["waiver"] = dict(self.waiver)
        if self.baseline_state is not None:
            out["baseline_state"] = self.baseline_state
        if self.waiver_note is not None:
            out["waiver_note"] = self.waiver_note
        return out


def canonical_json(value: Any) -> str:
    """Compact, key-sorted JSON: the form hashed into fingerprints."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def fingerprint(rule_id: str, asset_key: str, evidence: Mapping[str, Any] | str) -> str:
    """Identity of a finding across runs: rule + asset key + normalised evidence.

    Never the line number: re-sorting an inventory must not make every finding "new".
    `evidence` may be given already in canonical JSON form.
    """
    ev = evidence if isinstance(evidence, str) else canonical_json(evidence)
    return _fingerprint_hasher(rule_id, ev)(asset_key)


def _fingerprint_hasher(rule_id: str, ev_json: str):
    """fingerprint() for one (rule, evidence): the shared prefix is hashed once per group."""
    prefix = hashlib.sha256(f"{rule_id}\x00{ev_json}\x00".encode())

    def fp(asset_key: str) -> str:
        h = prefix.copy()
        h.update(asset_key.encode())
        return h.hexdigest()[:32]

    return fp


class FindingRow(NamedTuple):
    """One finding in its cheapest form (see AuditResult.finding_rows)."""

    group: "FindingGroup"
    row: int
    key: str
    serial: str | None
    line: int
    source: int  # index into InventoryTable.sources
    evidence: Mapping[str, Any]
    evidence_json: str  # canonical JSON of evidence
    fingerprint: str


@dataclass(frozen=True)
class ListInfo:
    """A reference list used by the audit (bundled snapshot or imported official list)."""

    name: str
    source: str
    retrieved: str | None
    sha256: str
    entries: int
    legal_effect: str = ""

    def as_json(self) -> dict:
        return {
            "name": self.name,
            "source": self.source,
            "retrieved": self.retrieved,
            "sha256": self.sha256,
            "entries": self.entries,
        }


@dataclass
class AuditResult:
    """Everything a report needs; renderers read this and nothing else."""

    as_of: date
    tool_version: str
    inventory: list[InventorySource]
    rules: list[Rule]
    lists: list[ListInfo]
    table: InventoryTable
    groups: list[FindingGroup]
    rejected: list[Rejected]
    warnings: list[str] = field(default_factory=list)
    incomplete_reasons: list[str] = field(default_factory=list)
    # Fleet-level figures filled by checks that aggregate (e.g. tariff exposure).
    extra_summary: dict[str, Any] = field(default_factory=dict)
    # Optional decorations applied after evaluation (waivers, baseline); keyed by fingerprint.
    waivers: dict[str, Mapping[str, Any]] = field(default_factory=dict)
    baseline: dict[str, str] | None = None  # fingerprint -> "new" | "unchanged"; None = no baseline
    absent: list[dict[str, Any]] = field(default_factory=list)  # baseline findings no longer present
    options: dict[str, Any] = field(default_factory=dict)  # e.g. organisation name for the cover page
    _open_counts: Any = field(default=None, repr=False, compare=False)  # summary() cache
    _new_counts: Any = field(default=None, repr=False, compare=False)  # new_by_rule() cache

    @property
    def complete(self) -> bool:
        return not self.incomplete_reasons

    def iter_findings(self) -> Iterator[Finding]:
        """Findings in report order: rule id, then file, then line. Deterministic."""
        sources = self.table.sources
        notes = self.waiver_notes()
        for r in self.iter_finding_rows():
            g, fp = r.group, r.fingerprint
            waiver = self.waivers.get(fp)
            yield Finding(
                fingerprint=fp,
                rule_id=g.rule.id,
                kind=g.rule.kind.value,
                severity=g.effective_severity,
                status="waived" if waiver is not None else "open",
                serial=r.serial,
                asset_key=r.key,
                source=sources[r.source],
                line=r.line,
                message=g.message,
                evidence=r.evidence,
                references=g.rule.references,
                title=g.rule.title,
                waiver=waiver,
                baseline_state=(self.baseline.get(fp, "new") if self.baseline is not None else None),
                waiver_note=notes.get(fp),
            )

    def waiver_notes(self) -> dict[str, str]:
        """fingerprint -> "waiver W expired on D" for open findings an expired waiver would have covered."""
        notes = self.options.get("waiver_notes") or {}
        return {fp: str(n["note"]) for fp, n in notes.items() if fp not in self.waivers}

    def finding_rows(self, groups: Sequence[FindingGroup]) -> Iterator["FindingRow"]:
        """The hot path under iter_findings, for one rule's groups, ordered by (file, line).

        Evidence is merged, serialised and hashed once per distinct object, not once per
        rig, and per-row columns are fetched with numpy before the Python loop.
        """
        table = self.table
        pairs = [np.stack([g.rows, np.full(len(g.rows), gi, dtype=np.int64)], axis=1) for gi, g in enumerate(groups)]
        allrows = np.concatenate(pairs) if pairs else np.empty((0, 2), dtype=np.int64)
        order = np.lexsort((allrows[:, 1], table.lines[allrows[:, 0]], table.source_index[allrows[:, 0]]))
        allrows = allrows[order]
        rows = allrows[:, 0]
        serial_col = table.columns["serial"]
        serial_values = serial_col.values
        base = []
        for g in groups:
            ev_json = canonical_json(g.evidence)
            base.append((g.evidence, ev_json, _fingerprint_hasher(g.rule.id, ev_json)))
        # Rows usually share their row_evidence objects (one per distinct declared value, say):
        # merge, serialise and hash once per (group, shared object).
        merged: dict[tuple[int, int], tuple[dict, str, Any]] = {}
        asset_key = table.asset_key
        for row, gi, line, src, scode in zip(
            rows.tolist(), allrows[:, 1].tolist(), table.lines[rows].tolist(),
            table.source_index[rows].tolist(), serial_col.codes[rows].tolist(),
        ):
            g = groups[gi]
            evidence, ev_json, fp = base[gi]
            if g.row_evidence and row in g.row_evidence:
                extra = g.row_evidence[row]
                hit = merged.get((gi, id(extra)))
                if hit is None:
                    ev = {**evidence, **extra}
                    ej = canonical_json(ev)
                    hit = merged[(gi, id(extra))] = (ev, ej, _fingerprint_hasher(g.rule.id, ej))
                evidence, ev_json, fp = hit
            serial = serial_values[scode]
            key = serial if serial else asset_key(row)
            yield FindingRow(g, row, key, serial, line, src, evidence, ev_json, fp(key))

    def iter_finding_rows(self):
        """finding_rows() over every rule, in report order (rule id, file, line)."""
        ordered = sorted(self.groups, key=lambda g: g.rule.id)
        i = 0
        while i < len(ordered):
            j = i
            while j < len(ordered) and ordered[j].rule.id == ordered[i].rule.id:
                j += 1
            yield from self.finding_rows(ordered[i:j])
            i = j

    def summary(self) -> dict[str, Any]:
        by_sev = {s.label: 0 for s in Severity}
        open_by_sev = {s.label: 0 for s in Severity}
        by_rule: dict[str, int] = {}
        by_kind: dict[str, int] = {}
        rows_with = np.zeros(len(self.table), dtype=bool)
        waived = 0
        for g in self.groups:
            n = len(g.rows)
            sev = g.effective_severity.label
            by_sev[sev] += n
            by_rule[g.rule.id] = by_rule.get(g.rule.id, 0) + n
            by_kind[g.rule.kind.value] = by_kind.get(g.rule.kind.value, 0) + n
            rows_with[g.rows] = True
        if self.waivers:
            # Waivers are keyed by fingerprint: count them on the cheap finding rows, once per
            # waiver state (every format asks for the summary).
            key = (len(self.groups), len(self.waivers), id(self.waivers))
            if self._open_counts is None or self._open_counts[0] != key:
                open_counts = {s.label: 0 for s in Severity}
                waived_n = 0
                for r in self.iter_finding_rows():
                    if r.fingerprint in self.waivers:
                        waived_n += 1
                    else:
                        open_counts[r.group.effective_severity.label] += 1
                self._open_counts = (key, open_counts, waived_n)
            _, counts, waived = self._open_counts
            open_by_sev = dict(counts)
        else:
            open_by_sev = dict(by_sev)
        out = {
            "assets": len(self.table),
            "assets_with_findings": int(rows_with.sum()),
            "findings": sum(by_sev.values()),
            "by_severity": by_sev,
            "open_by_severity": open_by_sev,
            "waived": waived,
            "by_rule": dict(sorted(by_rule.items())),
            "by_kind": dict(sorted(by_kind.items())),
            "rows_read": sum(s.rows_read for s in self.inventory),
            "rows_audited": sum(s.rows_audited for s in self.inventory),
            "rows_rejected": sum(s.rows_rejected for s in self.inventory),
            "status": "complete" if self.complete else "incomplete",
        }
        if self.baseline is not None:
            out["baseline"] = self.baseline_counts()
        out.update(self.extra_summary)
        return out

    def baseline_counts(self) -> dict[str, int]:
        """Findings new / unchanged against the baseline, and baseline findings no longer present.

        Counted per finding (a fingerprint with any new occurrence is "new", see Diff.states).
        Only meaningful when a baseline was given (`self.baseline` is not None).
        """
        new = sum(self.new_by_rule().values())
        total = sum(len(g.rows) for g in self.groups)
        return {"new": new, "unchanged": total - new, "absent": len(self.absent)}

    def new_by_rule(self) -> dict[str, int]:
        """Findings new against the baseline, per rule id (every rule with findings listed).

        Fingerprints are computed per finding, so this walks every finding once per baseline
        state and caches the answer (every format asks).
        """
        states = self.baseline or {}
        key = (len(self.groups), len(states), id(self.baseline))
        if self._new_counts is None or self._new_counts[0] != key:
            counts = {g.rule.id: 0 for g in self.groups}
            for r in self.iter_finding_rows():
                if states.get(r.fingerprint, "new") == "new":
                    counts[r.group.rule.id] += 1
            self._new_counts = (key, counts)
        return dict(self._new_counts[1])
