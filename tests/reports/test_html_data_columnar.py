"""report.html's embedded findings: the column-wise writer gives the bytes of the one-list-at-a-time
writer (findings_data through script_json) on inventories with markup, quotes and odd sites."""

from __future__ import annotations

from datetime import date

from auditor.formats.html_format import data_json, findings_data, script_json
from auditor.run import AuditRequest, run

from .conftest import AS_OF, HOSTILE_CSV, REPO, RULES

ODD = (
    "serial,manufacturer,model,assembly_country,site,mac,supplier,declared_value_usd,import_date\n"
    '"<b>&amp;</b>",Bitmain,Antminer S21,CN,"Site ""A""",02:00:00:00:00:01,Acme,3100.00,2025-05-01\n'
    "SN\u2028X,Bitmain,Antminer S21,CN,,02:00:00:00:00:02,Acme,1850.00,2025-05-01\n"
    ",Bitmain,Antminer S21,MY,Ünïcødé,02:00:00:00:00:03,Acme,1850.00,2024-01-01\n"
    "SN4,Bitmain,Antminer S21,HK,Site A,02:00:00:00:00:03,Acme,,\n"
)


def result_of(path, rules):
    request = AuditRequest(inventories=(str(path),), as_of=date.fromisoformat(AS_OF), rule_dirs=tuple(rules),
                           allow_missing=frozenset({"chip_vendor"}))
    return run(request).result


def test_columnar_findings_data_equals_the_row_by_row_writer(tmp_path):
    cases = [("hostile.csv", HOSTILE_CSV, RULES), ("odd.csv", ODD, RULES),
             ("odd-all-rules.csv", ODD, [REPO / "rules"])]  # every bundled rule: tariff rows carry their own evidence
    for name, text, rules in cases:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        result = result_of(path, rules)
        assert len(result.groups) > 2, name
        assert str(data_json(result)) == str(script_json(findings_data(result))), name
