"""`auditor config show`: the settings an audit here would use, and where each comes from."""

from __future__ import annotations

import json
import os

import click

from auditor.cli.exits import fail


@click.group()
def config() -> None:
    """Show the project configuration (auditor.toml or [tool.auditor] in pyproject.toml)."""


@config.command("show")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), help="Config file (default: found in the working directory).")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def show(config_path, as_json) -> None:
    """Print every setting with its value and origin: the config file and line, the
    environment, or the built-in default. Command-line flags of `auditor audit` override all."""
    from auditor import config as cfgmod
    from auditor.cli.audit_cmd import audit

    try:
        cfg = cfgmod.load(config_path)
    except cfgmod.ConfigError as exc:
        fail(str(exc))
    params = {p.name: p for p in audit.params}
    rows = []
    for key in sorted(cfgmod.KEYS.values(), key=lambda k: k.name):
        param = params.get(key.param)
        if key.param in cfg.values:
            value, origin = cfg.values[key.param], cfg.origins[key.param]
        elif param is not None and param.envvar and os.environ.get(param.envvar):
            value, origin = os.environ[param.envvar], f"environment {param.envvar}"
        elif key.name == "db" and os.environ.get("AUDITOR_DB"):
            value, origin = os.environ["AUDITOR_DB"], "environment AUDITOR_DB"
        else:
            default = param.default if param is not None else None
            if not isinstance(default, (str, int, float, bool, list, tuple, os.PathLike)):
                default = None  # click's "unset" sentinel: no default
            value, origin = (list(default) if isinstance(default, tuple) else default), "default"
            value = str(value) if isinstance(value, os.PathLike) else value
        rows.append({"setting": key.name, "value": value, "origin": str(origin)})
    if as_json:
        click.echo(json.dumps({"config_file": str(cfg.path) if cfg.path else None, "settings": rows}, indent=1))
        return
    click.echo(f"# config file: {cfg.path if cfg.path else 'none (no auditor.toml or [tool.auditor] here)'}")
    width = max(len(r["setting"]) for r in rows)
    for r in rows:
        shown = "(none)" if r["value"] in (None, [], ()) else r["value"]
        click.echo(f"{r['setting']:<{width}}  {shown!s:<40}  # {r['origin']}")
