"""Reports group screening findings by listed party before the per-rig rows."""

from __future__ import annotations

import json
import re
import subprocess

from conftest import read_report, require_tool, shared_lists
from markupsafe import escape

from tests.conftest import run_cli

EL = "Entity List (EL) - Bureau of Industry and Security"

INVENTORY = (
    "serial,model,manufacturer,chip_vendor,supplier\n"
    "SN1,Antminer S21,Bitmain,Sophgo,Sophgo Technologies Ltd.\n"
    "SN2,Antminer S21,Bitmain,Sophgo,SOPHGO TECHNOLOGIES PTE. LTD\n"
    "SN3,Antminer S21,Bitmain,,BitRiver UK\n"
    "SN4,Antminer S21,Bitmain,,Acme Hosting LLC\n"
)


def test_parties_with_lists_effects_values_and_rigs_in_every_report(tmp_path, isolated_db):
    inventory = tmp_path / "fleet.csv"
    inventory.write_text(INVENTORY, encoding="utf-8")
    out = tmp_path / "out"
    done = run_cli("audit", str(inventory), "--out", str(out), "--as-of", "2026-06-01", "--rules",
                   "rules/entity/ENT-001.toml", "--bundled-lists-only", "--format", "json,html,md,pdf")
    assert done.returncode == 1, done.stderr
    parties = read_report(out)["summary"]["screening_parties"]
    by_name = {p["party"]: p for p in parties}
    sophgo = by_name["Sophgo Technologies Ltd."]
    # Rigs SN1 and SN2 (supplier) carry it, SN1 and SN2 again by chip vendor: two rigs.
    assert sophgo["rigs"] == 2
    assert sophgo["lists"] == ["Entity List (EL) - Bureau of Industry and Security"]
    assert {(m["field"], m["value"]) for m in sophgo["matched"]} >= {
        ("supplier", "Sophgo Technologies Ltd."), ("supplier", "SOPHGO TECHNOLOGIES PTE. LTD"), ("chip_vendor", "Sophgo")}
    assert any("licence" in e for e in sophgo["legal_effects"])
    # Two Entity List entries (China and Singapore) whose names normalise alike are two parties.
    singapore = by_name["Sophgo Technologies Pte. Ltd."]
    assert sophgo["entity_ids"] == [f"{EL}#curated:el:sophgo-technologies-ltd"]
    assert singapore["entity_ids"] == [f"{EL}#curated:el:sophgo-technologies-pte-ltd"]
    bitriver = by_name["BitRiver"]
    assert bitriver["rigs"] == 1 and bitriver["severity"] == "critical"
    assert "Acme Hosting" not in json.dumps(parties)
    summary = read_report(out)["summary"]
    assert summary["screening_party_rigs"] == 3  # SN1-SN3, each counted once
    # Most severe first: the sanctioned party (one rig) before the export-controlled one (two).
    ranks = ["critical", "high", "medium", "low", "info"]
    assert [ranks.index(p["severity"]) for p in parties] == sorted(ranks.index(p["severity"]) for p in parties)
    assert [p["party"] for p in parties].index("BitRiver") < [p["party"] for p in parties].index(sophgo["party"])

    html = (out / "report.html").read_text(encoding="utf-8")
    heading = f"Listed parties matched: {len(parties)} parties, 3 rigs"
    # Who the findings point at comes first: right after "Needs action", before the summary,
    # the charts and any per-rig row, and the navigation bar links to it.
    assert heading in html
    assert html.index('<section id="actions"') < html.index(heading) < html.index('<section id="summary"')
    assert html.index(heading) < html.index("<h3>Findings by rule</h3>")
    nav = html[html.index('<nav class="toc"'):html.index("</nav>")]
    assert '<a href="#parties">Listed parties</a>' in nav
    md = (out / "report.md").read_text(encoding="utf-8")
    assert f"### {heading}" in md
    # A value that matched another of the party's names says which, as HTML and PDF do: no
    # value seems listed twice.
    row = next(line for line in md.splitlines() if line.startswith("| MC BITRIVER, LLC |"))
    assert "supplier BitRiver UK (as UK BITRIVER, LLC, score 1.00)" in row

    # The PDF's table of contents lists the parties, before the executive summary.
    pdftotext = require_tool("pdftotext")
    text = subprocess.run([pdftotext, "-layout", str(out / "report.pdf"), "-"], capture_output=True, text=True,
                          check=True).stdout
    pages = text.split("\f")
    toc = next(i for i, page in enumerate(pages) if "Needs action (cover)" in page)
    assert pages[toc].index("Listed parties matched ") < pages[toc].index("Executive summary ")
    # The parties table itself comes before the executive summary's own page.
    parties_page = next(i for i, page in enumerate(pages) if heading in page)
    summary_page = next(i for i, page in enumerate(pages) if re.search(r"(?m)^\s*Executive summary\s*$", page))
    assert toc <= parties_page < summary_page


