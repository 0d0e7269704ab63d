"""RFC 3161 time-stamping: ask a time-stamping authority (TSA) over HTTP, check what it answers.

pyHanko's `TimeStamper` is the interface (it builds the request, checks status and nonce, and
the PDF signer calls it for PAdES B-T/B-LTA); `HttpTimeStamper` implements it with the standard
library, so no HTTP client dependency is added. pyHanko does not check that a token is over the
digest we sent, nor that its CMS signature holds: `request_timestamp` does both, so a TSA that
answers badly stops the signing run before anything is written (exit 2), never a silently
untimestamped or wrongly timestamped report.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from asn1crypto import cms, tsp

from auditor.signing.errors import SigningError
from auditor.signing.pdf import quiet_pyhanko

TIMEOUT_SECONDS = 20
MAX_RESPONSE_BYTES = 1 << 20  # a TSA reply is a few kB; never hold more than this
REPLY_TYPE = "application/timestamp-reply"


class TsaError(SigningError):
    """The TSA is unreachable or answered something that is not a valid token for our request."""


def _timestamper_base():
    from pyhanko.sign.timestamps.api import TimeStamper

    return TimeStamper


def check_url(url: str) -> str:
    """Only http(s) URLs: a TSA is a web service (RFC 3161 section 3.4)."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise TsaError(f"--tsa {url!r}: not an http:// or https:// URL of a time-stamping authority")
    return url


def http_timestamper(url: str, timeout: float = TIMEOUT_SECONDS):
    """A pyHanko TimeStamper that POSTs `application/timestamp-query` to `url` (RFC 3161 section 3.4)
    and checks every token it returns (pyHanko's PDF signer calls it for the signature timestamp)."""
    check_url(url)

    class HttpTimeStamper(_timestamper_base()):
        async def async_request_tsa_response(self, req: tsp.TimeStampReq) -> tsp.TimeStampResp:
            return await asyncio.to_thread(_post, url, req.dump(), timeout)

        async def async_checked(self, message_digest: bytes, md_algorithm: str):
            from pyhanko.sign.timestamps.common_utils import TimestampRequestError, handle_tsp_response
            from pyhanko.sign.validation.generic_cms import validate_tst_signed_data
            from pyhanko_certvalidator import ValidationContext

            nonce, req = self.request_cms(message_digest, md_algorithm)
            resp = await self.async_request_tsa_response(req)
            got = resp["time_stamp_token"]["content"]["encap_content_info"]["content"].parsed["nonce"].native
            if nonce is not None and got != nonce:  # (pyHanko's own message for this case is broken)
                raise TsaError(f"time-stamping authority {url} answered a token for another request (nonce "
                               f"{got} instead of {nonce}): a replayed or misdirected answer")
            try:
                token = handle_tsp_response(resp, nonce)  # status and nonce
            except TimestampRequestError as exc:
                raise TsaError(f"time-stamping authority {url}: {exc}") from None
            # Trust is the verifier's business (--tsa-trust); here only soundness is checked.
            vc = ValidationContext(trust_roots=[], allow_fetching=False)
            status = await validate_tst_signed_data(token["content"], vc, lambda alg: message_digest)
            if not status.get("intact"):
                raise TsaError(f"time-stamping authority {url} answered a token over other bytes than requested")
            if not status.get("valid"):
                raise TsaError(f"time-stamping authority {url} answered a token whose signature does not verify")
            return resp, token

        async def async_timestamp(self, message_digest, md_algorithm):
            _, token = await self.async_checked(message_digest, md_algorithm)
            return token

    return HttpTimeStamper()


