"""report.html in a real headless Chromium (Debian's chromium, driven by Playwright)."""

from __future__ import annotations

import pytest
from playwright.sync_api import sync_playwright  # a declared test dependency: never skipped

from .conftest import AS_OF, CHROMIUM_ARGS, HOSTILE_COUNTS, HOSTILE_TOTAL, audit, require_tool


@pytest.fixture(scope="module")
def browser():
    exe = require_tool("chromium")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=exe, args=CHROMIUM_ARGS)
        yield b
        b.close()


class Page:
    """A page with every console message, page error, request and dialog recorded."""

    def __init__(self, browser, url: str, javascript: bool = True):
        self.context = browser.new_context(java_script_enabled=javascript)
        self.page = self.context.new_page()
        self.console, self.errors, self.requests, self.dialogs = [], [], [], []
        self.page.on("console", lambda m: self.console.append((m.type, m.text)))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.url = url
        self.page.goto(url)
        if javascript:
            self.page.wait_for_selector("html[data-ready=true]", timeout=30_000)

    def rows(self) -> int:
        return self.page.locator("#findings-body tr.finding").count()

    def select(self, control: str, label_prefix: str) -> None:
        """Choose the option of <select id=control> whose label starts with label_prefix."""
        value = self.page.evaluate(
            "([id, p]) => [...document.getElementById(id).options].find(o => o.textContent.startsWith(p)).value",
            [control, label_prefix])
        self.page.select_option(f"#{control}", value)

    def close(self):
        self.context.close()


@pytest.fixture()
def hostile_page(browser, hostile_report):
    p = Page(browser, (hostile_report / "report.html").as_uri())
    yield p
    p.close()


def test_page_loads_offline_without_errors_or_requests(hostile_page):
    p = hostile_page
    p.page.locator("#f-reset").click()  # interaction must not fetch anything either
    assert p.errors == []
    assert [m for m in p.console if m[0] in ("error", "warning")] == []
    assert p.requests == [p.url], "the report must not request anything but itself"
    assert p.page.locator("#result-count").inner_text() == \
        f"Showing 1–{HOSTILE_TOTAL} of {HOSTILE_TOTAL} matching findings ({HOSTILE_TOTAL} in all)."


def test_injected_markup_is_text_and_never_runs(hostile_page):
    p = hostile_page
    page = p.page
    assert page.evaluate("window.__pwned") is None
    assert p.dialogs == []
    assert page.locator("img").count() == 0, "an <img> from inventory data was parsed as markup"
    sites = page.locator("#findings-body td.site").all_inner_texts()
    assert '<img src=x onerror="window.__pwned=1">' in sites
    assert "</script><script>window.__pwned=3</script><!--" in sites
    assert "'; window.__pwned=4; //" in sites
    # The markup-named serial (lines 7 and 12): DQ-002 twice and ORIG-001 once, shown as text.
    page.fill("#f-search", "onerror=window")
    assert page.locator("#findings-body tr.finding td.asset").all_inner_texts() == \
        ["<img src=x onerror=window.__pwned=2>"] * 3
    # Expanding its evidence shows the markup as text too.
    page.locator("#findings-body button.toggle").first.click()
    detail = page.locator("#findings-body tr.detail")
    assert detail.count() == 1
    assert "fingerprint" in detail.inner_text()
    assert page.locator("img").count() == 0 and page.evaluate("window.__pwned") is None
    # The organisation name (from --org) is escaped as well.
    assert page.locator("h1").inner_text() == "Hostile <b>Test</b> Org"
    assert p.errors == [] and p.dialogs == []


def test_filters_change_the_visible_rows(hostile_page):
    p = hostile_page
    assert p.rows() == HOSTILE_TOTAL
    p.select("f-severity", "high")
    assert p.rows() == HOSTILE_COUNTS["high"]
    p.page.locator("#f-reset").click()
    p.select("f-site", "Beta")
    assert p.rows() == 4
    p.select("f-kind", "origin")  # Beta ∩ origin: only R004 (HK), line 5
    assert p.rows() == 1
    assert p.page.locator("#findings-body td.asset").inner_text() == "R004"
    p.page.locator("#f-reset").click()
    p.select("f-rule", "DQ-002")
    assert p.rows() == 4
    p.page.locator("#f-reset").click()
    p.page.fill("#f-search", "r001")  # DQ-002 at lines 2 and 10, ORIG-001 at line 2
    assert p.rows() == 3
    p.page.fill("#f-search", "no such thing")
    assert p.rows() == 0
    assert p.page.locator("#result-count").inner_text().startswith("No finding matches")


