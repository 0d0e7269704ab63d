"""DSSE PAE and envelope against the specification's published test vector (protocol.md)."""

from __future__ import annotations

import base64

import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature, encode_dss_signature

from auditor.signing.dsse import EnvelopeError, b64decode_any, pae, sign_envelope, verify_envelope

# secure-systems-lab/dsse protocol.md, "Test Vectors": ECDSA P-256, SHA-256, deterministic RFC 6979,
# signature given as raw r||s.
SPEC_D = 97358161215184420915383655311931858321456579547487070936769975997791359926199
SPEC_X = 46950820868899156662930047687818585632848591499744589407958293238635476079160
SPEC_Y = 5640078356564379163099075877009565129882514886557779369047442380624545832820
SPEC_TYPE = "http://example.com/HelloWorld"
SPEC_BODY = b"hello world"
SPEC_PAE = b"DSSEv1 29 http://example.com/HelloWorld 11 hello world"
SPEC_ENVELOPE = {
    "payload": "aGVsbG8gd29ybGQ=",
    "payloadType": "http://example.com/HelloWorld",
    "signatures": [{"sig": "A3JqsQGtVsJ2O2xqrI5IcnXip5GToJ3F+FnZ+O88SjtR6rDAajabZKciJTfUiHqJPcIAriEGAHTVeCUjW2JIZA=="}],
}


@pytest.fixture
def spec_key():
    key = ec.derive_private_key(SPEC_D, ec.SECP256R1())
    numbers = key.public_key().public_numbers()
    assert (numbers.x, numbers.y) == (SPEC_X, SPEC_Y)  # the vector's key, not some other key
    return key


def _raw_to_der(raw_b64: str) -> bytes:
    raw = base64.b64decode(raw_b64)
    return encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big"))


def test_pae_matches_the_specification():
    assert pae(SPEC_TYPE, SPEC_BODY) == SPEC_PAE


def test_pae_counts_bytes_not_characters_and_keeps_trailing_space_for_empty_body():
    # "application/vnd.exämple+json" is 28 characters but 29 UTF-8 bytes (ä = C3 A4).
    assert pae("application/vnd.exämple+json", b"") == "DSSEv1 29 application/vnd.exämple+json 0 ".encode()
    assert pae("application/vnd.in-toto+json", b"{}") == b"DSSEv1 28 application/vnd.in-toto+json 2 {}"


def test_envelope_reproduces_the_published_signature(spec_key):
    env = sign_envelope(SPEC_BODY, SPEC_TYPE, spec_key, keyid=None, deterministic=True)
    assert env["payload"] == SPEC_ENVELOPE["payload"]
    assert env["payloadType"] == SPEC_ENVELOPE["payloadType"]
    r, s = decode_dss_signature(base64.b64decode(env["signatures"][0]["sig"]))
    raw = r.to_bytes(32, "big") + s.to_bytes(32, "big")
    assert base64.b64encode(raw).decode() == SPEC_ENVELOPE["signatures"][0]["sig"]


def test_published_envelope_verifies_and_a_swapped_type_does_not(spec_key):
    env = {**SPEC_ENVELOPE, "signatures": [{"sig": base64.b64encode(_raw_to_der(SPEC_ENVELOPE["signatures"][0]["sig"])).decode()}]}
    assert verify_envelope(env, spec_key.public_key(), supported_types=(SPEC_TYPE,)) == SPEC_BODY
    swapped = {**env, "payloadType": "http://example.com/Other"}
    with pytest.raises(EnvelopeError, match="does not verify"):
        verify_envelope(swapped, spec_key.public_key(), supported_types=(SPEC_TYPE, "http://example.com/Other"))


def test_valid_signature_over_unsupported_type_is_rejected(spec_key):
    env = sign_envelope(SPEC_BODY, SPEC_TYPE, spec_key, keyid=None)
    with pytest.raises(EnvelopeError, match="unsupported payloadType"):
        verify_envelope(env, spec_key.public_key())  # default: only application/vnd.in-toto+json


def test_url_safe_base64_is_accepted():
    assert b64decode_any("-_-_Pj8=", "payload") == bytes.fromhex("fbffbf3e3f")
    assert b64decode_any("-_-_Pj8", "payload") == bytes.fromhex("fbffbf3e3f")
    with pytest.raises(EnvelopeError, match="not valid base64"):
        b64decode_any("not base64!", "payload")
