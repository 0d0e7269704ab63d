"""Attack-run findings on signing (issue 19): all-or-nothing signing, hostile envelopes, key-file permissions.

`auditor verify` and the README's openssl script must agree on every hostile envelope: both reject.
"""

from __future__ import annotations

import json
import os
import stat

from click.testing import CliRunner

from auditor.cli import cli
from auditor.signing.keys import generate_keys

from .conftest import PASSPHRASE, TODAY, make_report
from .test_signing_regulators import NEEDED, assert_rejected_at, run_check_script
from .tsa_server import LocalTsa, TsaPki

ENV = {"AUDITOR_KEY_PASSPHRASE": PASSPHRASE}


def verify(folder, keys):
    return CliRunner().invoke(cli, ["verify", str(folder), "--trust", str(keys / "root.pem")])


def sign(folder, keys, *extra):
    return CliRunner().invoke(cli, ["sign", str(folder), "--key", str(keys), *extra], env=ENV)


def _tools():
    from conftest import require_tool

    for tool in NEEDED:
        require_tool(tool)


def test_duplicate_payload_key_is_rejected_by_verify_and_by_the_openssl_script(signed_report, keys_a, tmp_path):
    _tools()
    path = signed_report / "report.intoto.json"
    lines = path.read_text().splitlines(keepends=True)
    payload_line = next(ln for ln in lines if ln.lstrip().startswith('"payload":'))
    # A second "payload" after the first: json.loads keeps the last, sed sees both.
    other = json.dumps({"_type": "x"}).encode()
    import base64

    lines.insert(lines.index(payload_line) + 1, f'  "payload": "{base64.b64encode(other).decode()}",\n')
    path.write_text("".join(lines))
    res = verify(signed_report, keys_a)
    assert res.exit_code == 1
    assert "envelope repeats the key 'payload'" in res.output
    assert_rejected_at(run_check_script(signed_report, keys_a / "root.pem", tmp_path), "3", "")


def test_an_extra_bogus_signature_is_rejected_by_verify_and_by_the_openssl_script(signed_report, keys_a, tmp_path):
    _tools()
    path = signed_report / "report.intoto.json"
    env = json.loads(path.read_text())
    env["signatures"].append({"keyid": "attacker", "sig": "MEUCIQDbogusbogusbogusbogusbogusbogusbogusbogusbo="})
    path.write_text(json.dumps(env, indent=2, sort_keys=True) + "\n")
    res = verify(signed_report, keys_a)
    assert res.exit_code == 1
    assert "envelope has 2 signatures; a report is signed by exactly one" in res.output
    assert_rejected_at(run_check_script(signed_report, keys_a / "root.pem", tmp_path), "2", "")


def test_a_deeply_nested_envelope_gets_a_verdict_not_an_internal_error(signed_report, keys_a):
    (signed_report / "report.intoto.json").write_text("[" * 100_000 + "]" * 100_000)
    res = verify(signed_report, keys_a)
    assert res.exit_code == 1, res.output
    assert "nested too deeply" in res.output


def test_a_sign_that_fails_midway_leaves_the_folder_as_it_was_and_it_can_be_signed_again(tmp_path, pdf_bytes, keys_a):
    folder = make_report(tmp_path / "r", pdf_bytes)
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    pki = TsaPki.create()
    # The TSA answers the probe and the PDF's signature timestamp, then fails on the DSSE one:
    # by then the signed PDF and the certificates exist, in the staging folder only.
    with LocalTsa(pki, fail_after=3) as flaky:
        res = sign(folder, keys_a, "--tsa", flaky.url)
    assert res.exit_code == 2, res.output
    assert flaky.requests == 4
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before
    with LocalTsa(pki) as tsa:
        assert sign(folder, keys_a, "--tsa", tsa.url).exit_code == 0


def test_a_folder_left_by_a_killed_sign_is_reported_by_verify_and_removed_by_the_next_sign(tmp_path, pdf_bytes, keys_a):
    folder = make_report(tmp_path / "r", pdf_bytes)
    assert sign(folder, keys_a).exit_code == 0
    leftover = folder / ".auditor-signing-k1ll3d"
    leftover.mkdir()
    (leftover / "report.pdf").write_bytes(b"%PDF-half")
    res = verify(folder, keys_a)
    assert res.exit_code == 1 and "left by an interrupted signing run" in res.output
    (folder / "report.pdf").write_bytes(pdf_bytes)  # re-rendered
    assert sign(folder, keys_a).exit_code == 0
    assert not leftover.exists()
    assert verify(folder, keys_a).exit_code == 0


def test_keys_generate_makes_0600_files_in_a_0700_folder_and_tightens_a_0777_one(tmp_path):
    fresh = tmp_path / "fresh"
    assert CliRunner().invoke(cli, ["keys", "generate", "--out", str(fresh)], env=ENV).exit_code == 0
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o700
    for name in ("root.key.pem", "signer.key.pem"):
        assert stat.S_IMODE((fresh / name).stat().st_mode) == 0o600
    shared = tmp_path / "shared"
    shared.mkdir()
    os.chmod(shared, 0o777)
    res = CliRunner().invoke(cli, ["keys", "generate", "--out", str(shared)], env=ENV)
    assert res.exit_code == 0, res.output
    assert stat.S_IMODE(shared.stat().st_mode) == 0o700


def test_a_private_key_readable_by_others_is_refused(tmp_path, pdf_bytes):
    keys = tmp_path / "keys"
    generate_keys(keys, PASSPHRASE, valid_from=TODAY)
    os.chmod(keys / "signer.key.pem", 0o644)
    folder = make_report(tmp_path / "r", pdf_bytes)
    res = sign(folder, keys)
    assert res.exit_code == 2
    assert "signer.key.pem is readable or writable by other users (mode 0644)" in res.output
    assert "chmod 600" in res.output
    assert not (folder / "report.intoto.json").exists()
