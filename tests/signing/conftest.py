"""Fixtures: real keys, real WeasyPrint PDFs, report folders signed through the real library."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest

from auditor.signing.keys import generate_keys
from auditor.signing.sign import sign_report

from .tsa_server import LocalTsa, TsaPki

PASSPHRASE = "correct horse battery"
TODAY = dt.datetime.now(dt.timezone.utc).date()

REPORT_JSON = {
    "schema_version": "1",
    "tool": {"name": "auditor", "version": "0.1.0"},
    "as_of": "2025-06-18",
    "inputs": {
        "inventory": [{"path": "fleet.csv", "sha256": "1" * 64, "rows_read": 3, "rows_audited": 3, "rows_rejected": 0}],
        "rules": [{"id": "ORIGIN-001", "version": "1", "sha256": "2" * 64}],
        "lists": [{"name": "entity-list", "source": "BIS", "retrieved": "2025-06-01", "sha256": "3" * 64, "entries": 42}],
    },
    "summary": {"by_severity": {"high": 1}, "assets": 3, "assets_with_findings": 1, "tariff_exposure_usd": 0},
    "findings": [],
    "rejected_rows": [],
}


@pytest.fixture(scope="session")
def pdf_bytes() -> bytes:
    import weasyprint

    html = "<html><body><h1>Fleet audit report</h1><p>As of 2025-06-18: 1 high finding.</p></body></html>"
    return weasyprint.HTML(string=html).write_pdf()


def make_report(folder: Path, pdf: bytes, *, csv: str = "serial,rule_id\nS-1,ORIGIN-001\n") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "report.pdf").write_bytes(pdf)
    (folder / "report.html").write_text("<!doctype html><h1>Fleet audit report</h1>\n", encoding="utf-8")
    (folder / "report.json").write_text(json.dumps(REPORT_JSON, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    (folder / "findings.csv").write_text(csv, encoding="utf-8")
    return folder


@pytest.fixture(scope="session")
def keys_a(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("keys") / "a"
    generate_keys(d, PASSPHRASE, org="Example Mining AG", valid_from=TODAY - dt.timedelta(days=1))
    return d


@pytest.fixture(scope="session")
def keys_b(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("keys") / "b"
    generate_keys(d, PASSPHRASE, org="Someone Else Ltd", valid_from=TODAY - dt.timedelta(days=1))
    return d


@pytest.fixture(scope="session")
def signed_template(tmp_path_factory, pdf_bytes, keys_a) -> Path:
    folder = make_report(tmp_path_factory.mktemp("template") / "report", pdf_bytes)
    sign_report(folder, keys_a, PASSPHRASE)
    return folder


@pytest.fixture
def signed_report(tmp_path, signed_template) -> Path:
    """A fresh copy of a report folder signed with keys_a, safe to tamper with."""
    dest = tmp_path / "report"
    shutil.copytree(signed_template, dest)
    return dest


# --- a real RFC 3161 time-stamping authority on 127.0.0.1 (tsa_server.py)


@pytest.fixture(scope="session")
def tsa_pki() -> TsaPki:
    return TsaPki.create()


@pytest.fixture(scope="session")
def tsa_root(tsa_pki, tmp_path_factory) -> Path:
    return tsa_pki.write_root(tmp_path_factory.mktemp("tsa") / "tsa-root.pem")


@pytest.fixture
def tsa(tsa_pki):
    with LocalTsa(tsa_pki) as server:
        yield server


@pytest.fixture(scope="session")
def short_keys(tmp_path_factory) -> Path:
    """A signing certificate valid from yesterday to tomorrow 00:00 UTC."""
    d = tmp_path_factory.mktemp("short") / "keys"
    generate_keys(d, PASSPHRASE, org="Example Mining AG", valid_from=TODAY - dt.timedelta(days=1), signer_days=2)
    return d
