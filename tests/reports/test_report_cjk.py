"""A Chinese supplier name prints in report.pdf as written, not as empty boxes: the PDF embeds a
font that has its glyphs (the CSS names CJK fonts after DejaVu; Debian: fonts-noto-cjk)."""

from __future__ import annotations

import subprocess

from tests.conftest import require, require_tool, run_cli

NAME = "华为技术有限公司"


def test_a_chinese_supplier_name_is_printed_with_a_font_that_has_its_glyphs(tmp_path, isolated_db):
    fc_list = require_tool("fc-list")
    families = subprocess.run([fc_list, ":lang=zh", "family"], capture_output=True, text=True, check=True).stdout
    require(bool(families.strip()), "no font with Chinese glyphs is installed (Debian: fonts-noto-cjk)")
    inventory = tmp_path / "fleet.csv"
    inventory.write_text(f"serial,model,supplier\nC1,Antminer S21,{NAME}\n", encoding="utf-8")
    out = tmp_path / "out"
    done = run_cli("audit", str(inventory), "--out", str(out), "--as-of", "2026-11-30", "--rules",
                   "rules/entity/ENT-001.toml", "--bundled-lists-only", "--format", "pdf")
    assert done.returncode == 0, done.stderr  # Huawei: 1260H, medium
    pdf = out / "report.pdf"
    fonts = subprocess.run([require_tool("pdffonts"), str(pdf)], capture_output=True, text=True, check=True).stdout
    rows = [line.split() for line in fonts.splitlines()[2:]]
    cjk = [r for r in rows if any(k in r[0] for k in ("CJK", "WenQuanYi", "Droid-Sans-Fallback", "Noto-Sans-SC"))]
    assert cjk, fonts  # DejaVu has no Chinese glyphs: without another font they print as boxes
    assert all(r[-5] == "yes" for r in cjk), fonts  # embedded (the "emb" column)
    text = subprocess.run([require_tool("pdftotext"), str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert f"supplier “{NAME}”" in text
