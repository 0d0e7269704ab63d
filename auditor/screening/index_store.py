"""The screening index, built once per set of list versions and stored beside them.

Building the index over the official lists (tens of thousands of names and aliases, each
normalised and indexed under its spelling variants) takes seconds; loading it takes a small
fraction of that. So the index is stored in a file whose name is a key over

* the active list versions it was built from (id, slot and file sha256 of each),
* the bundled curated list (its sha256),
* the matching code and data (the source and word lists of ``auditor/screening``, rigour's version):
  a new normaliser or vocabulary never reads an index built by an older one;

and rebuilt only when the key changes: after `auditor lists import` / `update` (which build
it at once), or when the program changes. Where it lives:

* ``AUDITOR_INDEX_DIR`` when set;
* beside a SQLite list store: ``<database file>.screening-index/``;
* otherwise (PostgreSQL and other servers) in the user cache directory, one folder per
  database URL.

The file is `marshal` data (strings, tuples, dicts, packed integers: ``Screener.to_state``),
written to a temporary file and renamed, so readers never see half a file. It is a cache
the user's own runs write: a file that does not read back is rebuilt, never trusted, and
older index files in the same folder are removed when a new one is written.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import tempfile
from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from auditor.screening.screener import Screener, without_gc

SUFFIX = ".index"
_MAGIC = "auditor-screening-index"


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """Hash of everything that decides how names are normalised, indexed and compared."""
    from importlib.metadata import version

    digest = hashlib.sha256()
    here = Path(__file__).parent
    for path in sorted([*here.glob("*.py"), *here.glob("data/*")]):  # word lists included
        digest.update(path.relative_to(here).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    for package in ("rigour", "rapidfuzz"):
        digest.update(f"{package}={version(package)}\0".encode())
    return digest.hexdigest()


def index_key(sources: Sequence[str]) -> str:
    """Key of an index built from ``sources`` (one string per list version) by this code."""
    digest = hashlib.sha256(code_fingerprint().encode())
    for source in sources:
        digest.update(b"\0" + source.encode())
    return digest.hexdigest()[:32]


def index_dir(engine: Any) -> Path:
    """Where the index of the lists in ``engine`` is stored (module docstring)."""
    if os.environ.get("AUDITOR_INDEX_DIR"):
        return Path(os.environ["AUDITOR_INDEX_DIR"])
    url = engine.url
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        database = Path(url.database)
        return database.with_name(database.name + ".screening-index")
    from platformdirs import user_cache_dir

    where = hashlib.sha256(url.render_as_string(hide_password=True).encode()).hexdigest()[:16]
    return Path(user_cache_dir("auditor", appauthor=False)) / "screening-index" / where


def load(path: Path, key: str) -> Screener | None:
    """The index stored at ``path`` for ``key``, or None if absent or unreadable."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    try:
        with without_gc():
            magic, stored_key, state = marshal.loads(data)
        if magic != _MAGIC or stored_key != key:
            return None
        return Screener.from_state(state)
    except (ValueError, TypeError, EOFError, KeyError):
        return None  # a damaged or foreign file: rebuilt by the caller


def store(directory: Path, key: str, screener: Screener) -> Path:
    """Write the index atomically and remove older index files in ``directory``."""
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    target = directory / (key + SUFFIX)
    handle, tmp = tempfile.mkstemp(dir=directory, prefix=".tmp-", suffix=SUFFIX)
    try:
        with os.fdopen(handle, "wb") as out:
            marshal.dump((_MAGIC, key, screener.to_state()), out)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    for old in directory.glob("*" + SUFFIX):
        if old != target and not old.name.startswith(".tmp-"):
            old.unlink(missing_ok=True)
    return target


def cached_screener(directory: Path, sources: Sequence[str], build: Callable[[], Screener]) -> tuple[Screener, bool]:
    """The stored index for ``sources``, or a new one built and stored; True if built."""
    key = index_key(sources)
    path = directory / (key + SUFFIX)
    screener = load(path, key)
    if screener is not None:
        return screener, False
    screener = build()
    try:
        store(directory, key, screener)
    except OSError:
        pass  # a read-only place: screening still works, the next run builds it again
    return screener, True
