"""`auditor keys generate | import | show | revoke`: signing keys for reports."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import click

from auditor.cli.exits import fail
from auditor.cli.options import MOMENT

PASSPHRASE_ENV = "AUDITOR_KEY_PASSPHRASE"
# RFC 5280 reason names accepted by `keys revoke` (revocation.REASONS, listed here to keep --help fast)
REASON_NAMES = ("affiliationChanged", "cessationOfOperation", "keyCompromise", "superseded", "unspecified")
IMPORT_PASSPHRASE_ENV = "AUDITOR_IMPORT_PASSPHRASE"


def read_passphrase(*, confirm: bool, env: str = PASSPHRASE_ENV, prompt: str = "Key passphrase") -> str:
    """The passphrase from `env`, else an interactive prompt; never from the command line."""
    value = os.environ.get(env)
    if value is not None:
        return value
    try:
        return click.prompt(prompt, hide_input=True, confirmation_prompt=confirm, err=True)
    except click.exceptions.Abort:
        fail(f"no passphrase: set {env} or run the command in a terminal to be asked")


def _date(ctx, param, value):
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date (YYYY-MM-DD)") from None


@click.group()
def keys() -> None:
    """Create, import and show report-signing keys.

    Private keys are stored encrypted (PKCS#8) with a passphrase taken from the
    AUDITOR_KEY_PASSPHRASE environment variable or asked for interactively.
    """


@keys.command()
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Key directory to create (root.pem, root.key.pem, signer.pem, signer.key.pem).")
@click.option("--org", default=None, help="Organisation name in the certificates (at most 64 characters).")
@click.option("--valid-from", callback=_date, default=None, metavar="DATE",
              help="First day of validity, YYYY-MM-DD (default: today, UTC).")
@click.option("--valid-days", type=click.IntRange(min=1), default=None,
              help="Validity of the signing certificate in days (default 1095).")
@click.option("--root-valid-days", type=click.IntRange(min=1), default=None,
              help="Validity of the root CA in days (default 3650).")
@click.option("--crl-url", metavar="URL",
              help="Where you will publish crl.pem (auditor keys revoke); named in the signing certificate.")
def generate(out_dir: Path, org: str | None, valid_from, valid_days, root_valid_days, crl_url) -> None:
    """Create a local root CA and a report-signing certificate (ECDSA P-256)."""
    from auditor.signing.errors import SigningError
    from auditor.signing.keys import DEFAULT_ORG, DEFAULT_ROOT_DAYS, DEFAULT_SIGNER_DAYS, describe_key_dir, generate_keys

    passphrase = read_passphrase(confirm=True, prompt="New key passphrase")
    try:
        generate_keys(
            out_dir, passphrase, org=org or DEFAULT_ORG,
            valid_from=valid_from or dt.datetime.now(dt.timezone.utc).date(),
            signer_days=valid_days or DEFAULT_SIGNER_DAYS, root_days=root_valid_days or DEFAULT_ROOT_DAYS,
            crl_url=crl_url,
        )
        rows = describe_key_dir(out_dir)
    except SigningError as exc:
        fail(str(exc))
    click.echo(f"created signing keys in {out_dir}")
    _print_rows(rows)
    click.echo("publish the root certificate sha256 where regulators can find it; keep the passphrase safe")


@keys.command(name="import")
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Key directory to create.")
@click.option("--pkcs12", "pkcs12_file", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="PKCS#12 (.p12/.pfx) file with the key, certificate and chain.")
@click.option("--cert", "cert_file", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="Signing certificate (PEM or DER).")
@click.option("--key", "key_file", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="Private key of --cert (PEM or DER, encrypted or not).")
@click.option("--chain", "chain_files", multiple=True, type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="Intermediate and root certificates (PEM), repeatable.")
def import_(out_dir, pkcs12_file, cert_file, key_file, chain_files) -> None:
    """Use an organisation's existing certificate and key (PEM or PKCS#12).

    The source passphrase comes from AUDITOR_IMPORT_PASSPHRASE (or a prompt, when the source
    is encrypted); the key is stored re-encrypted with AUDITOR_KEY_PASSPHRASE.
    """
    from auditor.signing.errors import SigningError
    from auditor.signing.keys import describe_key_dir, import_keys

    if bool(pkcs12_file) == bool(cert_file or key_file):
        fail("give either --pkcs12 FILE or both --cert FILE and --key FILE")
    source_secret = os.environ.get(IMPORT_PASSPHRASE_ENV)
    if source_secret is None and _source_is_encrypted(pkcs12_file or key_file):
        source_secret = read_passphrase(confirm=False, env=IMPORT_PASSPHRASE_ENV, prompt="Passphrase of the file to import")
    passphrase = read_passphrase(confirm=True, prompt="New key passphrase")
    try:
        import_keys(out_dir, passphrase, pkcs12_file=pkcs12_file, cert_file=cert_file, key_file=key_file,
                    chain_files=tuple(chain_files), source_passphrase=source_secret)
        rows = describe_key_dir(out_dir)
    except SigningError as exc:
        fail(str(exc))
    click.echo(f"imported signing keys into {out_dir}")
    _print_rows(rows)


def _source_is_encrypted(path: Path | None) -> bool:
    if path is None:
        return False
    data = path.read_bytes()
    # PKCS#12 files are always password-protected (possibly with an empty password): ask.
    return path.suffix.lower() in (".p12", ".pfx") or b"ENCRYPTED" in data[:200]


@keys.command()
@click.argument("key_dir", type=click.Path(file_okay=False, path_type=Path))
@click.option("--reason", required=True, type=click.Choice(sorted(REASON_NAMES)),
              help="RFC 5280 reason: keyCompromise when the key may be known to others.")
@click.option("--date", "when", type=MOMENT,
              help="When the key stopped being trustworthy (YYYY-MM-DD or ISO date-time, UTC; default now).")
def revoke(key_dir: Path, reason: str, when) -> None:
    """Withdraw the signing certificate: add it to KEY_DIR/crl.pem, signed by the root.

    Publish the new crl.pem where the certificate says (`auditor keys show`) and give it to
    verifiers (`auditor verify --crl`). Signatures whose trusted timestamp is before the
    revocation date still verify; later ones, and untimestamped ones, fail.
    """
    from auditor.signing.errors import SigningError
    from auditor.signing.revocation import revoke_signer

    passphrase = read_passphrase(confirm=False)
    try:
        crl_path, at, url = revoke_signer(key_dir, passphrase, reason, when)
    except SigningError as exc:
        fail(str(exc))
    click.echo(f"revoked the signing certificate of {key_dir} as of {at:%Y-%m-%dT%H:%M:%SZ} ({reason})")
    click.echo(f"wrote {crl_path}; publish it at {url}" if url else f"wrote {crl_path}; give it to verifiers (--crl)")


@keys.command()
@click.argument("key_dir", type=click.Path(file_okay=False, path_type=Path))
def show(key_dir: Path) -> None:
    """Print the key id and certificate fingerprints to publish."""
    from auditor.signing.errors import SigningError
    from auditor.signing.keys import describe_key_dir

    try:
        rows = describe_key_dir(key_dir)
    except SigningError as exc:
        fail(str(exc))
    _print_rows(rows)


def _print_rows(rows) -> None:
    width = max(len(label) for label, _ in rows)
    for label, value in rows:
        click.echo(f"{label.ljust(width)}  {value}")