def _post(url: str, body: bytes, timeout: float) -> tsp.TimeStampResp:
    request = urllib.request.Request(
        url, data=body, method="POST",
        headers={"Content-Type": "application/timestamp-query", "Accept": REPLY_TYPE},
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as reply:  # noqa: S310 (http(s) only, checked)
            ctype = reply.headers.get_content_type()
            data = reply.read(MAX_RESPONSE_BYTES + 1)
    except urllib.error.HTTPError as exc:
        raise TsaError(f"time-stamping authority {url} answered HTTP {exc.code} {exc.reason}") from None
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", None) or exc
        raise TsaError(f"time-stamping authority {url} is unreachable ({reason})") from None
    if len(data) > MAX_RESPONSE_BYTES:
        raise TsaError(f"time-stamping authority {url} answered more than {MAX_RESPONSE_BYTES} bytes")
    if ctype != REPLY_TYPE:
        raise TsaError(f"time-stamping authority {url} answered {ctype!r}, not {REPLY_TYPE}")
    return parse_reply(f"time-stamping authority {url}", data)


class _Reply(tsp.TimeStampResp):
    """TimeStampResp as RFC 3161 section 2.4.2 has it: a refusal carries no token (asn1crypto requires one)."""

    _fields = [("status", tsp.PKIStatusInfo), ("time_stamp_token", cms.ContentInfo, {"optional": True})]


def parse_reply(who: str, data: bytes) -> tsp.TimeStampResp:
    """Status first, then the token; `who` names the source in errors ("time-stamping authority URL")."""
    try:
        resp = _Reply.load(data)
        status = resp["status"]
        granted = status["status"].native in ("granted", "granted_with_mods")
        if not granted:
            words = "; ".join(status["status_string"].native or []) or "no reason given"
            raise TsaError(f"{who} refused the request: {status['status'].native} ({words})")
        if resp["time_stamp_token"].native is None:
            raise TsaError(f"{who} granted the request but sent no token")
        resp = tsp.TimeStampResp.load(data)
        resp.native  # noqa: B018 (parse everything now: asn1crypto is lazy)
    except TsaError:
        raise
    except Exception as exc:  # asn1crypto raises ValueError, TypeError, … on malformed DER
        raise TsaError(f"{who} answered malformed DER ({type(exc).__name__}: {exc})") from None
    return resp


@dataclass(frozen=True)
class Timestamp:
    response_der: bytes  # the whole TimeStampResp, as `openssl ts -reply -in` reads it
    token: cms.ContentInfo
    time: dt.datetime
    tsa_name: str


def token_time(token: cms.ContentInfo) -> dt.datetime:
    return token["content"]["encap_content_info"]["content"].parsed["gen_time"].native


def token_tsa_name(token: cms.ContentInfo) -> str:
    """The subject of the certificate that signed the token (what a reader recognises)."""
    signed = token["content"]
    sid = signed["signer_infos"][0]["sid"].chosen
    for c in signed["certificates"] or ():
        cert = c.chosen
        if isinstance(sid, cms.IssuerAndSerialNumber):
            if cert.issuer == sid["issuer"] and cert.serial_number == sid["serial_number"].native:
                return cert.subject.human_friendly
        elif cert.key_identifier == sid.native:
            return cert.subject.human_friendly
    return "an unnamed TSA (no certificate in the token)"


def run_checked(url: str, job):
    """Run a coroutine that talks to the TSA; every failure becomes a TsaError naming the TSA."""
    from pyhanko.sign.timestamps.common_utils import TimestampRequestError

    try:
        with quiet_pyhanko():
            return asyncio.run(job)
    except TsaError:
        raise
    except TimestampRequestError as exc:
        raise TsaError(f"time-stamping authority {url}: {exc}") from None
    except Exception as exc:  # a granted reply that is not a usable token: say what, name the TSA
        raise TsaError(f"time-stamping authority {url} answered an unusable token ({type(exc).__name__}: {exc})") from None


def token_roots(token: cms.ContentInfo):
    """Self-signed certificates the TSA sent in its token (the root it chains to, when it sends it)."""
    from cryptography import x509

    certs = [x509.load_der_x509_certificate(c.chosen.dump()) for c in token["content"]["certificates"] or ()]
    return [c for c in certs if c.subject == c.issuer]


def request_timestamp(stamper, url: str, data: bytes) -> Timestamp:
    """A checked RFC 3161 timestamp over SHA-256(`data`): status, nonce, imprint and CMS signature."""
    resp, token = run_checked(url, stamper.async_checked(hashlib.sha256(data).digest(), "sha256"))
    return Timestamp(resp.dump(), token, token_time(token), token_tsa_name(token))


def probe(url: str) -> None:
    """Ask the TSA once before any file is written, so a signing run fails early (exit 2)."""
    request_timestamp(http_timestamper(url), url, b"auditor: checking the time-stamping authority")
