"""Check an RFC 3161 timestamp token against the bytes it should cover and the TSA roots we trust.

pyHanko's `validate_tst_signed_data` does the work (CMS signature, message imprint, TSA path
with the timeStamping extended key usage). The TSA's chain is checked at the token's own time,
as Sigstore verifiers do: a TSA certificate that expired since does not undo what it stamped
while valid. A failed check is a sentence for the verdict, never an exception.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
from dataclasses import dataclass

from asn1crypto import cms
from cryptography import x509
from cryptography.hazmat.primitives import serialization

from auditor.signing.pdf import quiet_pyhanko
from auditor.signing.tsa import TsaError, parse_reply, token_time, token_tsa_name

NO_TSA_TRUST = "no trusted TSA root given: pass --tsa-trust TSA_ROOT.pem (the time-stamping authority's root certificate)"


@dataclass(frozen=True)
class TokenCheck:
    ok: bool
    time: dt.datetime | None  # the token's genTime, when the token could be read
    tsa: str
    problem: str = ""


def fmt_time(t: dt.datetime) -> str:
    return t.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _asn1(cert: x509.Certificate):
    from asn1crypto import x509 as asn1_x509

    return asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))


def check_token(token: cms.ContentInfo, covered: bytes, tsa_roots: list[x509.Certificate]) -> TokenCheck:
    """Is `token` a timestamp over SHA-256-or-other(`covered`) by a TSA chaining to `tsa_roots`?"""
    from pyhanko.sign.validation.generic_cms import validate_tst_signed_data
    from pyhanko.sign.validation.status import TimestampSignatureStatus
    from pyhanko_certvalidator import ValidationContext

    try:
        when = token_time(token)
        tsa = token_tsa_name(token)
    except Exception as exc:  # malformed token: a verdict
        return TokenCheck(False, None, "?", f"the timestamp token cannot be read ({type(exc).__name__})")
    if not tsa_roots:
        return TokenCheck(False, when, tsa, NO_TSA_TRUST)
    vc = ValidationContext(trust_roots=[_asn1(c) for c in tsa_roots], moment=when, allow_fetching=False,
                           revocation_mode="soft-fail")
    try:
        with quiet_pyhanko():
            status = TimestampSignatureStatus(**asyncio.run(validate_tst_signed_data(
                token["content"], vc, lambda alg: hashlib.new(alg, covered).digest())))
    except Exception as exc:  # pyHanko's own failures are failed verifications
        return TokenCheck(False, when, tsa, f"the timestamp token could not be validated ({type(exc).__name__}: {exc})")
    if not status.intact:
        return TokenCheck(False, when, tsa, "the timestamp is over other bytes, not over this signature")
    if not status.valid:
        return TokenCheck(False, when, tsa, "the timestamp token's signature does not verify")
    if not status.trusted:
        indic = status.trust_problem_indic
        why = f" ({indic.name})" if indic is not None else ""
        return TokenCheck(False, when, tsa, f"the timestamp is from a TSA that does not chain to a trusted TSA root{why}: {tsa}")
    return TokenCheck(True, when, tsa)


def check_reply(reply_der: bytes, covered: bytes, tsa_roots: list[x509.Certificate]) -> TokenCheck:
    """As check_token, for a whole DER TimeStampResp (what the Sigstore bundle stores)."""
    try:
        resp = parse_reply("the stored timestamp reply", reply_der)
    except TsaError as exc:
        return TokenCheck(False, None, "?", str(exc))
    return check_token(resp["time_stamp_token"], covered, tsa_roots)
