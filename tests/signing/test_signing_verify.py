"""Sign a report folder and verify it; every kind of tampering is rejected with the right message."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import sys

import pytest
from click.testing import CliRunner
from cryptography import x509

from auditor.cli import cli
from auditor.signing import SigningError, sign_report, verify_report
from auditor.signing.dsse import IN_TOTO_PAYLOAD_TYPE, envelope_bytes, sign_envelope
from auditor.signing.keys import generate_keys, load_key_material
from auditor.signing.pdf import validate_pdf
from auditor.signing.sign import sign_folder

from .conftest import PASSPHRASE, REPORT_JSON, TODAY, make_report
from .helpers import flip_byte, flip_signed_pdf_byte, resign_statement, statement_of

FILES = ["findings.csv", "report.html", "report.json", "report.pdf"]


def verify_cli(folder, *extra):
    return CliRunner().invoke(cli, ["verify", str(folder), *extra], catch_exceptions=False)


def trust(keys):
    return ["--trust", str(keys / "root.pem")]


def verdicts(result):
    return {v.name: (v.ok, v.message) for v in result.verdicts}


def root_cert(keys):
    return [x509.load_pem_x509_certificate((keys / "root.pem").read_bytes())]


# ------------------------------------------------------------------ good reports


def test_signed_report_verifies_with_the_trusted_root(signed_report, keys_a):
    res = verify_cli(signed_report, *trust(keys_a))
    assert res.exit_code == 0, res.output
    for name in FILES:
        assert any(line.startswith("OK") and f" {name} " in line for line in res.output.splitlines()), name
    assert "covers the entire file" in res.output
    assert "VERIFIED" in res.output


def test_statement_lists_every_file_with_its_sha256_and_the_audit_metadata(signed_report):
    listed = {}
    statement = json.loads(statement_of(signed_report))
    assert statement["_type"] == "https://in-toto.io/Statement/v1"
    assert statement["predicateType"] == "https://auditor.example/audit-report/v1"
    for subject in statement["subject"]:
        listed[subject["name"]] = subject["digest"]["sha256"]
    # Every report file and the certificates beside them (a changed root.pem must not pass).
    sums = subprocess.run(["sha256sum", *FILES, "root.pem", "signer.pem"], cwd=signed_report,
                          capture_output=True, text=True, check=True).stdout
    assert listed == {name: digest for digest, name in (line.split() for line in sums.splitlines())}
    predicate = statement["predicate"]
    for key in ("as_of", "inputs", "summary", "tool"):
        assert predicate[key] == REPORT_JSON[key]
    envelope = json.loads((signed_report / "report.intoto.json").read_text())
    assert envelope["payloadType"] == "application/vnd.in-toto+json"


def test_keyid_is_the_signer_public_key_hash(signed_report, keys_a):
    envelope = json.loads((signed_report / "report.intoto.json").read_text())
    pub = subprocess.run(["openssl", "x509", "-in", str(keys_a / "signer.pem"), "-noout", "-pubkey"],
                         capture_output=True, check=True).stdout
    der = subprocess.run(["openssl", "pkey", "-pubin", "-outform", "DER"], input=pub, capture_output=True, check=True).stdout
    digest = subprocess.run(["sha256sum"], input=der, capture_output=True, check=True).stdout.decode().split()[0]
    assert envelope["signatures"][0]["keyid"] == digest


def test_in_folder_root_is_not_trusted_unless_asked(signed_report):
    res = verify_cli(signed_report)
    assert res.exit_code == 1
    assert "issuer NOT established" in res.output and "--trust" in res.output
    res = verify_cli(signed_report, "--trust-included-root")
    assert res.exit_code == 0, res.output
    assert "trusted by explicit choice" in res.output


def test_signing_is_deterministic_except_signatures(tmp_path, pdf_bytes, keys_a):
    a = make_report(tmp_path / "a", pdf_bytes)
    b = make_report(tmp_path / "b", pdf_bytes)
    sign_report(a, keys_a, PASSPHRASE)
    sign_report(b, keys_a, PASSPHRASE)
    lines_a = [line for line in statement_of(a).splitlines() if b'"report.pdf"' not in line]
    lines_b = [line for line in statement_of(b).splitlines() if b'"report.pdf"' not in line]
    assert lines_a == lines_b  # only the signed PDF's digest differs (its signature is randomised)


def test_visible_signature_box_on_the_cover_page(tmp_path, pdf_bytes, keys_a):
    from pypdf import PdfReader

    folder = make_report(tmp_path / "r", pdf_bytes)
    res = CliRunner().invoke(cli, ["sign", str(folder), "--key", str(keys_a), "--visible"],
                             env={"AUDITOR_KEY_PASSPHRASE": PASSPHRASE}, catch_exceptions=False)
    assert res.exit_code == 0, res.output
    page = PdfReader(folder / "report.pdf").pages[0]
    widgets = [a.get_object() for a in page.get("/Annots", [])]
    sig = [w for w in widgets if w.get("/FT") == "/Sig"]
    # The box the cover reserves: 200 x 60 pt at the bottom right of the A4 content area
    # (margins 20 mm left/right = 56.69 pt, 25 mm bottom = 70.87 pt), above the page footer.
    assert len(sig) == 1 and [float(v) for v in sig[0]["/Rect"]] == [338.58, 70.87, 538.58, 130.87]
    assert "/AP" in sig[0]  # it has an appearance, i.e. it is drawn
    assert verify_cli(folder, *trust(keys_a)).exit_code == 0


def test_sign_cli_signs_and_reports(tmp_path, pdf_bytes, keys_a):
    folder = make_report(tmp_path / "r", pdf_bytes)
    res = CliRunner().invoke(cli, ["sign", str(folder), "--key", str(keys_a)], env={"AUDITOR_KEY_PASSPHRASE": PASSPHRASE},
                             catch_exceptions=False)
    assert res.exit_code == 0, res.output
    assert "signed PDF   report.pdf" in res.output and "signed       4 files" in res.output
    assert {p.name for p in folder.iterdir()} == {*FILES, "report.intoto.json", "signer.pem", "root.pem"}


# ------------------------------------------------------------------ tampering


@pytest.mark.parametrize("name", ["findings.csv", "report.html", "report.json"])
def test_flipped_byte_in_a_file_is_rejected(signed_report, keys_a, name):
    flip_byte(signed_report / name, 3)
    res = verify_cli(signed_report, *trust(keys_a))
    assert res.exit_code == 1
    line = next(line for line in res.output.splitlines() if f" {name} " in line)
    assert line.startswith("FAIL") and "MODIFIED" in line


def test_flipped_byte_in_the_pdf_is_rejected_by_digest_and_by_the_pdf_signature(signed_report, keys_a):
    flip_signed_pdf_byte(signed_report / "report.pdf")
    assert "MODIFIED" in verdicts(verify_report(signed_report, root_cert(keys_a)))["report.pdf"][1]
    # Even if an insider re-signs the statement, the PDF's own signature catches the change.
    resign_statement(signed_report, keys_a)
    ok, message = verdicts(verify_report(signed_report, root_cert(keys_a)))["report.pdf"]
    assert not ok and "digest mismatch" in message


def test_bytes_appended_to_the_pdf_are_rejected(signed_report, keys_a):
    with open(signed_report / "report.pdf", "ab") as fh:
        fh.write(b"\n% appended after signing\n")
    assert "MODIFIED" in verdicts(verify_report(signed_report, root_cert(keys_a)))["report.pdf"][1]
    resign_statement(signed_report, keys_a)  # digest now matches: only the coverage check is left
    ok, message = verdicts(verify_report(signed_report, root_cert(keys_a)))["report.pdf"]
    assert not ok and "does not cover the entire file" in message


def test_flipped_byte_in_the_envelope_or_signer_certificate_is_rejected(signed_report, keys_a, tmp_path):
    env_text = (signed_report / "report.intoto.json").read_text()
    offset = env_text.index('"payload": "') + len('"payload": "') + 40
    flip_byte(signed_report / "report.intoto.json", offset)
    res = verify_cli(signed_report, *trust(keys_a))
    assert res.exit_code == 1
    assert "FAIL  report.intoto.json" in res.output

    other = tmp_path / "other"
    shutil.copytree(signed_report.parent / "report", other, dirs_exist_ok=True)
    (other / "report.intoto.json").write_text(env_text)
    pem = (other / "signer.pem").read_text()
    mid = len(pem) // 2  # a base64 character in the middle of the certificate
    (other / "signer.pem").write_text(pem[:mid] + ("A" if pem[mid] != "A" else "B") + pem[mid + 1:])
    res = verify_cli(other, *trust(keys_a))
    assert res.exit_code == 1 and "FAIL  signer.pem" in res.output


def test_removed_file_is_rejected(signed_report, keys_a):
    (signed_report / "findings.csv").unlink()
    res = verify_cli(signed_report, *trust(keys_a))
    assert res.exit_code == 1
    assert "MISSING: listed in the signed statement" in res.output


def test_added_file_is_rejected(signed_report, keys_a):
    (signed_report / "sub").mkdir()
    (signed_report / "sub" / "extra.csv").write_text("serial\nX\n")
    res = verify_cli(signed_report, *trust(keys_a))
    assert res.exit_code == 1
    assert "sub/extra.csv" in res.output and "NOT LISTED in the signed statement" in res.output


def test_swapped_statement_from_another_report_is_rejected(signed_report, tmp_path, pdf_bytes, keys_a):
    other = make_report(tmp_path / "other", pdf_bytes, csv="serial,rule_id\nS-2,ORIGIN-002\n")
    sign_report(other, keys_a, PASSPHRASE)
    shutil.copy(other / "report.intoto.json", signed_report / "report.intoto.json")
    res = verify_cli(signed_report, *trust(keys_a))
    assert res.exit_code == 1
    for name in ("findings.csv", "report.pdf"):
        line = next(line for line in res.output.splitlines() if f" {name} " in line)
        assert line.startswith("FAIL") and "MODIFIED" in line


def test_signature_from_another_key_is_rejected(signed_report, keys_a, keys_b):
    statement = statement_of(signed_report)
    material_b = load_key_material(keys_b, PASSPHRASE)
    env = sign_envelope(statement, IN_TOTO_PAYLOAD_TYPE, material_b.signer_key, material_b.key_id)
    (signed_report / "report.intoto.json").write_bytes(envelope_bytes(env))
    ok, message = verdicts(verify_report(signed_report, root_cert(keys_a)))["report.intoto.json"]
    assert not ok and "does not verify with the signer certificate" in message


def test_report_signed_entirely_by_another_ca_is_rejected(tmp_path, pdf_bytes, keys_a, keys_b):
    folder = make_report(tmp_path / "r", pdf_bytes)
    sign_report(folder, keys_b, PASSPHRASE)
    res = verify_cli(folder, *trust(keys_a))
    assert res.exit_code == 1
    assert "not issued by a trusted root" in res.output
    assert "signer certificate not trusted" in res.output  # pyHanko's verdict on the PDF


def test_expired_certificate_is_rejected(tmp_path, pdf_bytes):
    keys = tmp_path / "old-keys"
    generate_keys(keys, PASSPHRASE, valid_from=TODAY - dt.timedelta(days=400), signer_days=30, root_days=3650)
    folder = make_report(tmp_path / "r", pdf_bytes)
    with pytest.raises(SigningError, match="expired on"):
        sign_report(folder, keys, PASSPHRASE)
    assert not (folder / "report.intoto.json").exists()
    # A report signed while (say) the clock was wrong: both checks reject the expired certificate.
    sign_folder(folder, load_key_material(keys, PASSPHRASE))
    result = verify_report(folder, root_cert(keys))
    ok, message = verdicts(result)["signer.pem"]
    assert not ok and "expired on" in message
    assert not verdicts(result)["report.pdf"][0]
    assert not result.ok
    proc = subprocess.run([sys.executable, "-c", "from auditor.cli import main; main()", "verify", str(folder),
                           "--trust", str(keys / "root.pem")], capture_output=True, text=True)
    assert proc.returncode == 1
    assert "expired on" in proc.stdout and "expired or not yet valid" in proc.stdout
    assert "Traceback" not in proc.stderr + proc.stdout


def test_wrong_passphrase_on_sign_is_a_clear_usage_error(tmp_path, pdf_bytes, keys_a):
    folder = make_report(tmp_path / "r", pdf_bytes)
    res = CliRunner().invoke(cli, ["sign", str(folder), "--key", str(keys_a)], env={"AUDITOR_KEY_PASSPHRASE": "wrong one"},
                             catch_exceptions=False)
    assert res.exit_code == 2
    assert "wrong passphrase for" in res.output and "signer.key.pem" in res.output
    assert "Traceback" not in res.output
    assert (folder / "report.pdf").read_bytes() == pdf_bytes  # nothing was changed


def test_already_signed_pdf_is_not_signed_twice(signed_report, keys_a):
    with pytest.raises(SigningError, match="already signed"):
        sign_report(signed_report, keys_a, PASSPHRASE)


def test_symlink_in_the_folder_is_refused_and_reported(tmp_path, pdf_bytes, keys_a, signed_report):
    folder = make_report(tmp_path / "r", pdf_bytes)
    (folder / "link.csv").symlink_to(folder / "findings.csv")
    with pytest.raises(SigningError, match="symbolic link"):
        sign_report(folder, keys_a, PASSPHRASE)
    (signed_report / "link.csv").symlink_to("/etc/hostname")
    res = verify_cli(signed_report, *trust(keys_a))
    assert res.exit_code == 1 and "FAIL  link.csv" in res.output


def test_validator_exception_is_a_failed_verification_not_a_crash(tmp_path, keys_a):
    bogus = tmp_path / "report.pdf"
    bogus.write_bytes(b"%PDF-1.7\nthis is not really a pdf\n%%EOF\n")
    ok, message = validate_pdf(bogus, root_cert(keys_a), None)
    assert not ok and "could not be validated" in message


def test_unsigned_folder_and_missing_folder(tmp_path, pdf_bytes, keys_a):
    folder = make_report(tmp_path / "r", pdf_bytes)
    res = verify_cli(folder, *trust(keys_a))
    assert res.exit_code == 1 and "this folder is not signed" in res.output
    res = verify_cli(tmp_path / "nope", *trust(keys_a))
    assert res.exit_code == 2 and "not a report folder or a PDF file" in res.output


def test_single_pdf_can_be_verified_on_its_own(signed_report, keys_a, keys_b):
    pdf = signed_report / "report.pdf"
    res = verify_cli(pdf, *trust(keys_a))
    assert res.exit_code == 0, res.output
    assert "covers the entire file" in res.output
    assert verify_cli(pdf, *trust(keys_b)).exit_code == 1
    assert verify_cli(pdf).exit_code == 1
    with open(pdf, "ab") as fh:
        fh.write(b"\n% appended\n")
    res = verify_cli(pdf, *trust(keys_a))
    assert res.exit_code == 1 and "does not cover the entire file" in res.output


def test_flipped_byte_in_the_folders_root_pem_is_rejected(signed_report, keys_a):
    flip_byte(signed_report / "root.pem", 40)
    res = verify_cli(signed_report, *trust(keys_a))
    assert res.exit_code == 1
    lines = [line for line in res.output.splitlines() if " root.pem " in line]
    assert lines and all(line.startswith("FAIL") for line in lines)
    assert any("MODIFIED" in line for line in lines)
