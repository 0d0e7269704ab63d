"""Loading every kind of reference data for one audit (the I/O side of RefData)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from auditor.defaults import MAX_LIST_AGE_DAYS
from auditor.refdata import RefData


@dataclass
class RefDataOptions:
    db_url: str | None = None  # imported official lists; None: AUDITOR_DB or the default store
    use_db: bool = True  # False: screen against the bundled curated list only
    include_curated: bool = True
    max_list_age_days: int = MAX_LIST_AGE_DAYS
    cleared: str | None = None  # reviewed false-positive file
    approved_firmware: str | None = None
    facilities: str | None = None
    tariffs: str | None = None
    advisories: str | None = None
    ownership: str | None = None


def load_refdata(opts: RefDataOptions, as_of: date, needs: set[str] | None = None) -> RefData:
    """Load the reference data that the given check kinds need (all when `needs` is None).

    Loading only what the rules in force use keeps a procurement check that screens
    nothing from opening the list database at all.
    """
    from auditor.refdata.research import load_research

    ref = RefData(research=load_research())
    if needs is None or needs & {"screen", "affiliates"}:
        _load_screening(ref, opts, as_of)
    if needs is None or "affiliates" in needs:
        from pathlib import Path

        from auditor.refdata.ownership import load_affiliates_rule, load_ownership

        ref.ownership = load_ownership(Path(opts.ownership) if opts.ownership else None)
        ref.affiliates_rule = load_affiliates_rule()
    if needs is None or needs & {"tariff", "origin_claim", "firmware"}:
        from auditor.refdata.rule_data import load_rule_refdata

        load_rule_refdata(ref, facilities=opts.facilities, tariffs=opts.tariffs, advisories=opts.advisories,
                          approved_firmware=opts.approved_firmware)
    return ref


def _load_screening(ref: RefData, opts: RefDataOptions, as_of: date) -> None:
    from auditor.refdata.lists_source import load_screener

    engine = None
    if opts.use_db:
        from auditor.store.db import open_engine

        engine = open_engine(opts.db_url)
    ref.screener, infos, warnings = load_screener(
        engine, include_curated=opts.include_curated, as_of=as_of, max_age_days=opts.max_list_age_days,
        stale_out=ref.incomplete,
    )
    ref.lists = list(infos)
    ref.warnings.extend(warnings)
    if opts.cleared:
        from auditor.screening.cleared import load_cleared

        ref.cleared = load_cleared(opts.cleared)
        # A decision naming an entry the loaded lists do not have (a mistyped list name or id,
        # a list not imported) clears nothing; say so rather than let it pass unseen.
        known = ref.screener.entry_keys()
        for decision in ref.cleared:
            if (decision.list_name, decision.entity_id) not in known:
                ref.warnings.append(
                    f"{decision.where}: the cleared decision for {decision.name!r} names entry "
                    f"{decision.entity_id!r} of list {decision.list_name!r}, which the loaded lists do not "
                    "have: it clears nothing (copy the list and entry id from the finding's evidence)")


def selftest_refdata() -> RefData:
    """Reference data for rule self-tests: the bundled files only, never a user's database."""
    from datetime import date as _date

    # The example approved-firmware list makes the approved-firmware rule's self-tests meaningful.
    from auditor.refdata.ownership import EXAMPLE_OWNERSHIP
    from auditor.refdata.rule_data import EXAMPLE_APPROVED_FIRMWARE

    opts = RefDataOptions(use_db=False, approved_firmware=str(EXAMPLE_APPROVED_FIRMWARE),
                          ownership=str(EXAMPLE_OWNERSHIP))
    return load_refdata(opts, _date(2026, 1, 1))
