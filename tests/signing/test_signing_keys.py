"""Key generation, storage permissions, passphrases, import, and `auditor keys`."""

from __future__ import annotations

import datetime as dt
import os
import stat
import subprocess
import sys

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec

from auditor.signing import securefile
from auditor.signing.errors import PassphraseError, SigningError
from auditor.signing.keys import generate_keys, load_key_material
from tests.conftest import run_cli

from .conftest import PASSPHRASE, TODAY


def openssl(*args: str, input: bytes | None = None) -> bytes:
    return subprocess.run(["openssl", *args], input=input, capture_output=True, check=True).stdout


def spki_sha256_by_openssl(cert_path) -> str:
    pub = openssl("x509", "-in", str(cert_path), "-noout", "-pubkey")
    der = openssl("pkey", "-pubin", "-outform", "DER", input=pub)
    return subprocess.run(["sha256sum"], input=der, capture_output=True, check=True).stdout.decode().split()[0]


KEY_ENV = {"AUDITOR_KEY_PASSPHRASE": PASSPHRASE}


def test_generated_keys_are_encrypted_owner_only_and_well_formed(tmp_path):
    d = tmp_path / "keys"
    generate_keys(d, PASSPHRASE, org="Example Mining AG", valid_from=dt.date(2026, 1, 1), signer_days=30, root_days=60)
    assert stat.S_IMODE(d.stat().st_mode) == 0o700
    for name in ("root.key.pem", "signer.key.pem"):
        assert stat.S_IMODE((d / name).stat().st_mode) == 0o600
        assert (d / name).read_bytes().startswith(b"-----BEGIN ENCRYPTED PRIVATE KEY-----")
    signer = x509.load_pem_x509_certificate((d / "signer.pem").read_bytes())
    root = x509.load_pem_x509_certificate((d / "root.pem").read_bytes())
    assert isinstance(signer.public_key(), ec.EllipticCurvePublicKey) and signer.public_key().curve.name == "secp256r1"
    ku = signer.extensions.get_extension_for_class(x509.KeyUsage)
    assert ku.critical and ku.value.digital_signature and ku.value.content_commitment and not ku.value.key_cert_sign
    assert root.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    assert not signer.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    # Explicit validity: 2026-01-01 00:00 UTC plus 30 / 60 days.
    assert signer.not_valid_before_utc == dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
    assert signer.not_valid_after_utc == dt.datetime(2026, 1, 31, tzinfo=dt.timezone.utc)
    assert root.not_valid_after_utc == dt.datetime(2026, 3, 2, tzinfo=dt.timezone.utc)
    # Subject names carry the key id (sha256 of the SubjectPublicKeyInfo), computed here by openssl.
    kid = spki_sha256_by_openssl(d / "signer.pem")
    assert kid in signer.subject.rfc4514_string()
    assert spki_sha256_by_openssl(d / "root.pem") in root.subject.rfc4514_string()
    assert signer.subject != root.subject
    # openssl agrees that the signer chains to the root (at a date inside the validity window).
    out = subprocess.run(["openssl", "verify", "-x509_strict", "-attime", "1768000000", "-CAfile", str(d / "root.pem"),
                          str(d / "signer.pem")], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr


def test_private_key_file_is_never_readable_by_others_even_with_umask_0(tmp_path, monkeypatch):
    seen = []
    real_link = os.link

    def spy_link(src, dst, *a, **kw):  # the temporary file, just before it gets its final name
        seen.append((os.path.basename(dst), stat.S_IMODE(os.stat(src).st_mode)))
        return real_link(src, dst, *a, **kw)

    monkeypatch.setattr(securefile.os, "link", spy_link)
    old = os.umask(0)
    try:
        generate_keys(tmp_path / "k", PASSPHRASE, valid_from=TODAY)
    finally:
        os.umask(old)
    assert sorted(seen) == [("root.key.pem", 0o600), ("signer.key.pem", 0o600)]


def test_refuses_to_overwrite_existing_keys(keys_a):
    before = (keys_a / "signer.key.pem").read_bytes()
    with pytest.raises(SigningError, match="refusing to overwrite"):
        generate_keys(keys_a, PASSPHRASE, valid_from=TODAY)
    assert (keys_a / "signer.key.pem").read_bytes() == before


def test_wrong_passphrase_is_a_clear_error(keys_a):
    with pytest.raises(PassphraseError, match="wrong passphrase for .*signer.key.pem"):
        load_key_material(keys_a, "not the passphrase")
    with pytest.raises(PassphraseError, match="is encrypted"):
        load_key_material(keys_a, None)


def test_every_wrong_passphrase_says_so(keys_a):
    """A wrong passphrase sometimes "decrypts" the key to bytes that are no key (an ASN.1 error,
    about one attempt in a few hundred): it must still read as a wrong passphrase."""
    for i in range(1000):
        with pytest.raises(PassphraseError, match="wrong passphrase"):
            load_key_material(keys_a, f"not the passphrase {i}")


def test_short_passphrase_is_refused(tmp_path):
    with pytest.raises(PassphraseError, match="at least 8"):
        generate_keys(tmp_path / "k", "short", valid_from=TODAY)


def test_cli_generate_and_show_print_the_fingerprints_openssl_computes(tmp_path):
    d = tmp_path / "keys"
    res = run_cli("keys", "generate", "--out", d, "--org", "Example Mining AG", "--valid-from", "2026-01-01",
                  env=KEY_ENV, in_process=True)
    assert res.returncode == 0, res.output
    root_fp = openssl("x509", "-in", str(d / "root.pem"), "-noout", "-fingerprint", "-sha256").decode().strip().split("=")[1]
    signer_fp = openssl("x509", "-in", str(d / "signer.pem"), "-noout", "-fingerprint", "-sha256").decode().strip().split("=")[1]
    shown = run_cli("keys", "show", d, env=KEY_ENV, in_process=True)
    assert shown.returncode == 0
    for out in (res.output, shown.output):
        assert root_fp in out and signer_fp in out
        assert spki_sha256_by_openssl(d / "signer.pem") in out


def test_cli_generate_without_passphrase_source_fails_with_usage_error(tmp_path):
    # No environment variable and no terminal input: exit 2 with a message, not a traceback.
    proc = subprocess.run(
        [sys.executable, "-c", "from auditor.cli import main; main()", "keys", "generate", "--out", str(tmp_path / "k")],
        capture_output=True, text=True, stdin=subprocess.DEVNULL,
        env={k: v for k, v in os.environ.items() if k != "AUDITOR_KEY_PASSPHRASE"},
    )
    assert proc.returncode == 2
    assert "AUDITOR_KEY_PASSPHRASE" in proc.stderr and "Traceback" not in proc.stderr
    assert not (tmp_path / "k" / "signer.key.pem").exists()


def test_cli_prompt_asks_twice_and_rejects_a_mismatch(tmp_path):
    res = run_cli("keys", "generate", "--out", tmp_path / "k", env={"AUDITOR_KEY_PASSPHRASE": None}, in_process=True,
                  input="first-passphrase\nsecond-passphrase\nfirst-passphrase\nfirst-passphrase\n")
    assert res.returncode == 0, res.output
    assert "do not match" in res.output
    load_key_material(tmp_path / "k", "first-passphrase")


def test_cli_rejects_bad_validity_date(tmp_path):
    res = run_cli("keys", "generate", "--out", tmp_path / "k", "--valid-from", "2026-13-01", env=KEY_ENV,
                  in_process=True)
    assert res.returncode == 2 and "YYYY-MM-DD" in res.output


def test_pkcs12_bundle_can_be_used_directly_and_imported(tmp_path, keys_a):
    p12 = tmp_path / "org.p12"
    subprocess.run(
        ["openssl", "pkcs12", "-export", "-inkey", str(keys_a / "signer.key.pem"), "-passin", f"pass:{PASSPHRASE}",
         "-in", str(keys_a / "signer.pem"), "-certfile", str(keys_a / "root.pem"), "-passout", "pass:p12-secret",
         "-out", str(p12)], check=True, capture_output=True)
    material = load_key_material(p12, "p12-secret")
    assert material.signer_cert.subject.rfc4514_string() == x509.load_pem_x509_certificate(
        (keys_a / "signer.pem").read_bytes()).subject.rfc4514_string()
    assert material.root is not None
    with pytest.raises(PassphraseError, match="wrong passphrase"):
        load_key_material(p12, "wrong")

    res = run_cli("keys", "import", "--out", tmp_path / "imported", "--pkcs12", p12, in_process=True,
                  env={"AUDITOR_IMPORT_PASSPHRASE": "p12-secret", "AUDITOR_KEY_PASSPHRASE": "new passphrase 1"})
    assert res.returncode == 0, res.output
    imported = tmp_path / "imported"
    assert stat.S_IMODE((imported / "signer.key.pem").stat().st_mode) == 0o600
    assert (imported / "signer.key.pem").read_bytes().startswith(b"-----BEGIN ENCRYPTED PRIVATE KEY-----")
    assert (imported / "root.pem").read_bytes() == (keys_a / "root.pem").read_bytes()
    assert load_key_material(imported, "new passphrase 1").key_id == material.key_id


def test_pem_import_of_unencrypted_key(tmp_path, keys_a):
    plain = tmp_path / "plain.key"
    plain.write_bytes(openssl("pkey", "-in", str(keys_a / "signer.key.pem"), "-passin", f"pass:{PASSPHRASE}"))
    res = run_cli("keys", "import", "--out", str(tmp_path / "imp"), "--cert", str(keys_a / "signer.pem"),
                   "--key", str(plain), "--chain", str(keys_a / "root.pem"), env=KEY_ENV, in_process=True)
    assert res.returncode == 0, res.output
    assert (tmp_path / "imp" / "signer.key.pem").read_bytes().startswith(b"-----BEGIN ENCRYPTED PRIVATE KEY-----")


def test_key_that_does_not_match_the_certificate_is_refused(tmp_path, keys_a, keys_b):
    res = run_cli("keys", "import", "--out", str(tmp_path / "imp"), "--cert", str(keys_a / "signer.pem"),
                   "--key", str(keys_b / "signer.key.pem"), env={**KEY_ENV, "AUDITOR_IMPORT_PASSPHRASE": PASSPHRASE}, in_process=True)
    assert res.returncode == 2
    assert "does not belong to the signing certificate" in res.output
