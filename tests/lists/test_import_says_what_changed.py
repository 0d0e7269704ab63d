"""`lists import` says how many entries each section has fewer (or more) than the active version.

A compliance officer imported the full OFAC sdn.csv, then its first 6,000 lines: 1,379 SDN
entries (−18.7%) went, under the 20% --max-loss, and the import said only "6000 entries". A cut
under the threshold is still imported, but never silently; the big-loss refusal is as it was.
"""

from __future__ import annotations

import json
from pathlib import Path

from auditor.refdata.importers.update import Loss, SectionChange

SDN = "Specially Designated Nationals (SDN) - Treasury Department"
EL = "Entity List (EL) - Bureau of Industry and Security"
H1260 = "DoD Section 1260H Chinese Military Companies (1260H) - Department of Defense"


def first_lines(source: Path, n: int, dest: Path) -> Path:
    """The first n lines of a real list file: a download cut short."""
    with source.open(encoding="utf-8", newline="") as f:
        dest.write_text("".join(line for _, line in zip(range(n), f)), encoding="utf-8", newline="")
    return dest


def active(run_cli, db_url) -> dict[str, dict]:
    _, out, _ = run_cli("lists", "show", "--json", "--db", db_url)
    return {v["slot"]: v for v in json.loads(out)["imported"] if v["active"]}


def test_an_sdn_file_cut_to_6000_lines_is_imported_saying_it_has_1379_entries_fewer(run_cli, db_url, shared_lists,
                                                                                    tmp_path):
    full = shared_lists / "ofac_sdn_2019.csv"
    code, _, err = run_cli("lists", "import", full, "--retrieved", "2026-11-30", "--db", db_url)
    assert code == 0, err
    cut = first_lines(full, 6000, tmp_path / "sdn.csv")
    code, out, err = run_cli("lists", "import", cut, "--retrieved", "2026-12-01", "--db", db_url)
    assert code == 0, err
    assert "6000 records read, 6000 entries" in out
    assert (f"auditor: warning: {SDN}: 1,379 entries fewer than the active version 1 (7,379 → 6,000, −18.7%), "
            "within --max-loss 20%: check that the file is complete") in err.splitlines()
    assert active(run_cli, db_url)["ofac-sdn"]["entries"] == 6000  # imported all the same

    # The full file again: the gain is said in the summary, and nothing is a warning.
    code, out, err = run_cli("lists", "import", full, "--retrieved", "2026-12-01", "--db", db_url)
    assert code == 0, err
    assert f"  {SDN}: 1,379 entries more than the active version 2 (6,000 → 7,379, +23.0%)" in out.splitlines()
    assert "fewer" not in err and "warning" not in err


def test_a_1260h_file_cut_from_227_to_191_companies_says_so(run_cli, db_url, shared_lists, tmp_path):
    full = shared_lists / "dod_1260h.csv"
    assert run_cli("lists", "import", full, "--retrieved", "2026-11-30", "--db", db_url)[0] == 0
    cut = first_lines(full, 300, tmp_path / "dod_1260h.csv")
    code, out, err = run_cli("lists", "import", cut, "--retrieved", "2026-12-01", "--db", db_url)
    assert code == 0, err
    assert "191 entries" in out
    assert f"{H1260}: 36 entries fewer than the active version 1 (227 → 191, −15.9%), within --max-loss 20%" in err


