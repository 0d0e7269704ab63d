"""findings.csv, byte for byte, is what Python's csv.writer writes for the findings of report.json.

The writer formats what findings share (rule, message, references, evidence) once and joins
each row itself; this holds it to the csv module on rows read back from report.json, with the
documented neutralisation, on inventories whose cells need quoting: commas, quotes, formula
triggers, markup.
"""

from __future__ import annotations

import csv
import io
import json

from auditor.formats.csv_format import COLUMNS, neutralise

from .conftest import HOSTILE_CSV, audit, report_json

QUOTING = (
    "serial,manufacturer,model,assembly_country,site,mac,supplier\n"
    '"A,1",Bitmain,Antminer S21,CN,"Site, North",02:00:00:00:00:01,Acme\n'
    '"""Q""",Bitmain,Antminer S21,CN,"He said ""hi""",02:00:00:00:00:02,Acme\n'
    "=1+1,Bitmain,Antminer S21,CN,+Site,02:00:00:00:00:03,Acme\n"
    "-5,Bitmain,Antminer S21,HK,@x,zz,Acme\n"
    '"A,1",Bitmain,Antminer S21,MY,,02:00:00:00:00:05,Acme\n'
)


def expected_csv(doc: dict, sites: dict[tuple[str, int], str]) -> bytes:
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    w.writerow(COLUMNS)
    for f in doc["findings"]:  # made whole by conftest.read_report (auditor.report_json)
        a = f["asset"]
        refs = "; ".join(r["title"] + (f" <{r['url']}>" if r.get("url") else "") for r in f["references"])
        evidence = json.dumps(f["evidence"], sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        w.writerow([f["fingerprint"], neutralise(f["rule_id"]), neutralise(f["title"]), f["kind"], f["severity"],
                    f["status"], neutralise(a["serial"] or ""), neutralise(a["key"]), neutralise(a["file"]), a["line"],
                    neutralise(sites.get((a["file"], a["line"]), "")), neutralise(f["message"]), neutralise(evidence),
                    neutralise(refs), "", "", neutralise(a.get("rejected") or "")])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def sites_of(path) -> dict[tuple[str, int], str]:
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
    return {(path.name, line): row["site"] for line, row in enumerate(rows, start=2)}


def test_findings_csv_equals_csv_writer_on_cells_needing_quotes(tmp_path):
    for name, text in (("quoting.csv", QUOTING), ("hostile.csv", HOSTILE_CSV)):
        inv = tmp_path / name
        inv.write_text(text, encoding="utf-8")
        out = audit(inv, tmp_path / f"out-{name}", "json,csv")
        got = (out / "findings.csv").read_bytes()
        assert got == expected_csv(report_json(out), sites_of(inv)), name
        assert got.count(b"\r\n") > 2
