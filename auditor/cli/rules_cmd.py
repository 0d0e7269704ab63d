"""`auditor rules list | lint | test`."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from auditor.cli.exits import fail
from auditor.cli.options import as_of_option

_dirs = click.option("--rules", "rule_dirs", multiple=True, type=click.Path(path_type=Path),
                     help="Rule directory or file (repeatable; default: the bundled rule pack).")


def _load(rule_dirs):
    from auditor.engine.checks.base import RuleError
    from auditor.engine.loader import load_rules

    try:
        return load_rules(list(rule_dirs) or None)
    except RuleError as exc:
        fail(str(exc))


@click.group()
def rules():
    """List, lint and self-test rule packs."""


@rules.command("list")
@_dirs
@as_of_option("Show whether each rule is in force on this date.")
def list_rules(rule_dirs, as_of):
    """One line per rule: id, severity, kind, check, in force, title."""
    for r in _load(rule_dirs):
        state = "in force" if r.in_force(as_of) else "not in force"
        click.echo(f"{r.id:<14} {r.severity.label:<8} {r.kind.value:<12} {r.check_kind:<18} {state:<12} {r.title}")


_refdata_files = [
    click.option("--tariffs", type=click.Path(dir_okay=False), help="Your own tariff schedule (default: the bundled one)."),
    click.option("--facilities", type=click.Path(dir_okay=False), help="Your own facility registry."),
    click.option("--advisories", type=click.Path(dir_okay=False), help="Your own firmware advisories."),
    click.option("--approved-firmware", type=click.Path(dir_okay=False), help="Your approved-firmware list."),
    click.option("--ownership", type=click.Path(dir_okay=False), help="Your ownership records (Affiliates rule)."),
]


def refdata_file_options(fn):
    for option in reversed(_refdata_files):
        fn = option(fn)
    return fn


@rules.command("lint")
@_dirs
@refdata_file_options
def lint(rule_dirs, tariffs, facilities, advisories, approved_firmware, ownership):
    """Validate rule files and the reference-data files; exit 2 listing every error."""
    rules_ = _load(rule_dirs)
    problems = []
    for r in rules_:
        if not r.tests:
            problems.append(f"{r.path}: rule {r.id} has no self-tests")
        else:
            expects = {t.expect for t in r.tests}
            if not {"fail", "pass"} <= expects:
                problems.append(f"{r.path}: rule {r.id} needs at least one 'fail' and one 'pass' self-test")
    from auditor.refdata.lint import lint_refdata

    problems.extend(lint_refdata(rules=rules_, tariffs=tariffs, facilities=facilities, advisories=advisories,
                                 approved_firmware=approved_firmware, ownership=ownership))
    for p in problems:
        click.echo(f"auditor: error: {p}", err=True)
    if problems:
        sys.exit(2)
    click.echo(f"auditor: {len(rules_)} rules and the reference data are valid")


@rules.command("test")
@_dirs
@as_of_option("Date for tests that give no as_of.")
@click.option("-v", "--verbose", is_flag=True, help="Print every test, not only failures.")
def test(rule_dirs, as_of, verbose):
    """Run every rule's [[tests]]; exit 1 if any fails."""
    from auditor.engine.selftest import run_all
    from auditor.refdata.loader import selftest_refdata

    rules_ = _load(rule_dirs)
    outcomes = run_all(rules_, selftest_refdata(), as_of)
    failed = [o for o in outcomes if not o.ok]
    for o in outcomes:
        if verbose or not o.ok:
            mark = "ok  " if o.ok else "FAIL"
            click.echo(f"{mark} {o.rule_id}: {o.test.name}: expected {o.test.expect}, got {o.actual}"
                       + (f" ({o.detail})" if o.detail and not o.ok else ""))
    click.echo(f"auditor: {len(outcomes) - len(failed)} passed, {len(failed)} failed ({len(rules_)} rules)")
    sys.exit(1 if failed else 0)
