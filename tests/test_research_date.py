"""Every report states when its law was last researched; a later audit says the law may have changed."""

from __future__ import annotations

from conftest import read_report, run_cli

RESEARCHED = "2026-12-01"  # auditor/refdata/data/research.toml of this revision


def audit(tmp_path, as_of):
    out = tmp_path / as_of
    proc = run_cli("audit", "sample_inventory.csv", "--out", str(out), "--as-of", as_of,
                   "--format", "json,md,html", "--bundled-lists-only")
    assert proc.returncode in (0, 1), proc.stderr
    return read_report(out), out


def test_research_date_in_every_report_and_no_warning_on_that_day(tmp_path, isolated_db):
    doc, out = audit(tmp_path, RESEARCHED)
    assert doc["law_researched"] == RESEARCHED
    assert not any("may have changed" in w for w in doc["warnings"])
    assert f"Law researched as of **{RESEARCHED}**." in (out / "report.md").read_text(encoding="utf-8")
    html = (out / "report.html").read_text(encoding="utf-8")
    assert f"<dt>Law researched</dt><dd>{RESEARCHED}</dd>" in html


def test_an_audit_after_the_research_date_says_the_law_may_have_changed(tmp_path, isolated_db):
    doc, out = audit(tmp_path, "2026-12-02")
    (warning,) = [w for w in doc["warnings"] if "may have changed" in w]
    assert "as of 2026-12-02, after 2026-12-01" in warning
    assert "the law may have changed since" in (out / "report.md").read_text(encoding="utf-8")
    assert "law may have changed since" in (out / "report.html").read_text(encoding="utf-8")
