"""Signing keys: a local root CA plus a report-signing certificate, or an organisation's own.

Key directory layout (what `auditor keys generate` writes and `auditor sign --key` reads):

    root.pem         root CA certificate (publish its fingerprint; give it to regulators)
    root.key.pem     root CA private key, PKCS#8 encrypted with the passphrase, mode 0600
    signer.pem       report-signing certificate, issued by the root
    signer.key.pem   report-signing private key, PKCS#8 encrypted, mode 0600
    chain.pem        (optional) intermediate CA certificates, signer's issuer first

An organisation's existing certificate can be used either by `auditor keys import` (PEM or
PKCS#12, re-encrypted into this layout) or by passing a .p12/.pfx file directly as --key.

Key id = lowercase hex SHA-256 of the signer's SubjectPublicKeyInfo (DER).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

from auditor.signing.errors import PassphraseError, SigningError
from auditor.signing.securefile import write_private, write_public

ROOT_CERT = "root.pem"
ROOT_KEY = "root.key.pem"
SIGNER_CERT = "signer.pem"
SIGNER_KEY = "signer.key.pem"
CHAIN_CERTS = "chain.pem"
CRL_FILE = "crl.pem"  # the root's certificate revocation list (revocation.py), published by the issuer

DEFAULT_ORG = "auditor local signing"
DEFAULT_SIGNER_DAYS = 1095
DEFAULT_ROOT_DAYS = 3650
MIN_PASSPHRASE_LEN = 8

PKCS12_SUFFIXES = (".p12", ".pfx")


@dataclass(frozen=True)
class KeyMaterial:
    signer_cert: x509.Certificate
    signer_key: ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey
    chain: tuple[x509.Certificate, ...]  # intermediates, issuer of the signer first
    root: x509.Certificate | None  # self-signed root, when known
    source: str  # where it was loaded from, for messages
    crls: tuple[x509.CertificateRevocationList, ...] = ()  # the issuer's CRLs (key directory's crl.pem)

    @property
    def key_id(self) -> str:
        return key_id(self.signer_cert.public_key())


def key_id(public_key) -> str:
    """SHA-256 of the SubjectPublicKeyInfo DER, lowercase hex."""
    spki = public_key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    return hashlib.sha256(spki).hexdigest()


def cert_fingerprint(cert: x509.Certificate) -> str:
    """SHA-256 of the certificate DER as `openssl x509 -noout -fingerprint -sha256` prints it."""
    digest = cert.fingerprint(hashes.SHA256()).hex().upper()
    return ":".join(digest[i : i + 2] for i in range(0, len(digest), 2))


def is_self_signed(cert: x509.Certificate) -> bool:
    if cert.subject != cert.issuer:
        return False
    try:
        cert.verify_directly_issued_by(cert)
    except Exception:  # wrong signature or unsupported algorithm: not a usable root
        return False
    return True


def check_supported_key(key, where: str) -> None:
    # Ed25519 PDF signatures are rejected by poppler's pdfsig (DESIGN.md), small RSA is weak.
    if isinstance(key, ec.EllipticCurvePrivateKey | ec.EllipticCurvePublicKey):
        if key.curve.name not in ("secp256r1", "secp384r1"):
            raise SigningError(f"{where}: elliptic curve {key.curve.name} is not supported (use P-256 or P-384)")
        return
    if isinstance(key, rsa.RSAPrivateKey | rsa.RSAPublicKey):
        if key.key_size < 2048:
            raise SigningError(f"{where}: RSA key of {key.key_size} bits is too small (need at least 2048)")
        return
    raise SigningError(f"{where}: {type(key).__name__} keys are not supported (use ECDSA P-256 or RSA)")


# --------------------------------------------------------------------------- permissions


def private_dir(path: Path) -> None:
    """Create the key directory 0700, or tighten an existing one we own (a 0777 folder lets
    anyone swap the certificates or delete the keys); refuse one owned by someone else."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    st = path.lstat()
    if stat.S_ISLNK(st.st_mode) or not stat.S_ISDIR(st.st_mode):
        raise SigningError(f"{path}: not a directory (a key directory may not be a symbolic link)")
    if st.st_mode & 0o077:
        if st.st_uid != os.getuid():
            raise SigningError(f"{path} is open to other users (mode {stat.S_IMODE(st.st_mode):04o}) and owned by "
                               "someone else; choose a key directory of your own")
        os.chmod(path, 0o700)


