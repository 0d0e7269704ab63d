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
def quiet_pyhanko():
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


def sign_pdf(
    path: Path, dest: Path, material: KeyMaterial, *, visible: bool = False, timestamper=None,
    tsa_roots: list[x509.Certificate] | None = None,
) -> None:
    """Write the PDF at `path`, with an embedded PAdES signature, to `dest`.

    B-B by default; with a `timestamper` (tsa.http_timestamper) the signature gets an RFC 3161
    signature timestamp: PAdES baseline B-T. With `tsa_roots` as well (long-term), the
    validation data of the signer's and the TSA's chains (certificates, the issuer's CRLs) goes
    into the document security store and a document timestamp covers everything: PAdES
    baseline B-LTA, which validators check at the timestamps' times, without the issuer.
    """
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers
    from pyhanko.stamp import TextStampStyle
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    from auditor.signing.tsa import TsaError

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
    long_term = {}
    if tsa_roots is not None:
        from pyhanko.sign.signers.pdf_signer import (
            DSSContentSettings,
            SigDSSPlacementPreference,
            TimestampDSSContentSettings,
        )
        from pyhanko_certvalidator import ValidationContext

        long_term = dict(
            embed_validation_info=True,
            use_pades_lta=True,
            validation_context=ValidationContext(
                trust_roots=[_asn1_cert(c) for c in [*extra, *tsa_roots] if c.subject == c.issuer],
                other_certs=[_asn1_cert(c) for c in material.chain],
                crls=[c.public_bytes(serialization.Encoding.DER) for c in material.crls],
                allow_fetching=False,  # the issuer's CRLs come from the key directory, nothing from the network
                revocation_mode="soft-fail",
            ),
            # The TSA's validation data goes in before the document timestamp, so the timestamp
            # is the last thing in the file and covers all of it (whole-file coverage is checked).
            dss_settings=DSSContentSettings(
                placement=SigDSSPlacementPreference.SEPARATE_REVISION,
                next_ts_settings=TimestampDSSContentSettings(update_before_ts=True, include_vri=False),
            ),
        )
    meta = signers.PdfSignatureMetadata(
        field_name=SIGNATURE_FIELD,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,  # ETSI.CAdES.detached: PAdES baseline B-B (B-T with a timestamp)
        reason="Audit report issued by auditor",
        **long_term,
    )
    field_spec = (
        fields.SigFieldSpec(SIGNATURE_FIELD, on_page=0, box=VISIBLE_BOX) if visible else None
    )
    stamp = TextStampStyle(stamp_text="Digitally signed by\n%(signer)s\n%(ts)s") if visible else None
    try:
        data = path.read_bytes()
        writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
        pdf_signer = signers.PdfSigner(meta, signer=signer, timestamper=timestamper,
                                       new_field_spec=field_spec, stamp_style=stamp)
        out = io.BytesIO()
        with quiet_pyhanko():
            pdf_signer.sign_pdf(writer, output=out)
    except (SigningError, TsaError):
        raise
    except Exception as exc:  # pyHanko raises many types for broken PDFs; the user needs the file name
        cause = exc.__cause__ or exc.__context__
        if isinstance(cause, TsaError):
            raise cause from None
        raise SigningError(f"{path}: cannot sign this PDF ({type(exc).__name__}: {exc})") from None
    write_public(dest, out.getvalue())


def validate_pdf(
    path: Path,
    trust_roots: list[x509.Certificate],
    expected_signer: x509.Certificate | None,
    *,
    other_certs: list[x509.Certificate] = (),
    at: dt.datetime | None = None,
    tsa_roots: list[x509.Certificate] = (),
) -> tuple[bool, str]:
    """(ok, message) for the PDF signatures at `path`; never raises.

    A signature with an RFC 3161 signature timestamp (PAdES B-T) is checked at the timestamp's
    time, once the timestamp itself verifies against `tsa_roots`; otherwise at `at` (now).
    """
    try:
        with quiet_pyhanko():
            return _validate_pdf(path, trust_roots, expected_signer, list(other_certs), at, list(tsa_roots))
    except Exception as exc:  # the validator's own failures are failed verifications, not crashes
        return False, f"PDF signature could not be validated ({type(exc).__name__}: {exc})"


def _fmt(t: dt.datetime) -> str:
    return t.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _vc(roots, other_certs, moment):
    from pyhanko_certvalidator import ValidationContext

    return ValidationContext(
        trust_roots=[_asn1_cert(c) for c in roots],
        other_certs=[_asn1_cert(c) for c in other_certs],
        allow_fetching=False,  # never go to the network while verifying
        revocation_mode="soft-fail",  # revocation is checked against CRLs by revocation.py
        moment=moment,
    )


def _trust_words(status) -> str:
    reason = status.trust_problem_indic
    return TRUST_PROBLEMS.get(reason.name, reason.name) if reason else "no path to a trusted root"


