"""Affiliates (50%) rule: dated status at its boundary days, aggregate ownership and chains."""

from __future__ import annotations

import re
from datetime import date

import pytest

from auditor.refdata.ownership import (
    Ownership,
    OwnershipDataError,
    affiliate_exposure,
    load_affiliates_rule,
    load_ownership,
    rule_status,
)


@pytest.fixture(scope="module")
def rule():
    return load_affiliates_rule()


@pytest.mark.parametrize(
    "day, status, confidence",
    [
        ("2025-09-28", "not_yet_effective", None),
        ("2025-09-29", "in_force", "P"),  # IFR effective date
        ("2025-11-09", "in_force", "P"),
        ("2025-11-10", "suspended", "P"),  # suspension starts (the suspension rule's text)
        ("2026-11-09", "suspended", "P"),  # last suspended day
        ("2026-11-10", "in_force", "R"),  # reimposed by the suspension rule's own text; no extension found
        ("2030-01-01", "in_force", "R"),
    ],
)
def test_rule_status_boundary_days(rule, day, status, confidence):
    s = rule_status(rule, date.fromisoformat(day))
    assert (s.status, s.confidence) == (status, confidence)


def test_applies_flag(rule):
    assert rule_status(rule, date(2025, 10, 1)).applies is True
    assert rule_status(rule, date(2026, 1, 1)).applies is False
    assert rule_status(rule, date(2026, 12, 1)).applies is True
    assert "no extension" in rule_status(rule, date(2026, 12, 1)).note
    assert rule_status(rule, date(2025, 1, 1)).applies is False


def own(owner, owned, share, start=None, until=None):
    return Ownership(owner, owned, share, start, until, f"test record {owner}->{owned}")


AS_OF = date(2025, 10, 1)


def test_direct_majority(rule):
    x = affiliate_exposure("Sub Ltd", [own("Listed Co", "Sub Ltd", 50)], {"Listed Co"}, AS_OF, rule)
    assert x.aggregate_share == 50 and x.meets_threshold
    assert x.chains() == ["Listed Co (listed) —50%→ Sub Ltd"]
    assert x.rule.status == "in_force"


def test_just_below_threshold(rule):
    x = affiliate_exposure("Sub Ltd", [own("Listed Co", "Sub Ltd", 49.9)], {"Listed Co"}, AS_OF, rule)
    assert x.aggregate_share == 49.9 and not x.meets_threshold


def test_aggregate_of_several_listed_owners(rule):
    recs = [own("L1", "T", 30), own("L2", "T", 20), own("Clean Investor", "T", 50)]
    x = affiliate_exposure("T", recs, {"L1", "L2"}, AS_OF, rule)
    assert x.aggregate_share == 50 and x.meets_threshold
    assert x.chains() == ["L1 (listed) —30%→ T", "L2 (listed) —20%→ T"]


def test_indirect_through_a_restricted_intermediate_counts_in_full(rule):
    # L owns 60% of M, so M is restricted; M's 30% of T plus L2's 25% = 55%.
    recs = [own("L", "M", 60), own("M", "T", 30), own("L2", "T", 25)]
    x = affiliate_exposure("T", recs, {"L", "L2"}, AS_OF, rule)
    assert x.aggregate_share == 55 and x.meets_threshold
    assert x.chains() == ["L (listed) —60%→ M —30%→ T", "L2 (listed) —25%→ T"]


def test_minority_intermediate_does_not_pass_ownership_on(rule):
    # L owns 40% of M: M is not restricted, so M's 60% of T does not count.
    x = affiliate_exposure("T", [own("L", "M", 40), own("M", "T", 60)], {"L"}, AS_OF, rule)
    assert x.aggregate_share == 0 and not x.meets_threshold and x.chains() == []


def test_cycles_terminate(rule):
    recs = [own("A", "B", 60), own("B", "A", 60), own("B", "T", 50), own("L", "A", 50)]
    x = affiliate_exposure("T", recs, {"L"}, AS_OF, rule)
    assert x.aggregate_share == 50
    assert "L (listed) —50%→ A —60%→ B —50%→ T" in x.chains()


def test_dated_records_and_case_insensitive_names(rule):
    recs = [own("Listed Co", "SUB  LTD", 70, start=date(2025, 1, 1), until=date(2025, 12, 1))]
    assert affiliate_exposure("sub ltd", recs, {"LISTED CO"}, date(2025, 11, 30), rule).meets_threshold
    assert not affiliate_exposure("sub ltd", recs, {"LISTED CO"}, date(2025, 12, 1), rule).meets_threshold
    assert not affiliate_exposure("sub ltd", recs, {"LISTED CO"}, date(2024, 12, 31), rule).meets_threshold


def test_listed_entity_itself_is_not_an_affiliate_case(rule):
    x = affiliate_exposure("L", [own("L2", "L", 100)], {"L", "L2"}, AS_OF, rule)
    assert x.listed_itself and not x.meets_threshold


def test_callable_listing_predicate(rule):
    x = affiliate_exposure("T", [own("Sophgo Technologies Ltd.", "T", 51)], lambda n: "sophgo" in n.casefold(), AS_OF, rule)
    assert x.meets_threshold


def test_bundled_ownership_file_is_empty_and_documented():
    assert load_ownership() == []


def test_ownership_file_loading_and_errors(tmp_path):
    f = tmp_path / "own.toml"
    f.write_text('[[ownership]]\nowner = "A"\nowned = "B"\nshare = 60\nfrom = 2024-01-01\nsource = "registry"\n')
    (rec,) = load_ownership(f)
    assert (rec.owner, rec.owned, rec.share, rec.start, rec.until) == ("A", "B", 60.0, date(2024, 1, 1), None)
    for body, msg in [
        ('[[ownership]]\nowner = "A"\nowned = "B"\nshare = 160\nsource = "s"\n', "percentage"),
        ('[[ownership]]\nowner = "A"\nowned = "B"\nshare = 60\n', "missing key(s): source"),
        ('[[ownership]]\nowner = "A"\nowned = "a"\nshare = 60\nsource = "s"\n', "cannot own itself"),
        ('[[ownership]]\nowner = "A"\nowned = "B"\nshare = 60\nsource = "s"\npct = 1\n', "unknown key(s): pct"),
    ]:
        f.write_text(body)
        with pytest.raises(OwnershipDataError, match=re.escape(msg)):
            load_ownership(f)


def test_overlapping_rule_periods_are_rejected(tmp_path):
    f = tmp_path / "rule.toml"
    f.write_text(
        '[rule]\nname = "r"\nthreshold = 50\ncitation = "c"\n'
        '[[period]]\nfrom = 2025-01-01\nuntil = 2025-06-01\nstatus = "in_force"\nconfidence = "P"\nsource = "s"\n'
        '[[period]]\nfrom = 2025-05-01\nstatus = "suspended"\nconfidence = "R"\nsource = "s"\n'
    )
    with pytest.raises(OwnershipDataError, match="overlap"):
        load_affiliates_rule(f)
