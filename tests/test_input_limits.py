"""Every inventory reader bounds what it holds and refuses what is not a regular file; one bad value
rejects its row with file, line and column instead of failing a rule for the fleet (docs/security.md)."""

from __future__ import annotations

import json
import os

import pytest
from conftest import read_report, run_cli

HEADER = "serial,manufacturer,model,assembly_country,declared_value_usd,hts_code,import_date,quantity\n"
ROW = "S{n},Bitmain,Antminer S21,CN,3000,8471.50.0150,2025-06-01,1\n"


def audit(tmp_path, path, *extra):
    proc = run_cli("audit", str(path), "--out", str(tmp_path / "out"), "--as-of", "2026-11-26",
                   "--bundled-lists-only", "--fail-on", "never", *extra)
    assert "Traceback" not in proc.stderr and "internal error" not in proc.stderr, proc.stderr
    return proc


def report(tmp_path):
    return read_report(tmp_path / "out")


def test_a_2gb_json_document_is_refused_before_it_is_read(tmp_path):
    big = tmp_path / "fleet.json"
    with open(big, "wb") as fh:
        fh.truncate(2 * 1024**3)  # sparse: no disk, but 2 GB to a reader that reads it whole
    proc = audit(tmp_path, big)
    assert proc.returncode == 2
    assert f"{big}: a .json document is larger than 256 MiB" in proc.stderr
    assert "JSON Lines" in proc.stderr


@pytest.mark.parametrize("name", ["fleet.json", "fleet.jsonl", "fleet.csv"])
def test_a_link_to_dev_zero_is_refused_by_name(tmp_path, name):
    link = tmp_path / name
    link.symlink_to("/dev/zero")
    proc = audit(tmp_path, link)
    assert proc.returncode == 2
    assert f"{link}: cannot open: is a character device, not a regular file" in proc.stderr


@pytest.mark.parametrize("name", ["fleet.json", "fleet.jsonl", "fleet.csv"])
def test_a_fifo_is_refused_by_name_without_blocking(tmp_path, name):
    fifo = tmp_path / name
    os.mkfifo(fifo)  # opening it for reading would wait for a writer forever
    proc = audit(tmp_path, fifo)
    assert proc.returncode == 2
    assert f"{fifo}: cannot open: is a FIFO (named pipe), not a regular file" in proc.stderr


def test_a_cr_only_csv_gets_our_message_not_pythons(tmp_path):
    inv = tmp_path / "mac.csv"
    inv.write_bytes((HEADER + ROW.format(n=1) + ROW.format(n=2)).replace("\n", "\r").encode())
    proc = audit(tmp_path, inv)
    assert proc.returncode == 2
    assert f"{inv}:1: malformed CSV header: a carriage return (CR)" in proc.stderr
    assert "CR-only line breaks" in proc.stderr
    assert "universal-newline" not in proc.stderr


def test_a_100k_column_header_gives_a_short_warning(tmp_path):
    inv = tmp_path / "wide.csv"
    extra = [f"extra{i}" for i in range(100_000)]
    inv.write_text("serial,model," + ",".join(extra) + "\nS1,Antminer S21," + ",".join("x" * 100_000) + "\n")
    proc = audit(tmp_path, inv, "--rules", "rules/data_quality")
    assert proc.returncode == 0, proc.stderr[-500:]
    warning = next(ln for ln in proc.stderr.splitlines() if "ignored column" in ln)
    assert "100,000 ignored column(s)" in warning and "and 99,990 more" in warning
    assert len(warning) < 400
    assert len(report(tmp_path)["inputs"]["inventory"][0]["ignored_columns"]) == 100


def test_a_26_digit_declared_value_rejects_its_row_and_tariffs_run_for_the_rest(tmp_path):
    inv = tmp_path / "fleet.csv"
    rows = [ROW.format(n=n) for n in range(1, 6)]
    rows[2] = rows[2].replace(",3000,", ",12345678901234567890123456,")
    inv.write_text(HEADER + "".join(rows))
    proc = audit(tmp_path, inv)
    assert proc.returncode == 0, proc.stderr
    rep = report(tmp_path)
    (rej,) = rep["rejected_rows"]
    assert (os.path.basename(rej["file"]), rej["line"], rej["column"]) == ("fleet.csv", 4, "declared_value_usd")
    assert rej["reason"] == ("amount '12345678901234567890123456' is out of range "
                             "(at most 12 digits before the decimal point and 6 after)")
    assert rep["summary"]["status"] == "complete"
    tariff = [f for f in rep["findings"] if f["rule_id"].startswith("TARIFF")]
    assert {f["asset"]["serial"] for f in tariff} == {"S1", "S2", "S4", "S5"}


