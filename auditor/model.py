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
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any, Callable, Iterator, Mapping, NamedTuple, Sequence

import numpy as np

if TYPE_CHECKING:
    from auditor.engine.coverage import RuleCoverage
    from auditor.gate import Gate


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
    DEVICE = "device"  # the inventory held against what the rigs reported (audit --devices)


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

# Party-name columns the bundled screening rule screens (rules/entity/ENT-001): what a rejected
# row keeps by default to be screened all the same (an audit keeps its screen rules' fields).
PARTY_COLUMNS = frozenset({"manufacturer", "chip_vendor", "supplier"})

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
    # The row's well-formed cells of the columns the screening rules screen, as an audited row
    # would hold them: (column, value), in column order. A rejected row is still screened
    # against the lists (engine.rejected): a listed supplier must not hide behind a bad date.
    parties: tuple[tuple[str, str], ...] = ()
    serial: str | None = None  # the row's serial cell, when well-formed (to find the row)

    def screened_note(self) -> str:
        """What of the row was screened all the same, to follow its reason in a line of text
        ("" when it held no party name): JUnit and SARIF write it so."""
        if not self.parties:
            return ""
        return "; its party names were screened all the same: " + ", ".join(f"{c} {v!r}" for c, v in self.parties)

    def as_json(self) -> dict[str, Any]:
        """report.json's `rejected_rows` item: serial and parties only when the row had them."""
        out: dict[str, Any] = {"file": self.source, "line": self.line, "reason": self.reason, "column": self.column}
        if self.serial is not None:
            out["serial"] = self.serial
        if self.parties:
            out["parties"] = [{"field": c, "value": v} for c, v in self.parties]
        return out


@dataclass(frozen=True)
class InventorySource:
    path: str
    sha256: str
    rows_read: int
    rows_audited: int
    rows_rejected: int
    columns: tuple[str, ...] = ()  # canonical columns present in the file
    ignored_columns: tuple[str, ...] = ()  # headers that map to no canonical column

    def as_json(self) -> dict[str, Any]:
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
    # Per source: the canonical columns its file has (None: every column, e.g. built in code).
    source_columns: list[frozenset[str]] | None = None
    # Rows from this index on are devices observed on the network (audit --devices), not
    # inventory rows: they carry findings about what devices reported, and are no assets.
    observed_from: int | None = None
    # Rows from this index on (up to `observed_from`, else the end) are REJECTED rows, appended
    # to be screened against the lists and nothing else (engine.rejected): they hold only their
    # party names and serial, are no audited assets, and `rejected_reasons[i - rejected_from]`
    # says why each was rejected.
    rejected_from: int | None = None
    rejected_reasons: tuple[str, ...] = ()

    def __len__(self) -> int:
        return len(self.lines)

    @property
    def declared_rows(self) -> int:
        """How many rows are audited inventory rows (assets): those before any appended rejected
        or observed rows."""
        if self.rejected_from is not None:
            return self.rejected_from
        return self.observed_from if self.observed_from is not None else len(self)

    def non_rejected_rows(self) -> range | list[int]:
        """Every row but the rejected rows screened all the same (they are no rigs of the fleet
        for the history and its comparisons): the audited rows and any observed ones."""
        start = self.rejected_from
        if start is None or not self.rejected_reasons:
            return range(len(self))
        return [*range(start), *range(start + len(self.rejected_reasons), len(self))]

    def rejected_reason(self, i: int) -> str | None:
        """Why row i was rejected from the audit, when it is a rejected row screened (else None)."""
        start = self.rejected_from
        if start is None or i < start or i >= start + len(self.rejected_reasons):
            return None
        return self.rejected_reasons[i - start]

    def rejected_mask(self, rows: Any) -> np.ndarray:
        """For each of ``rows`` (row indices), whether it is a rejected row screened all the
        same (``rejected_reason`` is not None): a million rows at once, not one by one."""
        at = np.asarray(rows, dtype=np.int64)
        start = self.rejected_from
        if start is None or not self.rejected_reasons:
            return np.zeros(len(at), dtype=bool)
        mask: np.ndarray = (at >= start) & (at < start + len(self.rejected_reasons))
        return mask

    def has_column(self, source: int, column: str) -> bool:
        return self.source_columns is None or column in self.source_columns[source]

    def row(self, i: int) -> dict[str, Any]:
        return {name: col.value(i) for name, col in self.columns.items()}

    def asset_key(self, i: int) -> str:
        """Stable identity of a rig: its serial; in a purchase-order list (no serial column) its
        PO number and line; a rig whose serial was left blank keeps its own file and line, so
        two such rigs are never merged into one (nor into their purchase order)."""
        serial = self.columns["serial"].value(i)
        if serial:
            return str(serial)
        src = int(self.source_index[i])
        if self.has_column(src, "serial"):
            return f"line:{self.sources[src]}:{self.lines[i]}"
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

    def as_json(self) -> dict[str, Any]:
        return {"title": self.title, "url": self.url}


