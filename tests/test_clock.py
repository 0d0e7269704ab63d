"""One clock: every command takes "today" the same way (--as-of, else AUDITOR_AS_OF, else UTC)."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import click
import pytest

from auditor.cli import COMMANDS, cli
from tests.conftest import run_cli

WAIVERS = ('[[waiver]]\nid = "W-1"\nrule = "DQ-001"\nserial = "S1"\njustification = "j"\napprover = "A"\n'
           "created = 2026-01-01\nexpires = 2026-03-01\n")


def _commands_with_as_of() -> list[str]:
    out = []
    ctx = click.Context(cli)
    for name in sorted(COMMANDS):
        cmd = cli.get_command(ctx, name)
        subs = cmd.commands.items() if isinstance(cmd, click.Group) else [("", cmd)]
        for sub, c in subs:
            if any("--as-of" in p.opts for p in c.params):
                out.append(f"{name} {sub}".strip())
    return out


def test_every_as_of_reads_the_same_environment_variable():
    found = _commands_with_as_of()
    assert {"audit", "waivers lint", "waivers list", "rules list", "rules test", "screen"} <= set(found)
    ctx = click.Context(cli)
    for path in found:
        cmd = cli
        for part in path.split():
            cmd = cmd.get_command(ctx, part)
        (opt,) = [p for p in cmd.params if "--as-of" in p.opts]
        assert opt.envvar == "AUDITOR_AS_OF", path


def test_waivers_list_takes_the_date_from_auditor_as_of(tmp_path):
    (tmp_path / "w.toml").write_text(WAIVERS)
    proc = run_cli("waivers", "list", tmp_path / "w.toml", "--json", env={"AUDITOR_AS_OF": "2026-02-20"})
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert doc["as_of"] == "2026-02-20" and doc["waivers"][0]["days_left"] == 9


@pytest.mark.parametrize("tz", ["Etc/GMT-14", "Etc/GMT+12"])  # UTC+14 and UTC-12: local dates differ from UTC
def test_default_today_is_utc_whatever_the_local_time_zone(tmp_path, tz):
    (tmp_path / "w.toml").write_text(WAIVERS)
    proc = run_cli("waivers", "list", tmp_path / "w.toml", "--json", env={"TZ": tz, "AUDITOR_AS_OF": None})
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["as_of"] == datetime.now(timezone.utc).date().isoformat()
