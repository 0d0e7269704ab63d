"""Revocation: `keys revoke` issues a CRL from the issuer's root; verify --crl applies it at the relied-on time."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner
from cryptography import x509

from auditor.cli import cli
from auditor.signing.keys import generate_keys, load_key_material
from auditor.signing.sign import sign_folder

from .conftest import PASSPHRASE, TODAY, make_report
from .tsa_server import LocalTsa

ENV = {"AUDITOR_KEY_PASSPHRASE": PASSPHRASE}
UTC = dt.timezone.utc
CRL_URL = "https://reports.example-mining.test/crl/signing.crl"


def run(*args: str):
    return CliRunner().invoke(cli, list(args), env=ENV)


def verdict(output: str, name: str) -> str:
    return next(ln for ln in output.splitlines() if ln[6:].startswith(name + " "))


@pytest.fixture
def keys(tmp_path) -> Path:
    d = tmp_path / "keys"
    res = run("keys", "generate", "--out", str(d), "--crl-url", CRL_URL,
              "--valid-from", (TODAY - dt.timedelta(days=10)).isoformat())
    assert res.exit_code == 0, res.output
    return d


def _signed_with_token_at(folder: Path, keys: Path, tsa_pki, when: dt.datetime) -> Path:
    with LocalTsa(tsa_pki, fixed_time=when) as tsa:
        sign_folder(folder, load_key_material(keys, PASSPHRASE), tsa_url=tsa.url)
    return folder


def test_the_signing_certificate_names_its_crl_and_keys_show_prints_it(keys):
    cert = x509.load_pem_x509_certificate((keys / "signer.pem").read_bytes())
    points = cert.extensions.get_extension_for_class(x509.CRLDistributionPoints).value
    assert [n.value for p in points for n in p.full_name] == [CRL_URL]
    assert CRL_URL in run("keys", "show", str(keys)).output
    crl = x509.load_pem_x509_crl((keys / "crl.pem").read_bytes())
    assert len(crl) == 0 and crl.issuer == cert.issuer


def test_revoke_lists_the_certificate_in_a_crl_signed_by_the_root(keys):
    res = run("keys", "revoke", str(keys), "--reason", "keyCompromise")
    assert res.exit_code == 0, res.output
    assert f"publish it at {CRL_URL}" in res.output
    crl = x509.load_pem_x509_crl((keys / "crl.pem").read_bytes())
    root = x509.load_pem_x509_certificate((keys / "root.pem").read_bytes())
    signer = x509.load_pem_x509_certificate((keys / "signer.pem").read_bytes())
    assert crl.is_signature_valid(root.public_key())
    entry = crl.get_revoked_certificate_by_serial_number(signer.serial_number)
    assert entry.extensions.get_extension_for_class(x509.CRLReason).value.reason == x509.ReasonFlags.key_compromise
    again = run("keys", "revoke", str(keys), "--reason", "keyCompromise")
    assert again.exit_code == 2 and "already revoked" in again.output


def test_a_revoked_key_cannot_sign_any_more(keys, tmp_path, pdf_bytes):
    assert run("keys", "revoke", str(keys), "--reason", "superseded").exit_code == 0
    folder = make_report(tmp_path / "r", pdf_bytes)
    res = run("sign", str(folder), "--key", str(keys))
    assert res.exit_code == 2 and "REVOKED on" in res.output
    assert not (folder / "report.intoto.json").exists()


def test_a_signature_timestamped_after_revocation_fails_one_before_still_verifies(keys, tmp_path, pdf_bytes, tsa_pki, tsa_root):
    revoked_at = dt.datetime.combine(TODAY - dt.timedelta(days=5), dt.time(12), tzinfo=UTC)
    before = _signed_with_token_at(make_report(tmp_path / "before", pdf_bytes), keys, tsa_pki, revoked_at - dt.timedelta(days=2))
    after = _signed_with_token_at(make_report(tmp_path / "after", pdf_bytes), keys, tsa_pki, revoked_at + dt.timedelta(hours=1))
    res = run("keys", "revoke", str(keys), "--reason", "keyCompromise", "--date", revoked_at.isoformat())
    assert res.exit_code == 0, res.output
    crl = str(keys / "crl.pem")
    root = str(keys / "root.pem")

    ok = run("verify", str(before), "--trust", root, "--tsa-trust", str(tsa_root), "--crl", crl)
    assert ok.exit_code == 0, ok.output
    assert f"revoked on {revoked_at:%Y-%m-%dT%H:%M:%SZ} (keyCompromise), after the signature's time" in verdict(ok.output, "signer.pem")

    bad = run("verify", str(after), "--trust", root, "--tsa-trust", str(tsa_root), "--crl", crl)
    assert bad.exit_code == 1
    assert f"REVOKED on {revoked_at:%Y-%m-%dT%H:%M:%SZ} (keyCompromise)" in verdict(bad.output, "signer.pem")

    # Without the CRL the revocation is unknown, and the verdict says revocation was not checked.
    unknown = run("verify", str(after), "--trust", root, "--tsa-trust", str(tsa_root))
    assert unknown.exit_code == 0 and "revocation not checked" in verdict(unknown.output, "signer.pem")


def test_an_untimestamped_signature_fails_once_revoked(keys, tmp_path, pdf_bytes):
    folder = make_report(tmp_path / "r", pdf_bytes)
    assert run("sign", str(folder), "--key", str(keys)).exit_code == 0
    assert run("keys", "revoke", str(keys), "--reason", "keyCompromise").exit_code == 0
    res = run("verify", str(folder), "--trust", str(keys / "root.pem"), "--crl", str(keys / "crl.pem"))
    assert res.exit_code == 1 and "REVOKED on" in verdict(res.output, "signer.pem")
    # ... but verified as of a moment before the revocation, it still holds
    earlier = (TODAY - dt.timedelta(days=1)).isoformat()
    assert run("verify", str(folder), "--trust", str(keys / "root.pem"), "--crl", str(keys / "crl.pem"), "--at", earlier).exit_code == 0


def test_a_crl_not_signed_by_the_issuer_is_rejected(keys, tmp_path, pdf_bytes):
    folder = make_report(tmp_path / "r", pdf_bytes)
    assert run("sign", str(folder), "--key", str(keys)).exit_code == 0
    forger = tmp_path / "forger"
    generate_keys(forger, PASSPHRASE, valid_from=TODAY)
    # A CRL with the issuer's name, signed by another key.
    from cryptography.hazmat.primitives import hashes

    root = x509.load_pem_x509_certificate((keys / "root.pem").read_bytes())
    forged = (x509.CertificateRevocationListBuilder().issuer_name(root.subject)
              .last_update(dt.datetime.now(UTC)).next_update(dt.datetime.now(UTC) + dt.timedelta(days=1))
              .sign(load_key_material(forger, PASSPHRASE).signer_key, hashes.SHA256()))
    from cryptography.hazmat.primitives.serialization import Encoding

    (tmp_path / "forged.pem").write_bytes(forged.public_bytes(Encoding.PEM))
    res = run("verify", str(folder), "--trust", str(keys / "root.pem"), "--crl", str(tmp_path / "forged.pem"))
    assert res.exit_code == 1 and "is not signed by that issuer" in verdict(res.output, "signer.pem")


def test_a_broken_crl_file_is_a_usage_error(keys, tmp_path):
    (tmp_path / "bad.pem").write_text("-----BEGIN X509 CRL-----\nnope\n-----END X509 CRL-----\n")
    res = run("verify", str(tmp_path), "--trust", str(keys / "root.pem"), "--crl", str(tmp_path / "bad.pem"))
    assert res.exit_code == 2 and "not a PEM or DER certificate revocation list" in res.output


def _script(report: Path, keys: Path, tmp_path: Path, tsa_root: Path | None):
    import os
    import subprocess

    from conftest import require_tool

    from .test_signing_regulators import NEEDED, bash_blocks

    for tool in NEEDED:
        require_tool(tool)
    script = tmp_path / "check-report.sh"
    script.write_text(bash_blocks()[0], encoding="utf-8")
    args = [str(report), str(keys / "root.pem"), *([str(tsa_root)] if tsa_root else [])]
    return subprocess.run(["bash", str(script), *args], capture_output=True, text=True, cwd=tmp_path,
                          env={**os.environ, "CRL": str(keys / "crl.pem")})


def test_the_readme_script_agrees_on_revocation(keys, tmp_path, pdf_bytes, tsa_pki, tsa_root):
    revoked_at = dt.datetime.combine(TODAY - dt.timedelta(days=5), dt.time(12), tzinfo=UTC)
    before = _signed_with_token_at(make_report(tmp_path / "before", pdf_bytes), keys, tsa_pki, revoked_at - dt.timedelta(days=2))
    after = _signed_with_token_at(make_report(tmp_path / "after", pdf_bytes), keys, tsa_pki, revoked_at + dt.timedelta(hours=1))
    plain = make_report(tmp_path / "plain", pdf_bytes)
    sign_folder(plain, load_key_material(keys, PASSPHRASE))
    ok = _script(before, keys, tmp_path, tsa_root)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "verify OK" in ok.stderr  # the CRL is signed by the issuer's root
    assert "signer certificate revoked on" not in ok.stdout  # not yet revoked
    assert run("keys", "revoke", str(keys), "--reason", "keyCompromise", "--date", revoked_at.isoformat()).exit_code == 0
    ok = _script(before, keys, tmp_path, tsa_root)
    assert ok.returncode == 0 and "ALL CHECKS PASSED" in ok.stdout, ok.stdout + ok.stderr
    assert f"signer certificate revoked on {revoked_at:%b %_d} 12:00:00 {revoked_at:%Y} GMT" in ok.stdout
    for folder, tsa in ((after, tsa_root), (plain, None)):
        bad = _script(folder, keys, tmp_path, tsa)
        assert bad.returncode != 0 and "ALL CHECKS PASSED" not in bad.stdout
        assert "the signature is not proven to predate the revocation" in bad.stdout


def test_keys_revoke_offers_exactly_the_reasons_the_crl_can_carry():
    from auditor.cli.keys_cmd import REASON_NAMES
    from auditor.signing.revocation import REASONS

    assert set(REASON_NAMES) == set(REASONS)
