"""An organisation's own CA made with openssl (RSA), imported from PEM, signs reports that verify."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import require_tool

from auditor.cli import cli

from .conftest import PASSPHRASE, make_report
from .test_signing_regulators import run_check_script


def sh(*args: str, cwd: Path) -> None:
    subprocess.run(list(args), cwd=cwd, check=True, capture_output=True)


@pytest.fixture(scope="module")
def org_ca(tmp_path_factory) -> Path:
    require_tool("openssl")
    d = tmp_path_factory.mktemp("orgca")
    (d / "signer.ext").write_text(
        "basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,nonRepudiation\n"
        "subjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n"
    )
    sh("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "root.key", "-out", "root.pem",
       "-days", "30", "-subj", "/O=Org Corp/CN=Org Corp Root", "-addext", "basicConstraints=critical,CA:TRUE",
       "-addext", "keyUsage=critical,keyCertSign,cRLSign", cwd=d)
    sh("openssl", "req", "-newkey", "rsa:2048", "-keyout", "signer.key", "-passout", "pass:org-secret",
       "-out", "signer.csr", "-subj", "/O=Org Corp/CN=Org Corp Report Signing", cwd=d)
    sh("openssl", "x509", "-req", "-in", "signer.csr", "-CA", "root.pem", "-CAkey", "root.key", "-CAcreateserial",
       "-days", "20", "-extfile", "signer.ext", "-out", "signer.pem", cwd=d)
    return d


def test_imported_rsa_certificate_signs_reports_that_both_verifiers_accept(tmp_path, org_ca, pdf_bytes):
    keys = tmp_path / "keys"
    res = CliRunner().invoke(cli, ["keys", "import", "--out", str(keys), "--cert", str(org_ca / "signer.pem"),
                                   "--key", str(org_ca / "signer.key"), "--chain", str(org_ca / "root.pem")],
                             env={"AUDITOR_IMPORT_PASSPHRASE": "org-secret", "AUDITOR_KEY_PASSPHRASE": PASSPHRASE},
                             catch_exceptions=False)
    assert res.exit_code == 0, res.output
    folder = make_report(tmp_path / "report", pdf_bytes)
    res = CliRunner().invoke(cli, ["sign", str(folder), "--key", str(keys)], env={"AUDITOR_KEY_PASSPHRASE": PASSPHRASE},
                             catch_exceptions=False)
    assert res.exit_code == 0, res.output
    res = CliRunner().invoke(cli, ["verify", str(folder), "--trust", str(org_ca / "root.pem")], catch_exceptions=False)
    assert res.exit_code == 0, res.output
    require_tool("pdfsig")
    require_tool("certutil")
    proc = run_check_script(folder, org_ca / "root.pem", tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "ALL CHECKS PASSED" in proc.stdout
