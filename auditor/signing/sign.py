"""Sign a report folder: PAdES inside every PDF, then a DSSE envelope over all files.

All or nothing: the signed PDFs, certificates, envelope and timestamp bundle are prepared in a
temporary folder inside the report folder (same file system) and only then renamed into place,
PDFs last. A run that fails or is killed before that leaves the report as it was (plus the
temporary folder, which the next `sign` removes and `verify` reports), so it can be signed again.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import serialization

from auditor.signing.chain import verify_chain
from auditor.signing.dsse import IN_TOTO_PAYLOAD_TYPE, envelope_bytes, sign_envelope
from auditor.signing.errors import SigningError
from auditor.signing.keys import KeyMaterial, load_key_material
from auditor.signing.pdf import pdf_signature_count, sign_pdf
from auditor.signing.revocation import check_revocation
from auditor.signing.securefile import write_public
from auditor.signing.statement import (
    BUNDLE_FILE,
    CHAIN_PEM,
    ENVELOPE_FILE,
    ROOT_PEM,
    SIGNATURE_FILES,
    SIGNER_PEM,
    STAGING_PREFIX,
    check_name,
    predicate_from_report_json,
    report_files,
    serialize_statement,
    sha256_file,
)


@dataclass(frozen=True)
class SignResult:
    envelope: Path
    key_id: str
    files: tuple[str, ...]  # the report files signed (the statement also lists the certificates)
    pdfs_signed: tuple[str, ...]
    timestamp: str | None = None  # "by TSA at TIME" when the signature was timestamped


def sign_report(
    out_dir: Path,
    key_dir: Path,
    passphrase: str | None,
    predicate_metadata: dict | None = None,
    *,
    visible_signature: bool = False,
    tsa_url: str | None = None,
    long_term: bool = False,
) -> SignResult:
    """Sign the report folder `out_dir` with the key directory or PKCS#12 file `key_dir`.

    Every PDF gets an embedded PAdES signature (B-B; B-T with `tsa_url`); then every file is
    listed with its sha256 in an in-toto Statement (predicate: metadata from report.json,
    updated with `predicate_metadata`), signed as a DSSE envelope into report.intoto.json, next
    to signer.pem and root.pem; with `tsa_url` the DSSE signature's RFC 3161 timestamp goes into
    report.sigstore.json; `long_term` (needs `tsa_url`) makes the PDF signature PAdES B-LTA.
    Raises SigningError (a message for the user) on any problem; the
    folder is then left as it was.
    """
    material = prepare_signing(key_dir, passphrase, tsa_url=tsa_url)
    return sign_folder(Path(out_dir), material, predicate_metadata, visible_signature=visible_signature,
                       tsa_url=tsa_url, long_term=long_term)


def prepare_signing(key_dir: Path, passphrase: str | None, *, tsa_url: str | None = None) -> KeyMaterial:
    """Load the signing key, check its certificate chain and ask the TSA once, now, so that
    `auditor audit --sign` can refuse a bad key, passphrase, certificate or time-stamping
    authority before writing any report file."""
    material = load_key_material(Path(key_dir), passphrase)
    now = dt.datetime.now(dt.timezone.utc)
    roots = [material.root] if material.root is not None else []
    problems, _ = verify_chain(material.signer_cert, list(material.chain), roots, now)
    if material.root is None:
        # Without a root we can only check the signer's own validity window.
        problems = [p for p in problems if "not issued by a trusted root" not in p]
    if problems:
        raise SigningError(f"{material.source}: cannot sign: " + "; ".join(problems))
    issuers = [*material.chain, *([material.root] if material.root is not None else [])]
    revoked = check_revocation(material.signer_cert, issuers, list(material.crls), now)
    if revoked is not None and not revoked.ok:
        raise SigningError(f"{material.source}: cannot sign: {revoked.message} (auditor keys revoke)")
    if tsa_url is not None:
        from auditor.signing.tsa import probe

        probe(tsa_url)
    return material


def sign_folder(
    folder: Path,
    material: KeyMaterial,
    predicate_metadata: dict | None = None,
    *,
    visible_signature: bool = False,
    tsa_url: str | None = None,
    long_term: bool = False,
) -> SignResult:
    """The signing steps without the certificate-validity precheck of sign_report."""
    folder = Path(folder)
    if long_term and tsa_url is None:
        raise SigningError("long-term signatures (PAdES B-LTA) need a time-stamping authority (--tsa URL)")
    if not folder.is_dir():
        raise SigningError(f"{folder}: not a report folder")
    _remove_stale_staging(folder)
    files, problems = report_files(folder)
    if problems:
        raise SigningError(f"{folder}: " + "; ".join(problems))
    content = [rel for rel in files if rel not in SIGNATURE_FILES]
    if not content:
        raise SigningError(f"{folder}: no report files to sign")
    for rel in content:
        check_name(rel)
    predicate = predicate_from_report_json(folder)
    predicate.update(predicate_metadata or {})
    pdfs = [rel for rel in content if rel.lower().endswith(".pdf")]
    for rel in pdfs:
        try:
            count = pdf_signature_count(folder / rel)
        except Exception as exc:  # unreadable PDF: say which file
            raise SigningError(f"{folder / rel}: not a readable PDF ({type(exc).__name__}: {exc})") from None
        if count:
            raise SigningError(f"{folder / rel} is already signed; re-render the report before signing it again")
    stamper = tsa_roots = None
    if tsa_url is not None:
        from auditor.signing.tsa import http_timestamper, request_timestamp, token_roots

        stamper = http_timestamper(tsa_url)
        if long_term:
            # The validation data to embed must reach the TSA's root: take it from its own token.
            probe = request_timestamp(stamper, tsa_url, b"auditor: long-term signature")
            tsa_roots = token_roots(probe.token)
            if not tsa_roots:
                raise SigningError(f"time-stamping authority {tsa_url} sends no root certificate in its tokens; "
                                   "long-term validation data cannot be collected")

    stage = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=folder))
    try:
        staged = _prepare(folder, stage, material, content, pdfs, predicate, visible_signature, stamper, tsa_url,
                          tsa_roots)
        # Into place: a reader never sees a signature file half written; PDFs last, so that an
        # interruption leaves unsigned PDFs (the folder then fails verification and can be re-signed).
        for name in (CHAIN_PEM, ROOT_PEM, BUNDLE_FILE):
            if name not in staged.written:
                (folder / name).unlink(missing_ok=True)  # stale file from an earlier signature
        for rel in [*(n for n in staged.written if n not in pdfs), *pdfs]:
            os.replace(stage / rel, folder / rel)
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    return SignResult(folder / ENVELOPE_FILE, material.key_id, tuple(content), tuple(pdfs), staged.timestamp)


@dataclass(frozen=True)
class _Staged:
    written: tuple[str, ...]  # relative names inside the staging folder, to move into place
    timestamp: str | None


def _prepare(folder, stage, material, content, pdfs, predicate, visible, stamper, tsa_url, tsa_roots) -> _Staged:
    written = []
    for rel in pdfs:
        (stage / rel).parent.mkdir(parents=True, exist_ok=True)
        sign_pdf(folder / rel, stage / rel, material, visible=visible, timestamper=stamper, tsa_roots=tsa_roots)
        written.append(rel)
    pem = serialization.Encoding.PEM
    certs = {SIGNER_PEM: [material.signer_cert], ROOT_PEM: [material.root] if material.root else [],
             CHAIN_PEM: list(material.chain)}
    for name, cert_list in certs.items():
        if cert_list:
            write_public(stage / name, b"".join(c.public_bytes(pem) for c in cert_list))
            written.append(name)
    subjects = sorted({*content, *(n for n in written if n in certs)})
    digests = [(rel, sha256_file((stage if rel in written else folder) / rel)) for rel in subjects]
    statement = serialize_statement(digests, predicate)
    envelope = sign_envelope(statement, IN_TOTO_PAYLOAD_TYPE, material.signer_key, material.key_id)
    write_public(stage / ENVELOPE_FILE, envelope_bytes(envelope))
    written.append(ENVELOPE_FILE)
    when = None
    if stamper is not None:
        import base64

        from auditor.signing.bundle import bundle_bytes
        from auditor.signing.tsa import request_timestamp

        # Sigstore's rule: the timestamp is over the signature bytes, so it dates the signature.
        ts = request_timestamp(stamper, tsa_url, base64.b64decode(envelope["signatures"][0]["sig"]))
        write_public(stage / BUNDLE_FILE, bundle_bytes(envelope, material.signer_cert, [ts.response_der]))
        written.append(BUNDLE_FILE)
        when = f"by {ts.tsa_name} at {ts.time:%Y-%m-%dT%H:%M:%SZ}"
    return _Staged(tuple(written), when)


def _remove_stale_staging(folder: Path) -> None:
    """Folders left by a signing run that was killed: never part of a report, safe to remove."""
    for path in folder.iterdir():
        if path.name.startswith(STAGING_PREFIX) and path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