@dataclass(frozen=True)
class RuleTest:
    name: str
    expect: str  # "fail" | "pass" | "not_applicable"
    rows: tuple[Mapping[str, Any], ...]  # one row, or several for cross-row checks
    as_of: date | None = None
    line: int | None = None
    devices: tuple[Mapping[str, Any], ...] = ()  # device snapshot records, for `device` rules


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
    # Fields without which the rule cannot judge a rig: clauses, one field of each must have
    # data (derived from the check and scope, or `needs = […]` in the rule file).
    needs: tuple[frozenset[str], ...] = ()
    reads: tuple[str, ...] = ()  # every inventory field the rule looks at

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
    rejected: str | None = None  # the row was rejected from the audit (why): its names screened all the same

    def as_json(self) -> dict[str, Any]:
        out = {
            "fingerprint": self.fingerprint,
            "rule_id": self.rule_id,
            "kind": self.kind,
            "severity": self.severity.label,
            "status": self.status,
            "title": self.title,
            "asset": {"serial": self.serial, "key": self.asset_key, "file": self.source, "line": self.line,
                      **({"rejected": self.rejected} if self.rejected is not None else {})},
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


def report_order(g: FindingGroup) -> tuple[int, str]:
    return (-int(g.effective_severity), g.rule.id)


def canonical_json(value: Any) -> str:
    """Compact, key-sorted JSON: the form hashed into fingerprints and stored as evidence."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def count_distinct_rows(parts: Sequence[np.ndarray], table_rows: int) -> int:
    """How many distinct rows `parts` hold together. Sorting (np.unique) a fleet-sized set took
    0.8 s at a million rigs; marking the rows in a table-sized mask is linear, and is used
    where it is cheaper than a sort: when the parts hold an eighth of the table or more."""
    if not parts:
        return 0
    total = sum(len(p) for p in parts)
    if total * 8 < table_rows:
        return int(len(np.unique(np.concatenate(parts))))
    mask = np.zeros(table_rows, dtype=bool)
    for p in parts:
        mask[p] = True
    return int(np.count_nonzero(mask))


def _fingerprint_hasher(rule_id: str, ev_json: str) -> Callable[[str], str]:
    """fingerprint(rule_id, asset_key, ev_json) as a function of asset_key (prefix hashed once)."""
    prefix = hashlib.sha256(f"{rule_id}\x00{ev_json}\x00".encode())

    def fp(asset_key: str) -> str:
        h = prefix.copy()
        h.update(asset_key.encode())
        return h.hexdigest()[:32]

    return fp


class FindingIdentity:
    """THE definition of a finding's identity: evidence, its canonical JSON and the fingerprint.

    A finding is one group's rule failing on one row. Its evidence is the group's evidence
    merged with the row's own additions (`row_evidence`); the fingerprint is
    sha256(rule id, canonical evidence JSON, asset key) — never the line number, so that
    re-sorting an inventory does not make every finding "new". Every user computes it here:
    the formats (through AuditResult.finding_rows), waivers, baselines (through report.json)
    and the history store. One instance per group merges, serialises and hashes each distinct
    evidence object once, not once per rig.
    """

    __slots__ = ("group", "_base", "_merged")

    def __init__(self, group: "FindingGroup"):
        self.group = group
        ev_json = canonical_json(group.evidence)
        self._base = (group.evidence, ev_json, _fingerprint_hasher(group.rule.id, ev_json))
        self._merged: dict[int, tuple[Mapping[str, Any], str, Callable[[str], str]]] = {}

    @property
    def group_evidence_json(self) -> str:
        """Canonical JSON of the group's shared evidence (without any row's additions)."""
        return self._base[1]

    @property
    def shared(self) -> tuple[Mapping[str, Any], str, Callable[[str], str]]:
        """(evidence, canonical JSON, asset key -> fingerprint) of the group's own evidence:
        every row's, when no rig adds to it."""
        return self._base

    def evidence(self, row: int) -> tuple[Mapping[str, Any], str, Callable[[str], str]]:
        """(evidence, its canonical JSON, asset key -> fingerprint) for `row` of the group."""
        extra = self.group.row_evidence.get(row) if self.group.row_evidence else None
        if not extra:
            return self._base
        # Rows usually share their row_evidence objects (one per distinct declared value, say).
        hit = self._merged.get(id(extra))
        if hit is None:
            ev = {**self.group.evidence, **extra}
            ej = canonical_json(ev)
            hit = self._merged[id(extra)] = (ev, ej, _fingerprint_hasher(self.group.rule.id, ej))
        return hit

    def fingerprint(self, row: int, asset_key: str) -> str:
        return self.evidence(row)[2](asset_key)