def check_private_file(path: Path) -> None:
    """A private key others can read (or change) is refused, as ssh refuses one: say how to fix it."""
    mode = stat.S_IMODE(Path(path).stat().st_mode)
    if mode & 0o077:
        raise SigningError(f"{path} is readable or writable by other users (mode {mode:04o}); a private key "
                           f"must be private: run `chmod 600 {path}`")


# --------------------------------------------------------------------------- generation


def _name(org: str, common_name: str, kid: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, org),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
            # The full key id makes every subject unique and ties the name to the key.
            x509.NameAttribute(NameOID.SERIAL_NUMBER, kid),
        ]
    )


def _validity(valid_from: dt.date, days: int) -> tuple[dt.datetime, dt.datetime]:
    if days < 1:
        raise SigningError(f"validity must be at least 1 day, got {days}")
    start = dt.datetime(valid_from.year, valid_from.month, valid_from.day, tzinfo=dt.timezone.utc)
    return start, start + dt.timedelta(days=days)


def generate_keys(
    out_dir: Path,
    passphrase: str,
    *,
    org: str = DEFAULT_ORG,
    valid_from: dt.date,
    signer_days: int = DEFAULT_SIGNER_DAYS,
    root_days: int = DEFAULT_ROOT_DAYS,
    crl_url: str | None = None,
) -> KeyMaterial:
    """Create a root CA and a report-signing certificate (ECDSA P-256) in `out_dir`.

    Validity is explicit: both certificates start at `valid_from` 00:00 UTC; the caller picks
    the date (the CLI defaults to today). Refuses to overwrite existing key files. With
    `crl_url` the signing certificate names it as its CRL distribution point: where the issuer
    publishes `crl.pem` (written here, empty until `auditor keys revoke`).
    """
    out_dir = Path(out_dir)
    if len(passphrase) < MIN_PASSPHRASE_LEN:
        raise PassphraseError(f"the passphrase must have at least {MIN_PASSPHRASE_LEN} characters")
    if not org.strip() or len(org) > 64:
        raise SigningError("--org must have 1 to 64 characters")
    if signer_days > root_days:
        raise SigningError(f"the signing certificate ({signer_days} days) cannot outlive the root ({root_days} days)")
    if crl_url is not None and not (crl_url.startswith(("http://", "https://")) and len(crl_url) > 8):
        raise SigningError(f"--crl-url {crl_url!r}: give the http:// or https:// URL where you will publish crl.pem")
    existing = [n for n in (ROOT_CERT, ROOT_KEY, SIGNER_CERT, SIGNER_KEY, CHAIN_CERTS, CRL_FILE) if (out_dir / n).exists()]
    if existing:
        raise SigningError(f"{out_dir} already holds {', '.join(existing)}; refusing to overwrite keys")
    private_dir(out_dir)

    root_key = ec.generate_private_key(ec.SECP256R1())
    signer_key = ec.generate_private_key(ec.SECP256R1())
    root_kid = key_id(root_key.public_key())
    signer_kid = key_id(signer_key.public_key())
    root_start, root_end = _validity(valid_from, root_days)
    signer_start, signer_end = _validity(valid_from, signer_days)

    root_name = _name(org, f"{org[:32]} report root CA {root_kid[:16]}", root_kid)
    root_ski = x509.SubjectKeyIdentifier.from_public_key(root_key.public_key())
    root = (
        x509.CertificateBuilder()
        .subject_name(root_name)
        .issuer_name(root_name)
        .public_key(root_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(root_start)
        .not_valid_after(root_end)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False, content_commitment=False, key_encipherment=False,
                data_encipherment=False, key_agreement=False, key_cert_sign=True, crl_sign=True,
                encipher_only=False, decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(root_ski, critical=False)
        .sign(root_key, hashes.SHA256())
    )
    signer_builder = (
        x509.CertificateBuilder()
        .subject_name(_name(org, f"{org[:32]} report signing {signer_kid[:16]}", signer_kid))
        .issuer_name(root_name)
        .public_key(signer_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(signer_start)
        .not_valid_after(signer_end)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True, content_commitment=True, key_encipherment=False,
                data_encipherment=False, key_agreement=False, key_cert_sign=False, crl_sign=False,
                encipher_only=False, decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(signer_key.public_key()), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(root_ski), critical=False)
    )
    if crl_url is not None:
        point = x509.DistributionPoint([x509.UniformResourceIdentifier(crl_url)], None, None, None)
        signer_builder = signer_builder.add_extension(x509.CRLDistributionPoints([point]), critical=False)
    signer = signer_builder.sign(root_key, hashes.SHA256())
    enc = serialization.BestAvailableEncryption(passphrase.encode("utf-8"))
    pkcs8 = serialization.PrivateFormat.PKCS8
    # Keys first (0600, never overwritten), certificates after: a crash leaves no cert without key.
    write_private(out_dir / ROOT_KEY, root_key.private_bytes(serialization.Encoding.PEM, pkcs8, enc))
    write_private(out_dir / SIGNER_KEY, signer_key.private_bytes(serialization.Encoding.PEM, pkcs8, enc))
    write_public(out_dir / ROOT_CERT, root.public_bytes(serialization.Encoding.PEM))
    write_public(out_dir / SIGNER_CERT, signer.public_bytes(serialization.Encoding.PEM))
    from auditor.signing.revocation import build_crl, crl_pem

    first_crl = build_crl(root, root_key, [], dt.datetime.now(dt.timezone.utc), 1)
    write_public(out_dir / CRL_FILE, crl_pem(first_crl))
    return KeyMaterial(signer, signer_key, (), root, str(out_dir), (first_crl,))


# --------------------------------------------------------------------------- loading


def load_certs(path: Path) -> list[x509.Certificate]:
    """Every certificate of a PEM (or single DER) file, with a clear error."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SigningError(f"{path}: cannot read ({exc.strerror or exc})") from None
    try:
        if b"-----BEGIN" in data:
            certs = x509.load_pem_x509_certificates(data)
        else:
            certs = [x509.load_der_x509_certificate(data)]
    except ValueError as exc:
        raise SigningError(f"{path}: not a PEM or DER certificate ({exc})") from None
    if not certs:
        raise SigningError(f"{path}: holds no certificate")
    return certs


def load_cert(path: Path) -> x509.Certificate:
    certs = load_certs(path)
    if len(certs) != 1:
        raise SigningError(f"{path}: expected one certificate, found {len(certs)}")
    return certs[0]


def load_private_key(path: Path, passphrase: str | None):
    """Load a PEM or DER private key; wrong or missing passphrases are clear errors."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SigningError(f"{path}: cannot read ({exc.strerror or exc})") from None
    loader = serialization.load_pem_private_key if b"-----BEGIN" in data else serialization.load_der_private_key
    secret = passphrase.encode("utf-8") if passphrase else None
    try:
        return loader(data, password=secret)
    except TypeError:
        # cryptography says TypeError both for "encrypted but no password" and "not encrypted".
        if secret is None:
            raise PassphraseError(f"{path} is encrypted: set AUDITOR_KEY_PASSPHRASE or enter the passphrase") from None
        try:
            return loader(data, password=None)  # an organisation's unencrypted key: still usable
        except (TypeError, ValueError) as exc:
            raise SigningError(f"{path}: cannot load private key ({exc})") from None
    except ValueError as exc:
        # A wrong passphrase may also "decrypt" an encrypted PEM key to bytes that are no key
        # (an ASN.1 parsing error): for an encrypted key, any failure with a passphrase is that.
        encrypted_pem = b"-----BEGIN ENCRYPTED PRIVATE KEY-----" in data or b"Proc-Type: 4,ENCRYPTED" in data
        if "password" in str(exc).lower() or "decrypt" in str(exc).lower() or (secret and encrypted_pem):
            raise PassphraseError(f"wrong passphrase for {path}") from None
        raise SigningError(f"{path}: not a usable private key ({exc})") from None


def load_pkcs12(path: Path, passphrase: str | None) -> KeyMaterial:
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SigningError(f"{path}: cannot read ({exc.strerror or exc})") from None
    try:
        key, cert, extra = pkcs12.load_key_and_certificates(data, passphrase.encode("utf-8") if passphrase else None)
    except ValueError as exc:
        msg = str(exc).lower()
        if "password" in msg or "decrypt" in msg or "mac" in msg:
            raise PassphraseError(f"wrong passphrase for {path}") from None
        raise SigningError(f"{path}: not a PKCS#12 file ({exc})") from None
    if key is None or cert is None:
        raise SigningError(f"{path}: the PKCS#12 file must hold a private key and its certificate")
    roots = [c for c in extra if is_self_signed(c)]
    chain = _order_chain(cert, [c for c in extra if not is_self_signed(c)], str(path))
    material = KeyMaterial(cert, key, chain, roots[0] if roots else None, str(path))
    _check_pair(material)
    return material


def _order_chain(leaf: x509.Certificate, intermediates: list[x509.Certificate], where: str) -> tuple:
    """Intermediates ordered from the leaf's issuer upward; unrelated certificates are an error."""
    ordered, current, pool = [], leaf, list(intermediates)
    while pool:
        nxt = next((c for c in pool if c.subject == current.issuer), None)
        if nxt is None:
            names = ", ".join(c.subject.rfc4514_string() for c in pool)
            raise SigningError(f"{where}: certificates not on the signer's chain: {names}")
        ordered.append(nxt)
        pool.remove(nxt)
        current = nxt
    return tuple(ordered)


def _check_pair(material: KeyMaterial) -> None:
    check_supported_key(material.signer_key, material.source)
    pub = material.signer_key.public_key()
    if key_id(pub) != key_id(material.signer_cert.public_key()):
        raise SigningError(f"{material.source}: the private key does not belong to the signing certificate")


def load_key_material(path: Path, passphrase: str | None) -> KeyMaterial:
    """Load signing material from a key directory (layout above) or a PKCS#12 file."""
    path = Path(path)
    if path.is_file() and path.suffix.lower() in PKCS12_SUFFIXES:
        check_private_file(path)
        return load_pkcs12(path, passphrase)
    if not path.is_dir():
        raise SigningError(f"{path}: not a key directory or a .p12/.pfx file")
    missing = [n for n in (SIGNER_CERT, SIGNER_KEY) if not (path / n).is_file()]
    if missing:
        raise SigningError(f"{path}: missing {', '.join(missing)} (create keys with `auditor keys generate --out {path}`)")
    cert = load_cert(path / SIGNER_CERT)
    check_private_file(path / SIGNER_KEY)
    key = load_private_key(path / SIGNER_KEY, passphrase)
    chain = _order_chain(cert, load_certs(path / CHAIN_CERTS), str(path / CHAIN_CERTS)) if (path / CHAIN_CERTS).is_file() else ()
    root = load_cert(path / ROOT_CERT) if (path / ROOT_CERT).is_file() else None
    crls = ()
    if (path / CRL_FILE).is_file():
        from auditor.signing.revocation import load_crls

        crls = tuple(load_crls(path / CRL_FILE))
    material = KeyMaterial(cert, key, chain, root, str(path), crls)
    _check_pair(material)
    return material


def import_keys(
    out_dir: Path,
    new_passphrase: str,
    *,
    pkcs12_file: Path | None = None,
    cert_file: Path | None = None,
    key_file: Path | None = None,
    chain_files: tuple[Path, ...] = (),
    source_passphrase: str | None = None,
) -> KeyMaterial:
    """Copy an organisation's certificate and key into the key-directory layout, key re-encrypted."""
    out_dir = Path(out_dir)
    if len(new_passphrase) < MIN_PASSPHRASE_LEN:
        raise PassphraseError(f"the passphrase must have at least {MIN_PASSPHRASE_LEN} characters")
    if pkcs12_file is not None:
        material = load_pkcs12(pkcs12_file, source_passphrase)
    elif cert_file is not None and key_file is not None:
        extra = [c for f in chain_files for c in load_certs(f)]
        roots = [c for c in extra if is_self_signed(c)]
        chain = _order_chain(load_cert(cert_file), [c for c in extra if not is_self_signed(c)], "--chain")
        material = KeyMaterial(load_cert(cert_file), load_private_key(key_file, source_passphrase), chain,
                               roots[0] if roots else None, str(cert_file))
        _check_pair(material)
    else:
        raise SigningError("give either --pkcs12 FILE or both --cert FILE and --key FILE")
    existing = [n for n in (ROOT_CERT, ROOT_KEY, SIGNER_CERT, SIGNER_KEY, CHAIN_CERTS) if (out_dir / n).exists()]
    if existing:
        raise SigningError(f"{out_dir} already holds {', '.join(existing)}; refusing to overwrite keys")
    private_dir(out_dir)
    enc = serialization.BestAvailableEncryption(new_passphrase.encode("utf-8"))
    write_private(out_dir / SIGNER_KEY, material.signer_key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, enc))
    write_public(out_dir / SIGNER_CERT, material.signer_cert.public_bytes(serialization.Encoding.PEM))
    if material.chain:
        write_public(out_dir / CHAIN_CERTS, b"".join(c.public_bytes(serialization.Encoding.PEM) for c in material.chain))
    if material.root is not None:
        write_public(out_dir / ROOT_CERT, material.root.public_bytes(serialization.Encoding.PEM))
    return material


