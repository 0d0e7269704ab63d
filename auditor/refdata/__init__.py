"""Reference data: everything legal or factual a rule consults, each record dated and cited.

`RefData` is the one object the pure evaluation core receives. Loaders (I/O) live in the
submodules; the engine never reads files itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from auditor.model import ListInfo, RefDataSource

if TYPE_CHECKING:  # types only: the loaders import these packages, never the other way at run time
    from auditor.refdata.facilities import Registry
    from auditor.refdata.firmware import AdvisoryDB, ApprovedFirmware
    from auditor.refdata.ownership import AffiliatesRule, Ownership
    from auditor.refdata.research import Research
    from auditor.refdata.tariffs import Schedule
    from auditor.screening.cleared import ClearedMatch
    from auditor.screening.screener import Screener


@dataclass
class RefData:
    """What the checks consult; None where the rules in force did not need it (not loaded)."""

    screener: Screener | None = None  # screen(name, as_of) -> list[Match]
    facilities: Registry | None = None  # manufacturers' facilities, dated and cited
    tariffs: Schedule | None = None  # tariff records (stacked per origin, HTS and date)
    advisories: AdvisoryDB | None = None  # firmware advisories
    approved_firmware: tuple[ApprovedFirmware, ...] | None = None  # None: no approved list configured
    ownership: list[Ownership] = field(default_factory=list)
    affiliates_rule: AffiliatesRule | None = None  # dated periods of the 50% rule
    cleared: list[ClearedMatch] = field(default_factory=list)  # reviewed false positives
    lists: list[ListInfo] = field(default_factory=list)  # lists used, for the report
    sources: list[RefDataSource] = field(default_factory=list)  # data files used: kind, path, sha256
    warnings: list[str] = field(default_factory=list)  # e.g. only bundled lists were used
    incomplete: list[str] = field(default_factory=list)  # e.g. stale lists: the audit is INCOMPLETE
    research: Research | None = None  # when the bundled law was last researched
    devices: Any = None  # devices.corroborate.Observed when the audit has a device snapshot
