"""The README's regulator steps on timestamped reports: openssl ts -verify, pdfsig and pyHanko agree with auditor verify."""

from __future__ import annotations

import base64
import datetime as dt
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import require

from auditor.signing.keys import generate_keys, load_key_material
from auditor.signing.sign import sign_folder

from .conftest import PASSPHRASE, TODAY, make_report
from .test_signing_regulators import _pyhanko_env, assert_rejected_at, bash_blocks, run_check_script
from .test_timestamps import _replace_token, _token, sign
from .tsa_server import LocalTsa, TsaPki

UTC = dt.timezone.utc


@pytest.fixture(autouse=True)
def _regulator_tools():
    from conftest import require_tool

    from .test_signing_regulators import NEEDED

    for tool in NEEDED:
        require_tool(tool)


@pytest.fixture
def stamped(tmp_path, pdf_bytes, short_keys, tsa) -> Path:
    folder = make_report(tmp_path / "stamped", pdf_bytes)
    assert sign(folder, short_keys, "--tsa", tsa.url).exit_code == 0
    return folder


@pytest.fixture(scope="module")
def expired_but_stamped(tmp_path_factory, pdf_bytes, tsa_pki):
    """A certificate that really expired 370 days ago, with tokens the TSA dated during its life."""
    base = tmp_path_factory.mktemp("expired")
    keys = base / "keys"
    generate_keys(keys, PASSPHRASE, valid_from=TODAY - dt.timedelta(days=400), signer_days=30)
    folder = make_report(base / "r", pdf_bytes)
    then = dt.datetime.combine(TODAY - dt.timedelta(days=390), dt.time(9, 30), tzinfo=UTC)
    with LocalTsa(tsa_pki, fixed_time=then) as old_tsa:
        sign_folder(folder, load_key_material(keys, PASSPHRASE), tsa_url=old_tsa.url)
    return folder, keys


def test_a_timestamped_report_passes_with_the_tsa_root(stamped, short_keys, tsa_root, tmp_path):
    proc = run_check_script(stamped, short_keys / "root.pem", tmp_path, tsa_root)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Verification: OK" in proc.stdout  # openssl ts -verify
    assert f"signature timestamped at {TODAY:%b} " in proc.stdout
    assert "ALL CHECKS PASSED" in proc.stdout


def test_a_timestamped_report_needs_the_tsa_root(stamped, short_keys, tmp_path):
    assert_rejected_at(run_check_script(stamped, short_keys / "root.pem", tmp_path), "2",
                       "give the TSA's root as third argument")


def test_an_expired_certificate_passes_by_its_timestamp(expired_but_stamped, tsa_root, tmp_path):
    folder, keys = expired_but_stamped
    proc = run_check_script(folder, keys / "root.pem", tmp_path, tsa_root)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "signer.pem: OK" in proc.stdout  # openssl verify -attime <timestamp>
    assert "Certificate Validation: Certificate has Expired\n" in proc.stdout  # pdfsig, today
    assert "ALL CHECKS PASSED" in proc.stdout


def test_a_token_from_another_report_fails_openssl_ts_verify(stamped, short_keys, tsa_root, tmp_path, pdf_bytes, tsa):
    other = make_report(tmp_path / "other", pdf_bytes, csv="serial\nS-9\n")
    assert sign(other, short_keys, "--tsa", tsa.url).exit_code == 0
    _replace_token(stamped, base64.b64encode(_token(other)).decode())
    assert_rejected_at(run_check_script(stamped, short_keys / "root.pem", tmp_path, tsa_root), "2", "message imprint mismatch")


def test_a_tampered_token_fails_openssl_ts_verify(stamped, short_keys, tsa_root, tmp_path):
    token = bytearray(_token(stamped))
    token[token.index(b"Test TSA")] ^= 0x01
    _replace_token(stamped, base64.b64encode(bytes(token)).decode())
    assert_rejected_at(run_check_script(stamped, short_keys / "root.pem", tmp_path, tsa_root), "2", "Verification: FAILED")


def test_a_token_from_an_untrusted_tsa_fails_openssl_ts_verify(stamped, short_keys, tmp_path):
    other_root = TsaPki.create("Other TSA").write_root(tmp_path / "other-tsa-root.pem")
    assert_rejected_at(run_check_script(stamped, short_keys / "root.pem", tmp_path, other_root), "2", "Verification: FAILED")


def test_a_token_dated_after_expiry_fails_openssl_verify(tmp_path, pdf_bytes, short_keys, tsa_pki, tsa_root):
    folder = make_report(tmp_path / "late", pdf_bytes)
    late = dt.datetime.combine(TODAY + dt.timedelta(days=3), dt.time(12), tzinfo=UTC)
    with LocalTsa(tsa_pki, fixed_time=late) as late_tsa:
        sign_folder(folder, load_key_material(short_keys, PASSPHRASE), tsa_url=late_tsa.url)
    assert_rejected_at(run_check_script(folder, short_keys / "root.pem", tmp_path, tsa_root), "2", "certificate has expired")


def _pyhanko(root: Path, pdf: Path, tsa_root: Path | None, cwd: Path, at: str | None = None) -> subprocess.CompletedProcess:
    require(shutil.which("pyhanko", path=str(Path(sys.executable).parent)) is not None,
            "pyhanko CLI not installed (pip install pyhanko-cli)")
    env = _pyhanko_env(root, pdf, tsa_root)
    if at is not None:
        env["AT"] = at
    return subprocess.run(["bash", "-c", bash_blocks()[1]], capture_output=True, text=True, cwd=cwd, env=env)


def test_pyhanko_shows_the_trusted_signature_timestamp(stamped, short_keys, tsa_root, tmp_path):
    proc = _pyhanko(short_keys / "root.pem", stamped / "report.pdf", tsa_root, tmp_path)
    assert proc.returncode == 0 and "PDF VERIFIED" in proc.stdout, proc.stdout + proc.stderr
    assert "Signature timestamp token: " + TODAY.isoformat() in proc.stdout
    assert "The TSA certificate is trusted." in proc.stdout


def test_pyhanko_rejects_the_timestamp_of_an_untrusted_tsa(stamped, short_keys, tmp_path):
    other_root = TsaPki.create("Other TSA").write_root(tmp_path / "other-tsa-root.pem")
    proc = _pyhanko(short_keys / "root.pem", stamped / "report.pdf", other_root, tmp_path)
    assert proc.returncode != 0 and "PDF NOT VERIFIED" in proc.stdout, proc.stdout + proc.stderr


def test_pyhanko_accepts_an_expired_certificate_at_its_trusted_timestamp(expired_but_stamped, tsa_root, tmp_path):
    folder, keys = expired_but_stamped
    now = _pyhanko(keys / "root.pem", folder / "report.pdf", tsa_root, tmp_path)
    assert now.returncode != 0 and "The signer's certificate is untrusted." in now.stdout, now.stdout + now.stderr
    stamped = next(ln for ln in now.stdout.splitlines() if ln.startswith("Signature timestamp token: "))
    assert "The TSA certificate is trusted." in now.stdout
    at = stamped.removeprefix("Signature timestamp token: ")
    then = _pyhanko(keys / "root.pem", folder / "report.pdf", tsa_root, tmp_path, at=at)
    assert then.returncode == 0 and "PDF VERIFIED" in then.stdout, then.stdout + then.stderr