def describe_key_dir(path: Path) -> list[tuple[str, str]]:
    """(label, value) rows for `auditor keys show`: what an issuer publishes for regulators."""
    path = Path(path)
    if not (path / SIGNER_CERT).is_file():
        raise SigningError(f"{path}: no {SIGNER_CERT} here (create keys with `auditor keys generate --out {path}`)")
    signer = load_cert(path / SIGNER_CERT)
    rows = [
        ("signer subject", signer.subject.rfc4514_string()),
        ("signer key id (sha256 of public key)", key_id(signer.public_key())),
        ("signer certificate sha256", cert_fingerprint(signer)),
        ("signer valid", f"{signer.not_valid_before_utc:%Y-%m-%dT%H:%M:%SZ} .. {signer.not_valid_after_utc:%Y-%m-%dT%H:%M:%SZ}"),
    ]
    try:
        points = signer.extensions.get_extension_for_class(x509.CRLDistributionPoints).value
        urls = [n.value for p in points for n in (p.full_name or []) if isinstance(n, x509.UniformResourceIdentifier)]
        rows.append(("signer CRL published at", ", ".join(urls)))
    except x509.ExtensionNotFound:
        pass
    if (path / ROOT_CERT).is_file():
        root = load_cert(path / ROOT_CERT)
        rows += [
            ("root subject", root.subject.rfc4514_string()),
            ("root certificate sha256", cert_fingerprint(root)),
            ("root valid", f"{root.not_valid_before_utc:%Y-%m-%dT%H:%M:%SZ} .. {root.not_valid_after_utc:%Y-%m-%dT%H:%M:%SZ}"),
        ]
    return rows
