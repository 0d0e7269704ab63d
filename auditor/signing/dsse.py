"""DSSE (Dead Simple Signing Envelope) v1: pre-authentication encoding, sign, verify.

Signatures are DER-encoded ECDSA (or RSA PKCS#1 v1.5) over SHA-256 of the PAE, which is exactly
what `openssl dgst -sha256 -verify PUBKEY -signature SIG PAE` checks, so a regulator can verify
the envelope with openssl alone (see README.md, "For regulators").
"""

from __future__ import annotations

import base64
import binascii
import json

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa

IN_TOTO_PAYLOAD_TYPE = "application/vnd.in-toto+json"


class EnvelopeError(Exception):
    """The envelope is malformed or its signature does not verify; the message says which."""


def pae(payload_type: str, body: bytes) -> bytes:
    """PAE(type, body) = "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body; LEN = byte length."""
    t = payload_type.encode("utf-8")
    return b"DSSEv1 %d %s %d %s" % (len(t), t, len(body), body)


def _sign(key, message: bytes, deterministic: bool) -> bytes:
    if isinstance(key, ec.EllipticCurvePrivateKey):
        return key.sign(message, ec.ECDSA(hashes.SHA256(), deterministic_signing=deterministic))
    if isinstance(key, rsa.RSAPrivateKey):
        return key.sign(message, padding.PKCS1v15(), hashes.SHA256())
    raise TypeError(f"unsupported key type {type(key).__name__}")


def _verify(public_key, signature: bytes, message: bytes) -> None:
    if isinstance(public_key, ec.EllipticCurvePublicKey):
        public_key.verify(signature, message, ec.ECDSA(hashes.SHA256()))
    elif isinstance(public_key, rsa.RSAPublicKey):
        public_key.verify(signature, message, padding.PKCS1v15(), hashes.SHA256())
    else:
        raise InvalidSignature(f"unsupported public key type {type(public_key).__name__}")


def sign_envelope(payload: bytes, payload_type: str, key, keyid: str | None, *, deterministic: bool = False) -> dict:
    """A DSSE JSON envelope with one signature over PAE(payload_type, payload)."""
    sig = _sign(key, pae(payload_type, payload), deterministic)
    signature = {"sig": base64.b64encode(sig).decode("ascii")}
    if keyid is not None:
        signature["keyid"] = keyid
    return {
        "payload": base64.b64encode(payload).decode("ascii"),
        "payloadType": payload_type,
        "signatures": [signature],
    }


def envelope_bytes(envelope: dict) -> bytes:
    """The file form: one key per line, base64 fields on one line each (easy for sed, see README.md, "For regulators")."""
    return (json.dumps(envelope, indent=2, sort_keys=True, ensure_ascii=True) + "\n").encode("ascii")


def b64decode_any(text: str, what: str) -> bytes:
    """Standard or URL-safe base64, padded or not (DSSE verifiers must accept both alphabets)."""
    if not isinstance(text, str):
        raise EnvelopeError(f"{what} is not a string")
    s = text.strip().replace("-", "+").replace("_", "/")
    s += "=" * (-len(s) % 4)
    try:
        return base64.b64decode(s, validate=True)
    except (binascii.Error, ValueError):
        raise EnvelopeError(f"{what} is not valid base64") from None


def _no_duplicate_keys(pairs: list) -> dict:
    # Two "payload" keys: json.loads keeps the last, `sed` in the README script sees both. The
    # file would mean different things to different readers, so it is no envelope at all.
    keys = [k for k, _ in pairs]
    if len(set(keys)) != len(keys):
        dup = sorted({k for k in keys if keys.count(k) > 1})
        raise EnvelopeError(f"envelope repeats the key {dup[0]!r} (a reader could pick either value)")
    return dict(pairs)


def parse_envelope(data: bytes) -> dict:
    try:
        env = json.loads(data, object_pairs_hook=_no_duplicate_keys)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise EnvelopeError(f"not a JSON DSSE envelope ({exc})") from None
    except RecursionError:
        raise EnvelopeError("not a DSSE envelope (JSON nested too deeply)") from None
    if not isinstance(env, dict):
        raise EnvelopeError("not a JSON DSSE envelope (top level is not an object)")
    for field in ("payload", "payloadType", "signatures"):
        if field not in env:
            raise EnvelopeError(f"envelope has no {field!r}")
    if not isinstance(env["signatures"], list) or not env["signatures"]:
        raise EnvelopeError("envelope has no signatures")
    if len(env["signatures"]) != 1:
        # We sign with one key; an extra entry is something added after signing, and the README's
        # openssl script (one "sig" line) rejects it too: the two verifiers must agree.
        raise EnvelopeError(f"envelope has {len(env['signatures'])} signatures; a report is signed by exactly one")
    if not isinstance(env["payloadType"], str):
        raise EnvelopeError("payloadType is not a string")
    return env


def verify_envelope(env: dict, public_key, supported_types: tuple[str, ...] = (IN_TOTO_PAYLOAD_TYPE,)) -> bytes:
    """Return the payload when a signature verifies with `public_key` and the type is supported.

    Order follows the DSSE protocol: verify the signature over PAE first, then reject an
    unsupported payload type (the type is authenticated, so a swapped type fails the signature).
    """
    payload = b64decode_any(env["payload"], "payload")
    message = pae(env["payloadType"], payload)
    ok = False
    for i, entry in enumerate(env["signatures"]):
        if not isinstance(entry, dict) or "sig" not in entry:
            raise EnvelopeError(f"signature {i} has no 'sig'")
        sig = b64decode_any(entry["sig"], f"signature {i}")
        try:
            _verify(public_key, sig, message)
            ok = True
            break
        except (InvalidSignature, ValueError):
            continue
    if not ok:
        raise EnvelopeError("DSSE signature does not verify with the signer certificate's public key")
    if env["payloadType"] not in supported_types:
        raise EnvelopeError(f"unsupported payloadType {env['payloadType']!r}")
    return payload
