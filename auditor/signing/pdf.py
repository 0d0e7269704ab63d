"""PAdES baseline B-B signing and strict validation of report.pdf through pyHanko.

Validation is strict on purpose: pyHanko happily reports a signature as valid when bytes were
appended after it (an incremental update), so we also require that the last signature covers
the entire file, and any exception from the validator is a failed verification, not a crash.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import logging
from pathlib import Path

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import serialization

from auditor.formats.pdf_layout import SIGNATURE_BOX
from auditor.signing.errors import SigningError
from auditor.signing.keys import KeyMaterial
from auditor.signing.securefile import write_public

SIGNATURE_FIELD = "AuditorReportSignature"
# The box the cover keeps free for it (bottom right of the content area, above the footer).
VISIBLE_BOX = SIGNATURE_BOX


# pyHanko's trust-problem indications, in words a reader of the verdict understands.
TRUST_PROBLEMS = {
    "OUT_OF_BOUNDS_NO_POE": "certificate expired or not yet valid at the time of verification",
    "NO_CERTIFICATE_CHAIN_FOUND": "no path to a trusted root",
    "REVOKED_NO_POE": "certificate revoked",
    "CHAIN_CONSTRAINTS_FAILURE": "certificate chain constraints not met (e.g. key usage)",
}


@contextlib.contextmanager
def _quiet_pyhanko():
    """pyHanko logs validation failures with full tracebacks; we report them as verdicts instead."""
    loggers = [logging.getLogger(n) for n in ("pyhanko", "pyhanko_certvalidator")]
    levels = [lg.level for lg in loggers]
    for lg in loggers:
        lg.setLevel(logging.CRITICAL + 1)
    try:
        yield
    finally:
        for lg, level in zip(loggers, levels):
            lg.setLevel(level)


def _asn1_cert(cert: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))


def pdf_signature_count(path: Path) -> int:
    from pyhanko.pdf_utils.reader import PdfFileReader

    with open(path, "rb") as fh:
        return len(PdfFileReader(fh, strict=False).embedded_signatures)


def sign_pdf(path: Path, material: KeyMaterial, *, visible: bool = False) -> None:
    """Embed a PAdES B-B signature into the PDF at `path` (replaced atomically)."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers
    from pyhanko.stamp import TextStampStyle
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    path = Path(path)
    key_der = material.signer_key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    extra = [*material.chain, *([material.root] if material.root is not None else [])]
    signer = signers.SimpleSigner(
        signing_cert=_asn1_cert(material.signer_cert),
        signing_key=asn1_keys.PrivateKeyInfo.load(key_der),
        # The chain travels inside the CMS so validators can build the path to the root.
        cert_registry=SimpleCertificateStore.from_certs([_asn1_cert(c) for c in extra]),
    )
    meta = signers.PdfSignatureMetadata(
        field_name=SIGNATURE_FIELD,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,  # ETSI.CAdES.detached: PAdES baseline B-B
        reason="Audit report issued by auditor",
    )
    field_spec = (
        fields.SigFieldSpec(SIGNATURE_FIELD, on_page=0, box=VISIBLE_BOX) if visible else None
    )
    stamp = TextStampStyle(stamp_text="Digitally signed by\n%(signer)s\n%(ts)s") if visible else None
    try:
        data = path.read_bytes()
        writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
        pdf_signer = signers.PdfSigner(meta, signer=signer, new_field_spec=field_spec, stamp_style=stamp)
        out = io.BytesIO()
        with _quiet_pyhanko():
            pdf_signer.sign_pdf(writer, output=out)
    except SigningError:
        raise
    except Exception as exc:  # pyHanko raises many types for broken PDFs; the user needs the file name
        raise SigningError(f"{path}: cannot sign this PDF ({type(exc).__name__}: {exc})") from None
    write_public(path, out.getvalue())


def validate_pdf(
    path: Path,
    trust_roots: list[x509.Certificate],
    expected_signer: x509.Certificate | None,
    *,
    other_certs: list[x509.Certificate] = (),
    at: dt.datetime | None = None,
) -> tuple[bool, str]:
    """(ok, message) for the PDF signatures at `path`; never raises."""
    try:
        with _quiet_pyhanko():
            return _validate_pdf(path, trust_roots, expected_signer, list(other_certs), at)
    except Exception as exc:  # the validator's own failures are failed verifications, not crashes
        return False, f"PDF signature could not be validated ({type(exc).__name__}: {exc})"


def _validate_pdf(path, trust_roots, expected_signer, other_certs, at) -> tuple[bool, str]:
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    with open(path, "rb") as fh:
        reader = PdfFileReader(fh, strict=False)
        sigs = reader.embedded_signatures
        if not sigs:
            return False, "PDF has no embedded signature"
        problems = []
        statuses = []
        for sig in sigs:
            vc = ValidationContext(
                trust_roots=[_asn1_cert(c) for c in trust_roots],
                other_certs=[_asn1_cert(c) for c in other_certs],
                allow_fetching=False,  # never go to the network while verifying
                revocation_mode="soft-fail",  # a local CA publishes no CRL/OCSP
                moment=at,
            )
            status = validate_pdf_signature(sig, signer_validation_context=vc)
            statuses.append((sig, status))
        last_sig, last = statuses[-1]
        for sig, status in statuses:
            name = sig.field_name
            if not status.intact:
                problems.append(f"signature {name}: the signed bytes were changed (digest mismatch)")
            elif not status.valid:
                problems.append(f"signature {name}: the cryptographic signature is invalid")
            elif not status.trusted:
                reason = status.trust_problem_indic
                words = TRUST_PROBLEMS.get(reason.name, reason.name) if reason else "no path to a trusted root"
                problems.append(f"signature {name}: signer certificate not trusted ({words})")
            elif not status.bottom_line:
                problems.append(f"signature {name}: rejected by the PDF modification policy")
        if last.coverage != SignatureCoverageLevel.ENTIRE_FILE:
            problems.append(
                f"signature {last_sig.field_name} does not cover the entire file "
                f"(coverage {last.coverage.name}: bytes were added after signing)"
            )
        if expected_signer is not None:
            signer_der = last.signing_cert.dump()
            if signer_der != expected_signer.public_bytes(serialization.Encoding.DER):
                problems.append("the PDF was signed with a different certificate than signer.pem")
        if problems:
            return False, "; ".join(problems)
        subject = last.signing_cert.subject.human_friendly
        return True, f"PAdES signature valid, covers the entire file, signed by {subject}"