def test_only_the_csl_sections_that_changed_are_named(run_cli, db_url, shared_lists, tmp_path):
    full = shared_lists / "csl_2023-11_partial.csv"
    assert run_cli("lists", "import", full, "--retrieved", "2026-11-30", "--db", db_url)[0] == 0
    lines = full.read_text(encoding="utf-8").splitlines(keepends=True)
    el_rows = [i for i, line in enumerate(lines) if f",{EL}," in line or f',"{EL}",' in line]
    assert len(el_rows) == 919
    dropped = set(el_rows[:100])  # 100 of 919 Entity List rows: −10.9%, every other section whole
    cut = tmp_path / "consolidated.csv"
    cut.write_text("".join(line for i, line in enumerate(lines) if i not in dropped), encoding="utf-8")
    code, _, err = run_cli("lists", "import", cut, "--retrieved", "2026-12-01", "--db", db_url)
    assert code == 0, err
    said = [line for line in err.splitlines() if "than the active version" in line]
    assert said == [f"auditor: warning: {EL}: 100 entries fewer than the active version 1 (919 → 819, −10.9%), "
                    "within --max-loss 20%: check that the file is complete"]


def test_the_big_loss_refusal_is_as_before_and_names_no_second_loss(run_cli, db_url, shared_lists, tmp_path):
    full = shared_lists / "ofac_sdn_2019.csv"
    assert run_cli("lists", "import", full, "--retrieved", "2026-11-30", "--db", db_url)[0] == 0
    cut = first_lines(full, 5000, tmp_path / "sdn.csv")
    code, out, err = run_cli("lists", "import", cut, "--retrieved", "2026-12-01", "--db", db_url)
    assert code == 2 and out == ""
    assert err.splitlines() == [
        f"auditor: {cut}: read as ofac-sdn (recognised from its first lines; --format to choose)",
        f"auditor: error: import refused, nothing changed: {SDN}: 7379 → 5000 entries (−32%) against active version 1",
        f"auditor: error: {cut} loses more than 20% of a section of the active ofac-sdn list; check the file or use "
        "--force",
    ]
    assert active(run_cli, db_url)["ofac-sdn"]["id"] == 1
    code, _, err = run_cli("lists", "import", cut, "--retrieved", "2026-12-01", "--force", "--db", db_url)
    assert code == 0
    assert f"importing despite {SDN}: 7379 → 5000 entries (−32%) against active version 1" in err
    assert "entries fewer" not in err  # the forced loss is said once


def test_an_import_as_large_as_the_active_version_says_nothing_more(run_cli, db_url, shared_lists, tmp_path):
    fcc = shared_lists / "fcc_covered_list.csv"
    assert run_cli("lists", "import", fcc, "--retrieved", "2026-11-30", "--db", db_url)[0] == 0
    edited = tmp_path / "fcc.csv"
    edited.write_bytes(fcc.read_bytes() + b"\n")  # another file (SHA-256), the same entries
    code, out, err = run_cli("lists", "import", edited, "--retrieved", "2026-12-01", "--db", db_url)
    assert code == 0, err
    assert "imported" in out and "than the active version" not in out + err


def test_how_a_change_is_worded():
    assert SectionChange("SDN", 7379, 6000).describe(1) == (
        "SDN: 1,379 entries fewer than the active version 1 (7,379 → 6,000, −18.7%)")
    assert SectionChange("SDN", 7379, 7378).describe(4) == (
        "SDN: 1 entry fewer than the active version 4 (7,379 → 7,378, −<0.1%)")
    assert SectionChange("MEU", 0, 71).describe(2) == "MEU: 71 entries more than the active version 2 (0 → 71, new section)"
    assert SectionChange("EL", 919, 920).describe(2) == "EL: 1 entry more than the active version 2 (919 → 920, +0.1%)"


def test_a_loss_that_leaves_entries_never_reads_as_all_of_them():
    # A tryout (2026-12-04) read "1738 → 1 entries (−100%)": one entry is left.
    assert Loss("EL", 1738, 1).describe() == "EL: 1738 → 1 entries (−99.9%)"
    assert Loss("EL", 100_000, 1).describe() == "EL: 100000 → 1 entries (−99.9%)"
    assert Loss("EL", 2, 0).describe() == "EL: 2 → 0 entries (−100%)"
    assert Loss("SDN", 7379, 5000).describe() == "SDN: 7379 → 5000 entries (−32%)"
