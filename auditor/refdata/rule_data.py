"""Loading the reference data that origin, tariff and firmware rules consult, and linting it.

For the audit: `load_rule_refdata(ref, …)` fills `RefData.facilities`, `.tariffs`,
`.advisories` and `.approved_firmware` and records each file's path and sha256 in
`ref.sources`. For `auditor rules lint`: `lint_refdata(…)` returns every problem as
"file:line: message" instead of raising. For `auditor rules test`: `self_test_refdata()` is
the bundled data plus the example approved-firmware list, so that self-tests are reproducible
whatever an organisation configures.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable

from auditor.model import RefDataSource
from auditor.refdata import RefData
from auditor.refdata._records import DATA_DIR, RefDataError
from auditor.refdata.facilities import load_facilities
from auditor.refdata.firmware import load_advisories, load_approved_firmware
from auditor.refdata.tariffs import load_tariffs

EXAMPLE_APPROVED_FIRMWARE = DATA_DIR / "approved_firmware.example.toml"


def load_rule_refdata(
    ref: RefData,
    *,
    facilities: str | Path | None = None,
    tariffs: str | Path | None = None,
    advisories: str | Path | None = None,
    approved_firmware: str | Path | None = None,
) -> RefData:
    """Fill `ref` from the given files (bundled data when None). Raises RefDataError (exit 2)."""
    ref.facilities, src_f = load_facilities(facilities)
    ref.tariffs, src_t = load_tariffs(tariffs)
    ref.advisories, src_a = load_advisories(advisories)
    ref.sources.extend([RefDataSource("facilities", **src_f), RefDataSource("tariffs", **src_t),
                        RefDataSource("advisories", **src_a)])
    if approved_firmware is not None:
        ref.approved_firmware, src_p = load_approved_firmware(approved_firmware)
        ref.sources.append(RefDataSource("approved_firmware", **src_p))
    else:
        ref.approved_firmware = None
    return ref


def self_test_refdata(base: RefData | None = None) -> RefData:
    """Bundled data and the example approved-firmware list, for rule self-tests."""
    return load_rule_refdata(base or RefData(), approved_firmware=EXAMPLE_APPROVED_FIRMWARE)


def lint_refdata(
    *,
    facilities: str | Path | None = None,
    tariffs: str | Path | None = None,
    advisories: str | Path | None = None,
    approved_firmware: str | Path | None = None,
    rules: Iterable[Any] = (),
) -> list[str]:
    """Every problem in the reference-data files as "file:line: message" (empty = valid).

    `rules` (loaded Rule objects) are cross-checked: a firmware rule must name an advisory
    that exists.
    """
    errors: list[str] = []
    db = None
    jobs = [(load_facilities, facilities), (load_tariffs, tariffs), (load_advisories, advisories)]
    if approved_firmware is not None:
        jobs.append((load_approved_firmware, approved_firmware))
    jobs.append((load_approved_firmware, EXAMPLE_APPROVED_FIRMWARE))
    for loader, path in jobs:
        try:
            data, _ = loader(path)
        except RefDataError as exc:
            errors.append(str(exc))
            continue
        if loader is load_advisories:
            db = data
    if db is not None:
        for rule in rules:
            cfg = getattr(rule, "check", None)
            if getattr(rule, "check_kind", None) == "firmware" and getattr(cfg, "advisory", None):
                if db.get(cfg.advisory) is None:
                    errors.append(f"{rule.path}: advisory {cfg.advisory!r} is not in the firmware advisories data")
    return errors
