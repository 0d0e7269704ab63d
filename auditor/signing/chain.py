"""Certificate path check: signer -> optional intermediates -> a trusted root, at a given time.

Deliberately small and explicit (the same checks `openssl verify` makes for this profile):
issuer signature, validity window of every certificate, CA flag and keyCertSign on issuers,
digitalSignature/nonRepudiation on the signer.
"""

from __future__ import annotations

import datetime as dt

from cryptography import x509

MAX_DEPTH = 8


def _cn(name: x509.Name) -> str:
    """The common name, quoted (full distinguished names make verdict lines unreadable)."""
    cns = name.get_attributes_for_oid(x509.NameOID.COMMON_NAME)
    return repr(cns[0].value) if cns else name.rfc4514_string()


def _name(cert: x509.Certificate) -> str:
    return _cn(cert.subject)


def _issued_by(cert: x509.Certificate, issuer: x509.Certificate) -> bool:
    if cert.issuer != issuer.subject:
        return False
    try:
        cert.verify_directly_issued_by(issuer)
    except Exception:  # InvalidSignature, ValueError, TypeError for mismatched algorithms
        return False
    return True


def _time_problem(cert: x509.Certificate, at: dt.datetime, role: str) -> str | None:
    if at < cert.not_valid_before_utc:
        return f"{role} certificate {_name(cert)} is not valid before {cert.not_valid_before_utc:%Y-%m-%dT%H:%M:%SZ}"
    if at > cert.not_valid_after_utc:
        return f"{role} certificate {_name(cert)} expired on {cert.not_valid_after_utc:%Y-%m-%dT%H:%M:%SZ}"
    return None


def _ext(cert: x509.Certificate, cls):
    try:
        return cert.extensions.get_extension_for_class(cls).value
    except x509.ExtensionNotFound:
        return None


def verify_chain(
    signer: x509.Certificate,
    intermediates: list[x509.Certificate],
    trust_roots: list[x509.Certificate],
    at: dt.datetime,
) -> tuple[list[str], x509.Certificate | None]:
    """(problems, the trusted root reached or None). No problems means the path is valid at `at`."""
    problems: list[str] = []
    ku = _ext(signer, x509.KeyUsage)
    if ku is not None and not (ku.digital_signature or ku.content_commitment):
        problems.append("signer certificate may not be used for signatures (key usage)")
    bc = _ext(signer, x509.BasicConstraints)
    if bc is not None and bc.ca:
        problems.append("signer certificate is a CA certificate, not a signing certificate")
    current, role, pool = signer, "signer", list(intermediates)
    for _ in range(MAX_DEPTH):
        if (p := _time_problem(current, at, role)) is not None:
            problems.append(p)
        root = next((r for r in trust_roots if _issued_by(current, r)), None)
        issuer = root or next((c for c in pool if _issued_by(current, c)), None)
        if issuer is None:
            problems.append(
                f"{role} certificate {_name(current)} is not issued by a trusted root "
                f"(its issuer is {_cn(current.issuer)})"
            )
            return problems, None
        ibc, iku = _ext(issuer, x509.BasicConstraints), _ext(issuer, x509.KeyUsage)
        if ibc is None or not ibc.ca or (iku is not None and not iku.key_cert_sign):
            problems.append(f"issuer {_name(issuer)} is not a CA certificate")
        if root is not None:
            if (p := _time_problem(root, at, "root")) is not None:
                problems.append(p)
            return problems, root
        pool.remove(issuer)
        current, role = issuer, "intermediate"
    problems.append("certificate chain is too long")
    return problems, None
