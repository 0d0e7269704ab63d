"""Sign a report folder: PAdES inside every PDF, then a DSSE envelope over all files."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import serialization

from auditor.signing.chain import verify_chain
from auditor.signing.dsse import IN_TOTO_PAYLOAD_TYPE, envelope_bytes, sign_envelope
from auditor.signing.errors import SigningError
from auditor.signing.keys import KeyMaterial, load_key_material
from auditor.signing.pdf import pdf_signature_count, sign_pdf
from auditor.signing.securefile import write_public
from auditor.signing.statement import (
    CHAIN_PEM,
    ENVELOPE_FILE,
    ROOT_PEM,
    SIGNER_PEM,
    build_statement,
    check_name,
    predicate_from_report_json,
    report_files,
)


@dataclass(frozen=True)
class SignResult:
    envelope: Path
    key_id: str
    files: tuple[str, ...]  # subjects of the statement
    pdfs_signed: tuple[str, ...]


def sign_report(
    out_dir: Path,
    key_dir: Path,
    passphrase: str | None,
    predicate_metadata: dict | None = None,
    *,
    visible_signature: bool = False,
) -> SignResult:
    """Sign the report folder `out_dir` with the key directory or PKCS#12 file `key_dir`.

    Every PDF gets an embedded PAdES B-B signature; then every file is listed with its sha256
    in an in-toto Statement (predicate: metadata from report.json, updated with
    `predicate_metadata`), signed as a DSSE envelope into report.intoto.json, next to
    signer.pem and root.pem. Raises SigningError (a message for the user) on any problem,
    before any file is changed where that can be checked up front.
    """
    material = prepare_signing(key_dir, passphrase)
    return sign_folder(Path(out_dir), material, predicate_metadata, visible_signature=visible_signature)


def prepare_signing(key_dir: Path, passphrase: str | None) -> KeyMaterial:
    """Load the signing key and check its certificate chain now, so that `auditor audit
    --sign` can refuse a bad key, passphrase or certificate before writing any report file."""
    material = load_key_material(Path(key_dir), passphrase)
    now = dt.datetime.now(dt.timezone.utc)
    roots = [material.root] if material.root is not None else []
    problems, _ = verify_chain(material.signer_cert, list(material.chain), roots, now)
    if material.root is None:
        # Without a root we can only check the signer's own validity window.
        problems = [p for p in problems if "not issued by a trusted root" not in p]
    if problems:
        raise SigningError(f"{material.source}: cannot sign: " + "; ".join(problems))
    return material


def sign_folder(
    folder: Path,
    material: KeyMaterial,
    predicate_metadata: dict | None = None,
    *,
    visible_signature: bool = False,
) -> SignResult:
    """The signing steps without the certificate-validity precheck of sign_report."""
    folder = Path(folder)
    if not folder.is_dir():
        raise SigningError(f"{folder}: not a report folder")
    files, problems = report_files(folder)
    if problems:
        raise SigningError(f"{folder}: " + "; ".join(problems))
    if not files:
        raise SigningError(f"{folder}: no report files to sign")
    for rel in files:
        check_name(rel)
    predicate = predicate_from_report_json(folder)
    predicate.update(predicate_metadata or {})
    pdfs = [rel for rel in files if rel.lower().endswith(".pdf")]
    for rel in pdfs:
        try:
            count = pdf_signature_count(folder / rel)
        except Exception as exc:  # unreadable PDF: say which file
            raise SigningError(f"{folder / rel}: not a readable PDF ({type(exc).__name__}: {exc})") from None
        if count:
            raise SigningError(f"{folder / rel} is already signed; re-render the report before signing it again")

    for rel in pdfs:
        sign_pdf(folder / rel, material, visible=visible_signature)
    # Certificates first: the statement lists them with their digests like every other file.
    pem = serialization.Encoding.PEM
    write_public(folder / SIGNER_PEM, material.signer_cert.public_bytes(pem))
    for name, certs in ((ROOT_PEM, [material.root] if material.root else []), (CHAIN_PEM, list(material.chain))):
        if certs:
            write_public(folder / name, b"".join(c.public_bytes(pem) for c in certs))
        elif (folder / name).exists():
            (folder / name).unlink()  # stale file from an earlier signature
    statement = build_statement(folder, predicate)
    envelope = sign_envelope(statement, IN_TOTO_PAYLOAD_TYPE, material.signer_key, material.key_id)
    write_public(folder / ENVELOPE_FILE, envelope_bytes(envelope))
    return SignResult(folder / ENVELOPE_FILE, material.key_id, tuple(files), tuple(pdfs))
