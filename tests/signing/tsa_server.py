"""A real RFC 3161 time-stamping authority on 127.0.0.1 for the tests.

Tokens are made by pyHanko's DummyTimeStamper (a complete TSA: TSTInfo with the request's
imprint and nonce, CMS SignedData signed by a certificate with the timeStamping extended key
usage), served over HTTP exactly as RFC 3161 section 3.4 says. The authority has its own root,
separate from the report issuer's, like a commercial TSA. `fixed_time` lets a test obtain a
token dated after a certificate expired; `mode` makes it answer badly in chosen ways.
"""

from __future__ import annotations

import datetime as dt
import http.server
import threading
from dataclasses import dataclass, field
from pathlib import Path

from asn1crypto import core, tsp
from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID


def _name(cn: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Test Time Authority"),
                      x509.NameAttribute(NameOID.COMMON_NAME, cn)])


@dataclass
class TsaPki:
    root: x509.Certificate
    cert: x509.Certificate
    key: rsa.RSAPrivateKey

    @classmethod
    def create(cls, label: str = "Test TSA") -> "TsaPki":
        start = dt.datetime(2020, 1, 1, tzinfo=dt.timezone.utc)
        end = dt.datetime(2045, 1, 1, tzinfo=dt.timezone.utc)
        root_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        root_name = _name(f"{label} root")
        root = (x509.CertificateBuilder().subject_name(root_name).issuer_name(root_name)
                .public_key(root_key.public_key()).serial_number(x509.random_serial_number())
                .not_valid_before(start).not_valid_after(end)
                .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
                .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True)
                .add_extension(x509.SubjectKeyIdentifier.from_public_key(root_key.public_key()), critical=False)
                .sign(root_key, hashes.SHA256()))
        cert = (x509.CertificateBuilder().subject_name(_name(label)).issuer_name(root_name)
                .public_key(key.public_key()).serial_number(x509.random_serial_number())
                .not_valid_before(start).not_valid_after(end)
                .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
                .add_extension(x509.KeyUsage(True, True, False, False, False, False, False, False, False), critical=True)
                .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
                .sign(root_key, hashes.SHA256()))
        return cls(root, cert, key)

    def write_root(self, path: Path) -> Path:
        path.write_bytes(self.root.public_bytes(serialization.Encoding.PEM))
        return path


class _Refusal(core.Sequence):
    """RFC 3161 TimeStampResp without a token (asn1crypto's own class insists on one)."""

    _fields = [("status", tsp.PKIStatusInfo)]


def _asn1(cert: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))


@dataclass
class LocalTsa:
    """An HTTP TSA on 127.0.0.1; `url` is where to send requests; `requests` counts them."""

    pki: TsaPki
    fixed_time: dt.datetime | None = None
    mode: str = "ok"  # ok | refuse | html | garbage | other-imprint | wrong-nonce | bad-signature | http-500
    fail_after: int | None = None  # answer HTTP 500 once this many requests were answered
    requests: int = 0
    url: str = ""
    _server: http.server.ThreadingHTTPServer | None = field(default=None, repr=False)

    def answer(self, body: bytes) -> tuple[int, str, bytes]:
        from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper
        from pyhanko_certvalidator.registry import SimpleCertificateStore

        self.requests += 1
        if self.mode == "http-500" or (self.fail_after is not None and self.requests > self.fail_after):
            return 500, "text/plain", b"internal error"
        if self.mode == "html":
            return 200, "text/html", b"<html>login required</html>"
        if self.mode == "garbage":
            return 200, "application/timestamp-reply", b"\x30\x82\x01\x00not a timestamp reply"
        req = tsp.TimeStampReq.load(body)
        if self.mode == "refuse":
            status = tsp.PKIStatusInfo({"status": "rejection", "status_string": ["policy not accepted"]})
            return 200, "application/timestamp-reply", _Refusal({"status": status}).dump()
        if self.mode == "wrong-nonce":
            req = tsp.TimeStampReq({**req.native, "nonce": (req["nonce"].native or 0) + 1})
        if self.mode == "other-imprint":
            imprint = req["message_imprint"]
            req = tsp.TimeStampReq({**req.native, "message_imprint": {
                "hash_algorithm": imprint["hash_algorithm"].native,
                "hashed_message": bytes(32 * [7]),
            }})
        key = asn1_keys.PrivateKeyInfo.load(self.pki.key.private_bytes(
            serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
        stamper = DummyTimeStamper(
            tsa_cert=_asn1(self.pki.cert), tsa_key=key,
            certs_to_embed=SimpleCertificateStore.from_certs([_asn1(self.pki.root)]),
            fixed_dt=self.fixed_time or dt.datetime.now(dt.timezone.utc),
        )
        reply = stamper.request_tsa_response(req)
        if self.mode == "bad-signature":
            signer_info = reply["time_stamp_token"]["content"]["signer_infos"][0]
            sig = bytearray(signer_info["signature"].native)
            sig[10] ^= 0x01
            signer_info["signature"] = bytes(sig)
            reply = tsp.TimeStampResp.load(reply.dump(force=True))
        return 200, "application/timestamp-reply", reply.dump()

    def __enter__(self) -> "LocalTsa":
        tsa = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server's naming)
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                code, ctype, data = tsa.answer(body)
                self.send_response(code)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):  # keep pytest output clean
                pass

        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/tsa"
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        assert self._server is not None
        self._server.shutdown()
        self._server.server_close()