def fingerprint(rule_id: str, asset_key: str, evidence: Mapping[str, Any] | str) -> str:
    """The fingerprint of one finding from its parts (`evidence` as a mapping or canonical JSON).

    For code holding a finding's parts outside a group (tests, tools); FindingIdentity is the
    same computation with its per-group caching.
    """
    ev = evidence if isinstance(evidence, str) else canonical_json(evidence)
    return _fingerprint_hasher(rule_id, ev)(asset_key)


class FindingColumns(NamedTuple):
    """Findings of some groups as parallel columns, ordered by (file, line) (AuditResult.finding_columns)."""

    groups: list["FindingGroup"]
    identities: list[FindingIdentity]  # per group: evidence and fingerprints
    rows: list[int]
    group_index: list[int]  # into groups
    lines: list[int]
    sources: list[int]  # index into InventoryTable.sources
    keys: list[str]  # asset keys
    serials: list[str | None]

    def fingerprints(self, lo: int = 0, hi: int | None = None) -> tuple[list[str], list[str] | None]:
        """Fingerprints of findings lo:hi, and each one's evidence JSON when some group adds
        evidence per rig (a duty on each declared value; None: each finding has its group's own)."""
        keys, gis = self.keys[lo:hi], self.group_index[lo:hi]
        if any(g.row_evidence for g in self.groups):
            merged = [self.identities[g].evidence(row) for g, row in zip(gis, self.rows[lo:hi])]
            return [m[2](k) for m, k in zip(merged, keys)], [m[1] for m in merged]
        hashers = [identity.shared[2] for identity in self.identities]
        return [hashers[g](k) for g, k in zip(gis, keys)], None


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


# Ids of the bundled curated list's entries ("curated:1260h:huawei-technologies-co-ltd@2021-06-03"):
# the id after the second colon is the imported official entry it stands for.
BUNDLED_ID_PREFIX = "curated:"


@dataclass(frozen=True)
class ListEntry:
    """One entry of a screening list (bundled snapshot or imported official list).

    Shared vocabulary of the importers (auditor.refdata), the list store (auditor.store) and
    the screener (auditor.screening), which is why it lives here and not in one of them.
    """

    list_name: str  # e.g. "Entity List (EL) - Bureau of Industry and Security", "OFAC SDN", "DoD 1260H"
    entity_id: str  # stable id within its source (CSL _id, SDN ent_num, curated id)
    name: str
    aliases: tuple[str, ...] = ()
    entity_type: str | None = None  # "entity", "individual", "vessel", …
    country: str | None = None
    programs: tuple[str, ...] = ()
    start: date | None = None  # listed on (None: unknown, treated as always listed)
    end: date | None = None  # removed on (exclusive)
    source: str = ""  # citation: Federal Register notice, list URL…
    legal_effect: str = ""  # what being on this list means (refdata/importers/effects.py)
    addresses: tuple[str, ...] = ()
    remarks: str = ""

    def listed_on(self, as_of: date) -> bool:
        if self.start and as_of < self.start:
            return False
        if self.end and as_of >= self.end:
            return False
        return True


