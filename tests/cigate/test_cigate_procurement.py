"""Purchase-order lines in the CSV reader: PO number + line as the asset key, quantity, unit
price, ship-from country (not an origin claim), expected import date."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from auditor.inventory import read_inventories
from auditor.inventory.aliases import ALIASES, canonical_column
from auditor.model import CANONICAL_COLUMNS

from .helpers import PROCUREMENT, audit_result


def test_every_alias_names_one_canonical_column():
    seen: dict[str, str] = {}
    for column, aliases in ALIASES.items():
        assert column in CANONICAL_COLUMNS
        for alias in aliases:
            assert alias not in seen, f"{alias!r} means both {seen[alias]!r} and {column!r}"
            seen[alias] = column


@pytest.mark.parametrize("header,column", [
    ("PO Number", "po_number"), ("PO #", "po_number"), ("Purchase Order No.", "po_number"),
    ("Line", "po_line"), ("PO Line", "po_line"), ("Line Item", "po_line"),
    ("Qty", "quantity"), ("Qty Ordered", "quantity"),
    ("Unit Price (USD)", "unit_price_usd"), ("Unit Cost", "unit_price_usd"),
    ("Ship From", "ship_from_country"), ("Country of Export", "ship_from_country"),
    ("Country of Origin", "assembly_country"),  # origin is a claim about assembly, not shipping
    ("Expected Import Date", "import_date"), ("Vendor", "supplier"), ("Chip Vendor", "chip_vendor"),
])
def test_procurement_headers(header, column):
    assert canonical_column(header) == column


def test_fixture_rows_are_read_with_types_and_po_keys():
    table, (source,), rejected, warnings = read_inventories([str(PROCUREMENT)])
    assert (source.rows_read, source.rows_audited, source.rows_rejected) == (6, 6, 0)
    assert rejected == [] and warnings == []
    assert [table.asset_key(i) for i in range(len(table))] == [
        "po:PO-2026-0142/1", "po:PO-2026-0142/2", "po:PO-2026-0142/3", "po:PO-2026-0142/4",
        "po:PO-2026-0143/1", "po:PO-2026-0143/2",
    ]
    row = table.row(0)
    assert row["serial"] is None
    assert row["quantity"] == 40
    assert row["unit_price_usd"] == Decimal("5200.00")  # "5,200.00" in the file
    assert row["ship_from_country"] == "MY"
    assert row["import_date"] == date(2027, 1, 15)
    bad = table.row(3)
    assert (bad["ship_from_country"], bad["assembly_country"]) == ("HK", "CN")
    assert list(table.lines) == [2, 3, 4, 5, 6, 7]


def test_shipping_from_hong_kong_is_not_an_origin_claim(tmp_path):
    csv = tmp_path / "po.csv"
    csv.write_text("PO Number,Line,Model,Ship From,Country of Origin\nPO-9,1,Antminer S21,HK,MY\n", encoding="utf-8")
    result = audit_result(csv)
    assert [f.rule_id for f in result.iter_findings() if f.rule_id == "ORIG-001"] == []


def test_bad_procurement_cells_are_rejected_with_line_and_column(tmp_path):
    csv = tmp_path / "po.csv"
    csv.write_text(
        "PO Number,Line,Model,Qty,Unit Price,Ship From\n"
        "PO-1,1,Antminer S21,0,100,MY\n"
        "PO-1,2,Antminer S21,5,ten dollars,MY\n"
        "PO-1,3,Antminer S21,5,100,Atlantis\n"
        "PO-1,x,Antminer S21,5,100,MY\n"
        "PO-1,5,Antminer S21,5,100,MY\n",
        encoding="utf-8",
    )
    _, (source,), rejected, _ = read_inventories([str(csv)])
    assert source.rows_read == 5 and source.rows_audited == 1
    assert [(r.line, r.column) for r in rejected] == [
        (2, "quantity"), (3, "unit_price_usd"), (4, "ship_from_country"), (5, "po_line"),
    ]
    assert "unknown country 'Atlantis'" in rejected[2].reason


def test_po_list_without_line_numbers_warns_about_shared_keys(tmp_path):
    csv = tmp_path / "po.csv"
    csv.write_text("PO Number,Model\nPO-1,Antminer S21\nPO-1,Antminer S19\n", encoding="utf-8")
    table, _, _, warnings = read_inventories([str(csv)])
    assert table.asset_key(0) == table.asset_key(1) == "po:PO-1"
    assert any("no serial and no PO line column" in w for w in warnings)


def test_missing_serial_is_a_finding_only_once_the_line_is_imported(tmp_path):
    csv = tmp_path / "po.csv"
    csv.write_text(
        "PO Number,Line,Model,Expected Import Date\n"
        "PO-1,1,Antminer S21,2026-12-01\n"  # not delivered on the audit date: no serial yet is normal
        "PO-1,2,Antminer S21,2026-11-01\n",  # imported: the rig should have a recorded serial
        encoding="utf-8",
    )
    result = audit_result(csv)  # as of 2026-11-26
    assert [(f.rule_id, f.line) for f in result.iter_findings() if f.rule_id == "DQ-001"] == [("DQ-001", 3)]
