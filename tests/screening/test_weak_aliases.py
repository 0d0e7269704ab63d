"""OFAC's weak aliases (FAQ 122–124): marked in sdn.csv's Remarks, copied unmarked by the CSL.

"HUA", a weak a.k.a. of HARAKAT UL-MUJAHIDEEN (ent_num 4696), made the chip foundry "Hua
Hong Semiconductor" an SDN hit once the CSL was imported. With the SDN file imported too,
the CSL's copy is set aside, as OFAC says screening need not use it.
"""

from __future__ import annotations

import json
from datetime import date

from auditor.refdata.importers import IMPORTERS
from auditor.refdata.lists_source import screening_entries
from auditor.refdata.weak_aliases import weak_aliases
from auditor.screening import Screener
from tests.conftest import run_cli, shared_lists

AS_OF = date(2026, 1, 1)


def test_the_remarks_name_each_weak_alias_apostrophes_and_former_names_included():
    remarks = "DOB 1963; a.k.a. 'ABU-'UMAR'; f.k.a. 'ANSAR INSTITUTE'; Linked To: HAMAS; a.k.a. 'HUM'."
    assert weak_aliases(remarks) == ["ABU-'UMAR", "ANSAR INSTITUTE", "HUM"]
    assert weak_aliases("Linked To: HARAKAT UL-MUJAHIDEEN.") == []


def _entries(*files: tuple[str, str]):
    lists = shared_lists()
    return screening_entries((IMPORTERS[k].slot, IMPORTERS[k].parse(lists / f).entries) for k, f in files)


CSL = ("csl-csv", "csl_2023-11_partial.csv")
SDN = ("ofac-sdn", "ofac_sdn_2019.csv")


def test_the_csl_copy_of_a_weak_alias_is_not_screened_when_the_sdn_file_marks_it(screener):
    assert not [m for m in screener.screen("Hua Hong Semiconductor Limited", AS_OF) if m.entity_id == "4696"]
    # The entity itself is still screened by its name and strong aliases.
    assert {m.entity_id for m in screener.screen("Harakat ul-Mujahidin", AS_OF)} >= {"4696"}

    (copy,) = [e for e in _entries(CSL, SDN) if e.entity_id == "4696" and "HARAKAT UL-ANSAR" in e.aliases]
    assert "HUA" not in copy.aliases and "HUM" not in copy.aliases
    assert "weak a.k.a." in copy.remarks and "HUA; HUM" in copy.remarks  # the officer still sees them


def test_without_the_sdn_file_nothing_says_which_csl_aliases_are_weak():
    (copy,) = [e for e in _entries(CSL) if e.entity_id == "4696"]
    assert "HUA" in copy.aliases
    assert [m.entity_id for m in Screener(_entries(CSL)).screen("Hua Hong Semiconductor Limited", AS_OF)] == ["4696"]


def test_auditor_screen_with_both_files_imported_raises_no_hit_on_a_weak_alias(isolated_db):
    for name in ("csl_2023-11_partial.csv", "ofac_sdn_2019.csv"):
        done = run_cli("lists", "import", shared_lists() / name, "--retrieved", "2025-12-01")
        assert done.returncode == 0, done.stderr
    done = run_cli("screen", "Hua Hong Semiconductor Limited", "Harakat ul-Mujahidin", "--json", "--as-of", "2026-01-01")
    assert done.returncode == 1, done.stderr  # the second name matches
    results = json.loads(done.stdout)
    by_name = {r["query"]: r for r in results}
    assert by_name["Hua Hong Semiconductor Limited"]["matches"] == []
    assert "4696" in {m["entity_id"] for m in by_name["Harakat ul-Mujahidin"]["matches"]}
