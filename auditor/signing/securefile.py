"""Write files atomically, private ones readable by the owner only from the first byte on.

Private keys must never exist on disk with looser permissions, not even for a moment, so the
temporary file is created with os.open(O_CREAT | O_EXCL, 0o600) (the mode applies at creation,
and the umask can only remove bits) and then renamed over the target. Public files (certificates,
signed reports) use the same atomic rename with mode 0o644 so a reader never sees half a file.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

PRIVATE_MODE = 0o600
PUBLIC_MODE = 0o644


def write_atomic(path: Path, data: bytes, *, mode: int = PUBLIC_MODE, overwrite: bool = True) -> None:
    """Write `data` to `path` via a same-directory temporary file and an atomic rename."""
    path = Path(path)
    if not overwrite and path.exists():
        raise FileExistsError(f"{path} already exists; refusing to overwrite it")
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(8)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), mode)
    try:
        # O_CREAT honours the umask; fchmod pins the exact mode we promised (never wider than asked).
        os.fchmod(fd, mode)
        with os.fdopen(fd, "wb", closefd=True) as fh:
            fd = -1
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if overwrite:
            os.replace(tmp, path)
        else:
            # link() fails if the target appeared meanwhile: no silent overwrite of a key.
            os.link(tmp, path)
            os.unlink(tmp)
    except BaseException:
        if fd >= 0:
            os.close(fd)
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def write_private(path: Path, data: bytes, *, overwrite: bool = False) -> None:
    """Write a secret (an encrypted private key) with mode 0600; never overwrite by default."""
    write_atomic(path, data, mode=PRIVATE_MODE, overwrite=overwrite)


def write_public(path: Path, data: bytes) -> None:
    write_atomic(path, data, mode=PUBLIC_MODE, overwrite=True)