def test_a_party_is_one_listed_entry_never_two_of_the_same_list(tmp_path, isolated_db):
    """The real Consolidated Screening List: the Entity List has "Rosneft Trade Limited" (Cyprus)
    and "Rosneft Trading S.A." (Switzerland), the SSI list both again under their own ids. Each
    company is one party on two lists; the two companies stay apart."""
    lists = shared_lists()
    done = run_cli("lists", "import", lists / "csl_2023-11_partial.csv", "--retrieved", "2023-11-30")
    assert done.returncode == 0, done.stderr
    inventory = tmp_path / "po.csv"
    inventory.write_text("serial,model,supplier\nR1,Antminer S21,Rosneft Trade Limited\n"
                         "R2,Antminer S21,ROSNEFT TRADING S.A.\n", encoding="utf-8")
    out = tmp_path / "out"
    done = run_cli("audit", str(inventory), "--out", str(out), "--as-of", "2023-12-01", "--rules",
                   "rules/entity/ENT-001.toml", "--no-bundled-list", "--format", "json,md")
    assert done.returncode == 1, done.stderr
    parties = read_report(out)["summary"]["screening_parties"]
    ids = {p["party"]: p["entity_ids"] for p in parties}
    ssi = "Sectoral Sanctions Identifications List (SSI) - Treasury Department"
    assert ids["Rosneft Trade Limited"] == [f"{EL}#1a73623e806d1e61b69e1442b67054539e0ba6c3ccf4f54fc6a623ae",
                                            f"{ssi}#18300"]
    assert ids["Rosneft Trading S.A."] == [f"{EL}#5e68321c5ca68b0f65a8347030075f1ea4ea3dea49f1a626f5017dfa",
                                           f"{ssi}#18299"]
    for party in parties:  # never two entries of one list in a party
        on = [i.rsplit("#", 1)[0] for i in party["entity_ids"]]
        assert len(on) == len(set(on)), party
    md = (out / "report.md").read_text(encoding="utf-8")
    assert f"### Listed parties matched: {len(parties)} parties, 2 rigs" in md


SSI = "Sectoral Sanctions Identifications List (SSI) - Treasury Department"
SDN = "Specially Designated Nationals (SDN) - Treasury Department"


def test_needs_action_counts_a_party_s_rigs_as_the_party_table_does_and_ofac_ids_join_lists(tmp_path, isolated_db):
    """The tryout's fleet against the real CSL and OFAC alt.csv: "Qingdao Sophgo" was 1 rig under
    "Needs action" (only where it was the finding's top entry) and 3 in the party table; Sberbank,
    OFAC entity 17018 on the SDN list (alt.csv) and on the SSI list, was two parties."""
    lists = shared_lists()
    for name in ("csl_2023-11_partial.csv", "ofac_alt_2025.csv"):
        done = run_cli("lists", "import", lists / name, "--retrieved", "2026-05-20")
        assert done.returncode == 0, done.stderr
    inventory = tmp_path / "fleet.csv"
    inventory.write_text(
        "Serial Number,Miner Model,Chip Vendor,Supplier\n"
        "T1001,Antminer S21,Bitmain,SOPHGO TECHNOLOGIES LTD.\n"
        "T1002,Antminer S21,Sophgo,Sophgo Technologies Pte. Ltd\n"
        "T1003,Antminer S21,Sophgo Technologies Ltd,Sophgo Tech\n"
        "T1006,Antminer S19,Bitmain,Sberbank of Russia\n", encoding="utf-8")
    out = tmp_path / "out"
    done = run_cli("audit", str(inventory), "--out", str(out), "--as-of", "2026-06-01", "--rules",
                   "rules/entity/ENT-001.toml", "--format", "json,html")
    assert done.returncode == 1, done.stderr
    report = read_report(out)
    parties = report["summary"]["screening_parties"]
    actions = {a["subject"]: a for a in report["actions"] if a["rule_id"] == "ENT-001"}
    for party in parties:  # one definition of "rigs affected", in both places
        action = actions[f"{party['party']} ({'; '.join(party['lists'])})"]
        assert (action["rigs"], action["severity"]) == (party["rigs"], party["severity"]), party["party"]
    assert len(actions) == len(parties)
    qingdao = next(p for p in parties if p["party"] == "Qingdao Sophgo")
    assert qingdao["rigs"] == 3

    sberbank = [p for p in parties if f"{SSI}#17018" in p["entity_ids"] or f"{SDN}#17018" in p["entity_ids"]]
    assert len(sberbank) == 1, sberbank
    assert {f"{SSI}#17018", f"{SDN}#17018"} <= set(sberbank[0]["entity_ids"])
    assert sberbank[0]["lists"] == [SSI, SDN] and sberbank[0]["severity"] == "critical"
    assert any("Sectoral sanctions" in e for e in sberbank[0]["legal_effects"])
    assert any("property is blocked" in e for e in sberbank[0]["legal_effects"])
    html = (out / "report.html").read_text(encoding="utf-8")
    row = next(r for r in html.split("<tr>") if r.startswith(f"<td>{sberbank[0]['party']}</td>"))
    assert SSI in row and SDN in row and "Sectoral sanctions" in row


