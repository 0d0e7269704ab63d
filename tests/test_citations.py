"""Citations a regulator can follow: nothing shipped, and no report, cites our working notes
(FACTS.md) or a path of the development tree; every rule and reference record cites a source."""

from __future__ import annotations

import json
import re

from auditor.engine.loader import load_rules
from auditor.refdata.curated import load_curated
from auditor.refdata.tariffs import load_tariffs
from conftest import REPO, run_cli

# Our working notes and the development machine's tree: a reader of a report has neither.
FORBIDDEN = re.compile(r"FACTS\.md|shared/data/|\.\./shared|shared/FACTS|/work/(?:wt|main|shared)\b")
SHIPPED = ("rules", "auditor", "reports/templates")


def _hits(text: str, where: str) -> list[str]:
    return [f"{where}:{text.count(chr(10), 0, m.start()) + 1}: {m.group(0)}" for m in FORBIDDEN.finditer(text)]


def test_no_shipped_file_cites_working_notes_or_development_paths():
    hits, scanned = [], 0
    for top in SHIPPED:
        for path in sorted((REPO / top).rglob("*")):
            if not path.is_file() or "__pycache__" in path.parts:
                continue
            try:
                text = path.read_text(encoding="utf-8")
            except UnicodeDecodeError:
                continue  # binary assets (fonts, images)
            scanned += 1
            hits += _hits(text, str(path.relative_to(REPO)))
    assert scanned > 100  # the scan really walked the package, rules and templates
    assert hits == []


def test_the_scan_would_catch_a_citation_of_the_notes():
    assert _hits('source = "FACTS.md, tariff table"', "x") == ["x:1: FACTS.md"]
    assert _hits("a\nsee ../shared/data/lists/dod_1260h.csv", "x") == ["x:2: ../shared"]
    assert _hits("(shared/data/lists/ofac_alt_2025.csv line 3)", "x") == ["x:1: shared/data/"]
    assert _hits("/work/shared/FACTS.md", "x") == ["x:1: /work/shared", "x:1: FACTS.md"]


def test_rendered_reports_cite_no_working_notes_or_development_paths(tmp_path, isolated_db):
    out = tmp_path / "out"
    proc = run_cli("audit", "sample_inventory.csv", "--out", str(out), "--as-of", "2026-12-01",
                   "--format", "json,html,md,csv,sarif,junit", "--bundled-lists-only")
    assert proc.returncode == 1, proc.stderr
    files = sorted(p for p in out.iterdir() if p.suffix in (".json", ".html", ".md", ".csv", ".sarif", ".xml"))
    assert len(files) >= 6
    hits = [h for f in files for h in _hits(f.read_text(encoding="utf-8"), f.name)]
    assert hits == []
    for origin, day in (("CN", "2025-04-09"), ("HK", "2025-06-01"), ("US", "2026-12-01"), ("DE", "2025-09-01")):
        proc = run_cli("tariffs", "explain", "--origin", origin, "--date", day, "--json")
        assert _hits(proc.stdout, f"explain {origin} {day}") == []
        assert all(c["source"] for c in json.loads(proc.stdout)["components"])


def test_every_rule_and_reference_record_carries_a_source_and_confidence():
    for rule in load_rules([REPO / "rules"]):
        assert rule.references and all(r.title.strip() for r in rule.references), rule.id
    sched, _ = load_tariffs()
    for rec in (*sched.records, *sched.notes, *sched.exemptions):
        assert rec.source.strip() and rec.confidence in ("P", "R", "U"), rec.id
    entries, _ = load_curated()
    for e in entries:
        assert e.source.strip(), e.entity_id