@dataclass
class ImportResult:
    """What an official list file gave: its entries and what the import summary reports."""

    entries: list[ListEntry]
    counts: dict[str, int]  # entries per source section, e.g. {"Entity List (EL) - …": 919}
    warnings: list[str] = field(default_factory=list)
    rows: int = 0  # data rows read from the file (after dropping repeated headers)
    # Extra facts for the import summary, e.g. how many alternate names were read.
    notes: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class ListInfo:
    """A reference list used by the audit (bundled snapshot or imported official list)."""

    name: str
    source: str
    retrieved: str | None
    sha256: str
    entries: int
    legal_effect: str = ""

    def as_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "source": self.source,
            "retrieved": self.retrieved,
            "sha256": self.sha256,
            "entries": self.entries,
        }


@dataclass(frozen=True)
class WaiverNote:
    """An expired waiver that would have covered an (again open) finding."""

    note: str  # "waiver W expired on D"
    waiver: Mapping[str, Any]  # the waiver's record (auditor.waivers.Waiver.as_json)


@dataclass(frozen=True)
class BaselineSource:
    """What the findings were compared with: a report.json file, or a recorded run."""

    baseline: str | None = None  # path of the baseline report.json as given
    run: int | None = None  # recorded run id (--diff-against)
    as_of: str | None = None
    status: str | None = None
    finished_at: str | None = None


@dataclass(frozen=True)
class RefDataSource:
    """A reference-data file the audit read (tariffs, facilities, advisories, approved firmware)."""

    kind: str
    path: str
    sha256: str

    def as_json(self) -> dict[str, str]:
        return {"kind": self.kind, "path": self.path, "sha256": self.sha256}


CENT = Decimal("0.01")


def money_text(amount: Decimal) -> str:
    """US dollars to the cent (half up), as report.json writes amounts: "52746.22"."""
    return format(amount.quantize(CENT, rounding=ROUND_HALF_UP), "f")


def fraction_text(rate: Decimal) -> float:
    """0.576 as a JSON number. Rates have at most a few decimal places, and Python prints a
    float with the shortest text that round-trips, so the JSON shows exactly the schedule's
    decimal (0.576, never 0.5760000001). Sums are done in Decimal before this conversion."""
    return float(rate)


@dataclass(frozen=True)
class TariffBasis:
    """What one distinct (claimed origin, HTS, import date) owes: the stack of programmes on the
    day the rates were taken, and on the audit date. Shared by every rig with that key."""

    origin: str | None
    hts: str
    hts_assumed: bool  # no HTS code in the inventory: 8543.70.9960 assumed (CBP NY N297495)
    on: date  # the day the rates were taken: the import date, else the audit date
    date_assumed: bool  # no import date: the audit date was used, so "at import" equals "as of"
    status: str  # "estimated" | "us_origin" | "origin_missing" | "no_rates"
    rate_at_import: Decimal = Decimal(0)
    programmes_at_import: tuple[tuple[str, Decimal], ...] = ()  # (programme, rate), schedule order
    rate_as_of: Decimal = Decimal(0)
    programmes_as_of: tuple[tuple[str, Decimal], ...] = ()
    note: str = ""  # why no estimate (status other than "estimated"); an incomplete total's reason

    def programmes_text(self, as_of: bool = False) -> str:
        """"MFN 2.6% + Section 301 25%", as reports print a stack."""
        parts = self.programmes_as_of if as_of else self.programmes_at_import
        return " + ".join(f"{p} {_percent(r)}" for p, r in parts)