@pytest.mark.parametrize("value", ["²", "٣", "1e3", "99999999999"])
def test_a_quantity_that_is_not_a_plain_number_rejects_its_row(tmp_path, value):
    inv = tmp_path / "po.csv"
    inv.write_text(HEADER + ROW.format(n=1) + ROW.format(n=2).replace(",1\n", f",{value}\n"), encoding="utf-8")
    proc = audit(tmp_path, inv)
    assert proc.returncode == 0, proc.stderr
    (rej,) = report(tmp_path)["rejected_rows"]
    assert (os.path.basename(rej["file"]), rej["line"], rej["column"]) == ("po.csv", 3, "quantity")
    assert repr(value) in rej["reason"]


def test_the_same_values_in_a_json_inventory_reject_their_rows(tmp_path):
    inv = tmp_path / "fleet.jsonl"
    rigs = [{"serial": "S1", "model": "Antminer S21", "quantity": "²"},
            {"serial": "S2", "model": "Antminer S21", "declared_value_usd": 1234567890123456789012345},
            {"serial": "S3", "model": "Antminer S21"}]
    inv.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rigs) + "\n", encoding="utf-8")
    # The inventory has no origin or supplier columns: acknowledged, so the audit is complete.
    proc = audit(tmp_path, inv, *(f"--allow-missing={f}" for f in ("assembly_country", "supplier", "manufacturer",
                                                                    "chip_vendor")))
    assert proc.returncode == 0, proc.stderr
    rej = report(tmp_path)["rejected_rows"]
    assert [(r["line"], r["column"]) for r in rej] == [(1, "quantity"), (2, "declared_value_usd")]


def test_oversized_serials_are_rejected_rows_not_a_huge_report(tmp_path):
    inv = tmp_path / "fleet.csv"
    with open(inv, "w") as fh:
        fh.write("serial,model\n")
        for n in range(5000):
            fh.write(f"{n:05d}{'X' * 10_000},Antminer S21\n")  # 50 MB of serials
        fh.write("OK1,Antminer S21\n")
    proc = audit(tmp_path, inv, "--rules", "rules/data_quality", "--format", "json,html,csv,md,sarif")
    assert proc.returncode == 0, proc.stderr
    rep = report(tmp_path)
    assert rep["summary"]["rows_rejected"] == 5000 and rep["summary"]["rows_audited"] == 1
    assert rep["rejected_rows"][0]["reason"] == "value is 10,005 characters long (limit 128)"
    total = sum(p.stat().st_size for p in (tmp_path / "out").iterdir())
    assert total < 5 * 1024 * 1024, total


@pytest.mark.parametrize("kind", ["fifo", "dev-zero"])
def test_list_files_and_baselines_are_regular_files_only(tmp_path, kind):
    inv = tmp_path / "inv.csv"
    inv.write_text(HEADER + ROW.format(n=1))
    bad = tmp_path / ("csl.csv" if kind == "fifo" else "zero.csv")
    if kind == "fifo":
        os.mkfifo(bad)
        what = "is a FIFO (named pipe), not a regular file"
    else:
        bad.symlink_to("/dev/zero")
        what = "is a character device, not a regular file"
    proc = run_cli("lists", "import", str(bad), "--format", "csl-csv", "--db", f"sqlite:///{tmp_path / 'a.db'}")
    assert proc.returncode == 2, proc.stderr
    assert f"{bad}: cannot read file: {what}" in proc.stderr and "Traceback" not in proc.stderr
    proc = audit(tmp_path, inv, "--rules", "rules/data_quality", "--baseline", str(bad))
    assert proc.returncode == 2, proc.stderr
    assert f"{bad}: cannot read baseline report: {what}" in proc.stderr
