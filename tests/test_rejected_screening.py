"""A row rejected for some other cell is still screened against the lists (engine/rejected.py).

Found twice by people trying the product: without --strict, a row rejected for a value of
"TBD" or a bad date was not audited at all, so its supplier was never screened, and the audit
said COMPLETE, exit 0, with a sanctioned supplier in the file. Here, for every inventory format
(CSV streamed and columnar, JSON, JSON Lines, XLSX), with a real OFAC SDN entry imported from
../shared/data/lists: the listed supplier on a rejected row is a finding naming that row and
fails the gate; a clean supplier on a rejected row changes nothing; a supplier cell that is
itself the fault is not screened, and the rejection says so.
"""

from __future__ import annotations

import csv
import json

import openpyxl  # a test dependency: a missing one must fail, not skip
import pyarrow.parquet as pq
import pytest
from conftest import read_report, run_cli, shared_lists

SDN = "Specially Designated Nationals (SDN) - Treasury Department"
LISTED = "Bank Melli Iran"  # OFAC SDN ent_num 25578, "BANK MELLI IRAN" (ofac_sdn_2019.csv)
CLEAN = "Bitmain Technologies Ltd."
TOO_LONG = LISTED + " branch" * 40  # over the 256 characters a supplier cell may hold
AS_OF = "2026-12-01"
HEADER = ["serial", "model", "supplier", "import_date"]

# The columnar CSV path reads files of 8 MB and more; this makes it read a small one, and fail
# the run if it declines (so the test cannot pass on the streaming reader instead).
COLUMNAR = """
import auditor.inventory.columnar_csv as _c
_read = _c.read_columnar
def _forced(*args, **kwargs):
    kwargs["min_bytes"] = 0
    out = _read(*args, **kwargs)
    assert out is not None, "the columnar path declined the file"
    return out
_c.read_columnar = _forced
"""

FORMATS = ["csv", "columnar", "json", "jsonl", "xlsx"]


@pytest.fixture
def sdn(isolated_db):
    done = run_cli("lists", "import", shared_lists() / "ofac_sdn_2019.csv", "--retrieved", "2026-11-20")
    assert done.returncode == 0, done.stderr
    return isolated_db


def _write(tmp_path, fmt: str, rows: list[list[str]]):
    """The inventory in `fmt`: a header line or key names, then `rows` (serial, model, supplier,
    import date); the data rows are on lines 2, 3, … in every format (an XLSX sheet row, a JSON
    array element on its own line)."""
    if fmt in ("csv", "columnar"):
        path = tmp_path / "fleet.csv"
        with path.open("w", encoding="utf-8", newline="") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(HEADER)
            w.writerows(rows)
    elif fmt == "json":
        path = tmp_path / "fleet.json"
        items = [json.dumps(dict(zip(HEADER, r)), ensure_ascii=False) for r in rows]
        path.write_text("[\n" + ",\n".join(items) + "\n]\n", encoding="utf-8")  # element i on line i + 2
    elif fmt == "jsonl":
        path = tmp_path / "fleet.jsonl"
        # A first line that is a good row, so data rows are on lines 2, 3, … as in the others.
        lines = [json.dumps(dict(zip(HEADER, ["OK0", "Antminer S21", CLEAN, "2025-01-02"])))]
        lines += [json.dumps(dict(zip(HEADER, r)), ensure_ascii=False) for r in rows]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    else:
        path = tmp_path / "fleet.xlsx"
        wb = openpyxl.Workbook()
        ws = wb.active
        ws.title = "Fleet"
        ws.append(HEADER)
        for r in rows:
            ws.append(r)
        wb.save(path)
    return path


def _audit(tmp_path, fmt: str, rows: list[list[str]], *extra: str):
    path = _write(tmp_path, fmt, rows)
    out = tmp_path / "out"
    done = run_cli("audit", str(path), "--out", str(out), "--overwrite", "--as-of", AS_OF, "--no-record",
                   "--rules", "rules/entity/ENT-001.toml", "--format", "json,csv,sarif,junit,md,html,parquet", *extra,
                   prelude=COLUMNAR if fmt == "columnar" else "")
    return done, out, path


