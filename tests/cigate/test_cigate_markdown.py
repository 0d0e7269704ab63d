"""Markdown summary: reads well, stays under GitHub's comment limit, and inventory text cannot inject markup."""

from __future__ import annotations

from dataclasses import replace

import pytest

from auditor.formats.markdown_format import MAX_CHARS, md_escape, render
from auditor.gate import Gate

from .helpers import AS_OF, BAD_LINE_NO, PROCUREMENT, RULE_ARGS, audit_result, orig001, procurement_copy, run_cli


def test_summary_of_the_bad_procurement_list(tmp_path):
    procurement_copy(tmp_path / "procurement" / "orders.csv")
    proc = run_cli(*["audit", "procurement/orders.csv", "--as-of", AS_OF, *RULE_ARGS, "--format", "md,json,sarif",
                    "--out", "audit-report", "--fail-on", "medium"], cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr
    md = (tmp_path / "audit-report" / "report.md").read_text(encoding="utf-8")
    lines = md.splitlines()
    assert lines[0] == "## ❌ auditor: FAIL — 1 finding(s) fail the gate (exit 1)"
    assert "Gate: fails on open findings at or above medium." in md
    assert "**6** rows read, **6** audited, **0** rejected" in md
    assert "| MEDIUM | 1 | 1 | 0 |" in md
    row = f"| MEDIUM | ORIG-001 | po:PO-2026-0142/4 | procurement/orders.csv:{BAD_LINE_NO} |"
    assert any(line.startswith(row) for line in lines)
    assert lines[-1] == ("Full report: audit-report/report.md, audit-report/report.json, "
                         "audit-report/report.sarif")


def test_pass_verdict_after_the_fix(tmp_path):
    procurement_copy(tmp_path / "orders.csv", fixed=True)
    proc = run_cli(*["audit", "orders.csv", "--as-of", AS_OF, *RULE_ARGS, "--format", "md", "--out", "r",
                    "--fail-on", "medium"], cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    md = (tmp_path / "r" / "report.md").read_text(encoding="utf-8")
    assert md.startswith("## ✅ auditor: PASS — nothing fails the gate (exit 0)\n")
    assert "Findings that fail the gate" not in md


@pytest.mark.parametrize("hostile,expected", [
    ("a|b", "a\\|b"),
    ("`rm -rf`", "\\`rm -rf\\`"),
    ("<img src=x onerror=alert(1)>", "&lt;img src=x onerror=alert(1)&gt;"),
    ("[click](https://evil.example)", "\\[click\\](https\u2060://evil.example)"),  # no bare-URL autolink either
    ("![x](https://evil.example/t.png)", "\\!\\[x\\](https\u2060://evil.example/t.png)"),
    ("**bold** _it_ ~~s~~", "\\*\\*bold\\*\\* \\_it\\_ \\~\\~s\\~\\~"),
    ("line1\n# heading\r\n| x |", "line1 # heading \\| x \\|"),
    ("@security-team", "@\u2060security-team"),
    ("$x^2$", "\\$x^2\\$"),
    ("&lt;b&gt;", "&amp;lt;b&amp;gt;"),
])
def test_escape(hostile, expected):
    assert md_escape(hostile) == expected


def test_hostile_cells_in_a_real_report(tmp_path):
    csv = tmp_path / "po.csv"
    csv.write_text(
        "PO Number,Line,Supplier,Model,Country of Origin\n"
        '"PO|1</td><script>x</script>",1,"@ceo ![p](http://e/x.png)","S21 | `x` **y**",CN\n',
        encoding="utf-8",
    )
    result = audit_result(csv)
    result = replace(result, gate=Gate("medium"))
    md = render(result, tmp_path / "out")
    row = next(line for line in md.splitlines() if line.startswith("| MEDIUM | ORIG-001"))
    # Exactly the five columns of the table: no pipe from the cell splits it.
    assert row.replace("\\|", "").count("|") == 6
    assert "<script>" not in md and "</td>" not in md
    assert "po:PO\\|1&lt;/td&gt;&lt;script&gt;x&lt;/script&gt;/1" in row


def test_huge_result_is_cut_under_the_comment_limit(tmp_path):
    csv = tmp_path / "big.csv"
    long_supplier = "Supplier " + "x" * 200
    rows = [f"PO-{i:05d},{j},{long_supplier},Antminer S21 {'y' * 150},CN" for i in range(800) for j in (1, 2, 3)]
    csv.write_text("PO Number,Line,Supplier,Model,Country of Origin\n" + "\n".join(rows) + "\n", encoding="utf-8")
    result = audit_result(csv)
    result = replace(result, gate=Gate("medium"))
    md = render(result, "out")
    assert len(md) <= MAX_CHARS
    assert "### Findings that fail the gate (2400)" in md
    shown = sum(1 for line in md.splitlines() if line.startswith("| MEDIUM | ORIG-001 | po:"))
    assert 0 < shown < 2400
    assert f"… and {2400 - shown} more (see the full report)." in md
    assert md.rstrip().endswith("Full report: out/report.json")


def test_new_findings_come_first_with_a_baseline(tmp_path):
    result = audit_result(PROCUREMENT)
    finding = orig001(result)
    others = {f.fingerprint: "unchanged" for f in result.iter_findings() if f.fingerprint != finding.fingerprint}
    result = replace(result, gate=Gate("medium", new_only=True), baseline=others)  # everything but the ORIG-001 finding was there before
    md = render(result, "out")
    assert md.index("### New since the baseline (1)") < md.index("### Top rules")
    assert "| severity | findings | open | waived | new (open) |" in md
    assert "| MEDIUM | ORIG-001 | po:PO-2026-0142/4 |" in md.split("### Top rules")[0]
    result = replace(result, baseline={**others, finding.fingerprint: "unchanged"})
    md = render(result, "out")
    assert "### New since the baseline (0)" in md and "No new findings." in md
    assert md.startswith("## ✅ auditor: PASS")  # unchanged findings do not fail --fail-on-new-only


def test_markdown_and_junit_say_when_only_the_bundled_list_was_screened(tmp_path, isolated_db):
    from tests.conftest import run_cli

    inventory = tmp_path / "po.csv"
    inventory.write_text("serial,model,supplier\nSN1,Antminer S21,Acme Hosting LLC\n", encoding="utf-8")
    out = tmp_path / "out"
    done = run_cli("audit", str(inventory), "--out", str(out), "--as-of", "2026-06-01", "--rules",
                   "rules/entity/ENT-001.toml", "--format", "md,junit")
    assert done.returncode == 0, done.stderr
    md = (out / "report.md").read_text(encoding="utf-8")
    assert "> **Screening lists:** only the bundled curated list (29 entries) was screened, not the official lists" in md
    junit = (out / "report.junit.xml").read_text(encoding="utf-8")
    assert "screening: only the bundled curated list (29 entries) was screened, not the official lists" in junit
