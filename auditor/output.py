"""The --out folder: a real directory we own, no leftovers of an earlier run, no link ever followed.

An attacker who can write into the output folder (a shared CI workspace, a folder copied from
someone else) may plant `report.json -> ~/.ssh/authorized_keys` or a dangling `findings.csv ->
/etc/cron.d/x`. Opening such a path for writing follows the link. So every report file is written
by creating a NEW temporary file beside it (O_CREAT | O_EXCL | O_NOFOLLOW: it fails rather than
open anything that exists) and renaming it over the final name; rename(2) replaces a link itself,
never its target. Before writing, the folder is checked (a directory, not a link, owned by us) and
report files of an earlier run are refused by name unless --overwrite, which removes them first so
no stale report.pdf or findings.csv stays beside the new files.
"""

from __future__ import annotations

import io
import os
import secrets
import stat
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Iterator

#: Files signing adds beside the reports (auditor.signing.statement.SIGNATURE_FILES; repeated here
#: so that an unsigned audit does not import the signing stack, and pinned equal by a test).
SIGNATURE_FILES = ("chain.pem", "report.intoto.json", "root.pem", "signer.pem")
#: Prefix of our own temporary files: a crashed run's leftovers are report files too.
TEMP_PREFIX = ".auditor-tmp-"


class OutputError(Exception):
    """The output folder cannot be used safely (exit 2)."""


def report_file_names() -> set[str]:
    """Every file name an audit may write: each registered format's file and the signature files."""
    from auditor import formats

    return {f for n in formats.names() for f in formats.filenames(n)} | set(SIGNATURE_FILES)


def check_out_dir(out_dir: Path, *, overwrite: bool, signing: bool = False) -> list[str]:
    """Check `out_dir` without changing it; return the earlier run's report files `--overwrite` removes.

    Raises OutputError when the folder cannot be used: not a directory, a link, another user's,
    not writable, holding report files without `overwrite`, or (with `signing`, whose statement
    covers the whole folder) holding any other file.
    """
    out_dir = Path(out_dir)
    try:
        st = os.lstat(out_dir)
    except FileNotFoundError:
        return []
    except OSError as exc:
        raise OutputError(f"cannot use output directory {out_dir}: {_reason(exc)}") from None
    if stat.S_ISLNK(st.st_mode):
        raise OutputError(f"output directory {out_dir} is a symbolic link; give the directory it points to")
    if not stat.S_ISDIR(st.st_mode):
        raise OutputError(f"output path {out_dir} exists and is not a directory")
    if st.st_uid != os.geteuid():
        raise OutputError(f"output directory {out_dir} belongs to another user (uid {st.st_uid}); "
                          "use a directory you own")
    if not os.access(out_dir, os.W_OK | os.X_OK):
        raise OutputError(f"output directory {out_dir} is not writable")
    try:
        present = sorted(os.listdir(out_dir))
    except OSError as exc:
        raise OutputError(f"cannot list output directory {out_dir}: {_reason(exc)}") from None
    ours = report_file_names()
    stale = [n for n in present if n in ours or n.startswith(TEMP_PREFIX)]
    if signing:
        stray = [n for n in present if n not in stale]
        if stray:
            raise OutputError(
                f"{out_dir} holds files this audit does not write ({_names(stray)}); "
                "a signed report covers its whole folder: use an empty --out directory")
    if stale and not overwrite:
        raise OutputError(
            f"{out_dir} holds report files of an earlier run ({_names(stale)}); "
            "use an empty --out directory, or --overwrite to remove them first")
    return stale


def prepare_out_dir(out_dir: Path, *, overwrite: bool, signing: bool = False) -> Path:
    """check_out_dir, then create the folder or remove the earlier run's report files."""
    out_dir = Path(out_dir)
    stale = check_out_dir(out_dir, overwrite=overwrite, signing=signing)
    if not os.path.lexists(out_dir):
        try:
            out_dir.mkdir(parents=True, mode=0o755)
        except OSError as exc:
            raise OutputError(f"cannot create output directory {out_dir}: {_reason(exc)}") from None
    for name in stale:
        try:
            os.unlink(out_dir / name)  # unlink removes a link itself, never its target
        except FileNotFoundError:
            pass
        except OSError as exc:  # a directory named like a report (EISDIR on Linux, EPERM elsewhere)
            raise OutputError(f"cannot remove {out_dir / name}: {_reason(exc)}") from None
    return out_dir


@contextmanager
def create_file(path: Path, mode: str = "w", *, encoding: str | None = "utf-8",
                newline: str | None = "\n", perm: int = 0o644) -> Iterator[IO]:
    """Open a NEW file that becomes `path` when the block succeeds (atomic rename).

    Nothing that exists at `path` is opened or followed; on error the temporary file is removed and
    `path` is untouched.
    """
    path = Path(path)
    tmp = path.with_name(f"{TEMP_PREFIX}{path.name}.{secrets.token_hex(6)}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0), perm)
    try:
        raw = os.fdopen(fd, "wb")
    except BaseException:
        os.close(fd)
        os.unlink(tmp)
        raise
    try:
        if "b" in mode:
            fh: IO = raw
        else:
            fh = io.TextIOWrapper(raw, encoding=encoding, newline=newline)
        with fh:
            yield fh
            fh.flush()
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def write_text(path: Path, text: str) -> None:
    with create_file(path) as fh:
        fh.write(text)


def _names(names: list[str]) -> str:
    shown = ", ".join(names[:8])
    return shown + (f" and {len(names) - 8} more" if len(names) > 8 else "")


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc)
