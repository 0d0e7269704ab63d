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


# Rows rejected for a cell (import date, country), their suppliers screened all the same: Bank
# Melli Iran (OFAC SDN, critical) and Sophgo (the bundled list: Entity List, high), so findings on
# rejected rows fall in more than one block of the report order, after rows of other blocks.
REJECTED = (
    "serial,manufacturer,model,assembly_country,site,mac,supplier,declared_value_usd,import_date\n"
    "R1,Bitmain,Antminer S21,CN,Site A,02:00:00:00:00:01,Bank Melli Iran,3100.00,2025-05-01\n"
    "R2,Bitmain,Antminer S21,CN,Site A,02:00:00:00:00:02,Bank Melli Iran,3100.00,TBD\n"
    '"<b>R3</b>",Bitmain,Antminer S21,CN,"Site ""B""",02:00:00:00:00:03,Sophgo Technologies Ltd.,1850.00,"<i>&</i>"\n'
    "R4,Bitmain,Antminer S21,Atlanta GA,Site B,02:00:00:00:00:04,Acme,1850.00,2025-05-01\n"
    "R5,Bitmain,Antminer S21,MY,,02:00:00:00:00:05,Sophgo Technologies Ltd.,1850.00,2025-05-01\n"
)


def test_findings_on_rejected_rows_are_listed_alike_by_both_writers(tmp_path, isolated_db):
    from conftest import run_cli, shared_lists

    done = run_cli("lists", "import", shared_lists() / "ofac_sdn_2019.csv", "--retrieved", "2026-11-20",
                   in_process=True)
    assert done.returncode == 0, done.stderr
    path = tmp_path / "rejected.csv"
    path.write_text(REJECTED, encoding="utf-8")
    for rules in (RULES + [REPO / "rules" / "entity" / "ENT-001.toml"], [REPO / "rules"]):
        result = result_of(path, rules)
        data = findings_data(result)
        assert str(data_json(result)) == str(script_json(data))
        rows, strings = data["rows"], data["strings"]
        marked = [(rows[at][3], rows[at][5], strings[s]) for at, s in data["rejected"]]
        expected = "(expected YYYY-MM-DD, DD/MM/YYYY or MM/DD/YYYY)"
        assert marked == [("R2", 3, f"invalid date 'TBD' {expected}"), ("<b>R3</b>", 4, f"invalid date '<i>&</i>' {expected}")]
        # R2 second in the critical block (SDN), R3 first in the high one (Entity List): the second
        # position counts the findings of the block before it.
        assert [at for at, _ in data["rejected"]] == [1, 2]
        assert [at for at, r in enumerate(rows) if r[5] in (3, 4)] == [1, 2]  # every finding on those lines
