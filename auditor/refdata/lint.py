"""Validation of the shipped reference-data files, for `auditor rules lint`."""

from __future__ import annotations


def lint_refdata() -> list[str]:
    """Error messages (file:line: problem) for every invalid reference-data file."""
    problems: list[str] = []
    for loader in _loaders():
        try:
            loader()
        except Exception as exc:  # each loader raises a message naming file and line
            problems.append(str(exc))
    return problems


def _loaders():
    # One line per kind of reference data.
    from auditor.refdata import facilities, firmware, rule_data, tariffs
    from auditor.refdata.curated import load_curated
    from auditor.refdata.ownership import load_affiliates_rule, load_ownership

    return [
        load_curated,
        load_ownership,
        load_affiliates_rule,
        facilities.load_facilities,
        tariffs.load_tariffs,
        firmware.load_advisories,
        lambda: firmware.load_approved_firmware(rule_data.EXAMPLE_APPROVED_FIRMWARE),
    ]
