"""Exit codes (DESIGN.md contract) and the guard that keeps tracebacks off users' screens."""

from __future__ import annotations

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
    try:
        cli.main(args=argv, prog_name="auditor", standalone_mode=False)
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
        return CLEAN
    except Exception as exc:  # never a bare traceback
        import os
        import traceback

        click.echo(f"auditor: internal error: {type(exc).__name__}: {exc}", err=True)
        if os.environ.get("AUDITOR_DEBUG"):
            traceback.print_exc(file=sys.stderr)
        else:
            click.echo("auditor: set AUDITOR_DEBUG=1 for the traceback; please report this", err=True)
        return INTERNAL