@dataclass(frozen=True)
class TariffDuty:
    """The estimated duty on one distinct declared value under one distinct pair of stacks."""

    declared_value_usd: Decimal
    value_basis: str  # "declared_value_usd", or how the value was derived
    duty_at_import_usd: Decimal
    duty_as_of_usd: Decimal
    by_programme_at_import: tuple[tuple[str, Decimal], ...]
    by_programme_as_of: tuple[tuple[str, Decimal], ...]


@dataclass(frozen=True)
class TariffExposureLine:
    """One claimed origin and one duty programme: the rigs it applied to and the duty under it,
    at each rig's import date and at the rates in force on the audit date."""

    origin: str
    programme: str
    rigs_at_import: int  # rigs whose stack at import included the programme
    duty_at_import_usd: Decimal
    rigs_as_of: int  # rigs whose stack on the audit date includes it
    duty_as_of_usd: Decimal

    def as_json(self) -> dict[str, Any]:
        return {"origin": self.origin, "programme": self.programme, "rigs_at_import": self.rigs_at_import,
                "duty_at_import_usd": money_text(self.duty_at_import_usd), "rigs_as_of": self.rigs_as_of,
                "duty_as_of_usd": money_text(self.duty_as_of_usd)}


@dataclass(frozen=True)
class TariffOrigin:
    """Every rig of one claimed origin with an estimate: the origin's subtotal in the table."""

    origin: str
    rigs: int
    rigs_valued: int  # rigs with a declared value (only those have a duty)
    rigs_date_assumed: int  # rigs without an import date (estimated at the audit date's rates)
    declared_value_usd: Decimal
    duty_at_import_usd: Decimal
    duty_as_of_usd: Decimal
    rates_at_import: tuple[tuple[Decimal, int], ...]  # (total rate, rigs), ascending
    rate_as_of: tuple[Decimal, ...]  # total rate(s) on the audit date (one per HTS code)
    programmes: tuple[TariffExposureLine, ...]  # schedule order

    def as_json(self) -> dict[str, Any]:
        return {"origin": self.origin, "rigs": self.rigs, "rigs_valued": self.rigs_valued,
                "rigs_import_date_missing": self.rigs_date_assumed,
                "declared_value_usd": money_text(self.declared_value_usd),
                "duty_at_import_usd": money_text(self.duty_at_import_usd),
                "duty_as_of_usd": money_text(self.duty_as_of_usd),
                "rates_at_import": [{"rate": fraction_text(r), "rigs": n} for r, n in self.rates_at_import],
                "rates_as_of": [fraction_text(r) for r in self.rate_as_of],
                "programmes": [p.as_json() for p in self.programmes]}


