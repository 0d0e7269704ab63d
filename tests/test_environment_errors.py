"""What used to be internal errors (exit 4) in the machine around an audit is a clear message and
its documented code: stdout on a full device, a file name that is not UTF-8, a database on a
read-only file system, a history database named with a typo."""

from __future__ import annotations

import os
import re
import subprocess
import sys

from conftest import REPO, require, require_tool, run_cli

INVENTORY = "serial,manufacturer,model\nSN1,Bitmain,Antminer S21\n"


def test_stdout_on_a_full_device_is_exit_2_with_a_message(tmp_path):
    inv = tmp_path / "inv.csv"
    inv.write_text(INVENTORY)
    # A fixed --as-of: an audit dated after the rules were last researched adds a warning.
    audit = ["audit", str(inv), "--out", str(tmp_path / "out"), "--rules", "rules/data_quality", "--as-of", "2026-11-26"]
    for args in (["rules", "list"], audit):
        with open("/dev/full", "w") as full:
            proc = subprocess.run([sys.executable, "-m", "auditor", *args], cwd=REPO, stdout=full,
                                  stderr=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": str(REPO)})
        assert proc.returncode == 2, proc.stderr
        assert proc.stderr.strip() == "auditor: error: cannot write to standard output: No space left on device"


def test_a_closed_pipe_is_not_an_error():
    proc = subprocess.run(f"{sys.executable} -m auditor rules list | head -1", shell=True, cwd=REPO,
                          capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(REPO)})
    assert re.match(r"[A-Z]+-\d{3} ", proc.stdout) and proc.stderr == ""  # the first rule of the list


def test_a_file_name_that_is_not_utf8_is_named_and_refused(tmp_path):
    name = os.fsencode(tmp_path) + b"/fleet\xff.csv"
    with open(name, "w") as fh:
        fh.write(INVENTORY)
    proc = subprocess.run([sys.executable.encode(), b"-m", b"auditor", b"audit", name, b"--out",
                           os.fsencode(tmp_path / "out")], cwd=REPO, capture_output=True,
                          env={**os.environ, "PYTHONPATH": str(REPO)})
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.decode() == (f"auditor: error: {tmp_path}/fleet\\xff.csv: not valid UTF-8 "
                                    "(a file name in another encoding?); rename it to UTF-8\n")


def test_history_of_a_missing_sqlite_file_is_an_error_and_creates_nothing(tmp_path):
    typo = tmp_path / "typo.db"
    for args in (["history"], ["diff", "1", "2"], ["history", "--json"]):
        proc = run_cli(*args, "--db", f"sqlite:///{typo}")
        assert proc.returncode == 2, proc.stderr
        assert f"no database at {typo}" in proc.stderr
        assert not typo.exists()


def test_a_database_on_a_read_only_file_system_is_exit_2(tmp_path):
    require(os.geteuid() == 0, "needs root to mount a read-only file system")
    unshare = require_tool("unshare")
    inv = tmp_path / "inv.csv"
    inv.write_text(INVENTORY)
    ro = tmp_path / "ro"
    ro.mkdir()
    db = f"sqlite:///{ro / 'auditor.db'}"
    first = run_cli("audit", str(inv), "--out", str(tmp_path / "first"), "--rules", "rules/data_quality",
                    "--db", db, "--record")
    assert first.returncode == 0, first.stderr
    (ro / "auditor.db.migrate-lock").unlink()  # as on a database copied onto read-only media
    # a private mount namespace: the read-only bind mount is visible to this command only
    script = (f"mount --bind {ro} {ro} && mount -o remount,ro,bind {ro} && "
              f"{sys.executable} -m auditor audit {inv} --out {tmp_path / 'out'} --db {db}; echo rc=$?; "
              f"{sys.executable} -m auditor lists show --db {db}; echo rc=$?")
    proc = subprocess.run([unshare, "-m", "sh", "-c", script], cwd=REPO, capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(REPO)})
    require("Operation not permitted" not in proc.stderr, "mount namespaces are not permitted here")
    assert proc.stdout.split() == ["rc=2", "rc=2"], proc.stderr
    message = (f"auditor: error: cannot lock database {db} ({ro}/auditor.db.migrate-lock): Read-only file system; "
               "the database's directory must be writable")
    assert proc.stderr.splitlines() == [message, message]
