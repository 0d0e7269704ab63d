"""Command line entry point.

Commands are registered by name in COMMANDS and imported only when invoked, so that
`auditor --help` stays fast. Each command module holds click commands only: parse, call
into the library, print, map to exit codes (auditor.cli.exits).
"""

from __future__ import annotations

import importlib
import sys

import click

from auditor import __version__

# name -> "module:attribute" of a click command or group. One line per command.
COMMANDS: dict[str, tuple[str, str]] = {
    "audit": ("auditor.cli.audit_cmd:audit", "Audit one or more rig inventories and write reports."),
    "rules": ("auditor.cli.rules_cmd:rules", "List, lint and self-test rule packs."),
    "screen": ("auditor.cli.screen_cmd:screen", "Screen names against the lists and explain every match."),
    "tariffs": ("auditor.cli.tariffs_cmd:tariffs", "Explain the dated US duty stack for an origin, HTS code and date."),
    "lists": ("auditor.cli.lists_cmd:lists", "Import, update and show the screening lists."),
    "keys": ("auditor.cli.keys_cmd:keys", "Create, import and show report-signing keys."),
    "sign": ("auditor.cli.sign_cmd:sign", "Sign an existing report folder (PAdES PDF + DSSE statement)."),
    "verify": ("auditor.cli.verify_cmd:verify", "Verify a signed report folder (exit 0 verified, 1 failed)."),
    "history": ("auditor.cli.history_cmd:history", "List recorded audit runs."),
    "diff": ("auditor.cli.diff_cmd:diff", "Show what changed between two recorded audit runs."),
    "waivers": ("auditor.cli.waivers_cmd:waivers", "Lint and list waiver files."),
    "db": ("auditor.cli.db_cmd:db", "Create or migrate the audit-history database."),
    "config": ("auditor.cli.config_cmd:config", "Show the project configuration and where each setting comes from."),
    "devices": ("auditor.cli.devices_cmd:devices", "Scan rigs on the network and record who they say they are."),
}


class LazyGroup(click.Group):
    def list_commands(self, ctx):
        return sorted(COMMANDS)

    def get_command(self, ctx, name):
        if name not in COMMANDS:
            return None
        target, _ = COMMANDS[name]
        module, attr = target.split(":")
        return getattr(importlib.import_module(module), attr)

    def format_commands(self, ctx, formatter):
        # Help text without importing every command module.
        rows = [(name, COMMANDS[name][1]) for name in self.list_commands(ctx)]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="auditor")
def cli() -> None:
    """Hardware provenance and security-risk auditor for bitcoin-mining fleets.

    Exit codes: 0 clean, 1 findings at or above --fail-on, 2 usage/configuration/input
    error, 3 incomplete audit, 4 internal error.
    """


def main(argv: list[str] | None = None) -> None:
    from auditor.cli.exits import run_guarded

    sys.exit(run_guarded(cli, argv))