@dataclass(frozen=True)
class TariffExposure:
    """The fleet's estimated US import duty: figures, not findings (tariff rule with `summary = true`).

    By claimed origin and programme for the reports' table; per rig as compact records for the
    CSV, Parquet and HTML detail: `rig_basis[i]` indexes `bases` (-1: the rule did not judge row
    i), `rig_duty[i]` indexes `duties` (-1: no estimate or no declared value). A million rigs are
    two int32 arrays and a few thousand distinct records.
    """

    as_of: date
    exposure_usd: Decimal  # duty at each rig's import date (the audit date when it has none)
    exposure_as_of_usd: Decimal  # duty at the rates in force on `as_of`
    declared_value_usd: Decimal
    by_origin: tuple[TariffOrigin, ...]  # largest duty at import first, then origin
    components: Mapping[str, Mapping[str, Any]]  # id -> the cited tariff record, as report.json shows it
    not_estimated: Mapping[str, int]  # reason -> rigs (us_origin, origin_missing, no_rates, value_missing)
    rigs_date_assumed: int  # estimated rigs without an import date
    notes: tuple[tuple[str, str], ...]  # (id, text) of the schedule notes that bear on the estimated rigs
    note: str
    bases: tuple[TariffBasis, ...] = ()
    duties: tuple[TariffDuty, ...] = ()
    rig_basis: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int32), compare=False, repr=False)
    rig_duty: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int32), compare=False, repr=False)

    @property
    def rigs_estimated(self) -> int:
        return sum(o.rigs for o in self.by_origin)

    def date_note(self) -> str:
        """What every format says when import dates were missing ("" when none were)."""
        if not self.rigs_date_assumed:
            return ""
        n = self.rigs_date_assumed
        return (f"{n:,} rig{'s' if n != 1 else ''} ha{'ve' if n != 1 else 's'} no import date: "
                f"{'their' if n != 1 else 'its'} duty “at import” is estimated at the rates in force on the audit "
                f"date ({self.as_of.isoformat()}), not on the day the rig entered the country. "
                "Record import dates (CBP Form 7501) for a true figure.")

    def summary_json(self) -> dict[str, Any]:
        """The summary keys of report.json (the totals; the table is `tariff_exposure`)."""
        return {
            "tariff_exposure_usd": money_text(self.exposure_usd),
            "tariff_exposure_as_of_usd": money_text(self.exposure_as_of_usd),
            "tariff_as_of": self.as_of.isoformat(),
        }

    def as_json(self) -> dict[str, Any]:
        """report.json's `tariff_exposure` object: the table by origin and programme."""
        return {
            "as_of": self.as_of.isoformat(),
            "rigs_estimated": self.rigs_estimated,
            "rigs_import_date_missing": self.rigs_date_assumed,
            "import_date_note": self.date_note() or None,
            "declared_value_usd": money_text(self.declared_value_usd),
            "duty_at_import_usd": money_text(self.exposure_usd),
            "duty_as_of_usd": money_text(self.exposure_as_of_usd),
            "by_origin": [o.as_json() for o in self.by_origin],
            "not_estimated": dict(sorted(self.not_estimated.items())),
            "components": {cid: dict(c) for cid, c in sorted(self.components.items())},
            "notes": [{"id": i, "text": t} for i, t in self.notes],
            "note": self.note,
            "per_rig": "tariff_rigs.csv (--format csv) and rigs.parquet (--format parquet)",
        }


def _percent(rate: Decimal) -> str:
    """0.576 -> "57.6%" (as the schedule states it)."""
    text = format((rate * 100).normalize(), "f")
    return f"{text}%"


@dataclass(frozen=True)
class ClearedScreening:
    """A screening match a reviewer cleared as a false positive: no finding, shown in the report."""

    rule_id: str
    field: str
    value: str
    list: str
    entity_id: str
    listed_name: str
    score: float
    rigs: int
    reviewer: str
    justification: str
    decided: str  # ISO date of the decision
    decision: str  # "file:line" of the reviewed decision
    review_by: str = ""  # ISO date after which the decision must be reviewed again

    def as_json(self) -> dict[str, Any]:
        return {
            "rule_id": self.rule_id, "field": self.field, "value": self.value, "list": self.list,
            "entity_id": self.entity_id, "listed_name": self.listed_name, "score": self.score, "rigs": self.rigs,
            "reviewer": self.reviewer, "justification": self.justification, "decided": self.decided,
            "decision": self.decision, "review_by": self.review_by,
        }