def _signature_time(sig):
    """gen_time of the first signature timestamp token (unsigned attribute), or None."""
    from pyhanko.sign.validation.generic_cms import extract_tst_data_iter

    for signed_data in extract_tst_data_iter(sig.signer_info, signed=False):
        return signed_data["encap_content_info"]["content"].parsed["gen_time"].native
    return None


def _validate_pdf(path, trust_roots, expected_signer, other_certs, at, tsa_roots) -> tuple[bool, str]:
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature, validate_pdf_timestamp
    from pyhanko.sign.validation.status import SignatureCoverageLevel

    from auditor.signing.timestamps import NO_TSA_TRUST

    at = at or dt.datetime.now(dt.timezone.utc)
    with open(path, "rb") as fh:
        reader = PdfFileReader(fh, strict=False)
        sigs = reader.embedded_signatures
        if not sigs:
            return False, "PDF has no embedded signature"
        problems, notes = [], []
        last_signature = None
        for sig in sigs:
            name = sig.field_name
            if sig.sig_object_type == "/DocTimeStamp":
                # PAdES B-LTA: a document timestamp over the file and its validation data
                when = _doc_timestamp_time(sig)
                if not tsa_roots:
                    problems.append(f"document timestamp {name}: {NO_TSA_TRUST}")
                    continue
                status = validate_pdf_timestamp(sig, validation_context=_vc(tsa_roots, [], when))
                if not (status.intact and status.valid):
                    problems.append(f"document timestamp {name}: the timestamped bytes were changed")
                elif not status.trusted:
                    problems.append(f"document timestamp {name}: TSA not trusted ({_trust_words(status)})")
                else:
                    notes.append(f"document timestamp {_fmt(status.timestamp)}")
                continue
            stamped = _signature_time(sig)
            moment = at
            if stamped is not None:
                if not tsa_roots:
                    problems.append(f"signature {name}: signature timestamp not checked: {NO_TSA_TRUST}")
                else:
                    moment = stamped
            status = validate_pdf_signature(sig, signer_validation_context=_vc(trust_roots, other_certs, moment),
                                            ts_validation_context=_vc(tsa_roots, [], stamped))
            last_signature = (sig, status)
            if not status.intact:
                problems.append(f"signature {name}: the signed bytes were changed (digest mismatch)")
            elif not status.valid:
                problems.append(f"signature {name}: the cryptographic signature is invalid")
            elif not status.trusted:
                problems.append(f"signature {name}: signer certificate not trusted ({_trust_words(status)}, "
                                f"checked at {_fmt(moment)})")
            elif not status.bottom_line and not (stamped is not None and not tsa_roots):
                # (an unchecked timestamp also lowers the bottom line; that problem is already said)
                problems.append(f"signature {name}: rejected by the PDF modification policy")
            if stamped is not None and tsa_roots:
                tv = status.timestamp_validity
                if tv is None or not (tv.intact and tv.valid):
                    problems.append(f"signature {name}: its timestamp is not over this signature")
                elif not tv.trusted:
                    problems.append(f"signature {name}: its timestamp is from a TSA that does not chain to a "
                                    f"trusted TSA root ({tv.signing_cert.subject.human_friendly})")
                elif stamped > at:
                    problems.append(f"signature {name}: its timestamp ({_fmt(stamped)}) is later than the time "
                                    f"of verification ({_fmt(at)})")
                else:
                    notes.append(f"signature timestamp {_fmt(stamped)} by {tv.signing_cert.subject.human_friendly}, "
                                 f"certificate checked at that time")
        last_sig = sigs[-1]
        coverage = _coverage(last_sig, last_signature)
        if coverage != SignatureCoverageLevel.ENTIRE_FILE:
            problems.append(
                f"signature {last_sig.field_name} does not cover the entire file "
                f"(coverage {coverage.name}: bytes were added after signing)"
            )
        if last_signature is None:
            problems.append("PDF has no signature, only document timestamps")
        elif expected_signer is not None:
            signer_der = last_signature[1].signing_cert.dump()
            if signer_der != expected_signer.public_bytes(serialization.Encoding.DER):
                problems.append("the PDF was signed with a different certificate than signer.pem")
        if problems:
            return False, "; ".join(problems)
        subject = last_signature[1].signing_cert.subject.human_friendly
        level = "B-LTA" if any(s.sig_object_type == "/DocTimeStamp" for s in sigs) else (
            "B-T" if _signature_time(last_signature[0]) is not None else "B-B")
        extra = f"; {'; '.join(notes)}" if notes else ""
        coverage = "its document timestamp covers the entire file" if level == "B-LTA" else "covers the entire file"
        return True, f"PAdES signature valid, {coverage}, signed by {subject} (baseline {level}){extra}"


def _doc_timestamp_time(sig) -> dt.datetime:
    return sig.signed_data["encap_content_info"]["content"].parsed["gen_time"].native


def _coverage(sig, last_signature):
    """Coverage of the last signature or document timestamp in the file."""
    if last_signature is not None and last_signature[0] is sig:
        return last_signature[1].coverage
    sig.compute_integrity_info()
    return sig.coverage
