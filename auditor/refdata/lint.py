"""Validation of reference-data files, for `auditor rules lint`.

The bundled files by default, or an officer's own copies given by path.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable


def lint_refdata(
    *,
    rules: Iterable[Any] = (),
    facilities: str | None = None,
    tariffs: str | None = None,
    advisories: str | None = None,
    approved_firmware: str | None = None,
    ownership: str | None = None,
) -> list[str]:
    """Error messages (file:line: problem) for every invalid reference-data file (empty: valid)."""
    from auditor.refdata import rule_data
    from auditor.refdata.curated import load_curated
    from auditor.refdata.ownership import load_affiliates_rule, load_ownership

    problems: list[str] = []
    for loader in (load_curated, lambda: load_ownership(Path(ownership) if ownership else None), load_affiliates_rule):
        try:
            loader()
        except Exception as exc:  # each loader raises a message naming file and line
            problems.append(str(exc))
    # Facilities, tariffs and advisories, cross-checked against the rules that use them.
    problems += rule_data.lint_refdata(facilities=facilities, tariffs=tariffs, advisories=advisories,
                                       approved_firmware=approved_firmware, rules=rules)
    return problems
