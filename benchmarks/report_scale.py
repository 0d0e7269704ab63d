"""Report generation at fleet scale: HTML and PDF time and size for 1k, 10k and 100k-rig audits.

    python benchmarks/report_scale.py [--sizes 1000,10000,100000] [--rules DIR]... [--no-browser]

For each size: generate a synthetic inventory (benchmarks/generate_inventory.py), run the
audit once, then time each renderer writing its file from the same AuditResult (best of
--repeat runs), and report bytes and PDF pages. Unless --no-browser, also open report.html in
headless Chromium and time navigation -> interactive (the page sets
<html data-ready="true"> when the findings table is live). Targets (issue 5): PDF <= 60 pages
and <= 20 s at 100k rigs; HTML interactive within 3 s.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from generate_inventory import generate  # noqa: E402

from auditor.audit import AuditOptions, run_audit  # noqa: E402
from auditor.formats import get  # noqa: E402
from auditor.refdata.loader import RefDataOptions  # noqa: E402

# --stress: two extra rules that fire on every rig at critical and high severity, so the PDF's
# caps are exercised (100k rigs -> 200k critical/high findings on top of the rule pack's).
STRESS_RULES = {
    "STRESS-001": ("critical", "model", "Stress test: every rig ({model}) is critical"),
    "STRESS-002": ("high", "site", "Stress test: every rig at {site} is high"),
}


def write_stress_rules(directory: Path) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    for rid, (sev, field, message) in STRESS_RULES.items():
        (directory / f"{rid}.toml").write_text(
            f'id = "{rid}"\ntitle = "{rid} stress rule"\nseverity = "{sev}"\nkind = "data_quality"\n'
            f'check = "condition"\nmessage = "{message}"\nremediation = "None: benchmark rule."\n'
            f'references = [{{ title = "benchmarks/report_scale.py" }}]\nconfidence = "P"\n\n[effective]\nundated = "benchmark"\n\n[match]\nfield = "{field}"\nexists = true\n\n'
            f'[[tests]]\nname = "fires"\nexpect = "fail"\nrow = {{ serial = "S1", model = "S21", site = "A" }}\n',
            encoding="utf-8")
    return directory


CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--disable-sync"]


def time_to_interactive(html: Path) -> float:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=shutil.which("chromium"), args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.goto(html.as_uri(), wait_until="commit")
        page.wait_for_selector("html[data-ready=true]", timeout=60_000)
        # Navigation start -> the script finished wiring the table, measured by the browser itself.
        ms = page.evaluate("performance.now()")
        browser.close()
    return ms / 1000


def apply_synthetic_baseline(result) -> None:
    """As `--baseline previous/report.json` would: 1 finding in 10 new, 1,000 baseline findings gone."""
    fps = [r.fingerprint for r in result.iter_finding_rows()]
    result.baseline = {fp: ("new" if i % 10 == 0 else "unchanged") for i, fp in enumerate(fps)}
    result.absent = [{"fingerprint": f"gone{i:06d}", "rule_id": "ORIG-001", "severity": "medium",
                      "asset": {"serial": f"GONE{i:06d}", "key": f"GONE{i:06d}", "file": "old.csv", "line": i + 2},
                      "message": "Claimed assembly country CN is a foreign adversary"} for i in range(1000)]


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="1000,10000,100000")
    ap.add_argument("--rules", action="append", default=None, help="rule directory (default: the bundled rule pack)")
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--no-browser", action="store_true")
    ap.add_argument("--stress", action="store_true", help="add rules firing critical and high on every rig")
    ap.add_argument("--keep", type=Path, help="keep the reports under this directory")
    ap.add_argument("--baseline", action="store_true",
                    help="compare with a synthetic baseline: every 10th finding new, 1,000 findings no longer present")
    args = ap.parse_args(argv)
    rule_dirs = [Path(r) for r in args.rules] if args.rules else []
    print(f"{'rigs':>8} {'findings':>9} {'audit s':>8} {'html s':>7} {'html MB':>8} {'tti s':>6} "
          f"{'pdf s':>6} {'pdf MB':>7} {'pages':>6} {'csv s':>6} {'csv MB':>7} {'json s':>6}")
    with tempfile.TemporaryDirectory() as tmp:
        if args.stress:
            rule_dirs = (rule_dirs or [ROOT / "rules"]) + [write_stress_rules(Path(tmp) / "stress_rules")]
        for n in [int(s) for s in args.sizes.split(",")]:
            inv = Path(tmp) / f"inv_{n}.csv"
            with open(inv, "w", encoding="utf-8", newline="") as f:
                generate(n, f)
            out = (args.keep / str(n)) if args.keep else Path(tmp) / f"out_{n}"
            out.mkdir(parents=True, exist_ok=True)
            t0 = time.perf_counter()
            result = run_audit(AuditOptions(inventories=[str(inv)], as_of=date(2026, 11, 26), rule_dirs=rule_dirs,
                                            refdata=RefDataOptions(use_db=False), organisation="Benchmark Mining Co."))
            t_audit = time.perf_counter() - t0
            if args.baseline:
                apply_synthetic_baseline(result)
            timings = {}
            for name in ("html", "pdf", "csv", "json"):
                best = None
                for _ in range(args.repeat):
                    t0 = time.perf_counter()
                    path = get(name).write(result, out)
                    dt = time.perf_counter() - t0
                    best = dt if best is None else min(best, dt)
                timings[name] = (best, path.stat().st_size / 1e6, path)
            import pypdf

            pages = len(pypdf.PdfReader(str(timings["pdf"][2])).pages)
            tti = float("nan") if args.no_browser else time_to_interactive(timings["html"][2])
            print(f"{n:>8} {result.summary()['findings']:>9} {t_audit:>8.2f} {timings['html'][0]:>7.2f} "
                  f"{timings['html'][1]:>8.2f} {tti:>6.2f} {timings['pdf'][0]:>6.2f} {timings['pdf'][1]:>7.2f} "
                  f"{pages:>6} {timings['csv'][0]:>6.2f} {timings['csv'][1]:>7.2f} {timings['json'][0]:>6.2f}", flush=True)


if __name__ == "__main__":
    main()
