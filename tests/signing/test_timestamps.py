"""Timestamped signatures (RFC 3161 via a real TSA on 127.0.0.1): sign --tsa, verify --tsa-trust --at.

"After expiry" is tested both ways: by --at a date after a short-lived certificate's end, and by
a certificate that really expired, with a token the TSA dated while it was still valid.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from auditor.cli import cli
from auditor.signing.keys import generate_keys, load_key_material
from auditor.signing.sign import sign_folder

from .conftest import PASSPHRASE, TODAY, make_report
from .tsa_server import LocalTsa, TsaPki

ENV = {"AUDITOR_KEY_PASSPHRASE": PASSPHRASE}
UTC = dt.timezone.utc


def after_expiry() -> str:
    return (TODAY + dt.timedelta(days=30)).isoformat()


def sign(folder: Path, keys: Path, *extra: str):
    return CliRunner().invoke(cli, ["sign", str(folder), "--key", str(keys), *extra], env=ENV)


def verify(folder: Path, keys: Path, *extra: str):
    return CliRunner().invoke(cli, ["verify", str(folder), "--trust", str(keys / "root.pem"), *extra])


def verdict(output: str, name: str) -> str:
    line = next(ln for ln in output.splitlines() if ln[6:].startswith(name + " "))
    return line


@pytest.fixture
def stamped(tmp_path, pdf_bytes, short_keys, tsa) -> Path:
    folder = make_report(tmp_path / "stamped", pdf_bytes)
    res = sign(folder, short_keys, "--tsa", tsa.url)
    assert res.exit_code == 0, res.output
    return folder


def test_sign_with_tsa_writes_a_sigstore_bundle_and_a_b_t_pdf(stamped, tsa):
    bundle = json.loads((stamped / "report.sigstore.json").read_text())
    assert bundle["mediaType"] == "application/vnd.dev.sigstore.bundle.v0.3+json"
    envelope = json.loads((stamped / "report.intoto.json").read_text())
    assert bundle["dsseEnvelope"] == envelope
    stamps = bundle["verificationMaterial"]["timestampVerificationData"]["rfc3161Timestamps"]
    assert len(stamps) == 1 and base64.b64decode(stamps[0]["signedTimestamp"])[:1] == b"\x30"
    assert tsa.requests >= 3  # probe, PDF signature timestamp, DSSE signature timestamp
    assert not any(p.name.startswith(".auditor-signing-") for p in stamped.iterdir())


def test_timestamped_report_verifies_after_the_certificate_expired(stamped, short_keys, tsa_root):
    res = verify(stamped, short_keys, "--tsa-trust", str(tsa_root), "--at", after_expiry())
    assert res.exit_code == 0, res.output
    assert "VERIFIED" in res.output
    assert "certificates checked at " + TODAY.isoformat() in res.output
    assert "(the trusted timestamp by Common Name: Test TSA" in res.output
    assert "(baseline B-T); signature timestamp" in verdict(res.output, "report.pdf")
    assert "RFC 3161 timestamp over the DSSE signature" in verdict(res.output, "report.sigstore.json")


def test_the_same_report_without_a_timestamp_fails_after_expiry(tmp_path, pdf_bytes, short_keys):
    folder = make_report(tmp_path / "plain", pdf_bytes)
    assert sign(folder, short_keys).exit_code == 0
    assert verify(folder, short_keys).exit_code == 0  # today it is fine
    res = verify(folder, short_keys, "--at", after_expiry())
    assert res.exit_code == 1
    assert "expired on " + (TODAY + dt.timedelta(days=1)).isoformat() in verdict(res.output, "signer.pem")
    assert f"certificates checked at {after_expiry()}T00:00:00Z (--at" in res.output


def test_a_timestamp_is_not_relied_on_without_a_trusted_tsa_root(stamped, short_keys):
    res = verify(stamped, short_keys, "--at", after_expiry())
    assert res.exit_code == 1
    assert "pass --tsa-trust" in verdict(res.output, "report.sigstore.json")
    assert "expired on" in verdict(res.output, "signer.pem")
    assert "FAIL" in verdict(res.output, "report.pdf")


def test_a_timestamp_from_an_untrusted_tsa_is_rejected(stamped, short_keys, tmp_path):
    other_root = TsaPki.create("Other TSA").write_root(tmp_path / "other-tsa-root.pem")
    res = verify(stamped, short_keys, "--tsa-trust", str(other_root))
    assert res.exit_code == 1
    assert "does not chain to a trusted TSA root" in verdict(res.output, "report.sigstore.json")
    assert "does not chain to a trusted TSA root" in verdict(res.output, "report.pdf")


def _replace_token(folder: Path, token_b64: str) -> None:
    path = folder / "report.sigstore.json"
    bundle = json.loads(path.read_text())
    bundle["verificationMaterial"]["timestampVerificationData"]["rfc3161Timestamps"][0]["signedTimestamp"] = token_b64
    path.write_text(json.dumps(bundle, indent=2, sort_keys=True) + "\n")


def _token(folder: Path) -> bytes:
    bundle = json.loads((folder / "report.sigstore.json").read_text())
    return base64.b64decode(bundle["verificationMaterial"]["timestampVerificationData"]["rfc3161Timestamps"][0]["signedTimestamp"])


def test_a_token_swapped_in_from_another_report_is_rejected(stamped, short_keys, tsa_root, tmp_path, pdf_bytes, tsa):
    other = make_report(tmp_path / "other", pdf_bytes, csv="serial,rule_id\nS-9,ORIGIN-009\n")
    assert sign(other, short_keys, "--tsa", tsa.url).exit_code == 0
    _replace_token(stamped, base64.b64encode(_token(other)).decode())
    res = verify(stamped, short_keys, "--tsa-trust", str(tsa_root))
    assert res.exit_code == 1
    assert "the timestamp is over other bytes, not over this signature" in verdict(res.output, "report.sigstore.json")


def test_a_tampered_token_is_rejected(stamped, short_keys, tsa_root):
    token = bytearray(_token(stamped))
    at = token.index(b"Test TSA")  # inside the signed TSTInfo's TSA name: still parses
    token[at] ^= 0x01
    _replace_token(stamped, base64.b64encode(bytes(token)).decode())
    res = verify(stamped, short_keys, "--tsa-trust", str(tsa_root), "--at", after_expiry())
    assert res.exit_code == 1
    line = verdict(res.output, "report.sigstore.json")
    assert "FAIL" in line and "RFC 3161 timestamp rejected" in line
    assert "expired on" in verdict(res.output, "signer.pem")  # nothing to rely on but --at


def test_a_timestamp_dated_after_the_certificate_expired_is_rejected(tmp_path, pdf_bytes, short_keys, tsa_pki, tsa_root):
    folder = make_report(tmp_path / "late", pdf_bytes)
    late = dt.datetime.combine(TODAY + dt.timedelta(days=3), dt.time(12), tzinfo=UTC)
    with LocalTsa(tsa_pki, fixed_time=late) as late_tsa:
        sign_folder(folder, load_key_material(short_keys, PASSPHRASE), tsa_url=late_tsa.url)
    res = verify(folder, short_keys, "--tsa-trust", str(tsa_root), "--at", after_expiry())
    assert res.exit_code == 1
    assert "expired on" in verdict(res.output, "signer.pem")
    assert f"certificates checked at {(TODAY + dt.timedelta(days=3)).isoformat()}T12:00:00Z (the trusted timestamp" in res.output
    assert "FAIL" in verdict(res.output, "report.pdf")


def test_at_a_moment_before_the_timestamp_fails(stamped, short_keys, tsa_root):
    res = verify(stamped, short_keys, "--tsa-trust", str(tsa_root), "--at", (TODAY - dt.timedelta(days=1)).isoformat())
    assert res.exit_code == 1
    assert "is later than the time of verification" in verdict(res.output, "report.sigstore.json")


def test_a_really_expired_certificate_verifies_today_by_a_timestamp_from_its_lifetime(tmp_path, pdf_bytes, tsa_pki, tsa_root):
    keys = tmp_path / "old-keys"
    generate_keys(keys, PASSPHRASE, valid_from=TODAY - dt.timedelta(days=400), signer_days=30)
    then = dt.datetime.combine(TODAY - dt.timedelta(days=390), dt.time(9, 30), tzinfo=UTC)
    folder = make_report(tmp_path / "r", pdf_bytes)
    with LocalTsa(tsa_pki, fixed_time=then) as old_tsa:
        sign_folder(folder, load_key_material(keys, PASSPHRASE), tsa_url=old_tsa.url)
    res = verify(folder, keys, "--tsa-trust", str(tsa_root))
    assert res.exit_code == 0, res.output
    assert f"certificates checked at {then:%Y-%m-%dT%H:%M:%SZ} (the trusted timestamp" in res.output
    assert verify(folder, keys).exit_code == 1  # without the TSA's root: expired


def test_at_must_be_a_date():
    res = CliRunner().invoke(cli, ["verify", ".", "--at", "next tuesday"])
    assert res.exit_code == 2 and "is not a date" in res.output


@pytest.mark.parametrize("mode, message", [
    ("refuse", "refused the request: rejection (policy not accepted)"),
    ("html", "answered 'text/html', not application/timestamp-reply"),
    ("garbage", "answered malformed DER"),
    ("other-imprint", "answered a token over other bytes than requested"),
    ("wrong-nonce", "answered a token for another request"),
    ("bad-signature", "answered a token whose signature does not verify"),
    ("http-500", "answered HTTP 500"),
])
def test_a_badly_answering_tsa_stops_sign_before_anything_changes(tmp_path, pdf_bytes, short_keys, tsa_pki, mode, message):
    folder = make_report(tmp_path / "r", pdf_bytes)
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    with LocalTsa(tsa_pki, mode=mode) as bad:
        res = sign(folder, short_keys, "--tsa", bad.url)
    assert res.exit_code == 2, res.output
    assert message in res.output and "Traceback" not in res.output
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before


def test_an_unreachable_tsa_stops_audit_sign_before_anything_is_written(tmp_path, short_keys, sample):
    out = tmp_path / "out"
    with LocalTsa(TsaPki.create()) as gone:
        url = gone.url  # a port that was listening on 127.0.0.1 and is closed now
    res = CliRunner().invoke(cli, ["audit", str(sample), "--out", str(out), "--as-of", "2026-11-26", "--format", "json,pdf",
                                   "--sign", "--key", str(short_keys), "--tsa", url], env=ENV)
    assert res.exit_code == 2, res.output
    assert "is unreachable" in res.output
    assert not out.exists()


def test_audit_sign_with_tsa_verifies(tmp_path, short_keys, sample, tsa, tsa_root):
    out = tmp_path / "out"
    res = CliRunner().invoke(cli, ["audit", str(sample), "--out", str(out), "--as-of", "2026-11-26", "--format", "json,pdf",
                                   "--sign", "--key", str(short_keys), "--tsa", tsa.url], env=ENV)
    assert res.exit_code in (0, 1), res.output
    res = verify(out, short_keys, "--tsa-trust", str(tsa_root), "--at", after_expiry())
    assert res.exit_code == 0, res.output


def test_tsa_without_sign_is_a_usage_error(tmp_path, sample):
    res = CliRunner().invoke(cli, ["audit", str(sample), "--out", str(tmp_path / "o"), "--tsa", "http://127.0.0.1:1/"])
    assert res.exit_code == 2 and "--tsa timestamps signatures" in res.output


def test_a_stale_timestamp_bundle_is_removed_when_re_signed_without_tsa(stamped, short_keys, pdf_bytes):
    (stamped / "report.pdf").write_bytes(pdf_bytes)  # the report re-rendered, then signed again
    assert sign(stamped, short_keys).exit_code == 0
    assert not (stamped / "report.sigstore.json").exists()
    assert verify(stamped, short_keys).exit_code == 0
