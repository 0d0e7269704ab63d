"""Withdrawing a signing key: a CRL signed by the issuer's root, checked at the time a signature is relied on.

`auditor keys revoke KEYDIR --reason keyCompromise` adds the signing certificate to
KEYDIR/crl.pem (RFC 5280 CRL, signed by KEYDIR/root.key.pem); the issuer publishes that file at
the URL the certificate names in its CRL distribution point (`keys generate --crl-url`).
`verify` reads CRLs given with --crl and those embedded in the PDFs' validation data (PAdES
B-LT/B-LTA document security store). A signature whose relied-on time (its trusted timestamp,
else the time of verification) is at or after the revocation date fails; one timestamped
before it still verifies: revocation withdraws the key from that moment on.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization

from auditor.signing.errors import SigningError

CRL_FILE = "crl.pem"
CRL_VALID_DAYS = 30  # nextUpdate: verifiers expect a fresh CRL within this period

# RFC 5280 section 5.3.1 reason codes, by the names the RFC uses.
REASONS = {
    "unspecified": x509.ReasonFlags.unspecified,
    "keyCompromise": x509.ReasonFlags.key_compromise,
    "affiliationChanged": x509.ReasonFlags.affiliation_changed,
    "superseded": x509.ReasonFlags.superseded,
    "cessationOfOperation": x509.ReasonFlags.cessation_of_operation,
}


def _fmt(t: dt.datetime) -> str:
    return t.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def build_crl(root: x509.Certificate, root_key, entries: list[x509.RevokedCertificate],
              now: dt.datetime, number: int) -> x509.CertificateRevocationList:
    builder = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(root.subject)
        .last_update(now)
        .next_update(now + dt.timedelta(days=CRL_VALID_DAYS))
        .add_extension(x509.CRLNumber(number), critical=False)
    )
    try:
        ski = root.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
        builder = builder.add_extension(x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ski), critical=False)
    except x509.ExtensionNotFound:
        pass
    for entry in entries:
        builder = builder.add_revoked_certificate(entry)
    return builder.sign(root_key, hashes.SHA256())


def crl_number(crl: x509.CertificateRevocationList) -> int:
    try:
        return crl.extensions.get_extension_for_class(x509.CRLNumber).value.crl_number
    except x509.ExtensionNotFound:
        return 0


def revoked_entry(serial: int, when: dt.datetime, reason: str) -> x509.RevokedCertificate:
    return (
        x509.RevokedCertificateBuilder()
        .serial_number(serial)
        .revocation_date(when)
        .add_extension(x509.CRLReason(REASONS[reason]), critical=False)
        .build()
    )


def load_crls(path: Path) -> list[x509.CertificateRevocationList]:
    """The CRLs in a PEM file (one or more) or a single DER CRL, with a clear error."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SigningError(f"{path}: cannot read ({exc.strerror or exc})") from None
    try:
        if b"-----BEGIN" not in data:
            return [x509.load_der_x509_crl(data)]
        blocks = data.split(b"-----END X509 CRL-----")
        return [x509.load_pem_x509_crl(b + b"-----END X509 CRL-----\n") for b in blocks if b"-----BEGIN X509 CRL-----" in b]
    except ValueError as exc:
        raise SigningError(f"{path}: not a PEM or DER certificate revocation list ({exc})") from None


def crl_pem(crl: x509.CertificateRevocationList) -> bytes:
    return crl.public_bytes(serialization.Encoding.PEM)


def crls_in_pdf(path: Path) -> list[x509.CertificateRevocationList]:
    """CRLs from the PDF's document security store (validation data of PAdES B-LT/B-LTA); never raises."""
    try:
        from pyhanko.pdf_utils.reader import PdfFileReader
        from pyhanko.sign.validation.dss import DocumentSecurityStore

        with open(path, "rb") as fh:
            dss = DocumentSecurityStore.read_dss(PdfFileReader(fh, strict=False))
            # /DSS /CRLs: references to streams holding DER CRLs (ISO 32000-2, 12.8.4.3)
            return [x509.load_der_x509_crl(ref.get_object().data) for ref in dss.crls]
    except Exception:  # no DSS, or one we cannot read: it simply contributes no CRL
        return []


