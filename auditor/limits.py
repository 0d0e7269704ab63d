"""The limits auditor enforces on what it reads, in one place (docs/security.md lists them).

Inputs come from other people: inventories exported by suppliers, rule and waiver files from a
repository, list files downloaded from a government site. Each reader holds a bounded amount of
any one of them, refuses what is not a regular file before opening it (a FIFO blocks open(2)
forever, /dev/zero never ends) and names the file, line and column of what it refused.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

MiB = 1024 * 1024

#: TOML inputs (rules, waivers, cleared matches, ownership, tariffs, facilities, advisories,
#: curated list): hand-edited files, the largest shipped one is well under 1 MiB.
TOML_MAX_BYTES = 16 * MiB
#: Nesting of arrays and inline tables: tomllib recurses per level (~800 levels exhaust the stack).
TOML_MAX_DEPTH = 32
#: Parts of one dotted key (`a.b.c = 1`): tomllib's time grows with the square of this.
TOML_MAX_KEY_PARTS = 32

#: A whole-document .json inventory is parsed in memory; larger fleets use JSON Lines (streamed).
JSON_DOCUMENT_MAX_BYTES = 256 * MiB
#: One cell of an inventory (a serial, a supplier name, a declared value): longer is a rejected row.
CELL_MAX_CHARS = 1024
#: Columns named one by one in a warning; the rest are counted.
NAMES_SHOWN = 10
#: Ignored column names kept in report.json's inputs (a 100k-column header is not a 100k-name list).
IGNORED_NAMES_KEPT = 100

#: Seconds one rule may evaluate before the audit is marked INCOMPLETE and the rule named
#: (`audit --rule-timeout`); generous: the slowest bundled rule takes seconds on a million rigs.
RULE_TIME_BUDGET_S = 300.0
#: Length of a rule's regular expression pattern, and the memory RE2 may use to compile it.
REGEX_MAX_CHARS = 1000
REGEX_MAX_MEMORY = 8 * MiB


class NotARegularFile(OSError):
    """The path names a FIFO, device, socket or directory: reading it could block or never end."""


_KINDS = (
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISDIR, "a directory"),
)


def kind_of(mode: int) -> str | None:
    """What a non-regular file is, for messages; None for a regular file."""
    for test, what in _KINDS:
        if test(mode):
            return what
    return None if stat.S_ISREG(mode) else "not a regular file"


def open_regular(path: str | Path):
    """Open `path` for binary reading only if it is a regular file (links followed, then checked).

    O_NONBLOCK keeps open(2) from waiting for a writer should a FIFO replace the file between the
    check and the open; fstat then checks what was really opened.
    """
    st = os.stat(path)
    what = kind_of(st.st_mode)
    if what:
        raise NotARegularFile(0, f"is {what}, not a regular file; save its content to a file first")
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    try:
        what = kind_of(os.fstat(fd).st_mode)
        if what:
            raise NotARegularFile(0, f"is {what}, not a regular file; save its content to a file first")
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


class TooLarge(OSError):
    """A file is larger than the limit its reader holds in memory."""


def read_capped(path: str | Path, limit: int, what: str = "file") -> bytes:
    """The bytes of a regular file of at most `limit` bytes (a growing file cannot exceed it)."""
    with open_regular(path) as fh:
        if os.fstat(fh.fileno()).st_size > limit:  # refused before a byte is read (a sparse 2 GB file)
            raise TooLarge(0, f"{what} is larger than {human_size(limit)}, the most auditor reads")
        data = fh.read(limit + 1)
    if len(data) > limit:
        raise TooLarge(0, f"{what} is larger than {human_size(limit)}, the most auditor reads")
    return data


def human_size(n: int) -> str:
    return f"{n // MiB} MiB" if n >= MiB and n % MiB == 0 else f"{n:,} bytes"


def shown_names(names: list[str], limit: int = NAMES_SHOWN) -> str:
    """`a, b, c` or `a, b, … and 99,990 more`: a warning about 100k columns stays one short line."""
    if len(names) <= limit:
        return ", ".join(names)
    return ", ".join(names[:limit]) + f" and {len(names) - limit:,} more"
