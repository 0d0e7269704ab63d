"""Issue 11's acceptance cases, through the `auditor audit` command a compliance officer runs."""

from __future__ import annotations

from conftest import read_report, run_cli

INVENTORY = (
    "serial,model,manufacturer,supplier,assembly_country,import_date,declared_value_usd\n"
    "R1,Antminer S21,Bitmain,Example Hashboard Assembly Ltd.,MY,2025-05-01,3000\n"
    "R2,Antminer S21,Bitmain,BITRIVER RUS,US,2025-05-01,3000\n"
    "R3,Antminer S21,Bitmain,Acme Hosting LLC,US,2025-05-01,3000\n"
)
OWNERSHIP = """
[[ownership]]
owner = "Sophgo Technologies Ltd."
owned = "Example Hashboard Assembly Ltd."
share = 60
source = "officer's ownership research, 2026-11 (test record)"
"""


def audit(tmp_path, as_of):
    (tmp_path / "inv.csv").write_text(INVENTORY, encoding="utf-8")
    (tmp_path / "own.toml").write_text(OWNERSHIP, encoding="utf-8")
    out = tmp_path / f"out-{as_of}"
    proc = run_cli("audit", str(tmp_path / "inv.csv"), "--out", str(out), "--as-of", as_of, "--format", "json",
                   "--bundled-lists-only", "--ownership", str(tmp_path / "own.toml"))
    assert proc.returncode == 1, proc.stderr
    doc = read_report(out)
    return {(f["rule_id"], f["asset"]["serial"]): f for f in doc["findings"]}


def test_affiliate_of_an_entity_list_party_is_high_once_the_rule_is_in_force_again(tmp_path, isolated_db):
    f = audit(tmp_path, "2026-12-01")[("ENT-002", "R1")]
    assert f["severity"] == "high"
    assert "60% owned by parties on Entity List" in f["message"]
    assert "no extension of the suspension was found as of the research date (2026-12-01)" in f["message"]
    # During the suspension the same ownership is only a note.
    assert audit(tmp_path, "2026-11-09")[("ENT-002", "R1")]["severity"] == "info"


def test_sdn_match_of_an_inventory_name_is_critical_and_us_origin_owes_no_duty(tmp_path, isolated_db):
    found = audit(tmp_path, "2026-12-01")
    sdn = found[("ENT-001", "R2")]
    assert sdn["severity"] == "critical" and "dealings are prohibited" in sdn["message"]
    # US origin: no tariff finding on R2/R3 (the same exemption `auditor tariffs explain` applies).
    assert not [k for k in found if k[0].startswith("TARIFF") and k[1] in ("R2", "R3")]
    # Malaysia 2025-05-01: 2.6% + the 10% reciprocal baseline, and a refund of the IEEPA part may be owed.
    ieepa = found[("TARIFF-002", "R1")]
    assert ieepa["evidence"]["total_rate"] == 0.126 and "refund" in ieepa["message"]
