"""`auditor devices scan TARGET… --out FILE.jsonl`: ask rigs on the network who they are."""

from __future__ import annotations

import sys
import tomllib

import click

from auditor.cli.exits import fail

CREDENTIAL_MAKES = ("antminer",)


def load_logins(path: str) -> dict[str, tuple[str, str]]:
    """`[antminer] username = …, password = …` per make (TOML). Never echoed anywhere."""
    try:
        data = tomllib.loads(open(path, encoding="utf-8").read())
    except OSError as exc:
        fail(f"{path}: cannot read the credentials file: {exc.strerror or exc}")
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        fail(f"{path}: not a valid TOML credentials file: {exc}")
    out = {}
    for make, entry in data.items():
        if make not in CREDENTIAL_MAKES:
            fail(f"{path}: [{make}]: no web login is used for this make (known: {', '.join(CREDENTIAL_MAKES)})")
        if not isinstance(entry, dict) or set(entry) != {"username", "password"} or not all(
                isinstance(v, str) for v in entry.values()):
            fail(f"{path}: [{make}] needs exactly `username` and `password`, both strings")
        out[make] = (entry["username"], entry["password"])
    return out


@click.group()
def devices() -> None:
    """Ask rigs on the network who they are (read-only)."""


@devices.command()
@click.argument("targets", nargs=-1, required=True)
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False),
              help="Snapshot file to write (JSON Lines, one record per address).")
@click.option("--timeout", default=3.0, show_default=True, type=click.FloatRange(0.05, 120),
              help="Seconds allowed for each request to a device.")
@click.option("--concurrency", default=256, show_default=True, type=click.IntRange(1, 4096),
              help="Addresses asked at once.")
@click.option("--credentials", type=click.Path(dir_okay=False),
              help="TOML file of web logins per make (default: the published factory logins).")
@click.option("--api-port", default=4028, show_default=True, type=click.IntRange(1, 65535),
              help="Port of the cgminer-family API (Antminer, Avalon, LuxOS, Whatsminer API v2).")
@click.option("--web-port", default=80, show_default=True, type=click.IntRange(1, 65535),
              help="Port of the web interface (Antminer CGI pages).")
@click.option("--whatsminer-port", default=4433, show_default=True, type=click.IntRange(1, 65535),
              help="Port of the Whatsminer API v3.")
@click.option("--site", help="Name of the site this scan covers: declared rigs of this site not seen are reported.")
def scan(targets, out, timeout, concurrency, credentials, api_port, web_port, whatsminer_port, site):
    """Scan TARGETs (IPv4 address, CIDR range up to /16, or @FILE of them) and write a snapshot.

    Read-only: every request is a read; whether the privileged API is open is tested with
    the cgminer API's harmless `privileged` command. Devices that answer garbage, too much,
    too slowly or not at all are recorded with their errors and the scan goes on.
    """
    from auditor.devices.base import Ports
    from auditor.devices.scan import ScanOptions, TargetError, parse_targets, run_scan
    from auditor.devices.snapshot import dumps_record

    try:
        addresses = parse_targets(targets)
    except TargetError as exc:
        fail(str(exc))
    logins = load_logins(credentials) if credentials else {}
    opts = ScanOptions(ports=Ports(api=api_port, web=web_port, whatsminer_v3=whatsminer_port),
                       timeout=timeout, concurrency=concurrency, logins=logins, site=site)
    try:
        fh = open(out, "w", encoding="utf-8", newline="\n")
    except OSError as exc:
        fail(f"{out}: cannot write the snapshot: {exc.strerror or exc}")
    tty = sys.stderr.isatty()

    def progress(stats, total):
        if stats.addresses == total or stats.addresses % 64 == 0:
            click.echo(f"\rscanned {stats.addresses}/{total} addresses, {stats.identified} rigs identified",
                       err=True, nl=False)

    with fh:
        try:
            stats = run_scan(addresses, opts, lambda rec: fh.write(dumps_record(rec) + "\n"),
                             progress if tty else None)
        except TargetError as exc:
            fail(str(exc))
    if tty:
        click.echo("", err=True)
    click.echo(f"{out}: {stats.addresses} addresses, {stats.reachable} reachable, "
               f"{stats.identified} rigs identified, {stats.with_errors} with errors")
