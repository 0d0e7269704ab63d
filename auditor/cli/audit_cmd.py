"""`auditor audit`: flags -> AuditRequest, auditor.run.run(), AuditOutcome -> exit code.

No business logic here: a new flag is one click option, one AuditRequest field (auditor/run.py)
and the line that fills it.
"""

from __future__ import annotations

import os
import sys
from dataclasses import replace
from pathlib import Path

import click

from auditor.cli.exits import CLEAN, FINDINGS, INCOMPLETE, USAGE, fail
from auditor.cli.options import as_of_option, refdata_options, split_formats
from auditor.defaults import MAX_WAIVER_DAYS
from auditor.limits import RULE_TIME_BUDGET_S

FAIL_ON = ["info", "low", "medium", "high", "critical", "never"]  # auditor.gate.FAIL_ON_CHOICES (not imported: --help speed)


def _load_config(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """Eager: the project config file's settings become the defaults the flags override."""
    from auditor import config

    try:
        cfg = config.load(value)
    except config.ConfigError as exc:
        fail(str(exc))
    if cfg.values:
        ctx.default_map = {**(ctx.default_map or {}), **cfg.default_map()}
    ctx.meta["auditor.config"] = cfg
    return str(cfg.path) if cfg.path else None


def _from_config(ctx: click.Context, param: str) -> bool:
    return ctx.get_parameter_source(param) is click.core.ParameterSource.DEFAULT_MAP


config_option = click.option(
    "--config", "config_file", is_eager=True, expose_value=False, callback=_load_config,
    type=click.Path(dir_okay=False),
    help="Project config file (default: auditor.toml, or [tool.auditor] in pyproject.toml, in the "
         "working directory). Flags override it; `auditor config show` prints the merged settings.")


@click.command()
@click.argument("inventory", nargs=-1, required=True)
@config_option
@as_of_option("Audit date: governs rule windows, lists and waivers.")
@click.option("--rules", "rule_dirs", multiple=True, type=click.Path(path_type=Path),
              help="Rule directory or file (repeatable; default: the bundled rule pack).")
@click.option("--out", "out_dir", default="report", show_default=True, type=click.Path(path_type=Path),
              help="Directory receiving report.json, report.html and the other formats.")
@click.option("--overwrite", is_flag=True,
              help="Remove report files of an earlier run from --out first (without it, such files are an error).")
@click.option("--format", "formats", default="json,html", show_default=True, help="Comma-separated output formats.")
@click.option("--fail-on", type=click.Choice(FAIL_ON), default="high", show_default=True,
              help="Exit 1 when an open finding is at or above this severity.")
@click.option("--fail-on-new-only", is_flag=True,
              help="With --baseline: exit 1 only for findings that are new against the baseline.")
@click.option("--exit-zero", is_flag=True,
              help="Exit 0 instead of 1 when findings fail the gate (errors still exit 2, 3 or 4).")
@click.option("--strict", is_flag=True, help="Any rejected row makes the audit INCOMPLETE (exit 3).")
@click.option("--map", "column_map", multiple=True, metavar='"HEADER=FIELD"',
              help='Read the column HEADER as FIELD (repeatable), e.g. --map "Miner Type=model".')
@click.option("--date-format", metavar="FMT",
              help="Day/month order of slashed dates: DD/MM/YYYY or MM/DD/YYYY (default: decided per file; "
                   "ambiguous files are refused).")
@click.option("--sheet", metavar="NAME", help="Workbook sheet to read (default: the first).")
@click.option("--encoding", metavar="NAME", help="Encoding of legacy CSV files, e.g. cp1252 (default: UTF-8; "
                                                 "UTF-16 with a byte-order mark is recognised).")
@click.option("--allow-missing", "allow_missing", multiple=True, metavar="FIELD",
              help="Acknowledge that the inventory lacks FIELD (repeatable): rules needing it are reported as "
                   "not evaluated instead of making the audit INCOMPLETE (exit 3).")
@click.option("--rule-timeout", "rule_timeout", type=click.FloatRange(min=0, min_open=True), default=RULE_TIME_BUDGET_S,
              show_default=True, metavar="SECONDS",
              help="Time budget of each rule; a rule that runs longer is not evaluated and the audit is INCOMPLETE.")
@click.option("--db", "db_url", help="Database URL for imported lists and history (default: AUDITOR_DB or a per-user SQLite file).")
@refdata_options
@click.option("--waivers", "waivers_path", type=click.Path(dir_okay=False),
              help="Reviewed waiver file (TOML); waived findings stay visible, marked waived, until they expire.")
@click.option("--max-waiver-days", default=MAX_WAIVER_DAYS, show_default=True, type=click.IntRange(1),
              help="Longest lifetime a waiver may have.")
@click.option("--baseline", type=click.Path(dir_okay=False),
              help="A previous report.json: findings are marked new / unchanged, and absent ones listed.")
@click.option("--diff-against", "diff_ref", metavar="RUN|previous",
              help="Mark findings new since a recorded run (needs the history database).")
@click.option("--record/--no-record", default=None,
              help="Record the run in the history database (default: when --db or AUDITOR_DB names one).")
@click.option("--org", "organisation", help="Organisation name shown on the report.")
@click.option("--sign", is_flag=True, help="Sign the report (PAdES PDF + DSSE statement over every file).")
@click.option("--key", "key_dir", type=click.Path(path_type=Path),
              help="Key directory from `auditor keys generate` (or a .p12 file); passphrase from AUDITOR_KEY_PASSPHRASE.")
@click.option("--devices", "devices", type=click.Path(dir_okay=False),
              help="Device snapshot from `auditor devices scan`: the inventory is held against what the rigs report.")
@click.option("--devices-max-age", default=7, show_default=True, type=click.IntRange(0),
              help="A device snapshot observed more than this many days before --as-of is stated on the report.")
@click.option("--tsa", "tsa_url", metavar="URL",
              help="With --sign: RFC 3161 time-stamping authority for the signatures (PAdES B-T, report.sigstore.json).")
@click.option("--long-term", is_flag=True,
              help="With --sign --tsa: PAdES B-LTA (validation data and a document timestamp in the PDF).")
@click.option("--sarif-min-severity", type=click.Choice(["info", "low", "medium", "high", "critical"]),
              help="Lowest severity listed in report.sarif (default: the --fail-on level); the rest is counted.")
@click.option("--progress/--no-progress", "show_progress", default=None,
              help="Progress on stderr: rows read, rules evaluated, formats written, with an estimate "
                   "(default: on a terminal outside CI).")
@click.option("-q", "--quiet", is_flag=True, help="Only the one-line summary.")
def audit(inventory, as_of, rule_dirs, out_dir, overwrite, formats, fail_on, fail_on_new_only, exit_zero, strict,
          column_map, date_format, sheet, encoding, allow_missing, rule_timeout, db_url, refdata, waivers_path,
          max_waiver_days, baseline, diff_ref, record, organisation, sign, key_dir, devices, devices_max_age,
          tsa_url, long_term, sarif_min_severity, show_progress, quiet):
    """Audit INVENTORY files (CSV, JSON, JSON Lines or workbooks) and write reports into --out."""
    from auditor import formats as fmt_registry
    from auditor.engine.coverage import check_fields
    from auditor.gate import Gate
    from auditor.inventory import ReadOptions
    from auditor.inventory.aliases import HeaderMap, parse_map
    from auditor.inventory.dates import parse_date_format
    from auditor.run import AuditRequest, RunError, run

    try:
        allowed = check_fields(allow_missing)
        mapping = parse_map(column_map)
        HeaderMap(mapping)  # unknown fields are a usage error before anything is read
        if date_format:
            parse_date_format(date_format)
    except ValueError as exc:
        fail(str(exc))
    read_options = ReadOptions(column_map=mapping, date_format=date_format, sheet=sheet, encoding=encoding)
    if sign and key_dir is None:
        fail("--sign needs --key DIR (create one with `auditor keys generate --out DIR`)")
    if not sign:
        # A project config may name its TSA for signed runs; an unsigned audit simply has nothing to stamp.
        tsa_url = tsa_url if not _from_config(click.get_current_context(), "tsa_url") else None
        long_term = long_term if not _from_config(click.get_current_context(), "long_term") else False
    if tsa_url and not sign:
        fail("--tsa timestamps signatures: give it with --sign")
    if long_term and not tsa_url:
        fail("--long-term needs --sign and --tsa URL (the document timestamp comes from a time-stamping authority)")
    passphrase = None
    if sign:
        from auditor.cli.keys_cmd import read_passphrase

        passphrase = read_passphrase(confirm=False)
    if record is None:
        record = bool(db_url or os.environ.get("AUDITOR_DB"))
    request = AuditRequest(
        inventories=tuple(inventory),
        as_of=as_of,
        rule_dirs=tuple(rule_dirs),
        refdata=replace(refdata, db_url=db_url),
        strict=strict,
        organisation=organisation,
        waivers=Path(waivers_path) if waivers_path else None,
        max_waiver_days=max_waiver_days,
        baseline=Path(baseline) if baseline else None,
        diff_against=diff_ref,
        gate=Gate(fail_on, fail_on_new_only),
        out_dir=out_dir,
        overwrite=overwrite,
        formats=tuple(split_formats(formats, fmt_registry.names())),
        sarif_min_severity=sarif_min_severity,
        sign_key=key_dir if sign else None,
        passphrase=passphrase,
        record=record,
        allow_missing=allowed,
        read=read_options,
        rule_timeout_s=rule_timeout,
        devices=devices,
        devices_max_age_days=devices_max_age,
        tsa_url=tsa_url,
        long_term=long_term,
    )
    from auditor.progress import ProgressDisplay, expected_rows, wanted

    progress = (ProgressDisplay(total_rows=expected_rows(inventory))
                if wanted({True: "always", False: "never", None: None}[show_progress], quiet) else None)
    try:
        outcome = run(request, progress)
    except RunError as exc:
        for line in exc.lines:
            click.echo(f"auditor: error: {line}", err=True)
        sys.exit(USAGE)
    finally:
        if progress:
            progress.finish()
    result = outcome.result
    code = exit_code(outcome, exit_zero)
    if not quiet:
        if outcome.run_id is not None:
            click.echo(f"auditor: recorded as run {outcome.run_id}", err=True)
        for w in sorted(result.warnings):
            click.echo(f"auditor: warning: {w}", err=True)
        for r in result.incomplete_reasons:
            click.echo(f"auditor: INCOMPLETE: {r}", err=True)
    summary = result.summary()
    sev = ", ".join(f"{n} {s}" for s, n in reversed(summary["open_by_severity"].items()) if n)
    click.echo(
        f"auditor: {summary['rows_read']} rows read, {summary['rows_audited']} audited, "
        f"{summary['rows_rejected']} rejected; {summary['findings']} findings"
        + (f" ({sev}" + (f"; {summary['waived']} waived" if summary.get("waived") else "") + ")"
           if sev or summary.get("waived") else "")
        + f" on {summary['assets_with_findings']} rigs"
        + (f" and {summary['rejected_rows_with_findings']} rejected row(s)"
           if summary.get("rejected_rows_with_findings") else "")
        + f"; status {summary['status']}"
        + _not_evaluated_note(result)
        + f"; exit {code}; "
        + f"reports in {out_dir}/ ({', '.join(p.name for p in outcome.written)})"
    )
    sys.exit(code)


def _not_evaluated_note(result) -> str:
    """' (rules not evaluated: ORIG-001, … — missing assembly_country)' for the one-line summary."""
    skipped = [c for c in result.coverage if c.skipped_rows]
    if not skipped:
        return ""
    fields = sorted({" or ".join(g.fields) for c in skipped for g in c.gaps})
    ack = " (acknowledged)" if all(c.acknowledged for c in skipped) else ""
    return (f" ({len(skipped)} rule{'s' if len(skipped) > 1 else ''} not evaluated{ack}: "
            f"{', '.join(c.rule_id for c in skipped)} — missing {', '.join(fields)})")


def exit_code(outcome, exit_zero: bool = False) -> int:
    """DESIGN.md exit codes. --exit-zero masks only 1: an incomplete audit is never "clean"."""
    if not outcome.complete:
        return INCOMPLETE
    if outcome.gate_fails:
        return CLEAN if exit_zero else FINDINGS
    return CLEAN

