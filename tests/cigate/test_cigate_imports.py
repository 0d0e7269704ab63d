"""Fast start: the CI path imports only what it uses (benchmarks/startup.py measures the time;
this checks the cause, without asserting on wall-clock time)."""

from __future__ import annotations

import json

from .helpers import AS_OF, RULE_ARGS, procurement_copy, run_cli

HEAVY = ("sqlalchemy", "alembic", "weasyprint", "pyhanko", "cryptography", "jinja2", "playwright", "psycopg",
         "rapidfuzz")

PROBE = """
import atexit, json, sys
def _report():
    loaded = sorted({m.split('.')[0] for m in sys.modules} & set(%r))
    sys.__stderr__.write('LOADED=' + json.dumps(loaded) + '\\n')
atexit.register(_report)
""" % (HEAVY,)


def loaded_heavy(proc) -> list[str]:
    line = next(x for x in proc.stderr.splitlines() if x.startswith("LOADED="))
    return json.loads(line.split("=", 1)[1])


def test_help_imports_no_heavy_library():
    proc = run_cli(*["--help"], prelude=PROBE)
    assert proc.returncode == 0, proc.stderr
    assert loaded_heavy(proc) == []
    proc = run_cli(*["audit", "--help"], prelude=PROBE)
    assert proc.returncode == 0 and "--fail-on-new-only" in proc.stdout and "--exit-zero" in proc.stdout
    assert loaded_heavy(proc) == []


def test_machine_formats_audit_imports_no_heavy_library(tmp_path):
    csv = procurement_copy(tmp_path / "po.csv")
    proc = run_cli(*["audit", str(csv), "--as-of", AS_OF, *RULE_ARGS, "--format", "sarif,md,junit,json",
                    "--out", str(tmp_path / "out")], prelude=PROBE)
    assert proc.returncode in (0, 1), proc.stderr
    # No database, PDF, signing or template engine for a CI check that screens nothing.
    assert loaded_heavy(proc) == []
