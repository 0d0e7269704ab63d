"""Exit codes (DESIGN.md contract) and the guard that keeps tracebacks off users' screens."""

from __future__ import annotations

import io
import os
import sys

import click

CLEAN = 0
FINDINGS = 1
USAGE = 2
INCOMPLETE = 3
INTERNAL = 4


class UsageError(Exception):
    """Bad flag, invalid rule/waiver/key file, unreadable input: nothing evaluated (exit 2)."""


def fail(message: str, code: int = USAGE) -> "NoReturn":  # noqa: F821
    """Print `auditor: error: …` on stderr and exit with `code`."""
    click.echo(f"auditor: error: {message}", err=True)
    raise SystemExit(code)


def run_guarded(cli: click.Group, argv: list[str] | None) -> int:
    """Run the click group; map every way of ending to a documented exit code."""
    args = sys.argv[1:] if argv is None else argv
    for arg in args:
        if _not_utf8(arg):
            # A file name in another encoding cannot be named in a UTF-8 report or message.
            shown = arg.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
            click.echo(f"auditor: error: {shown}: not valid UTF-8 (a file name in another encoding?); "
                       "rename it to UTF-8", err=True)
            return USAGE
    _guard_stdout()
    try:
        try:
            cli.main(args=argv, prog_name="auditor", standalone_mode=False)
        finally:
            sys.stdout.flush()  # a full disk or closed pipe behind stdout surfaces here, not at exit
        return CLEAN
    except SystemExit as exc:
        code = exc.code
        if code is None:
            return CLEAN
        return code if isinstance(code, int) else USAGE
    except click.exceptions.Abort:
        click.echo("auditor: aborted", err=True)
        return USAGE
    except click.ClickException as exc:
        exc.show()
        return USAGE
    except UsageError as exc:
        click.echo(f"auditor: error: {exc}", err=True)
        return USAGE
    except KeyboardInterrupt:
        click.echo("auditor: interrupted", err=True)
        return INTERNAL
    except BrokenPipeError:
        _silence_stdout()
        return CLEAN
    except StdoutError as exc:
        _silence_stdout()
        click.echo(f"auditor: error: cannot write to standard output: {exc.strerror or exc}", err=True)
        return USAGE
    except Exception as exc:  # never a bare traceback
        return _internal(exc)


def _internal(exc: BaseException) -> int:
    import traceback

    click.echo(f"auditor: internal error: {type(exc).__name__}: {exc}", err=True)
    if os.environ.get("AUDITOR_DEBUG"):
        traceback.print_exception(exc, file=sys.stderr)
    else:
        click.echo("auditor: set AUDITOR_DEBUG=1 for the traceback; please report this", err=True)
    return INTERNAL


def _not_utf8(arg: str) -> bool:
    """Undecodable bytes of argv arrive as lone surrogates (PEP 383)."""
    try:
        arg.encode("utf-8")
        return False
    except UnicodeEncodeError:
        return True


class StdoutError(OSError):
    """Standard output refused what we wrote (/dev/full, a full disk, an I/O error): exit 2."""


class _GuardedStdout(io.RawIOBase):
    """fd 1, whose write errors are StdoutError: told apart from errors of the files we read."""

    def __init__(self, fd: int):
        self.fd = fd

    def writable(self) -> bool:
        return True

    def fileno(self) -> int:
        return self.fd

    def isatty(self) -> bool:
        return os.isatty(self.fd)

    def write(self, data) -> int:
        try:
            return os.write(self.fd, data)
        except BrokenPipeError:
            raise  # the reader went away (`auditor … | head`): not an error of ours
        except OSError as exc:
            raise StdoutError(exc.errno, exc.strerror) from None


def _guard_stdout() -> None:
    out = sys.stdout
    try:
        fd = out.fileno()
    except (AttributeError, OSError, ValueError):
        return  # already replaced (a test runner capturing output): leave it
    out.flush()
    sys.stdout = io.TextIOWrapper(io.BufferedWriter(_GuardedStdout(fd)), encoding=out.encoding,
                                  errors=out.errors, line_buffering=out.line_buffering)


def _silence_stdout() -> None:
    """Point fd 1 at /dev/null so that the interpreter's last flush does not fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        pass
