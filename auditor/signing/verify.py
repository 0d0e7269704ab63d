"""Verify a signed report folder and give a verdict for every file.

Trust policy: the root.pem shipped inside the folder proves nothing about who issued the
report (anyone can make a root). The issuer is established only when the chain ends at a root
the verifier chose: `--trust ROOT.pem` (obtained from the issuer out of band, fingerprint
compared), or `--trust-included-root`, an explicit decision to trust the folder's root.pem.
Without either, everything else is still checked, and the result is a failure that says so.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from cryptography import x509

from auditor.signing.chain import verify_chain
from auditor.signing.dsse import EnvelopeError, parse_envelope, verify_envelope
from auditor.signing.errors import SigningError
from auditor.signing.keys import cert_fingerprint, key_id, load_certs
from auditor.signing.pdf import validate_pdf
from auditor.signing.statement import (
    CHAIN_PEM, ENVELOPE_FILE, ROOT_PEM, SIGNER_PEM, parse_statement, report_files, sha256_file,
)


@dataclass(frozen=True)
class Verdict:
    name: str
    ok: bool
    message: str


@dataclass
class VerifyResult:
    folder: Path
    verdicts: list[Verdict] = field(default_factory=list)
    trust_note: str = ""
    trusted_root: x509.Certificate | None = None
    signer: x509.Certificate | None = None
    # The audit metadata of the statement, once its DSSE signature verified (else None).
    predicate: dict | None = None

    @property
    def ok(self) -> bool:
        return bool(self.verdicts) and all(v.ok for v in self.verdicts)

    def add(self, name: str, ok: bool, message: str) -> None:
        self.verdicts.append(Verdict(name, ok, message))


def _certs_or_verdict(result: VerifyResult, path: Path, name: str) -> list[x509.Certificate] | None:
    try:
        return load_certs(path)
    except SigningError as exc:
        result.add(name, False, str(exc))
        return None


def verify_report(
    folder: Path,
    trust_roots: list[x509.Certificate] | None = None,
    *,
    trust_included_root: bool = False,
    at: dt.datetime | None = None,
) -> VerifyResult:
    """Check envelope, chain, every subject's digest, unlisted files and PDF signatures.

    Never raises for a bad or tampered report (those are verdicts); raises SigningError only
    when `folder` is not a directory.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise SigningError(f"{folder}: not a directory")
    at = at or dt.datetime.now(dt.timezone.utc)
    result = VerifyResult(folder)

    # --- signer certificate and its chain
    signer = None
    if not (folder / SIGNER_PEM).is_file():
        result.add(SIGNER_PEM, False, "missing: the folder has no signing certificate")
    elif (certs := _certs_or_verdict(result, folder / SIGNER_PEM, SIGNER_PEM)) is not None:
        signer = certs[0]
    intermediates = []
    if (folder / CHAIN_PEM).is_file():
        intermediates = _certs_or_verdict(result, folder / CHAIN_PEM, CHAIN_PEM) or []
    included_root = None
    if (folder / ROOT_PEM).is_file():
        roots = _certs_or_verdict(result, folder / ROOT_PEM, ROOT_PEM)
        included_root = roots[0] if roots else None

    if trust_roots:
        anchors = list(trust_roots)
        result.trust_note = "trust anchor: the root certificate given with --trust"
    elif trust_included_root:
        anchors = [included_root] if included_root is not None else []
        result.trust_note = "trust anchor: root.pem shipped in the folder (trusted by explicit choice)"
        if included_root is None:
            result.add(ROOT_PEM, False, "missing, but --trust-included-root asks to trust it")
    else:
        anchors = [included_root] if included_root is not None else []
        result.trust_note = "issuer NOT established: no trusted root given"

    if signer is not None:
        problems, root = verify_chain(signer, intermediates, anchors, at)
        if problems:
            result.add(SIGNER_PEM, False, "; ".join(problems))
        elif not trust_roots and not trust_included_root:
            result.add(
                SIGNER_PEM, False,
                f"chains only to the root.pem shipped in the folder (sha256 {cert_fingerprint(root)}), "
                "which anyone could have made; compare that fingerprint with the one the issuer "
                "published, then pass --trust ROOT.pem (or --trust-included-root)",
            )
        else:
            result.trusted_root = root
            result.add(SIGNER_PEM, True, f"{signer.subject.rfc4514_string()} chains to trusted root "
                                         f"{root.subject.rfc4514_string()} (sha256 {cert_fingerprint(root)})")

    # --- DSSE envelope and statement
    subjects: list[tuple[str, str]] = []
    statement_verified = False
    if not (folder / ENVELOPE_FILE).is_file():
        result.add(ENVELOPE_FILE, False, "missing: this folder is not signed (no DSSE envelope)")
    else:
        try:
            env = parse_envelope((folder / ENVELOPE_FILE).read_bytes())
            if signer is None:
                raise EnvelopeError("cannot check the DSSE signature without signer.pem")
            payload = verify_envelope(env, signer.public_key())
            subjects, predicate = parse_statement(payload)
            statement_verified = True
            result.predicate, result.signer = predicate, signer
            result.add(ENVELOPE_FILE, True, f"DSSE signature valid (key id {key_id(signer.public_key())}), "
                                            f"statement lists {len(subjects)} files")
        except (EnvelopeError, ValueError) as exc:
            result.add(ENVELOPE_FILE, False, str(exc))
        except OSError as exc:
            result.add(ENVELOPE_FILE, False, f"cannot read ({exc.strerror or exc})")

    # --- every file against the statement, in one sorted pass
    files, problems = report_files(folder)
    for problem in problems:
        name, _, message = problem.partition(": ")
        result.add(name, False, message)
    if not statement_verified:
        for rel in files:
            result.add(rel, False, "not verified: the signed statement could not be verified")
        return result
    listed = dict(subjects)
    present = set(files)
    for rel in sorted(present | set(listed)):
        if rel not in listed:
            result.add(rel, False, "NOT LISTED in the signed statement (file added after signing)")
            continue
        if rel not in present:
            if (folder / rel).is_symlink():
                continue  # already reported as a symbolic link
            result.add(rel, False, "MISSING: listed in the signed statement but not in the folder")
            continue
        try:
            actual = sha256_file(folder / rel)
        except OSError as exc:
            result.add(rel, False, f"cannot read ({exc.strerror or exc})")
            continue
        if actual != listed[rel]:
            result.add(rel, False, f"MODIFIED: sha256 {actual} differs from the signed {listed[rel]}")
            continue
        if rel in (SIGNER_PEM, ROOT_PEM, CHAIN_PEM) and any(v.name == rel for v in result.verdicts):
            continue  # its certificate verdict (chain, validity) already stands for it
        if rel.lower().endswith(".pdf"):
            ok, message = validate_pdf(folder / rel, anchors, signer, other_certs=intermediates, at=at)
            if not ok:
                result.add(rel, False, f"sha256 matches, but {message}")
                continue
            result.add(rel, True, f"sha256 matches; {message}")
        else:
            result.add(rel, True, "sha256 matches")
    return result


def verify_pdf_file(pdf: Path, trust_roots: list[x509.Certificate], *, at: dt.datetime | None = None) -> VerifyResult:
    """Check one signed PDF on its own: PAdES signature, whole-file coverage, chain to `trust_roots`."""
    pdf = Path(pdf)
    result = VerifyResult(pdf.parent)
    if not trust_roots:
        result.trust_note = "issuer NOT established: no trusted root given (use --trust ROOT.pem)"
        result.add(pdf.name, False, "a single PDF needs --trust ROOT.pem to establish who signed it")
        return result
    result.trust_note = "trust anchor: the root certificate given with --trust"
    ok, message = validate_pdf(pdf, trust_roots, None, at=at)
    result.add(pdf.name, ok, message)
    return result
