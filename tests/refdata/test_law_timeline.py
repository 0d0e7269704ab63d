"""The law timeline: total duty on an ASIC miner (HTS 8543.70.9960) by origin and entry date.

Every figure below was written by hand from the corrected duty table (2026-12-01 revision),
not computed by the code under test, and covers each programme's boundary days: the day
before, the first day and the last day. Windows as the law gives them:

  MFN 2.6%, every origin but the US (US-origin goods owe no import duty).
  Section 301 List 2, China only (not Hong Kong, not Macau): +25% from 2018-08-23.
  IEEPA fentanyl, China and Hong Kong: +10% 2025-02-04, +20% 2025-03-04, +10% 2025-11-10,
    last day 2026-02-23.
  IEEPA reciprocal, China, Hong Kong and Macau: 10% 2025-04-05, 84% on 2025-04-09 only,
    125% 2025-04-10, 10% 2025-05-14, last day 2026-02-23.
  IEEPA reciprocal, every other origin: 10% 2025-04-05 → 2025-08-06, except on 2025-04-09
    MY 24%, TH 36%, ID 32%, VN 46%, KH 49% (SG 10%); from 2025-08-07 to 2026-02-23
    MY/ID/TH/KH/PH 19%, VN 20%, SG 10%.
  Section 122, every origin: 10% 2026-02-24 → 2026-07-23.

Checked through the command line users run: `auditor tariffs explain --json`.
"""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from auditor.cli import main
from conftest import require

MINER = "8543.70.9960"

TIMELINE = [
    # origin, entry date, total rate
    # --- China: Section 301 List 2
    ("CN", "2018-08-22", "0.026"),
    ("CN", "2018-08-23", "0.276"),
    ("CN", "2018-10-01", "0.276"),
    ("CN", "2025-02-03", "0.276"),
    # IEEPA fentanyl
    ("CN", "2025-02-04", "0.376"),
    ("CN", "2025-03-03", "0.376"),
    ("CN", "2025-03-04", "0.476"),
    # IEEPA reciprocal
    ("CN", "2025-04-04", "0.476"),
    ("CN", "2025-04-05", "0.576"),
    ("CN", "2025-04-08", "0.576"),
    ("CN", "2025-04-09", "1.316"),  # 2.6 + 25 + 20 + 84
    ("CN", "2025-04-10", "1.726"),  # 2.6 + 25 + 20 + 125
    ("CN", "2025-05-13", "1.726"),
    ("CN", "2025-05-14", "0.576"),
    ("CN", "2025-06-18", "0.576"),
    ("CN", "2025-11-09", "0.576"),
    ("CN", "2025-11-10", "0.476"),
    ("CN", "2026-02-23", "0.476"),
    # Section 122
    ("CN", "2026-02-24", "0.376"),
    ("CN", "2026-07-23", "0.376"),
    ("CN", "2026-07-24", "0.276"),
    ("CN", "2026-12-01", "0.276"),
    # --- Hong Kong: fentanyl and reciprocal as China, no Section 301
    ("HK", "2018-10-01", "0.026"),
    ("HK", "2025-02-03", "0.026"),
    ("HK", "2025-02-04", "0.126"),
    ("HK", "2025-03-03", "0.126"),
    ("HK", "2025-03-04", "0.226"),
    ("HK", "2025-04-04", "0.226"),
    ("HK", "2025-04-05", "0.326"),
    ("HK", "2025-04-08", "0.326"),
    ("HK", "2025-04-09", "1.066"),
    ("HK", "2025-04-10", "1.476"),
    ("HK", "2025-05-13", "1.476"),
    ("HK", "2025-05-14", "0.326"),
    ("HK", "2025-06-01", "0.326"),
    ("HK", "2025-11-09", "0.326"),
    ("HK", "2025-11-10", "0.226"),
    ("HK", "2026-02-23", "0.226"),
    ("HK", "2026-02-24", "0.126"),
    ("HK", "2026-07-23", "0.126"),
    ("HK", "2026-07-24", "0.026"),
    # --- Macau: reciprocal as China only
    ("MO", "2018-10-01", "0.026"),
    ("MO", "2025-03-04", "0.026"),
    ("MO", "2025-04-04", "0.026"),
    ("MO", "2025-04-05", "0.126"),
    ("MO", "2025-04-09", "0.866"),
    ("MO", "2025-04-10", "1.276"),
    ("MO", "2025-05-13", "1.276"),
    ("MO", "2025-05-14", "0.126"),
    ("MO", "2026-02-23", "0.126"),
    ("MO", "2026-02-24", "0.126"),
    ("MO", "2026-07-24", "0.026"),
    # --- Malaysia: baseline, one day of Annex I, assembly-country rate, Section 122
    ("MY", "2018-10-01", "0.026"),
    ("MY", "2025-04-04", "0.026"),
    ("MY", "2025-04-05", "0.126"),
    ("MY", "2025-04-08", "0.126"),
    ("MY", "2025-04-09", "0.266"),
    ("MY", "2025-04-10", "0.126"),
    ("MY", "2025-05-01", "0.126"),
    ("MY", "2025-08-06", "0.126"),
    ("MY", "2025-08-07", "0.216"),
    ("MY", "2026-02-23", "0.216"),
    ("MY", "2026-02-24", "0.126"),
    ("MY", "2026-07-23", "0.126"),
    ("MY", "2026-07-24", "0.026"),
    # --- Thailand, Indonesia, Vietnam, Cambodia, Philippines, Singapore
    ("TH", "2025-04-08", "0.126"),
    ("TH", "2025-04-09", "0.386"),
    ("TH", "2025-04-10", "0.126"),
    ("TH", "2025-08-07", "0.216"),
    ("ID", "2025-04-09", "0.346"),
    ("ID", "2025-04-10", "0.126"),
    ("ID", "2025-08-07", "0.216"),
    ("VN", "2025-04-09", "0.486"),
    ("VN", "2025-08-06", "0.126"),
    ("VN", "2025-08-07", "0.226"),
    ("VN", "2026-02-23", "0.226"),
    ("VN", "2026-02-24", "0.126"),
    ("KH", "2025-04-09", "0.516"),
    ("KH", "2025-08-07", "0.216"),
    ("KH", "2026-02-23", "0.216"),
    ("PH", "2025-04-04", "0.026"),
    ("PH", "2025-04-09", "0.126"),
    ("PH", "2025-08-06", "0.126"),
    ("PH", "2025-08-07", "0.216"),
    ("PH", "2026-02-23", "0.216"),
    ("SG", "2025-04-04", "0.026"),
    ("SG", "2025-04-05", "0.126"),
    ("SG", "2025-04-09", "0.126"),
    ("SG", "2025-08-06", "0.126"),
    ("SG", "2025-08-07", "0.126"),
    ("SG", "2026-02-23", "0.126"),
    ("SG", "2026-02-24", "0.126"),
    ("SG", "2026-07-24", "0.026"),
    # --- any other origin: the baseline applies; its later country rate is not on file
    ("DE", "2025-04-04", "0.026"),
    ("DE", "2025-04-05", "0.126"),
    ("DE", "2025-08-06", "0.126"),
    ("DE", "2026-02-24", "0.126"),
    # --- US origin owes nothing, whatever the programme in force
    ("US", "2018-10-01", "0"),
    ("US", "2025-04-09", "0"),
    ("US", "2025-06-01", "0"),
    ("US", "2026-03-01", "0"),
    ("US", "2026-12-01", "0"),
]