def test_rule_section_button_filters_the_table(hostile_page):
    page = hostile_page.page
    page.locator("#rule-DQ-003 button.show-rule").click()
    assert hostile_page.rows() == 1
    assert page.locator("#findings-body td.asset").inner_text() == "R008"


def test_without_javascript_the_static_page_is_readable(browser, hostile_report):
    p = Page(browser, (hostile_report / "report.html").as_uri(), javascript=False)
    try:
        page = p.page
        assert not page.locator("#explorer").is_visible()
        counts = {s: page.locator(f'.counts td[data-severity="{s}"]').first.inner_text() for s in HOSTILE_COUNTS}
        assert counts == {s: str(n) for s, n in HOSTILE_COUNTS.items()}
        # Each rule lists its findings statically (all of them here: fewer than the per-rule sample).
        assert page.locator("#rule-ORIG-001 table.findings tbody tr").count() == 8
        assert page.locator("#rule-DQ-002 table.findings tbody tr").count() == 4
        assert page.locator("#charts svg").count() == 3
        assert page.locator("img").count() == 0
        assert p.requests == [p.url]
    finally:
        p.close()


def test_large_fleet_is_paged_not_dumped(browser, tmp_path):
    # 1,200 rigs claimed from CN -> 1,200 ORIG-001 findings; the table shows one page at a time.
    n = 1200
    inv = tmp_path / "big.csv"
    inv.write_text("serial,model,assembly_country,site,mac\n" + "".join(
        f"B{i:05d},Antminer S21,CN,Site {i % 7},02:00:00:00:{i // 256:02x}:{i % 256:02x}\n" for i in range(n)),
        encoding="utf-8")
    out = audit(inv, tmp_path / "out", "html,json")
    p = Page(browser, (out / "report.html").as_uri())
    try:
        assert p.rows() == 50
        assert p.page.locator("#result-count").inner_text() == "Showing 1–50 of 1,200 matching findings (1,200 in all)."
        p.page.locator("#page-next").click()
        assert p.page.locator("#result-count").inner_text().startswith("Showing 51–100 of 1,200")
        assert p.page.locator("#findings-body td.asset").first.inner_text() == "B00050"
        p.select("f-site", "Site 3")  # i % 7 == 3 for 0 <= i < 1200: i = 3, 10, …, 1193 -> 171 rigs
        assert p.page.locator("#result-count").inner_text() == "Showing 1–50 of 171 matching findings (1,200 in all)."
        p.page.select_option("#page-size", "250")
        assert p.rows() == 171
        assert p.errors == [] and p.requests == [p.url]
        assert f"as of {AS_OF}" in p.page.locator("footer").inner_text()
    finally:
        p.close()


def test_waived_findings_are_marked_and_filterable(browser, tmp_path):
    from .conftest import HOSTILE_CSV, RULES, run_cli

    inv = tmp_path / "hostile.csv"
    inv.write_text(HOSTILE_CSV, encoding="utf-8")
    waivers = tmp_path / "waivers.toml"
    waivers.write_text(
        '[[waiver]]\nid = "W-1"\nrule = "DQ-003"\nserial = "R008"\njustification = "MAC label reprinted"\n'
        'approver = "Jane Roe, CCO"\ncreated = 2026-11-01\nexpires = 2027-01-01\n', encoding="utf-8")
    args = ["audit", str(inv), "--out", str(tmp_path / "out"), "--as-of", AS_OF, "--format", "html,csv",
            "--waivers", str(waivers), "-q"]
    for r in RULES:
        args += ["--rules", str(r)]
    assert run_cli(*args, in_process=True).returncode == 1  # the 4 high DQ-002 findings stay open
    p = Page(browser, (tmp_path / "out" / "report.html").as_uri())
    try:
        p.select("f-status", "waived")
        assert p.rows() == 1
        assert p.page.locator("#findings-body td.asset").inner_text() == "R008"
        assert "waived" in p.page.locator("#findings-body tr.finding").inner_text()
        p.page.locator("#findings-body button.toggle").click()
        assert "W-1" in p.page.locator("#findings-body tr.detail").inner_text()
        p.select("f-status", "open")
        assert p.rows() == HOSTILE_TOTAL - 1
        # Static page: the finding's status names its waiver.
        assert "waived (W-1, until 2027-01-01)" in p.page.content()
    finally:
        p.close()
    csv_text = (tmp_path / "out" / "findings.csv").read_text(encoding="utf-8-sig")
    waived = [line for line in csv_text.splitlines() if ",waived," in line]
    assert len(waived) == 1 and "R008" in waived[0] and "W-1" in waived[0]


