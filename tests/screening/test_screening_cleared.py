"""The reviewed file of cleared matches: strict loading with file and line, and clearing."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from auditor.refdata.entities import ListEntry
from auditor.screening import ClearedFileError, Screener, find_clearance, is_cleared, load_cleared
from auditor.screening.cleared import clearance

EL = "Entity List (EL) - Bureau of Industry and Security"

VALID = f'''# decisions of the compliance team
[[cleared]]
name = "Belle Technology Corp"
list = "{EL}"
entity_id = "EL-17"
reviewer = "A. Officer"
justification = "Different company: registered in Norway, no link to the listed party."
date = 2026-03-02

[[cleared]]
name = "Nordic Sophgo Trading AS"
list = "{EL}"
entity_id = "EL-1"
reviewer = "B. Reviewer"
justification = "Reseller with a similar name, checked against the registry."
date = "2026-03-05"
'''


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "cleared.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_valid_file_loads_every_decision(tmp_path: Path) -> None:
    path = write(tmp_path, VALID)
    decisions = load_cleared(path)
    assert [(d.name, d.entity_id, d.reviewer, d.date, d.line) for d in decisions] == [
        ("Belle Technology Corp", "EL-17", "A. Officer", date(2026, 3, 2), 2),
        ("Nordic Sophgo Trading AS", "EL-1", "B. Reviewer", date(2026, 3, 5), 10),
    ]
    assert decisions[0].list_name == EL
    assert decisions[0].justification.startswith("Different company")


@pytest.mark.parametrize(
    "remove, line",
    [("reviewer", 10), ("justification", 10), ("date", 10), ("entity_id", 10), ("list", 10), ("name", 10)],
)
def test_missing_field_names_the_file_line_and_field(tmp_path: Path, remove: str, line: int) -> None:
    lines = VALID.splitlines(keepends=True)
    # drop the field from the second table (lines 11-16)
    text = "".join(ln for n, ln in enumerate(lines, start=1) if not (n > 10 and ln.startswith(f"{remove} =")))
    path = write(tmp_path, text)
    with pytest.raises(ClearedFileError) as error:
        load_cleared(path)
    assert str(error.value) == f"{path}:{line}: [[cleared]] entry lacks '{remove}'"


def test_unknown_field_points_at_its_line(tmp_path: Path) -> None:
    path = write(tmp_path, VALID.replace('reviewer = "B. Reviewer"', 'reviewr = "B. Reviewer"'))
    with pytest.raises(ClearedFileError, match=rf"^{path}:14: unknown field 'reviewr'"):
        load_cleared(path)


def test_empty_value_wrong_type_and_bad_date_are_errors(tmp_path: Path) -> None:
    path = write(tmp_path, VALID.replace('reviewer = "A. Officer"', 'reviewer = "  "'))
    with pytest.raises(ClearedFileError, match=rf"^{path}:6: 'reviewer' is empty"):
        load_cleared(path)
    path = write(tmp_path, VALID.replace('entity_id = "EL-17"', "entity_id = 17"))
    with pytest.raises(ClearedFileError, match=rf"^{path}:5: 'entity_id' must be a string"):
        load_cleared(path)
    path = write(tmp_path, VALID.replace('date = "2026-03-05"', 'date = "5 March 2026"'))
    with pytest.raises(ClearedFileError, match=rf"^{path}:16: 'date' must be a date like 2026-03-02"):
        load_cleared(path)
    # A TOML date-time is named as one, not as Python writes it (a tryout met "datetime.datetime(…)").
    path = write(tmp_path, VALID.replace('date = "2026-03-05"', "date = 2026-03-05T10:00:00"))
    with pytest.raises(ClearedFileError, match=rf"^{path}:16: 'date' must be a date like 2026-03-02, "
                                               r"got the date and time 2026-03-05T10:00:00$"):
        load_cleared(path)


def test_invalid_toml_reports_line_and_column(tmp_path: Path) -> None:
    path = write(tmp_path, VALID.replace('reviewer = "A. Officer"', 'reviewer = "A. Officer'))
    with pytest.raises(ClearedFileError, match=rf"^{path}:6:\d+: invalid TOML"):
        load_cleared(path)


def test_repeated_decision_and_stray_keys_are_errors(tmp_path: Path) -> None:
    first = VALID.split("\n\n")[0]  # comment (line 1) and the first table (lines 2-8)
    table = first.split("\n", 1)[1]
    # The same decision again, with the name spelled differently (same normalised name).
    path = write(tmp_path, first + "\n\n" + table.replace("Belle Technology Corp", "BELLE TECHNOLOGY CORP."))
    with pytest.raises(ClearedFileError, match=rf"^{path}:10: the same decision is already recorded at line 2"):
        load_cleared(path)
    path = write(tmp_path, 'owner = "me"\n' + VALID)
    with pytest.raises(ClearedFileError, match=rf"^{path}:1: unknown key 'owner'"):
        load_cleared(path)


def test_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ClearedFileError, match="cannot read"):
        load_cleared(tmp_path / "absent.toml")


def test_a_decision_clears_only_its_name_and_entry(tmp_path: Path) -> None:
    decisions = load_cleared(write(tmp_path, VALID))
    screener = Screener([
        ListEntry(EL, "EL-17", "Belle Technologies Corporation"),
        ListEntry(EL, "EL-18", "Belle Technology Group Corp"),
    ])
    matches = {m.entity_id: m for m in screener.screen("Belle Technology Corp.", date(2026, 4, 1))}
    assert set(matches) == {"EL-17", "EL-18"}
    # Same name up to case and punctuation, same entry: cleared, by the recorded decision.
    assert is_cleared("BELLE TECHNOLOGY CORP", matches["EL-17"], decisions)
    assert find_clearance("Belle Technology Corp.", matches["EL-17"], decisions).reviewer == "A. Officer"
    # Another entry, or another screened name, is not covered by the decision.
    assert not is_cleared("Belle Technology Corp", matches["EL-18"], decisions)
    assert not is_cleared("Belle Technology Trading Corp", matches["EL-17"], decisions)


def _belle_match(start: date | None = None):
    screener = Screener([ListEntry(EL, "EL-17", "Belle Technologies Corporation", start=start)])
    (match,) = screener.screen("Belle Technology Corp.", date(2026, 4, 1))
    return match


def test_one_decision_clears_every_spelling_of_the_name(tmp_path: Path) -> None:
    decisions = load_cleared(write(tmp_path, VALID))
    match = _belle_match()
    for spelling in ("Belle Technology Ltd", "BELLE TECHNOLOGIES CO., LTD.", "belle technology corp"):
        assert is_cleared(spelling, match, decisions, date(2026, 4, 1)), spelling
    assert not is_cleared("Belle Technology Trading", match, decisions, date(2026, 4, 1))


def test_a_place_noted_after_the_legal_form_is_no_other_name_to_clear(tmp_path: Path) -> None:
    # Found by a tryout (2026-12-04): a vendor master that adds "[CN]" to every name needed a
    # second decision for each. A place inside the name is a subsidiary's name: not covered.
    decisions = load_cleared(write(tmp_path, VALID))
    match = _belle_match()
    for noted in ("Belle Technology Corp [CN]", "Belle Technology Corp. (Shenzhen)", "BELLE TECHNOLOGY LTD. [China]"):
        assert is_cleared(noted, match, decisions, date(2026, 4, 1)), noted
    assert not is_cleared("Belle Technology (Shenzhen) Corp", match, decisions, date(2026, 4, 1))


def test_a_decision_on_a_name_clears_it_where_a_value_writes_it_among_others(tmp_path: Path) -> None:
    # "Acme Power dba Belle Technology Corp" matches through its part "Belle Technology Corp":
    # the decision on that name covers the match; the whole value is no other name to review.
    decisions = load_cleared(write(tmp_path, VALID))
    screener = Screener([ListEntry(EL, "EL-17", "Belle Technologies Corporation")])
    value = "Acme Power dba Belle Technology Corp"
    (match,) = screener.screen(value, date(2026, 4, 1))
    assert match.explanation["query_part"] == "Belle Technology Corp"
    assert is_cleared(value, match, decisions, date(2026, 4, 1))
    (other,) = screener.screen("Acme Power dba Belle Technology Holdings", date(2026, 4, 1))
    assert not is_cleared("Acme Power dba Belle Technology Holdings", other, decisions, date(2026, 4, 1))


def test_a_decision_resurfaces_after_its_review_date(tmp_path: Path) -> None:
    path = write(tmp_path, VALID.replace("date = 2026-03-02", "date = 2026-03-02\nreview_by = 2026-09-01"))
    (belle, _) = load_cleared(path)
    assert belle.review_by == date(2026, 9, 1)
    match = _belle_match()
    assert clearance("Belle Technology Corp", match, [belle], date(2026, 9, 1)) == (belle, None)
    decision, note = clearance("Belle Technology Corp", match, [belle], date(2026, 9, 2))
    assert decision is None
    assert note == f"cleared decision of 2026-03-02 ({path}:2) was due for review on 2026-09-01: review the match again"
    # Without review_by, a decision is due one year after it was made.
    (default, _) = load_cleared(write(tmp_path, VALID))
    assert default.review_date == date(2027, 3, 2)
    assert clearance("Belle Technology Corp", match, [default], date(2027, 3, 3))[0] is None


def test_a_decision_after_the_audit_date_or_before_the_listing_does_not_clear(tmp_path: Path) -> None:
    (belle, _) = load_cleared(write(tmp_path, VALID))  # decided 2026-03-02
    decision, note = clearance("Belle Technology Corp", _belle_match(), [belle], date(2026, 3, 1))
    assert decision is None and "dated after the audit date 2026-03-01" in note
    listed_later = _belle_match(start=date(2026, 3, 20))
    decision, note = clearance("Belle Technology Corp", listed_later, [belle], date(2026, 4, 1))
    assert decision is None and "predates the listing of 2026-03-20" in note


def test_review_date_before_the_decision_is_an_error(tmp_path: Path) -> None:
    path = write(tmp_path, VALID.replace("date = 2026-03-02", "date = 2026-03-02\nreview_by = 2026-01-01"))
    with pytest.raises(ClearedFileError, match=rf"^{path}:9: 'review_by' 2026-01-01 is before the decision date"):
        load_cleared(path)
