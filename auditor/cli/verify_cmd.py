"""`auditor verify DIR [--trust ROOT.pem | --trust-included-root]`."""

from __future__ import annotations

from pathlib import Path

import click

from auditor.cli.exits import fail

VERIFIED = 0
FAILED = 1


@click.command()
@click.argument("report_dir", type=click.Path(path_type=Path))
@click.option("--trust", "trust_files", multiple=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Root certificate (PEM) you trust, obtained from the issuer; repeatable.")
@click.option("--trust-included-root", is_flag=True,
              help="Trust the root.pem shipped inside the folder (only after comparing its fingerprint).")
def verify(report_dir: Path, trust_files: tuple[Path, ...], trust_included_root: bool) -> None:
    """Verify a signed report folder: every file, the PDF signature and the issuer.

    REPORT_DIR may also be a single signed PDF: then only its PAdES signature is checked
    (it must cover the entire file and chain to a root given with --trust).

    The root.pem inside the folder is NOT trusted unless you say so: pass --trust ROOT.pem
    with the issuer's root certificate, or --trust-included-root after checking its
    fingerprint. Exit codes: 0 everything verified, 1 verification failed (or issuer not
    established), 2 usage error.
    """
    from auditor.signing import SigningError, verify_report
    from auditor.signing.verify import verify_pdf_file
    from auditor.signing.keys import load_certs

    if trust_files and trust_included_root:
        fail("give either --trust or --trust-included-root, not both")
    try:
        roots = [c for f in trust_files for c in load_certs(f)]
        if report_dir.is_file() and report_dir.suffix.lower() == ".pdf":
            if trust_included_root:
                fail("--trust-included-root applies to report folders; give --trust ROOT.pem for a PDF")
            result = verify_pdf_file(report_dir, roots)
        elif report_dir.is_dir():
            result = verify_report(report_dir, roots or None, trust_included_root=trust_included_root)
        else:
            fail(f"{report_dir}: not a report folder or a PDF file")
    except SigningError as exc:
        fail(str(exc))
    width = max((len(v.name) for v in result.verdicts), default=0)
    for v in result.verdicts:
        click.echo(f"{'OK  ' if v.ok else 'FAIL'}  {v.name.ljust(width)}  {v.message}")
    click.echo(result.trust_note)
    if result.ok:
        click.echo(f"VERIFIED: {report_dir}")
        for line in what_was_verified(result):
            click.echo(line)
        raise SystemExit(VERIFIED)
    failed = sum(not v.ok for v in result.verdicts)
    click.echo(f"VERIFICATION FAILED: {failed} problem(s) in {report_dir}", err=True)
    raise SystemExit(FAILED)


def what_was_verified(result) -> list[str]:
    """What the verified report states, from the signed statement only (never from report.json,
    which verification just proved equal to it): issuer, organisation, audit id, dates, status
    and counts. Printed only after everything verified."""
    p = result.predicate
    if not isinstance(p, dict):
        return []
    out = ["", "The signed statement says:"]

    def line(label: str, value) -> None:
        out.append(f"  {label:<14}{value}")

    if result.signer is not None:
        line("issuer", result.signer.subject.rfc4514_string())
    line("organisation", p.get("organisation") or "not stated")
    line("audit id", p.get("audit_id") or "not stated")
    line("as of", p.get("as_of") or "not stated")
    if p.get("law_researched"):
        line("law researched", p["law_researched"])
    line("status", str(p.get("status") or "not stated").upper())
    s = p.get("summary")
    if isinstance(s, dict):
        line("rigs", f"{s.get('assets', '?')} audited ({s.get('rows_read', '?')} rows read, "
                     f"{s.get('rows_rejected', '?')} rejected); {s.get('assets_with_findings', '?')} with a finding "
                     "of low severity or above")
        sev = s.get("open_by_severity") or s.get("by_severity") or {}
        if isinstance(sev, dict):
            counts = ", ".join(f"{sev.get(k, 0)} {k}" for k in ("critical", "high", "medium", "low"))
            info = s.get("informational", {}).get("findings") if isinstance(s.get("informational"), dict) else None
            line("open findings", counts + (f"; {s.get('waived', 0)} waived" if s.get("waived") else "")
                 + (f"; {info} informational" if info else ""))
    inputs = p.get("inputs")
    if isinstance(inputs, dict):
        inv = inputs.get("inventory") or []
        line("inventories", ", ".join(f"{i.get('path')} (sha256 {str(i.get('sha256'))[:16]}…)" for i in inv
                                      if isinstance(i, dict)) or "none")
    return out
