"""Shared helpers for tampering with signed report folders."""

from __future__ import annotations

import base64
import json
from pathlib import Path

from auditor.signing.dsse import IN_TOTO_PAYLOAD_TYPE, envelope_bytes, sign_envelope
from auditor.signing.keys import load_key_material
from auditor.signing.statement import build_statement, predicate_from_report_json

from .conftest import PASSPHRASE


def flip_byte(path: Path, offset: int) -> None:
    data = bytearray(path.read_bytes())
    data[offset] ^= 0x01
    path.write_bytes(bytes(data))


def flip_signed_pdf_byte(path: Path) -> None:
    """Change one letter of the Producer string: still a well-formed PDF, inside the signed range."""
    data = path.read_bytes()
    at = data.index(b"WeasyPrint")
    flip_byte(path, at + 1)


def resign_statement(folder: Path, key_dir: Path) -> None:
    """Re-create report.intoto.json over the folder as it is now (an insider with the key)."""
    material = load_key_material(key_dir, PASSPHRASE)
    statement = build_statement(folder, predicate_from_report_json(folder))
    env = sign_envelope(statement, IN_TOTO_PAYLOAD_TYPE, material.signer_key, material.key_id)
    (folder / "report.intoto.json").write_bytes(envelope_bytes(env))


def statement_of(folder: Path) -> bytes:
    return base64.b64decode(json.loads((folder / "report.intoto.json").read_text())["payload"])