def _where(fmt: str, path, line: int) -> tuple[str, int]:
    """(file, line) a report names the row at data line `line` by."""
    return (f"{path.name}!Fleet" if fmt == "xlsx" else path.name), line


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_listed_supplier_on_a_row_rejected_for_its_date_is_a_finding_and_fails(tmp_path, sdn, fmt):
    done, out, path = _audit(tmp_path, fmt, [
        ["A1", "Antminer S21", CLEAN, "2025-01-02"],
        ["A2", "Antminer S21", LISTED, "TBD"],
    ])
    assert done.returncode == 1, done.stderr + done.stdout  # a critical finding, not COMPLETE exit 0
    doc = read_report(out)
    summary = doc["summary"]
    # The row is still rejected and counted as before.
    assert (summary["rows_read"], summary["rows_audited"], summary["rows_rejected"]) == (
        (3, 2, 1) if fmt == "jsonl" else (2, 1, 1))
    assert summary["status"] == "complete" and summary["rejected_rows_with_findings"] == 1
    assert summary["assets_with_findings"] == 0  # a rejected row is no audited asset
    file, line = _where(fmt, path, 3)
    (rejected,) = doc["rejected_rows"]
    assert (rejected["file"], rejected["line"], rejected["column"], rejected["serial"]) == (file, line, "import_date", "A2")
    assert "TBD" in rejected["reason"]
    assert rejected["parties"] == [{"field": "supplier", "value": LISTED}]

    (finding,) = doc["findings"]
    assert finding["rule_id"] == "ENT-001" and finding["severity"] == "critical" and finding["status"] == "open"
    assert finding["asset"] == {"file": file, "key": "A2", "line": line, "serial": "A2",
                                "rejected": rejected["reason"]}
    assert finding["evidence"]["value"] == LISTED and finding["evidence"]["list"] == SDN
    assert {e["entity_id"] for e in finding["evidence"]["entries"]} >= {"25578"}
    assert finding["message"].startswith(f"supplier {LISTED!r} matches 'BANK MELLI IRAN' on {SDN}")
    parties = {p["party"]: p for p in summary["screening_parties"]}
    assert parties["BANK MELLI IRAN"]["rigs"] == 1 and parties["BANK MELLI IRAN"]["rejected_rows"] == 1
    assert "1 findings (1 critical) on 0 rigs and 1 rejected row(s); status complete; exit 1" in done.stdout

    # Every other format shows it, naming the rejected row.
    with (out / "findings.csv").open(encoding="utf-8-sig", newline="") as f:
        (row,) = list(csv.DictReader(f))
    assert (row["serial"], row["file"], row["line"], row["rejected_row"]) == ("A2", file, str(line), rejected["reason"])
    sarif = json.loads((out / "report.sarif").read_text(encoding="utf-8"))
    (result,) = sarif["runs"][0]["results"]
    assert result["level"] == "error" and result["properties"]["rejectedRow"] == rejected["reason"]
    assert result["locations"][0]["physicalLocation"]["region"]["startLine"] == line
    junit = (out / "report.junit.xml").read_text(encoding="utf-8")
    assert f"{file}:{line} A2 (critical) [row rejected from the audit:" in junit
    (parquet_row,) = pq.read_table(out / "findings.parquet").to_pylist()
    assert (parquet_row["serial"], parquet_row["line"], parquet_row["rejected_row"]) == ("A2", line, rejected["reason"])
    md = (out / "report.md").read_text(encoding="utf-8")
    assert f":{line} (rejected row) |" in md and "(1 on rejected rows)" in md
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "1 rejected row</strong>" in html and f"Screened all the same: supplier “{LISTED}”" in html
    # The rule chart gives the screening rule the severity its finding was raised at.
    assert "ENT-001 (critical): 1." in html


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_clean_supplier_on_a_rejected_row_changes_nothing(tmp_path, sdn, fmt):
    done, out, _ = _audit(tmp_path, fmt, [
        ["A1", "Antminer S21", CLEAN, "2025-01-02"],
        ["A2", "Antminer S21", "Canaan Inc.", "TBD"],
    ])
    assert done.returncode == 0, done.stderr + done.stdout
    doc = read_report(out)
    assert doc["findings"] == [] and doc["summary"]["status"] == "complete"
    assert "rejected_rows_with_findings" not in doc["summary"] and "screening_parties" not in doc["summary"]
    (rejected,) = doc["rejected_rows"]
    assert rejected["parties"] == [{"field": "supplier", "value": "Canaan Inc."}]


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_supplier_cell_that_is_itself_the_fault_is_not_screened_and_said_so(tmp_path, sdn, fmt):
    done, out, path = _audit(tmp_path, fmt, [
        ["A1", "Antminer S21", CLEAN, "2025-01-02"],
        ["A2", "Antminer S21", TOO_LONG, "2025-01-02"],
        ["A3", "Antminer S21", TOO_LONG, "TBD"],
    ])
    assert done.returncode == 0, done.stderr + done.stdout  # nothing screened: no finding
    doc = read_report(out)
    assert doc["findings"] == []
    only, both = doc["rejected_rows"]
    assert only["column"] == "supplier" and "supplier" not in json.dumps(only.get("parties", []))
    assert "parties" not in only and only["serial"] == "A2"
    assert "256" in only["reason"]  # the reason names the supplier's fault
    assert "parties" not in both and "256" in both["reason"]
    if fmt not in ("json", "jsonl"):  # a JSON element is rejected at its first fault (here the supplier)
        assert "TBD" in both["reason"]


