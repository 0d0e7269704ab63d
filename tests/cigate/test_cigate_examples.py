"""The ready-made CI configs in examples/ci/ and the pre-commit hook, run locally.

Each test parses the YAML (PyYAML), takes the shell commands the CI system would run after
installing auditor, and runs them with bash in a scratch repository holding the procurement
fixture, with an `auditor` executable on PATH that runs this checkout. So the exact command
lines of the configs are exercised, including globbing and the job-summary redirection.

The configs use the bundled rule pack: each is run verbatim ("bundled") and with the
data-quality and origin packs given explicitly ("explicit").
"""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess

import junitparser
import pytest
import yaml

from .helpers import AS_OF, BAD_LINE_NO, REPO, RULE_ARGS, cli_env, procurement_copy, write_shim

EXAMPLES = REPO / "examples" / "ci"


@pytest.fixture(params=["bundled", "explicit"])
def rules_mode(request):
    return request.param


def run_shell(commands: list[str], repo, rules_mode, extra_env=None) -> subprocess.CompletedProcess:
    shim_dir = repo.parent / "bin"
    write_shim(shim_dir)
    if rules_mode == "explicit":
        commands = [_with_rules(c) for c in commands]
    env = cli_env(AUDITOR_AS_OF=AS_OF, PATH=f"{shim_dir}{os.pathsep}{os.environ.get('PATH', '')}",
                  **(extra_env or {}))
    env["AUDITOR_DB"] = f"sqlite:///{repo.parent / 'auditor.db'}"  # never the user's store
    script = "set -e\n" + "\n".join(commands) + "\n"
    return subprocess.run(["bash", "-c", script], cwd=repo, env=env, capture_output=True, text=True, timeout=300)


def _with_rules(command: str) -> str:
    if command.startswith("auditor audit"):
        return command + " " + " ".join(shlex.quote(a) for a in RULE_ARGS)
    return command


def scratch_repo(tmp_path, fixed: bool):
    repo = tmp_path / "repo"
    procurement_copy(repo / "procurement" / "purchase-orders.csv", fixed=fixed)
    return repo


# --- GitHub Actions -------------------------------------------------------------------------

def github_steps():
    doc = yaml.safe_load((EXAMPLES / "github-actions.yml").read_text(encoding="utf-8"))
    (job,) = doc["jobs"].values()
    return doc, job["steps"]


def test_github_workflow_shape():
    doc, steps = github_steps()
    assert doc["permissions"]["security-events"] == "write"
    uses = [s.get("uses", "") for s in steps]
    assert any(u.startswith("github/codeql-action/upload-sarif@") for u in uses)
    upload = next(s for s in steps if s.get("uses", "").startswith("github/codeql-action/upload-sarif@"))
    assert upload["with"]["sarif_file"] == "audit-report/report.sarif"
    assert "always()" in upload["if"]  # upload even when the audit step failed with exit 1
    audit = next(s for s in steps if s.get("id") == "audit")
    assert audit["run"].startswith("auditor audit ")


def _github_commands():
    """The `run:` steps after installation, as the runner would run them (bash)."""
    _, steps = github_steps()
    audit = next(s for s in steps if s.get("id") == "audit")
    summary = next(s for s in steps if s.get("name") == "Job summary")
    return audit["run"].strip(), summary["run"].strip()