def test_ids_join_lists_of_one_authority_only():
    """OFAC numbers its lists' entities with one sequence; another authority's id that happens
    to be the same number is another party."""
    from auditor.engine.checks.screen import same_party

    def entry(lst: str, eid: str, name: str) -> dict:
        return {"list": lst, "entity_id": eid, "listed_name": name}

    parties = same_party([entry(SDN, "17018", "SBERBANK ROSSII"),
                          entry(SSI, "17018", "PUBLIC JOINT STOCK COMPANY SBERBANK OF RUSSIA"),
                          entry(EL, "17018", "Shanghai Example Trading Co."),
                          entry(SSI, "18715", "JOINT STOCK COMPANY SBERBANK")])
    assert sorted(sorted((e["list"], e["entity_id"]) for e in p) for p in parties) == [
        [(EL, "17018")], [(SSI, "17018"), (SDN, "17018")], [(SSI, "18715")]]


def _own_entries(finding_entries: list[dict], party: dict) -> list[dict]:
    """The evidence entries of a finding that are this party's (its "list#id" keys)."""
    return [e for e in finding_entries if f"{e['list']}#{e['entity_id']}" in party["entity_ids"]]


def test_each_party_of_one_supplier_quotes_its_own_entry_and_score(tmp_path, isolated_db):
    """The officer's tryout: every shared list imported and one rig from "Sberbank of Russia".
    The supplier matches the bank and a dozen of its listed subsidiaries; every "Needs action"
    line said "matches 'SBERBANK ROSSII' … (score 1.00)", whichever party it was about. Each
    party's line, and its row in the per-party table, quotes that party's own listed name (or the
    alias that matched) with the score of that match."""
    lists = shared_lists()
    for name in ("csl_2023-11_partial.csv", "ofac_sdn_2019.csv", "ofac_alt_2025.csv", "dod_1260h.csv",
                 "fcc_covered_list.csv"):
        done = run_cli("lists", "import", lists / name, "--retrieved", "2026-05-20")
        assert done.returncode == 0, done.stderr
    inventory = tmp_path / "po.csv"
    inventory.write_text("serial,model,supplier\nS1,Antminer S21,Sberbank of Russia\n", encoding="utf-8")
    out = tmp_path / "out"
    done = run_cli("audit", str(inventory), "--out", str(out), "--as-of", "2026-06-01", "--rules",
                   "rules/entity/ENT-001.toml", "--format", "json,html,md")
    assert done.returncode == 1, done.stderr
    report = read_report(out)
    (finding,) = report["findings"]
    entries = finding["evidence"]["entries"]
    parties = report["summary"]["screening_parties"]
    assert len(parties) > 1 and report["summary"]["screening_party_rigs"] == 1
    actions = {a["subject"]: a for a in report["actions"] if a["rule_id"] == "ENT-001"}
    assert len(actions) == len(parties)
    # No two parties share an example: each is said of the party's own entry.
    assert len({a["example"] for a in actions.values()}) == len(actions)
    html = (out / "report.html").read_text(encoding="utf-8")
    md = (out / "report.md").read_text(encoding="utf-8")
    for party in parties:
        own = _own_entries(entries, party)
        assert own, party["party"]
        example = actions[f"{party['party']} ({'; '.join(party['lists'])})"]["example"]
        # The first of the party's entries (most severe list, best score) speaks for it.
        top = own[0]
        assert example.startswith(f"supplier 'Sberbank of Russia' matches {top['listed_name']!r} on {top['list']} "
                                  f"(score {top['score']:.2f}): "), (party["party"], example)
        assert "more listed entr" not in example
        # The table's matched value: the name or alias of THIS party's entry it matched, with its score.
        (matched,) = party["matched"]
        assert (matched["field"], matched["value"]) == ("supplier", "Sberbank of Russia")
        assert any(matched["matched_name"] == e["matched_name"] and matched["score"] == e["score"] for e in own)
        shown = f"score {matched['score']:.2f})"
        row = next(r for r in html.split("<tr>") if r.startswith(f"<td>{party['party']}</td>"))
        assert shown in row and (matched["matched_name"] == party["party"] or f"as “{matched['matched_name']}”" in row)
        md_row = next(line for line in md.splitlines() if line.startswith(f"| {party['party']} |"))
        assert shown in md_row
    # The parties' own names are in the HTML's "Needs action" examples, not one party's name twelve times.
    needs_action = html[html.index('<section id="actions"'):html.index('<section id="parties"')]
    shown = report["actions"][:10]  # the first screen shows ten; all are in report.json
    assert needs_action.count('<span class="example">') == len(shown)
    for action in shown:
        assert f'<span class="example">{escape(action["example"])}</span>' in needs_action
    assert needs_action.count("matches &#39;SBERBANK ROSSII&#39;") <= 1
    assert f"Listed parties matched: {len(parties)} parties, 1 rig<" in html