def revoke_signer(key_dir: Path, passphrase: str, reason: str, when: dt.datetime | None) -> tuple[Path, dt.datetime, str | None]:
    """Add the key directory's signing certificate to its crl.pem; (crl path, revocation time, CRL URL or None)."""
    from auditor.signing.keys import (
        CRL_FILE as KEYS_CRL,
    )
    from auditor.signing.keys import (
        ROOT_CERT,
        ROOT_KEY,
        SIGNER_CERT,
        check_private_file,
        load_cert,
        load_private_key,
    )
    from auditor.signing.securefile import write_public

    key_dir = Path(key_dir)
    if reason not in REASONS:
        raise SigningError(f"unknown reason {reason!r} (one of {', '.join(sorted(REASONS))})")
    missing = [n for n in (SIGNER_CERT, ROOT_CERT, ROOT_KEY) if not (key_dir / n).is_file()]
    if missing:
        raise SigningError(f"{key_dir}: missing {', '.join(missing)}; only the root that issued a certificate can "
                           "revoke it (for an organisation's certificate, ask the CA that issued it)")
    signer, root = load_cert(key_dir / SIGNER_CERT), load_cert(key_dir / ROOT_CERT)
    check_private_file(key_dir / ROOT_KEY)
    root_key = load_private_key(key_dir / ROOT_KEY, passphrase)
    now = dt.datetime.now(dt.timezone.utc)
    when = when or now
    if when > now:
        raise SigningError("--date is in the future; revoke when the key stops being trustworthy")
    old = load_crls(key_dir / KEYS_CRL) if (key_dir / KEYS_CRL).is_file() else []
    entries = [e for crl in old for e in crl]
    if any(e.serial_number == signer.serial_number for e in entries):
        raise SigningError(f"{key_dir}: the signing certificate is already revoked in {KEYS_CRL}")
    number = max((crl_number(c) for c in old), default=0) + 1
    crl = build_crl(root, root_key, [*entries, revoked_entry(signer.serial_number, when, reason)], now, number)
    write_public(key_dir / KEYS_CRL, crl_pem(crl))
    try:
        points = signer.extensions.get_extension_for_class(x509.CRLDistributionPoints).value
        urls = [n.value for p in points for n in (p.full_name or []) if isinstance(n, x509.UniformResourceIdentifier)]
    except x509.ExtensionNotFound:
        urls = []
    return key_dir / KEYS_CRL, when, (urls[0] if urls else None)


@dataclass(frozen=True)
class RevocationCheck:
    ok: bool
    message: str


def check_revocation(
    cert: x509.Certificate,
    issuers: list[x509.Certificate],
    crls: list[x509.CertificateRevocationList],
    relied: dt.datetime,
) -> RevocationCheck | None:
    """Is `cert` revoked at `relied`, by a CRL its issuer signed? None when no CRL of its issuer is at hand."""
    issuer = next((i for i in issuers if i.subject == cert.issuer), None)
    mine = [c for c in crls if c.issuer == cert.issuer]
    if issuer is None or not mine:
        return None
    genuine = [c for c in mine if _signed_by(c, issuer)]
    if not genuine:
        return RevocationCheck(False, f"the CRL for issuer {cert.issuer.rfc4514_string()} is not signed by that issuer")
    for crl in genuine:
        entry = crl.get_revoked_certificate_by_serial_number(cert.serial_number)
        if entry is None:
            continue
        when = entry.revocation_date_utc
        try:
            reason = entry.extensions.get_extension_for_class(x509.CRLReason).value.reason
            words = next((name for name, flag in REASONS.items() if flag == reason), reason.name)
        except x509.ExtensionNotFound:
            words = "no reason given"
        if relied >= when:
            return RevocationCheck(False, f"signer certificate REVOKED on {_fmt(when)} ({words}); the signature's "
                                          f"time {_fmt(relied)} is not before it")
        return RevocationCheck(True, f"revoked on {_fmt(when)} ({words}), after the signature's time {_fmt(relied)}")
    latest = max(genuine, key=lambda c: c.last_update_utc)
    return RevocationCheck(True, f"not revoked (CRL of {_fmt(latest.last_update_utc)})")


def _signed_by(crl: x509.CertificateRevocationList, issuer: x509.Certificate) -> bool:
    try:
        return crl.is_signature_valid(issuer.public_key())
    except Exception:  # unsupported or mismatched key type: not signed by it
        return False
