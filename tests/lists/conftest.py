"""Shared helpers for the list tests: fixture paths, the shared real files, a fresh store, the CLI,
and a loopback HTTP server for `lists update`."""

from __future__ import annotations

import dataclasses
import functools
import http.server
import json
import os
import shutil
import threading
from pathlib import Path

import pytest

from tests.conftest import run_cli as shared_run_cli

FIXTURES = Path(__file__).with_name("fixtures")
REPO = Path(__file__).resolve().parents[2]


def shared_lists_dir() -> Path | None:
    """AUDITOR_SHARED_DIR, else <repo>/../shared, else /work/shared (PREAMBLE convention)."""
    candidates = []
    if os.environ.get("AUDITOR_SHARED_DIR"):
        candidates.append(Path(os.environ["AUDITOR_SHARED_DIR"]))
    candidates += [REPO.parent / "shared", Path("/work/shared")]
    for base in candidates:
        if (base / "data" / "lists").is_dir():
            return base / "data" / "lists"
    return None


def _unavailable(reason: str) -> None:
    """Skip locally, fail in CI (as tests/conftest.py does): CI must never go green by skipping."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"required in CI: {reason}")
    pytest.skip(reason)


@pytest.fixture
def shared_lists() -> Path:
    found = shared_lists_dir()
    if found is None:
        _unavailable("shared list files (../shared/data/lists) are not available on this machine")
    return found


@pytest.fixture
def db_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'store.db'}"


@pytest.fixture
def run_cli():
    """tests.conftest.run_cli in-process (these tests run many commands); unpacks as (code, out, err)."""
    return functools.partial(shared_run_cli, in_process=True)


@pytest.fixture
def server(tmp_path):
    """Serve a directory on 127.0.0.1 (an ephemeral port); yields (base URL, directory)."""
    root = tmp_path / "www"
    root.mkdir()
    handler = functools.partial(_QuietHandler, directory=str(root))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", root
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def publish(root: Path, csl: str) -> None:
    shutil.copy(FIXTURES / csl, root / "consolidated.csv")
    shutil.copy(FIXTURES / "sdn_small.csv", root / "sdn.csv")
    shutil.copy(FIXTURES / "alt_small.csv", root / "alt.csv")


def update(run_cli, base, db_url, *extra):
    return run_cli(
        "lists", "update", "--url-csl", f"{base}/consolidated.csv", "--url-sdn", f"{base}/sdn.csv",
        "--url-alt", f"{base}/alt.csv", "--db", db_url, *extra,
    )


def active(run_cli, db_url) -> dict[str, dict]:
    _, out, _ = run_cli("lists", "show", "--json", "--db", db_url)
    return {v["slot"]: v for v in json.loads(out)["imported"] if v["active"]}


def read_into_other_entries(monkeypatch, importer) -> None:
    """Make ``importer`` read a file into other entries than before (its first entry's remarks
    changed), as a release of auditor whose importer changed would: the same bytes, stored anew."""
    parse = importer.parse

    def reads_differently(path):
        result = parse(path)
        result.entries[0] = dataclasses.replace(result.entries[0], remarks="read anew")
        return result

    monkeypatch.setattr(importer, "parse", reads_differently)