SCOPED_RULE = '''id = "ENT-901"
title = "Site B suppliers match a screening-list entry"
severity = "high"
kind = "entity"
check = "screen"
confidence = "P"
version = 1
message = "{field} {value!r} matches {listed_name!r} on {list} (score {score}){more}: {legal_effect}"
references = [{ title = "Consolidated Screening List", url = "https://www.trade.gov/consolidated-screening-list" }]

[effective]
undated = "each list entry carries its own listing dates"

[scope]
field = "site"
eq = "Site B"

[screen]
fields = ["supplier"]
'''


def test_the_heading_counts_distinct_parties_and_rigs_across_screen_rules_and_scopes(tmp_path, isolated_db):
    """Two screen rules (the bundled one and a team's own rule for Site B's suppliers) match the
    same parties: the heading counts each listed party and each rig once ("7 parties, 6 rigs" was
    reported for three suppliers), and a rule's party counts only the rigs inside its scope."""
    rule = tmp_path / "ENT-901.toml"
    rule.write_text(SCOPED_RULE, encoding="utf-8")
    inventory = tmp_path / "fleet.csv"
    inventory.write_text("serial,model,site,supplier\n"
                         "A1,Antminer S21,Site A,Sophgo Technologies Ltd.\n"
                         "B1,Antminer S21,Site B,Sophgo Technologies Ltd.\n"
                         "B2,Antminer S21,Site B,BitRiver\n"
                         "C1,Antminer S21,Site A,Acme Hosting LLC\n", encoding="utf-8")
    out = tmp_path / "out"
    done = run_cli("audit", str(inventory), "--out", str(out), "--as-of", "2026-06-01", "--rules",
                   "rules/entity/ENT-001.toml", "--rules", str(rule), "--bundled-lists-only", "--format", "json,html,md")
    assert done.returncode == 1, done.stderr
    report = read_report(out)
    summary = report["summary"]
    parties = summary["screening_parties"]
    by_rule: dict[str, dict[str, dict]] = {}
    for p in parties:
        by_rule.setdefault(p["rule_id"], {})[p["party"]] = p
    # Site B's rule matched the same listed parties as ENT-001, on fewer rigs.
    assert set(by_rule["ENT-901"]) <= set(by_rule["ENT-001"]) and by_rule["ENT-901"]
    assert by_rule["ENT-001"]["Sophgo Technologies Ltd."]["rigs"] == 2  # A1, B1
    assert by_rule["ENT-901"]["Sophgo Technologies Ltd."]["rigs"] == 1  # B1: A1 is outside its scope
    assert summary["screening_party_rigs"] == 3  # A1, B1, B2: each once, whatever the rules
    distinct = len(by_rule["ENT-001"])
    assert len(parties) > distinct
    heading = f"Listed parties matched: {distinct} parties, 3 rigs"
    assert heading in (out / "report.html").read_text(encoding="utf-8")
    assert f"### {heading}" in (out / "report.md").read_text(encoding="utf-8")


def test_distinct_parties_joins_the_rows_of_one_party_across_rules():
    from auditor.engine.checks.screen import distinct_parties

    rows = [{"rule_id": "ENT-001", "entity_ids": [f"{SSI}#17018", f"{SDN}#17018"]},
            {"rule_id": "ENT-901", "entity_ids": [f"{SDN}#17018"]},
            {"rule_id": "ENT-901", "entity_ids": [f"{SSI}#18715"]}]
    assert distinct_parties(rows) == 2
    assert distinct_parties([]) == 0
