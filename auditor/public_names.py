"""How reports name local files: by file name, never by a path of the machine that ran the audit.

A report travels (to a bank, an insurer, a regulator); an absolute path such as
`/home/alice/deals/acme/fleet.csv` says nothing to its reader, leaks the officer's machine
layout and makes the same inputs give different reports on two machines. The SHA-256 printed
beside each input identifies the file; its name is enough to find it.

- URLs are kept whole: an official source (trade.gov, treasury.gov) is named by its address.
- A relative path that stays below the working directory is kept as given (`po/2026-11.csv`):
  CI code scanning needs repository-relative paths, and it contains nothing of the machine.
- Anything else (absolute, `~`, `..`, a Windows drive) is reduced to its file name.
"""

from __future__ import annotations

import re
from typing import Iterable

_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
_DRIVE = re.compile(r"^[A-Za-z]:[\\/]")


def _parts(path: str) -> list[str]:
    return [p for p in path.replace("\\", "/").split("/") if p not in ("", ".")]


def is_private(path: str) -> bool:
    """True when `path` would reveal where it sits on the local machine."""
    p = str(path)
    if _URL.match(p):
        return False
    if p.startswith(("/", "\\", "~")) or _DRIVE.match(p):
        return True
    return ".." in _parts(p)


def public_name(path: str) -> str:
    """The name a report shows for one local file or URL (see the module docstring)."""
    p = str(path)
    if not is_private(p):
        return p
    parts = _parts(p)
    return parts[-1] if parts else p


def public_names(paths: Iterable[str]) -> list[str]:
    """public_name() of each path, lengthened where two different files would share a name.

    `/data/a/fleet.csv` and `/data/b/fleet.csv` become `a/fleet.csv` and `b/fleet.csv`: rigs
    without a serial are keyed by file and line, so two inputs must never share a name. The
    same path given twice keeps one name (it is the same file).
    """
    paths = [str(p) for p in paths]
    names = {p: public_name(p) for p in paths}
    depth = {p: 1 for p in paths}
    for _ in range(64):  # bounded: each round lengthens every clashing name by one component
        by_name: dict[str, set[str]] = {}
        for p in paths:
            by_name.setdefault(names[p], set()).add(p)
        clashes = [ps for ps in by_name.values() if len(ps) > 1]
        if not clashes:
            break
        grew = False
        for ps in clashes:
            for p in ps:
                if not is_private(p):
                    continue
                parts = _parts(p)
                if depth[p] < len(parts):
                    depth[p] += 1
                    names[p] = "/".join(part for part in parts[-depth[p]:] if part not in ("..", "~"))
                    grew = True
        if not grew:
            break
    return [names[p] for p in paths]