def test_under_strict_the_finding_is_reported_and_the_audit_incomplete(tmp_path, sdn):
    done, out, _ = _audit(tmp_path, "csv", [
        ["A1", "Antminer S21", CLEAN, "2025-01-02"],
        ["A2", "Antminer S21", LISTED, "TBD"],
    ], "--strict")
    assert done.returncode == 3, done.stderr
    doc = read_report(out)
    assert doc["summary"]["status"] == "incomplete"
    (finding,) = doc["findings"]
    assert finding["asset"]["key"] == "A2" and finding["severity"] == "critical"


def test_a_rejected_row_is_cleared_like_an_audited_one(tmp_path, sdn):
    """The same cleared-decisions file clears the match on a rejected row (one decision, one
    cleared match counting both rows), and the gate passes."""
    cleared = tmp_path / "cleared.toml"
    cleared.write_text(f'''[[cleared]]
name = "{LISTED}"
list = "{SDN}"
entity_id = "25578"
reviewer = "A. Officer"
justification = "Checked: a namesake, not the Iranian bank (test decision)."
date = 2026-11-15

[[cleared]]
name = "{LISTED}"
list = "{SDN}"
entity_id = "25420"
reviewer = "A. Officer"
justification = "Checked: not Melli Bank plc either (test decision)."
date = 2026-11-15
''', encoding="utf-8")
    done, out, _ = _audit(tmp_path, "csv", [
        ["A1", "Antminer S21", LISTED, "2025-01-02"],
        ["A2", "Antminer S21", LISTED, "TBD"],
    ], "--cleared", str(cleared))
    assert done.returncode == 0, done.stderr + done.stdout
    summary = read_report(out)["summary"]
    assert read_report(out)["findings"] == []
    assert sorted((c["entity_id"], c["rigs"]) for c in summary["cleared_matches"]) == [("25420", 2), ("25578", 2)]
    assert "matched no finding" not in done.stderr