# A listed supplier (OFAC SDN ent_num 25578, "BANK MELLI IRAN", ofac_sdn_2019.csv) on rows the
# reader rejects for their import date: not audited, their party names screened all the same
# (engine/rejected.py). Line 5's serial and bad cell carry markup.
REJECTED_CSV = (
    "serial,model,supplier,import_date\n"
    "A1,Antminer S21,Bitmain Technologies Ltd.,2025-01-02\n"                        # 2: clean
    "A2,Antminer S21,Bank Melli Iran,TBD\n"                                         # 3: rejected, listed
    "A3,Antminer S21,Bank Melli Iran,2025-01-02\n"                                  # 4: audited, listed
    "<img src=x onerror=window.__pwned=5>,Antminer S21,Bank Melli Iran,<b>soon</b>\n"  # 5: rejected, listed
)
HOSTILE_SERIAL = "<img src=x onerror=window.__pwned=5>"


def test_findings_on_rejected_rows_are_marked_and_filterable(browser, tmp_path, isolated_db):
    from conftest import read_report, run_cli, shared_lists

    from .conftest import REPO

    imported = run_cli("lists", "import", shared_lists() / "ofac_sdn_2019.csv", "--retrieved", "2026-11-20",
                       in_process=True)
    assert imported.returncode == 0, imported.stderr
    inv = tmp_path / "fleet.csv"
    inv.write_text(REJECTED_CSV, encoding="utf-8")
    out = audit(inv, tmp_path / "out", "html,json", rules=[REPO / "rules" / "entity" / "ENT-001.toml"])
    doc = read_report(out)
    reasons = {f["asset"]["line"]: f["asset"].get("rejected") for f in doc["findings"]}
    assert set(reasons) == {3, 4, 5} and reasons[4] is None
    assert "'TBD'" in reasons[3] and "'<b>soon</b>'" in reasons[5]

    p = Page(browser, (out / "report.html").as_uri())
    page = p.page
    try:
        body = page.locator("#findings-body")
        assert p.rows() == 3
        # Said as the static tables say it: "file:line (rejected row)"; the reason on hover.
        assert body.locator("td.loc").all_inner_texts() == \
            ["fleet.csv:3 (rejected row)", "fleet.csv:4", "fleet.csv:5 (rejected row)"]
        assert body.locator("tr.finding.on-rejected td.asset").all_inner_texts() == ["A2", HOSTILE_SERIAL]
        marks = body.locator("span.rejected-row")
        assert [marks.nth(k).get_attribute("title") for k in range(marks.count())] == \
            [f"Rejected from the audit: {reasons[3]}", f"Rejected from the audit: {reasons[5]}"]

        # The mark stays with its finding when the table is sorted (by rig: "<" sorts before "A").
        page.locator('#findings-table th[data-sort="asset"] button').click()
        assert body.locator("td.asset").all_inner_texts() == [HOSTILE_SERIAL, "A2", "A3"]
        assert body.locator("td.loc").all_inner_texts() == \
            ["fleet.csv:5 (rejected row)", "fleet.csv:3 (rejected row)", "fleet.csv:4"]

        # Filtered by the kind of row, with counts; and found by searching.
        labels = page.locator("#f-row option").all_inner_texts()
        assert labels == ["all", "audited rows (1)", "rejected rows (2)"]
        p.select("f-row", "rejected rows")
        assert body.locator("td.asset").all_inner_texts() == [HOSTILE_SERIAL, "A2"]
        p.select("f-row", "audited rows")
        assert body.locator("td.asset").all_inner_texts() == ["A3"]
        page.locator("#f-reset").click()
        assert p.rows() == 3 and page.locator("#f-row").input_value() == ""
        page.fill("#f-search", "rejected row")
        assert p.rows() == 2
        page.fill("#f-search", "'tbd'")  # the reason is searched too
        assert body.locator("td.asset").all_inner_texts() == ["A2"]

        # The evidence names the reason; the markup in the serial and the cell stays text.
        page.fill("#f-search", "soon")
        body.locator("button.toggle").click()
        detail = body.locator("tr.detail")
        assert detail.locator("dt").all_inner_texts().count("rejected row") == 1
        assert f"{reasons[5]} — not audited; its party names were screened all the same" in \
            detail.locator("dd").all_inner_texts()
        assert page.locator("#findings-table img, #findings-table b").count() == 0
        assert page.locator("img").count() == 0 and page.evaluate("window.__pwned") is None
        assert p.errors == [] and p.dialogs == [] and p.requests == [p.url]
    finally:
        p.close()


def test_no_row_filter_without_findings_on_rejected_rows(hostile_page):
    assert hostile_page.page.locator("#f-row").count() == 0
    assert hostile_page.page.locator("#findings-body span.rejected-row").count() == 0
