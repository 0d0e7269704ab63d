"""The progress display: what an officer at a terminal sees, and that CI logs stay quiet."""

from __future__ import annotations

import io

import pytest

from auditor.progress import ProgressDisplay, wanted


class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


class Tty(io.StringIO):
    def isatty(self):
        return True


def test_reading_shows_rows_share_and_an_estimate_once_the_rate_means_something():
    clock, out = Clock(), io.StringIO()
    p = ProgressDisplay(out, total_bytes=100_000_000, clock=clock)
    p.reading(0, 0)
    clock.now = 10.0
    p.reading(500_000, 50_000_000)  # half the bytes in 10 s: about 10 s to go
    lines = out.getvalue().splitlines()
    assert lines[0] == "auditor: reading: 0 rows (0% of 100 MB)"
    assert lines[1] == "auditor: reading: 500,000 rows (50% of 100 MB), about 10 s left"


def test_updates_are_throttled_but_stage_changes_always_show():
    clock, out = Clock(), io.StringIO()
    p = ProgressDisplay(out, clock=clock)
    p.reading(1)
    clock.now = 0.05
    p.reading(2)  # too soon: skipped
    p.evaluating(1, 12, "DQ-001")  # a new stage: shown
    clock.now = 0.1
    p.evaluating(12, 12, "TARIFF-002")  # the last rule: shown
    p.writing(1, 2, "json")
    text = out.getvalue()
    assert "reading: 2 rows" not in text
    assert "evaluating: 1/12 rules (DQ-001)" in text
    assert "evaluating: 12/12 rules (TARIFF-002)" in text
    assert "writing: 1/2 formats (json)" in text


def test_terminal_line_is_rewritten_in_place_and_cleared():
    clock, out = Clock(), Tty()
    p = ProgressDisplay(out, clock=clock)
    p.reading(100_000)
    p.evaluating(3, 10)
    p.finish()
    raw = out.getvalue()
    assert "\n" not in raw and raw.count("\r") >= 3
    assert raw.endswith("\r")


@pytest.mark.parametrize("mode, quiet, ci, tty, expected", [
    (None, False, "", True, True),  # a person at a terminal
    (None, False, "true", True, False),  # CI with a pseudo-terminal: keep logs clean
    (None, False, "", False, False),  # piped
    (None, True, "", True, False),  # -q
    ("always", True, "true", False, True),  # --progress wins
    ("never", False, "", True, False),  # --no-progress
])
def test_when_progress_is_shown(monkeypatch, mode, quiet, ci, tty, expected):
    monkeypatch.setenv("CI", ci)
    stream = Tty() if tty else io.StringIO()
    assert wanted(mode, quiet, stream) is expected


def test_audit_shows_its_stages_when_asked_and_stays_quiet_in_logs(tmp_path):
    from tests.conftest import REPO, run_cli

    args = ["audit", str(REPO / "sample_inventory.csv"), "--as-of", "2026-11-26", "--bundled-lists-only",
            "--no-record", "--format", "json,md"]
    shown = run_cli(*args, "--out", str(tmp_path / "a"), "--progress")
    assert shown.returncode == 1, shown.stderr
    lines = [line for line in shown.stderr.splitlines() if line.startswith("auditor: evaluating: ")]
    total = int(lines[0].split("/")[1].split()[0])
    assert lines[0].startswith("auditor: evaluating: 1/") and f"evaluating: {total}/{total} rules" in lines[-1]
    assert "auditor: writing: 1/2 formats (json)" in shown.stderr
    assert "auditor: writing: 2/2 formats (md)" in shown.stderr
    # Piped (as in a CI log) without --progress, and with -q: no progress lines at all.
    for extra in ((), ("-q",)):
        quiet = run_cli(*args, "--out", str(tmp_path / f"b{len(extra)}"), *extra)
        assert "evaluating:" not in quiet.stderr and "writing:" not in quiet.stderr
    # The reports do not depend on whether progress was shown.
    assert (tmp_path / "a" / "report.json").read_bytes() == (tmp_path / "b0" / "report.json").read_bytes()


def test_expected_rows_from_the_first_lines(tmp_path):
    from auditor.progress import expected_rows

    csv_file = tmp_path / "fleet.csv"
    csv_file.write_text("serial,model\n" + "".join(f"S{i:05d},Antminer S21\n" for i in range(20_000)))
    estimate = expected_rows([str(csv_file)])
    assert estimate is not None and abs(estimate - 20_001) / 20_001 < 0.05
    assert expected_rows([str(tmp_path / "fleet.xlsx")]) is None  # not line-based text