def test_json_a_bad_supplier_after_the_first_fault_is_named_and_not_screened(tmp_path, sdn):
    """A JSON element is rejected at its first fault; a party value that is at fault too, later in
    the element, is not screened, and the reason adds it."""
    path = tmp_path / "fleet.jsonl"
    path.write_text(json.dumps({"serial": "A0", "model": "Antminer S21", "supplier": CLEAN}) + "\n"
                    + json.dumps({"serial": "A1", "model": "Antminer S21", "import_date": "TBD", "supplier": TOO_LONG})
                    + "\n" + json.dumps({"serial": "A2", "model": "Antminer S21", "import_date": "TBD",
                                         "manufacturer": 7, "supplier": LISTED}) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    done = run_cli("audit", str(path), "--out", str(out), "--as-of", AS_OF, "--no-record",
                   "--rules", "rules/entity/ENT-001.toml", "--format", "json")
    assert done.returncode == 1, done.stderr + done.stdout  # A2's supplier is still screened
    doc = read_report(out)
    first, second = doc["rejected_rows"]
    assert first["column"] == "import_date" and "parties" not in first
    assert "TBD" in first["reason"] and "supplier: value is 295 characters long (limit 256) (not screened)" in first["reason"]
    assert second["parties"] == [{"field": "supplier", "value": LISTED}]
    assert "manufacturer: the number 7 where a string is expected (not screened)" in second["reason"]
    (finding,) = doc["findings"]
    assert finding["asset"]["line"] == 3 and finding["asset"]["serial"] == "A2"


def test_a_rejected_row_meets_the_screening_rules_only(tmp_path, sdn):
    """With every bundled rule: the rejected row (its model missing) has the screening finding and
    no other (no data-quality, origin, tariff or firmware verdict on cells that were not read),
    and it is no asset of the summary or the tariff figures."""
    path = tmp_path / "fleet.csv"
    path.write_text("serial,model,supplier,assembly_country,declared_value_usd\n"
                    f"A1,Antminer S21,{CLEAN},CN,3000\n"
                    f"A2,,{LISTED},CN,3000\n", encoding="utf-8")
    out = tmp_path / "out"
    done = run_cli("audit", str(path), "--out", str(out), "--as-of", AS_OF, "--no-record", "--format", "json")
    assert done.returncode == 1, done.stderr + done.stdout
    doc = read_report(out)
    on_rejected = [f for f in doc["findings"] if f["asset"]["line"] == 3]
    assert [f["rule_id"] for f in on_rejected] == ["ENT-001"]
    assert on_rejected[0]["asset"]["rejected"] == "model is empty (required)"
    assert doc["summary"]["assets"] == 1 and doc["summary"]["rejected_rows_with_findings"] == 1
    assert doc["tariff_exposure"]["rigs_estimated"] + sum(doc["tariff_exposure"]["not_estimated"].values()) <= 1


def test_the_history_records_the_finding_and_not_the_rejected_row_as_a_rig(tmp_path, sdn):
    done, out, path = _audit(tmp_path, "csv", [
        ["A1", "Antminer S21", CLEAN, "2025-01-02"],
        ["A2", "Antminer S21", LISTED, "TBD"],
    ])
    assert done.returncode == 1, done.stderr
    recorded = run_cli("audit", str(path), "--out", str(tmp_path / "rec"), "--as-of", AS_OF,
                       "--rules", "rules/entity/ENT-001.toml", "--format", "json")
    assert recorded.returncode == 1, recorded.stderr
    (run,) = json.loads(run_cli("history", "--json").stdout)["runs"]
    assert (run["assets"], run["findings"]) == (1, 1)


def test_sarif_never_folds_a_rejected_row_finding_into_the_audited_rigs(tmp_path, sdn):
    """Over its result budget SARIF folds the findings of one (rule, file, reason) into one
    result; the listed supplier on a rejected row stays a result of its own, saying so."""
    rows = [[f"A{i}", "Antminer S19", LISTED, "2025-01-02"] for i in range(1, 5)]
    rows.append(["A9", "Antminer S19", LISTED, "TBD"])  # line 6: rejected for its date
    path = _write(tmp_path, "csv", rows)
    out = tmp_path / "out"
    # A budget of one result: both units (four audited rigs, one rejected row) are folded.
    prelude = "import auditor.formats.sarif_format as _s\n_s.MAX_RESULTS = 1\n"
    done = run_cli("audit", str(path), "--out", str(out), "--overwrite", "--as-of", AS_OF, "--no-record",
                   "--rules", "rules/entity/ENT-001.toml", "--format", "sarif", prelude=prelude)
    assert done.returncode == 1, done.stderr
    results = json.loads((out / "report.sarif").read_text(encoding="utf-8"))["runs"][0]["results"]
    by_count = {r["properties"]["aggregated"]["count"]: r for r in results}
    assert sorted(by_count) == [1, 4], [r["message"]["text"] for r in results]
    audited, rejected = by_count[4], by_count[1]
    assert audited["message"]["text"].startswith("4 rigs: ") and "rejectedRows" not in audited["properties"]
    assert rejected["message"]["text"].startswith("1 rows rejected from the audit, their party names screened")
    assert rejected["properties"]["rejectedRows"] == 1
    assert rejected["locations"][0]["physicalLocation"]["region"]["startLine"] == 6
    assert audited["partialFingerprints"] != rejected["partialFingerprints"]
