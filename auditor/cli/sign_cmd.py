"""`auditor sign DIR --key KEYDIR`: sign an existing report folder."""

from __future__ import annotations

from pathlib import Path

import click

from auditor.cli.audit_cmd import config_option
from auditor.cli.exits import fail


@click.command()
@click.argument("report_dir", type=click.Path(file_okay=False, path_type=Path))
@config_option
@click.option("--key", "key_path", required=True, type=click.Path(path_type=Path),
              help="Key directory (auditor keys generate/import) or a .p12/.pfx file.")
@click.option("--visible", is_flag=True, help="Show a signature box on the cover page of the PDF.")
@click.option("--tsa", "tsa_url", metavar="URL",
              help="RFC 3161 time-stamping authority: timestamps the PDF signature (PAdES B-T) and the "
                   "DSSE signature (report.sigstore.json), so the report verifies after the certificate expires.")
@click.option("--long-term", is_flag=True,
              help="With --tsa: embed the chains' validation data and a document timestamp in the PDF (PAdES B-LTA).")
def sign(report_dir: Path, key_path: Path, visible: bool, tsa_url: str | None, long_term: bool) -> None:
    """Sign every file of a report folder (PAdES PDF + DSSE in-toto statement).

    Writes report.intoto.json, signer.pem and root.pem (with --tsa also report.sigstore.json)
    into the folder, all or nothing. `tsa` and `long_term` may come from the project config
    file (auditor.toml or [tool.auditor]), as for `auditor audit --sign`. The key passphrase (or the PKCS#12 password) comes from
    AUDITOR_KEY_PASSPHRASE or an interactive prompt. Exit 0 signed, 2 on a key, passphrase,
    folder or time-stamping authority problem (then nothing in the folder is changed).
    """
    from auditor.cli.keys_cmd import read_passphrase
    from auditor.signing import SigningError, sign_report

    if not report_dir.is_dir():
        fail(f"{report_dir}: not a report folder")
    if long_term and not tsa_url:
        fail("--long-term needs --tsa URL (the document timestamp comes from a time-stamping authority)")
    if not key_path.exists():
        fail(f"{key_path}: no such key directory or file (create one with `auditor keys generate --out {key_path}`)")
    passphrase = read_passphrase(confirm=False)
    try:
        result = sign_report(report_dir, key_path, passphrase, visible_signature=visible, tsa_url=tsa_url,
                             long_term=long_term)
    except SigningError as exc:
        fail(str(exc))
    for rel in result.pdfs_signed:
        click.echo(f"signed PDF   {rel} (PAdES {'B-LTA' if long_term else 'B-T' if tsa_url else 'B-B'})")
    click.echo(f"signed       {len(result.files)} files in {result.envelope} (key id {result.key_id})")
    if result.timestamp:
        click.echo(f"timestamped  the DSSE signature {result.timestamp} (report.sigstore.json)")