@pytest.mark.parametrize("fixed,expected", [(False, 1), (True, 0)])
def test_github_workflow_commands(tmp_path, rules_mode, fixed, expected):
    audit_cmd, summary_cmd = _github_commands()
    repo = scratch_repo(tmp_path, fixed)
    step_summary = tmp_path / "step_summary.md"
    audit = run_shell([audit_cmd], repo, rules_mode)
    assert audit.returncode == expected, audit.stdout + audit.stderr
    # `if: always()` steps run after a failing audit too.
    summary = run_shell([summary_cmd], repo, rules_mode, {"GITHUB_STEP_SUMMARY": str(step_summary)})
    assert summary.returncode == 0, summary.stderr
    md = step_summary.read_text(encoding="utf-8")
    assert md.startswith("## ❌ auditor: FAIL" if expected else "## ✅ auditor: PASS")
    sarif = json.loads((repo / "audit-report" / "report.sarif").read_text(encoding="utf-8"))
    results = [r for r in sarif["runs"][0]["results"] if r["level"] in ("error", "warning")]
    if expected:
        assert [(r["ruleId"], r["locations"][0]["physicalLocation"]["region"]["startLine"]) for r in results] == \
            [("ORIG-001", BAD_LINE_NO)]
        uri = results[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        assert uri == "procurement/purchase-orders.csv"  # repository-relative, as code scanning needs
    else:
        assert results == []


# --- GitLab CI ------------------------------------------------------------------------------

def test_gitlab_job(tmp_path, rules_mode):
    doc = yaml.safe_load((EXAMPLES / "gitlab-ci.yml").read_text(encoding="utf-8"))
    job = doc["procurement-audit"]
    report = job["artifacts"]["reports"]["junit"]
    assert job["artifacts"]["when"] == "always"
    for fixed, expected in ((False, 1), (True, 0)):
        repo = scratch_repo(tmp_path / str(fixed), fixed)
        proc = run_shell(job["script"], repo, rules_mode)
        assert proc.returncode == expected, proc.stdout + proc.stderr
        xml = junitparser.JUnitXml.fromfile(str(repo / report))
        failing = sorted(case.classname for suite in xml for case in suite
                         if any(isinstance(r, junitparser.Failure) for r in case.result))
        assert failing == (["procurement/purchase-orders.csv.ORIG-001"] if expected else [])


# --- pre-commit -----------------------------------------------------------------------------

def test_pre_commit_hook(tmp_path, rules_mode):
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    (hook,) = hooks
    assert {"id", "name", "entry", "language"} <= set(hook)
    assert hook["language"] == "python" and hook["pass_filenames"] is True
    staged = "procurement/purchase-orders.csv"
    assert re.search(hook["files"], staged)
    assert not re.search(hook["files"], "docs/readme.csv")
    for fixed, expected in ((False, 1), (True, 0)):
        repo = scratch_repo(tmp_path / str(fixed), fixed)
        # pre-commit appends the staged file names to `entry`.
        proc = run_shell([f"{hook['entry']} {shlex.quote(staged)}"], repo, rules_mode)
        assert proc.returncode == expected, proc.stdout + proc.stderr
        md = (repo / ".auditor-report" / "report.md").read_text(encoding="utf-8")
        assert ("ORIG-001" in md) == bool(expected)


def test_examples_import_and_cache_the_official_lists():
    doc, steps = github_steps()
    (job,) = doc["jobs"].values()
    assert job["env"]["AUDITOR_DB"] == "sqlite:///.auditor-lists/lists.db"
    cache = next(s for s in steps if s.get("uses", "").startswith("actions/cache@"))
    assert cache["with"]["path"] == ".auditor-lists"
    names = [s.get("name") for s in steps]
    update = next(s for s in steps if "auditor lists update" in s.get("run", ""))
    assert names.index(update["name"]) < names.index("Audit purchase orders")
    gitlab = yaml.safe_load((EXAMPLES / "gitlab-ci.yml").read_text(encoding="utf-8"))["procurement-audit"]
    assert gitlab["variables"]["AUDITOR_DB"] == "sqlite:///.auditor-lists/lists.db"
    assert gitlab["cache"]["paths"] == [".auditor-lists/"]
    assert any(line.startswith("auditor lists update") for line in gitlab["before_script"])


def test_examples_import_the_1260h_list_that_lists_update_cannot_fetch(tmp_path):
    """`lists update` fetches the CSL and OFAC only; without the 1260H import step every CI run
    warned that 1260H was not screened. The step, run as written, imports it."""
    from tests.conftest import shared_lists

    _, steps = github_steps()
    (job,) = github_steps()[0]["jobs"].values()
    names = [s.get("name") for s in steps]
    step = next(s for s in steps if "--format dod-1260h" in s.get("run", ""))
    assert names.index(step["name"]) < names.index("Audit purchase orders")
    gitlab = yaml.safe_load((EXAMPLES / "gitlab-ci.yml").read_text(encoding="utf-8"))["procurement-audit"]
    (gitlab_import,) = [c for c in gitlab["before_script"] if "--format dod-1260h" in c]
    for i, (command, env) in enumerate(((step["run"].strip(), job["env"]), (gitlab_import, gitlab["variables"]))):
        repo = scratch_repo(tmp_path / str(i), fixed=True)
        target = repo / env["DOD_1260H_CSV"]
        target.parent.mkdir(parents=True)
        target.write_bytes((shared_lists() / "dod_1260h.csv").read_bytes())
        extra = {k: env[k] for k in ("DOD_1260H_CSV", "DOD_1260H_CHECKED")}
        done = run_shell([command, _github_commands()[0]], repo, "bundled", extra)
        assert done.returncode == 0, done.stdout + done.stderr
        lists = json.loads((repo / "audit-report" / "report.json").read_text(encoding="utf-8"))["screening_lists"]
        assert "DoD Section 1260H Chinese Military Companies (1260H) - Department of Defense" in lists["official"]
        assert not any("1260H" in name for name in lists["absent"])
