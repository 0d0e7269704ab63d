"""--long-term: PAdES B-LTA (validation data + document timestamp) checked by auditor, pyHanko and pdfsig."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from auditor.signing.revocation import crls_in_pdf

from .conftest import PASSPHRASE, TODAY, make_report
from .test_timestamps import sign, verdict, verify

ENV = {"AUDITOR_KEY_PASSPHRASE": PASSPHRASE}


@pytest.fixture
def lta(tmp_path, pdf_bytes, short_keys, tsa) -> Path:
    folder = make_report(tmp_path / "lta", pdf_bytes)
    res = sign(folder, short_keys, "--tsa", tsa.url, "--long-term")
    assert res.exit_code == 0, res.output
    assert "(PAdES B-LTA)" in res.output
    return folder


def test_long_term_needs_a_tsa(tmp_path, pdf_bytes, short_keys):
    res = sign(make_report(tmp_path / "r", pdf_bytes), short_keys, "--long-term")
    assert res.exit_code == 2 and "--long-term needs --tsa URL" in res.output


def test_long_term_pdf_carries_the_issuers_crl_and_a_document_timestamp(lta, short_keys, tsa_root):
    from cryptography import x509

    root = x509.load_pem_x509_certificate((short_keys / "root.pem").read_bytes())
    crls = crls_in_pdf(lta / "report.pdf")
    assert len(crls) == 1 and crls[0].issuer == root.subject and crls[0].is_signature_valid(root.public_key())
    res = verify(lta, short_keys, "--tsa-trust", str(tsa_root), "--at", (TODAY + dt.timedelta(days=30)).isoformat())
    assert res.exit_code == 0, res.output
    pdf = verdict(res.output, "report.pdf")
    assert "PAdES signature valid, its document timestamp covers the entire file" in pdf and "(baseline B-LTA)" in pdf
    assert f"document timestamp {TODAY.isoformat()}" in pdf
    # the CRL embedded at signing time is found and applied, without --crl
    assert "not revoked (CRL of" in verdict(res.output, "signer.pem")


def test_pdfsig_and_pyhanko_on_a_long_term_pdf(lta, short_keys, tsa_root, tmp_path):
    from conftest import require, require_tool

    require_tool("pdfsig")
    require_tool("certutil")
    nss = tmp_path / "nss"
    nss.mkdir()
    subprocess.run(["certutil", "-N", "-d", f"sql:{nss}", "--empty-password"], check=True)
    subprocess.run(["certutil", "-A", "-d", f"sql:{nss}", "-n", "r", "-t", ",C,", "-i", str(short_keys / "root.pem")], check=True)
    out = subprocess.run(["pdfsig", "-nssdir", f"sql:{nss}", str(lta / "report.pdf")], capture_output=True, text=True).stdout
    assert out.count("Signature #") == 2  # the signature and the document timestamp
    assert "  - Signature Type: ETSI.CAdES.detached\n" in out and "Signature is Valid." in out
    assert out.rstrip().endswith("Signature has not yet been verified.") or "Total document signed" in out
    pyhanko = shutil.which("pyhanko", path=str(Path(sys.executable).parent))
    require(pyhanko is not None, "pyhanko CLI not installed")
    ph = subprocess.run([pyhanko, "sign", "validate", "--pretty-print", "--no-revocation-check", "--trust",
                         str(short_keys / "root.pem"), "--trust", str(tsa_root), "--trust-replace",
                         str(lta / "report.pdf")], capture_output=True, text=True).stdout
    assert "The TSA certificate is trusted." in ph
    assert "All modifications relate to signature maintenance" in ph
    assert "The signature is judged VALID." in ph


def test_bytes_appended_after_the_document_timestamp_fail(lta, short_keys, tsa_root):
    with open(lta / "report.pdf", "ab") as fh:
        fh.write(b"\n% appended\n")
    res = verify(lta, short_keys, "--tsa-trust", str(tsa_root))
    assert res.exit_code == 1
    assert "FAIL" in verdict(res.output, "report.pdf")


def test_the_readme_script_and_pyhanko_block_pass_on_a_long_term_report(lta, short_keys, tsa_root, tmp_path):
    from conftest import require_tool

    from .test_signing_regulators import NEEDED, bash_blocks, run_check_script
    from .test_timestamps_regulators import _pyhanko

    for tool in NEEDED:
        require_tool(tool)
    proc = run_check_script(lta, short_keys / "root.pem", tmp_path, tsa_root)
    assert proc.returncode == 0 and "ALL CHECKS PASSED" in proc.stdout, proc.stdout + proc.stderr
    ph = _pyhanko(short_keys / "root.pem", lta / "report.pdf", tsa_root, tmp_path)
    assert ph.returncode == 0 and "PDF VERIFIED" in ph.stdout, ph.stdout + ph.stderr
    assert bash_blocks()[1].count("pyhanko sign validate") == 1