@dataclass(frozen=True)
class AuditResult:
    """Everything a report needs; renderers read this and nothing else.

    Immutable: evaluation builds it, and each decoration (waivers, baseline or history, the
    gate and outputs of the run) returns a new result with `dataclasses.replace`
    (auditor.run owns the order). Fingerprint-keyed decorations are plain mappings.
    """

    as_of: date
    tool_version: str
    inventory: Sequence[InventorySource]
    rules: Sequence[Rule]
    lists: Sequence[ListInfo]
    table: InventoryTable
    groups: Sequence[FindingGroup]
    rejected: Sequence[Rejected]
    warnings: tuple[str, ...] = ()
    incomplete_reasons: tuple[str, ...] = ()
    # Fleet-level figures filled by checks that aggregate.
    tariff: TariffExposure | None = None  # estimated duty: by origin and programme, and per rig
    cleared_matches: tuple[ClearedScreening, ...] = ()
    clearances_not_applied: tuple[Mapping[str, Any], ...] = ()  # cleared decisions that did not apply
    screening_parties: tuple[Mapping[str, Any], ...] = ()  # listed parties the screening findings point at
    screening_party_rigs: int = 0
    devices: Mapping[str, Any] | None = None  # audit --devices: the snapshot's figures (summary "devices")
    organisation: str | None = None  # shown on the report's cover
    law_researched: str | None = None  # ISO date the bundled law was last researched (report header)
    refdata_sources: tuple[RefDataSource, ...] = ()  # reference-data files read
    # Decorations applied after evaluation (auditor.run), keyed by fingerprint.
    waivers: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)  # fingerprint -> waiver record
    expired_waivers: Mapping[str, WaiverNote] = field(default_factory=dict)  # fingerprint -> note
    baseline: Mapping[str, str] | None = None  # fingerprint -> "new" | "unchanged"; None = no baseline
    baseline_source: BaselineSource | None = None
    absent: tuple[Mapping[str, Any], ...] = ()  # baseline findings no longer present
    gate: "Gate | None" = None  # the gate the run applies (JUnit/Markdown show it); None = default
    outputs: tuple[str, ...] = ()  # file names the run writes (Markdown links them)
    sarif_min_severity: str | None = None  # lowest severity report.sarif lists (None: the gate's level)
    # How far each rule ran (auditor.engine.coverage.RuleCoverage), in rule order.
    coverage: tuple["RuleCoverage", ...] = ()
    # Caches of figures every format asks for; not init fields, so `replace` starts afresh.
    _open_counts: Any = field(default=None, init=False, repr=False, compare=False)  # summary()
    _new_counts: Any = field(default=None, init=False, repr=False, compare=False)  # new_by_rule()

    @property
    def complete(self) -> bool:
        return not self.incomplete_reasons

    def not_evaluated(self) -> list[str]:
        """One line per rule that did not run on some rows, and why (acknowledged or not)."""
        from auditor.engine.coverage import not_evaluated_lines

        return not_evaluated_lines(self.coverage)

    def iter_findings(self) -> Iterator[Finding]:
        """Findings in report order: severity (most severe first), rule id, file, line. Deterministic."""
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
                rejected=self.table.rejected_reason(r.row),
            )

    def waiver_notes(self) -> dict[str, str]:
        """fingerprint -> "waiver W expired on D" for open findings an expired waiver would have covered."""
        return {fp: n.note for fp, n in self.expired_waivers.items() if fp not in self.waivers}

    def finding_columns(self, groups: Sequence[FindingGroup]) -> "FindingColumns":
        """The findings of `groups` (one rule's, or several of one report order) as columns,
        ordered by (file, line): what a writer needs per finding, fetched with numpy at once."""
        table = self.table
        pairs = [np.stack([g.rows, np.full(len(g.rows), gi, dtype=np.int64)], axis=1) for gi, g in enumerate(groups)]
        allrows = np.concatenate(pairs) if pairs else np.empty((0, 2), dtype=np.int64)
        order = np.lexsort((allrows[:, 1], table.lines[allrows[:, 0]], table.source_index[allrows[:, 0]]))
        allrows = allrows[order]
        rows = allrows[:, 0]
        serial_col = table.columns["serial"]
        serial_values = serial_col.values
        serials = [serial_values[c] for c in serial_col.codes[rows].tolist()]
        row_list = rows.tolist()
        asset_key = table.asset_key
        # asset_key's first case (the serial) without its lookups; the others are rare.
        keys = [s if s else asset_key(r) for s, r in zip(serials, row_list)]
        return FindingColumns(list(groups), [FindingIdentity(g) for g in groups], row_list, allrows[:, 1].tolist(),
                              table.lines[rows].tolist(), table.source_index[rows].tolist(), keys, serials)

    def finding_rows(self, groups: Sequence[FindingGroup]) -> Iterator["FindingRow"]:
        """The hot path under iter_findings, for one rule's groups, ordered by (file, line).

        Evidence is merged, serialised and hashed once per distinct object, not once per
        rig, and per-row columns are fetched with numpy before the Python loop.
        """
        c = self.finding_columns(groups)
        for row, gi, line, src, key, serial in zip(c.rows, c.group_index, c.lines, c.sources, c.keys, c.serials):
            evidence, ev_json, fp = c.identities[gi].evidence(row)
            yield FindingRow(c.groups[gi], row, key, serial, line, src, evidence, ev_json, fp(key))

    def finding_blocks(self) -> Iterator[list[FindingGroup]]:
        """The groups in report order (most severe first, then rule id), one block per order."""
        ordered = sorted(self.groups, key=report_order)
        i = 0
        while i < len(ordered):
            j = i
            while j < len(ordered) and report_order(ordered[j]) == report_order(ordered[i]):
                j += 1
            yield ordered[i:j]
            i = j

    def iter_finding_rows(self) -> Iterator[FindingRow]:
        """finding_rows() over every rule, in report order: most severe first, then rule id, file, line.

        Every format lists findings in this one order, so a reader meets critical and high
        findings before informational figures whichever file they open.
        """
        for block in self.finding_blocks():
            yield from self.finding_rows(block)

    def summary(self) -> dict[str, Any]:
        by_sev = {s.label: 0 for s in Severity}
        open_by_sev = {s.label: 0 for s in Severity}
        by_rule: dict[str, int] = {}
        by_kind: dict[str, int] = {}
        # "Rigs with a finding" counts findings at or above low: informational figures (tariff
        # estimates …) are counted apart, or every rig of a fleet would "have a finding".
        rows_with = np.zeros(len(self.table), dtype=bool)
        declared = self.table.declared_rows
        rows_info = np.zeros(len(self.table), dtype=bool)
        waived = 0
        for g in self.groups:
            n = len(g.rows)
            sev = g.effective_severity.label
            by_sev[sev] += n
            by_rule[g.rule.id] = by_rule.get(g.rule.id, 0) + n
            by_kind[g.rule.kind.value] = by_kind.get(g.rule.kind.value, 0) + n
            (rows_with if g.effective_severity >= Severity.LOW else rows_info)[g.rows] = True
        if self.waivers:
            # Waivers are keyed by fingerprint: count them on the cheap finding rows, once
            # (the result is immutable; every format asks for the summary).
            if self._open_counts is None:
                open_counts = {s.label: 0 for s in Severity}
                waived_n = 0
                for r in self.iter_finding_rows():
                    if r.fingerprint in self.waivers:
                        waived_n += 1
                    else:
                        open_counts[r.group.effective_severity.label] += 1
                object.__setattr__(self, "_open_counts", (open_counts, waived_n))  # a cache, not state
            counts, waived = self._open_counts
            open_by_sev = dict(counts)
        else:
            open_by_sev = dict(by_sev)
        out = {
            "assets": declared,
            "assets_with_findings": int(rows_with[:declared].sum()),
            "findings": sum(by_sev.values()),
            "informational": {"findings": by_sev[Severity.INFO.label], "assets": int(rows_info[:declared].sum())},
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
        if self.tariff is not None:
            out.update(self.tariff.summary_json())
        if self.cleared_matches:
            out["cleared_matches"] = [c.as_json() for c in self.cleared_matches]
        if self.clearances_not_applied:
            out["clearances_not_applied"] = [dict(c) for c in self.clearances_not_applied]
        if self.devices is not None:
            out["devices"] = dict(self.devices)
        if self.screening_parties:
            out["screening_parties"] = [dict(p) for p in self.screening_parties]
            out["screening_party_rigs"] = self.screening_party_rigs
        start = self.table.rejected_from
        if start is not None:
            # Rejected rows screened all the same (engine/rejected.py) that a finding names: no
            # assets, so not in `assets_with_findings`; the key only when there are some.
            end = start + len(self.table.rejected_reasons)
            with_findings = int((rows_with[start:end] | rows_info[start:end]).sum())
            if with_findings:
                out["rejected_rows_with_findings"] = with_findings
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
        if self._new_counts is None:
            counts = {g.rule.id: 0 for g in self.groups}
            for r in self.iter_finding_rows():
                if states.get(r.fingerprint, "new") == "new":
                    counts[r.group.rule.id] += 1
            object.__setattr__(self, "_new_counts", counts)  # a cache, not state
        return dict(self._new_counts)
