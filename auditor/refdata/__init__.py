"""Reference data: everything legal or factual a rule consults, each record dated and cited.

`RefData` is the one object the pure evaluation core receives. Loaders (I/O) live in the
submodules; the engine never reads files itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from auditor.model import ListInfo


@dataclass
class RefData:
    screener: Any = None  # auditor.screening.Screener: screen(name, as_of) -> list[Match]
    facilities: list[Any] = field(default_factory=list)  # refdata.facilities.Facility
    tariffs: list[Any] = field(default_factory=list)  # refdata.tariffs.TariffRecord
    advisories: list[Any] = field(default_factory=list)  # refdata.firmware.Advisory
    approved_firmware: list[Any] | None = None  # None: no approved list configured
    ownership: list[Any] = field(default_factory=list)  # refdata.ownership.Ownership
    affiliates_rule: Any = None  # refdata.ownership.AffiliatesRule (dated periods of the 50% rule)
    cleared: list[Any] = field(default_factory=list)  # screening.cleared.ClearedMatch
    lists: list[ListInfo] = field(default_factory=list)  # lists used, for the report
    sources: list[dict[str, Any]] = field(default_factory=list)  # data files used: path, sha256
    warnings: list[str] = field(default_factory=list)  # e.g. only bundled lists were used
    incomplete: list[str] = field(default_factory=list)  # e.g. stale lists: the audit is INCOMPLETE
    research: Any = None  # refdata.research.Research: when the bundled law was last researched
