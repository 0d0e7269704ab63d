"""The DSSE signature's RFC 3161 timestamps, carried where Sigstore bundles carry them.

`report.sigstore.json` is a Sigstore bundle v0.3 (https://github.com/sigstore/protobuf-specs,
`sigstore_bundle.proto`): the same DSSE envelope as `report.intoto.json`, the signing
certificate, and `verificationMaterial.timestampVerificationData.rfc3161Timestamps[]`, each a
`signedTimestamp` holding a DER RFC 3161 TimeStampResp (base64) whose message imprint is the
SHA-256 of the DSSE signature bytes, as Sigstore timestamps signatures. The bundle has no
transparency-log entries: the timestamp is the proof of time. Written one key per line so
that `sed` and `base64 -d` extract the reply for `openssl ts -verify` (README.md, "For regulators").
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass

from cryptography import x509
from cryptography.hazmat.primitives import serialization

from auditor.signing.dsse import EnvelopeError, b64decode_any

BUNDLE_FILE = "report.sigstore.json"
MEDIA_TYPE = "application/vnd.dev.sigstore.bundle.v0.3+json"


@dataclass(frozen=True)
class Bundle:
    envelope: dict
    certificate_der: bytes
    timestamps: tuple[bytes, ...]  # DER TimeStampResp, in file order


def bundle_bytes(envelope: dict, signer: x509.Certificate, timestamps: list[bytes]) -> bytes:
    bundle = {
        "mediaType": MEDIA_TYPE,
        "verificationMaterial": {
            "certificate": {"rawBytes": base64.b64encode(signer.public_bytes(serialization.Encoding.DER)).decode()},
            "tlogEntries": [],
            "timestampVerificationData": {
                "rfc3161Timestamps": [{"signedTimestamp": base64.b64encode(t).decode()} for t in timestamps],
            },
        },
        "dsseEnvelope": envelope,
    }
    return (json.dumps(bundle, indent=2, sort_keys=True, ensure_ascii=True) + "\n").encode("ascii")


def parse_bundle(data: bytes) -> Bundle:
    """The bundle's parts; EnvelopeError with the reason when it is not a bundle we can read."""
    try:
        doc = json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise EnvelopeError(f"not a JSON Sigstore bundle ({exc})") from None
    if not isinstance(doc, dict) or doc.get("mediaType") != MEDIA_TYPE:
        raise EnvelopeError(f"not a Sigstore bundle (mediaType is not {MEDIA_TYPE})")
    material = doc.get("verificationMaterial")
    envelope = doc.get("dsseEnvelope")
    if not isinstance(material, dict) or not isinstance(envelope, dict):
        raise EnvelopeError("bundle has no verificationMaterial or dsseEnvelope")
    cert = material.get("certificate")
    raw = cert.get("rawBytes") if isinstance(cert, dict) else None
    tvd = material.get("timestampVerificationData")
    entries = tvd.get("rfc3161Timestamps") if isinstance(tvd, dict) else None
    if not isinstance(entries, list) or not entries:
        raise EnvelopeError("bundle carries no rfc3161Timestamps")
    stamps = []
    for i, entry in enumerate(entries):
        if not isinstance(entry, dict):
            raise EnvelopeError(f"rfc3161Timestamps[{i}] is not an object")
        stamps.append(b64decode_any(entry.get("signedTimestamp"), f"rfc3161Timestamps[{i}].signedTimestamp"))
    return Bundle(envelope, b64decode_any(raw, "certificate.rawBytes") if raw is not None else b"", tuple(stamps))
