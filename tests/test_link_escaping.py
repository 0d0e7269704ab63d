"""Text from inventories never becomes a link: not in report.md (bare URLs, `[text](url)`, `<url>`)
rendered as GitHub renders a comment, nor in SARIF messages, whose `[text](target)` is an embedded link."""

from __future__ import annotations

import json
import re

import pytest

from conftest import run_cli

LINK = "[invoice](https://evil.example/pay)"
BARE = "https://evil.example/login"
INVENTORY = (
    "serial,model,assembly_country\n"
    f'"{LINK}",Antminer S21,CN\n'
    f'"{LINK}",Antminer S21,CN\n'
    f"{BARE},Antminer S21,CN\n"
    f"{BARE},Antminer S21,CN\n"
    "www.evil.example,Antminer S21,CN\n"
    "www.evil.example,Antminer S21,CN\n"
    f'S9,Antminer S21,"<{BARE}>"\n'
)


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("links")
    inv = tmp / "inv.csv"
    inv.write_text(INVENTORY)
    proc = run_cli("audit", str(inv), "--rules", "rules/data_quality", "--format", "json,md,sarif",
                   "--out", str(tmp / "out"), "--as-of", "2026-11-26", "--fail-on", "never")
    assert proc.returncode == 0, proc.stderr
    return tmp / "out"


def test_report_md_renders_without_a_single_link(out):
    from markdown_it import MarkdownIt

    text = (out / "report.md").read_text()
    assert "evil.example" in text  # the cells are shown…
    md = MarkdownIt("gfm-like", {"linkify": True})  # CommonMark + GFM tables + bare-URL autolinks
    md.linkify.set({"fuzzy_link": False})  # GitHub links URLs with a scheme and www., not bare domains
    html = md.render(text)
    assert "<a " not in html  # …but none of them as a link
    assert "www." not in text.replace("www\u2060.", "")  # GitHub's www. autolink needs "www." verbatim


def test_sarif_messages_escape_embedded_link_syntax(out):
    sarif = json.loads((out / "report.sarif").read_text())
    run = sarif["runs"][0]
    texts = [r["message"]["text"] for r in run["results"]]
    texts += [n["message"]["text"] for inv in run.get("invocations", []) for n in inv.get("toolExecutionNotifications", [])]
    linked = [t for t in texts if "invoice" in t]
    assert linked, texts
    for t in texts:
        # SARIF 3.11.6: an unescaped [ … ](…) is an embedded link
        assert not re.search(r"(?<!\\)\[[^\]]*(?<!\\)\]\(", t), t
    assert any("\\[invoice\\](https://evil.example/pay)" in t for t in linked)
