"""The in-toto Statement v1 that lists every file of a report folder with its sha256.

Serialisation is fixed and line-oriented so that plain coreutils can turn it into a
`sha256sum -c` list (README.md, "For regulators"): each subject sits alone on a line as
`    {"name": "...", "digest": {"sha256": "<64 hex>"}}`. File names are restricted to printable
characters without `"` or `\\` so that the JSON string equals the file name byte for byte.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from auditor import __version__
from auditor.signing.errors import SigningError

STATEMENT_TYPE = "https://in-toto.io/Statement/v1"
# Our own predicate: "an auditor compliance report"; .example is reserved, so it never clashes.
PREDICATE_TYPE = "https://auditor.example/audit-report/v1"

ENVELOPE_FILE = "report.intoto.json"
SIGNER_PEM = "signer.pem"
ROOT_PEM = "root.pem"
CHAIN_PEM = "chain.pem"
# Files that carry the signature itself and therefore cannot be subjects of it.
SIGNATURE_FILES = frozenset({ENVELOPE_FILE, SIGNER_PEM, ROOT_PEM, CHAIN_PEM})

_SAFE_NAME = re.compile(r'^[^"\\\x00-\x1f\x7f]+$')
_SUBJECT_LINE = re.compile(r'^    \{"name": "([^"\\]+)", "digest": \{"sha256": "([0-9a-f]{64})"\}\},?$')


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def report_files(folder: Path) -> tuple[list[str], list[str]]:
    """(regular files relative to `folder` as POSIX paths, sorted; problems such as symlinks).

    The envelope is excluded; the certificate files (signer.pem, root.pem, chain.pem) are
    report files like the others, so the statement covers their bytes too. Symlinks and special files are reported,
    not followed: a link could point anywhere, so it cannot be part of a signed report.
    """
    folder = Path(folder)
    files, problems = [], []
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        if path.is_symlink():
            problems.append(f"{rel}: symbolic links cannot be part of a signed report")
        elif path.is_dir():
            continue
        elif not path.is_file():
            problems.append(f"{rel}: not a regular file")
        elif rel == ENVELOPE_FILE:
            continue  # the certificates are subjects too: a changed root.pem must not pass
        elif path.name.startswith(".") and path.name.endswith(".tmp"):
            problems.append(f"{rel}: leftover temporary file")
        else:
            files.append(rel)
    return files, problems


def check_name(rel: str) -> None:
    if not _SAFE_NAME.match(rel):
        raise SigningError(f"{rel!r}: file names with quotes, backslashes or control characters cannot be signed")


def predicate_from_report_json(folder: Path) -> dict:
    """Audit metadata for the predicate, read from report.json when the folder has one."""
    predicate: dict = {"tool": {"name": "auditor", "version": __version__}}
    path = Path(folder) / "report.json"
    if not path.is_file():
        return predicate
    try:
        report = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SigningError(f"{path}: not valid JSON ({exc}); refusing to sign a broken report") from None
    if not isinstance(report, dict):
        raise SigningError(f"{path}: top level is not an object; refusing to sign a broken report")
    for key in ("schema_version", "tool", "as_of", "audit_id", "organisation", "law_researched", "inputs",
                "summary", "complete", "status"):
        if key in report:
            predicate[key] = report[key]
    return predicate


def serialize_statement(subjects: list[tuple[str, str]], predicate: dict) -> bytes:
    """Deterministic bytes of the Statement; subjects are (name, sha256hex) sorted by name."""
    lines = ["{", f'  "_type": {json.dumps(STATEMENT_TYPE)},', '  "subject": [']
    ordered = sorted(subjects)
    for i, (name, digest) in enumerate(ordered):
        check_name(name)
        comma = "," if i < len(ordered) - 1 else ""
        lines.append(f'    {{"name": {json.dumps(name, ensure_ascii=False)}, "digest": {{"sha256": "{digest}"}}}}{comma}')
    lines.append("  ],")
    lines.append(f'  "predicateType": {json.dumps(PREDICATE_TYPE)},')
    body = json.dumps(predicate, indent=2, sort_keys=True, ensure_ascii=False).replace("\n", "\n  ")
    lines.append(f'  "predicate": {body}')
    lines.append("}")
    return ("\n".join(lines) + "\n").encode("utf-8")


def build_statement(folder: Path, predicate: dict) -> bytes:
    files, problems = report_files(folder)
    if problems:
        raise SigningError(f"{folder}: " + "; ".join(problems))
    if not files:
        raise SigningError(f"{folder}: no report files to sign")
    return serialize_statement([(rel, sha256_file(Path(folder) / rel)) for rel in files], predicate)


def parse_statement(payload: bytes) -> tuple[list[tuple[str, str]], dict]:
    """(subjects, predicate) of a signed Statement; ValueError with a reason when malformed."""
    try:
        st = json.loads(payload)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"statement is not JSON ({exc})") from None
    if not isinstance(st, dict) or st.get("_type") != STATEMENT_TYPE:
        raise ValueError(f"statement _type is not {STATEMENT_TYPE}")
    if st.get("predicateType") != PREDICATE_TYPE:
        raise ValueError(f"predicateType is {st.get('predicateType')!r}, expected {PREDICATE_TYPE}")
    subjects = st.get("subject")
    if not isinstance(subjects, list) or not subjects:
        raise ValueError("statement has no subjects")
    out = []
    for s in subjects:
        try:
            name, digest = s["name"], s["digest"]["sha256"]
        except (TypeError, KeyError):
            raise ValueError(f"malformed subject {s!r}") from None
        if not isinstance(name, str) or not isinstance(digest, str) or not re.fullmatch(r"[0-9a-f]{64}", digest):
            raise ValueError(f"malformed subject {s!r}")
        if name.startswith("/") or ".." in name.split("/") or not _SAFE_NAME.match(name):
            raise ValueError(f"subject name {name!r} is not a safe relative path")
        out.append((name, digest))
    if len({n for n, _ in out}) != len(out):
        raise ValueError("statement lists a file twice")
    # The line format is what the openssl/coreutils instructions rely on; insist on it.
    line_subjects = [m.groups() for m in map(_SUBJECT_LINE.match, payload.decode("utf-8").splitlines()) if m]
    if sorted(line_subjects) != sorted(out):
        raise ValueError("statement subjects are not in the documented one-per-line layout")
    predicate = st.get("predicate")
    return out, predicate if isinstance(predicate, dict) else {}