def explain(capsys, origin, on, *extra):
    with pytest.raises(SystemExit) as exc:
        main(["tariffs", "explain", "--origin", origin, "--hts", MINER, "--date", on, "--json", *extra])
    assert exc.value.code == 0
    return json.loads(capsys.readouterr().out)


@pytest.mark.parametrize("origin,on,total", TIMELINE, ids=[f"{o}-{d}" for o, d, _ in TIMELINE])
def test_total_rate_on_every_boundary(capsys, origin, on, total):
    doc = explain(capsys, origin, on)
    assert doc["total_rate"] == float(total), doc["components"]


def test_issue_examples_through_the_installed_command():
    """The five figures of the issue, from the `auditor` executable a user runs."""
    exe = Path(sys.executable).with_name("auditor")  # the console script of this environment
    require(exe.is_file(), f"the auditor console script is not installed beside {sys.executable}")
    for origin, on, total in [("CN", "2018-10-01", 0.276), ("MY", "2025-05-01", 0.126), ("HK", "2025-06-01", 0.326),
                              ("CN", "2025-04-09", 1.316), ("US", "2026-12-01", 0)]:
        out = subprocess.run([exe, "tariffs", "explain", "--origin", origin, "--hts", MINER, "--date", on, "--json"],
                             capture_output=True, text=True, check=True).stdout
        assert json.loads(out)["total_rate"] == total, (origin, on)


def test_hong_kong_owes_china_ieepa_but_not_section_301(capsys):
    doc = explain(capsys, "HK", "2025-06-01")
    assert [c["programme"] for c in doc["components"]] == ["MFN", "IEEPA fentanyl", "IEEPA reciprocal"]
    assert any("Hong Kong" in c["source"] for c in doc["components"][1:])


def test_us_origin_is_exempt_with_its_citation(capsys):
    doc = explain(capsys, "US", "2026-03-01")
    assert doc["components"] == []
    assert "9801.00.10" in doc["exempt"]["source"]


def test_origin_without_a_rate_on_file_says_the_total_is_incomplete(capsys):
    doc = explain(capsys, "DE", "2025-09-01")
    assert doc["total_rate"] == 0.026
    assert "not on file" in doc["incomplete"]
    assert "incomplete" not in explain(capsys, "MY", "2025-09-01")


def test_ieepa_entries_carry_the_refund_note_and_others_do_not(capsys):
    notes = {n["id"] for n in explain(capsys, "CN", "2025-06-18").get("notes", [])}
    assert {"NOTE-IEEPA-REFUND", "NOTE-IEEPA-STRUCK-DOWN"} <= notes
    # Malaysia before the baseline paid no IEEPA duty: nothing to refund.
    notes = {n["id"] for n in explain(capsys, "MY", "2025-04-04").get("notes", [])}
    assert "NOTE-IEEPA-REFUND" not in notes
    notes = {n["id"] for n in explain(capsys, "MY", "2026-03-01").get("notes", [])}
    assert "NOTE-S122-CIT" in notes and "NOTE-IEEPA-REFUND" not in notes
