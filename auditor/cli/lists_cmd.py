"""`auditor lists import | show | update`: manage the screening lists in the store."""

from __future__ import annotations

import json
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Sequence

import click

from auditor.cli.exits import fail

FORMATS = ("csl-csv", "csl-json", "ofac-sdn", "ofac-alt", "dod-1260h", "fcc-covered")
DB_HELP = "Database URL (default: $AUDITOR_DB, else a SQLite file in the user data directory)."


def _engine(db: str | None):
    from auditor.store.db import StoreError, open_engine, prepare_schema

    try:
        engine = open_engine(db)
        prepare_schema(engine)
    except StoreError as exc:
        fail(str(exc))
    return engine


def _now() -> datetime:
    # The one clock read: when the import happened (recorded, shown by `lists show`).
    return datetime.now(timezone.utc)


def _print_version(info, result, gains: Sequence[str] = ()) -> None:
    click.echo(
        f"imported {info.source} as {info.format} (version {info.id}, sha256 {info.sha256[:16]}…): "
        f"{result.rows} records read, {len(result.entries)} entries"
    )
    width = max((len(s) for s in info.counts), default=0)
    for section, count in sorted(info.counts.items()):
        click.echo(f"  {section:<{width}}  {count:>7}")
    for label, count in sorted(result.notes.items()):
        click.echo(f"  ({label}: {count})")
    for gain in gains:
        click.echo(f"  {gain}")
    for warning in result.warnings:
        click.echo(f"auditor: warning: {warning}", err=True)


@click.group()
def lists() -> None:
    """Import, update and show the screening lists (exit 2 on bad input or refused update)."""


@lists.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--format", "fmt", default=None, type=click.Choice(FORMATS),
              help="Format of FILE; recognised from its first lines when not given.")
@click.option("--retrieved", type=click.DateTime(["%Y-%m-%d"]), default=None,
              help="Date the file was downloaded from its publisher (YYYY-MM-DD, not after today); staleness is "
                   "measured from it.")
@click.option("--max-loss", type=click.FloatRange(0.0, 1.0), default=0.2, show_default=True,
              help="Largest share of any section's entries the import may lose against the active version without --force.")
@click.option("--force", is_flag=True, help="Import even if it loses more than --max-loss.")
@click.option("--db", default=None, help=DB_HELP)
def import_cmd(file: Path, fmt: str | None, retrieved: datetime | None, max_loss: float, force: bool, db: str | None) -> None:
    """Import FILE as the new active version of its list (one transaction).

    Refused, like `lists update`, when FILE holds no entries or loses more than --max-loss of
    a section of the active version (a 13-row sample must not replace 4,000 entries). FILE
    that is the active version already (same SHA-256) is not imported again: the version is
    kept, and a later --retrieved date recorded on it.
    """
    from auditor.refdata.importers import IMPORTERS, ListFormatError
    from auditor.refdata.importers.base import file_sha256
    from auditor.refdata.importers.update import losses
    from auditor.store.lists import PendingImport, store_imports, versions

    now = _now()
    if retrieved is not None and retrieved.date() > now.date():
        # A download date in the future is a typo (2062 for 2026, a US-ordered date): recorded,
        # it would make the list look fresh for years and hide that it is stale.
        fail(f"--retrieved {retrieved.date().isoformat()} is after today ({now.date().isoformat()}, UTC): the "
             "date the file was downloaded cannot be in the future; nothing imported")
    try:
        if fmt is None:
            fmt = _recognised_format(file)
        importer = IMPORTERS[fmt]
        result = importer.parse(file)
    except ListFormatError as exc:
        fail(str(exc))
    if not result.entries:
        fail(f"{file}: no entries in {result.rows} records (a header only?): nothing imported, "
             "the active version is unchanged")
    engine = _engine(db)
    active = {v.slot: v for v in versions(engine, active_only=True)}
    current = active.get(importer.slot)
    pending = PendingImport(
        format=fmt,
        slot=importer.slot,
        source=str(file),
        sha256=file_sha256(file),
        retrieved=retrieved.date() if retrieved else None,
        result=result,
    )
    if _is_active(engine, active, pending):
        assert current is not None
        _keep(engine, file, current, pending.retrieved)
        return
    gains: list[str] = []
    if current is not None:
        lost = losses(current.counts, result.counts, max_loss)
        verb = "importing despite" if force else "import refused, nothing changed:"
        for loss in lost:
            click.echo(f"auditor: {'warning' if force else 'error'}: {verb} {loss.describe()} "
                       f"against active version {current.id}", err=True)
        if lost and not force:
            fail(f"{file} loses more than {max_loss:.0%} of a section of the active {importer.slot} list; "
                 "check the file or use --force")
        gains = _section_changes(current, result.counts, {loss.section for loss in lost}, max_loss, "",
                                 "check that the file is complete")
    if retrieved is None:
        click.echo(f"auditor: warning: no --retrieved date: the retrieval date is recorded as unknown and the "
                   f"list's age is measured from the import date, {now.date().isoformat()}", err=True)
    (info,) = store_imports(engine, [pending], now)
    _print_version(info, result, gains)
    _build_index(engine)


def _is_active(engine, active: dict, pending) -> bool:
    """Whether `pending` is its slot's active version over again (`active`: slot -> version):
    the same file read into the same entries. The same bytes read into other entries, by a
    release of auditor whose importer changed, are not: a note says why they are stored again."""
    from auditor.store.lists import holds_the_same

    current = active.get(pending.slot)
    if current is None or current.sha256 != pending.sha256:
        return False
    if holds_the_same(engine, current, pending):
        return True
    click.echo(f"auditor: note: {pending.source} is the file of active version {current.id} (same SHA-256), but this "
               "release of auditor reads it into other entries: imported as a new version", err=True)
    return False


def _section_changes(current, counts: dict[str, int], forced: set[str], max_loss: float, where: str,
                     advice: str) -> list[str]:
    """The sections of a new file that gain entries against the `current` active version, said
    under the counts; a loss under --max-loss, imported, is warned of (`where`: " in URL" for
    an update) unless the big-loss check already said it (`forced`): a list that shrinks is
    news to the reader."""
    from auditor.refdata.importers.update import section_changes

    gains = []
    for change in section_changes(current.counts, counts):
        if not change.lost:
            gains.append(change.describe(current.id))
        elif change.section not in forced:
            click.echo(f"auditor: warning: {change.describe(current.id)}{where}, within --max-loss {max_loss:.0%}: "
                       f"{advice}", err=True)
    return gains


def _keep(engine, file: Path, kept, retrieved: date | None) -> None:
    """FILE is the active version already: store nothing, keep that version (and its index).

    A later --retrieved is recorded on it (the same list, downloaded again, is known current as
    of that day); an earlier one, or none, never replaces the date recorded. No check time is
    recorded (`lists update` records one): when a local file was downloaded is known only from
    --retrieved."""
    from auditor.store.lists import record_retrieved

    before = kept
    if retrieved is not None and (before.retrieved is None or retrieved > before.retrieved):
        kept = record_retrieved(engine, kept.id, retrieved)
    click.echo(_unchanged(str(file), before, kept, retrieved, "--retrieved"))
    if kept.retrieved is None:
        click.echo(f"auditor: warning: no --retrieved date: the retrieval date of version {kept.id} stays unknown and "
                   f"the list's age is measured from its import date, {kept.imported_at.date().isoformat()}", err=True)


def _unchanged(source: str, before, after, retrieved: date | None, given: str) -> str:
    """The line saying that SOURCE is the active version already and kept: `before` and `after`
    are that version as it was and as now recorded; `retrieved` the date SOURCE was retrieved,
    when known (`given` says where that date came from); and, when `lists update` recorded one,
    the time of the check."""
    now_recorded = after.retrieved.isoformat() if after.retrieved else None
    if after.retrieved != before.retrieved:
        was = before.retrieved.isoformat() if before.retrieved else "unknown"
        dated = f"its retrieval date is now {now_recorded} (was {was})"
    elif now_recorded is None:
        dated = "retrieval date unknown"
    elif retrieved is not None and retrieved < after.retrieved:
        dated = f"retrieved {now_recorded} (kept: later than {given} {retrieved.isoformat()})"
    else:
        dated = f"retrieved {now_recorded}"
    if after.checked_at is not None and after.checked_at != before.checked_at:
        dated += f", checked {_utc_time(after.checked_at)}"
    origin = "" if after.source == source else f" (imported from {after.source})"
    return (f"unchanged: {source} is the active {after.slot} version already (sha256 {after.sha256[:16]}…): "
            f"nothing imported, version {after.id}{origin} kept, {dated}")


def _utc_time(moment: datetime) -> str:
    return f"{moment.strftime('%Y-%m-%d %H:%M:%S')} UTC"


def _recognised_format(file: Path) -> str:
    """The one list format FILE's first lines are in, said on stderr; else a usage error."""
    from auditor.refdata.importers.detect import detect_format

    found = detect_format(file)
    if len(found) != 1:
        what = f"its first lines fit {' and '.join(found)}" if found else "its first lines fit no list format"
        fail(f"{file}: {what}; say which with --format ({', '.join(FORMATS)})")
    click.echo(f"auditor: {file}: read as {found[0]} (recognised from its first lines; --format to choose)", err=True)
    return found[0]


def _build_index(engine) -> None:
    """Build and store the screening index for the lists now active, so the next screen or
    audit loads it instead of building it (screening/index_store.py)."""
    from auditor.refdata.lists_source import load_screener
    from auditor.screening.index_store import index_dir

    screener, _, _ = load_screener(engine)
    click.echo(f"screening index: {len(screener)} names and aliases, stored in {index_dir(engine)}")


@lists.command("show")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.option("--all", "show_all", is_flag=True, help="Include superseded versions.")
@click.option("--db", default=None, help=DB_HELP)
def show_cmd(as_json: bool, show_all: bool, db: str | None) -> None:
    """What is loaded: each list version with its dates and counts, and the bundled list."""
    from auditor.refdata.curated import CuratedListError, load_curated
    from auditor.store.lists import versions

    engine = _engine(db)
    found = versions(engine, active_only=not show_all)
    try:
        _, curated = load_curated()
    except CuratedListError as exc:
        fail(str(exc))
    if as_json:
        out = {
            "imported": [v.as_json() for v in found],
            "bundled": curated.as_json(),
        }
        click.echo(json.dumps(out, indent=2, sort_keys=True, ensure_ascii=False))
        return
    if not found:
        click.echo("no imported lists (use `auditor lists update` or `auditor lists import`)")
    for v in found:
        state = "active" if v.active else "superseded"
        retrieved = v.retrieved.isoformat() if v.retrieved else "unknown"
        if v.checked_at is not None:
            retrieved += f" (last checked {_utc_time(v.checked_at)}: unchanged)"
        click.echo(
            f"{v.slot} [{state}] version {v.id}: {v.format} {v.source}\n"
            f"  imported {_utc_time(v.imported_at)}, retrieved {retrieved}, "
            f"sha256 {v.sha256}, {v.entries} entries from {v.rows} records"
        )
        width = max((len(s) for s in v.counts), default=0)
        for section, count in sorted(v.counts.items()):
            click.echo(f"    {section:<{width}}  {count:>7}")
        if v.warnings:
            click.echo(f"    {len(v.warnings)} import warning(s), see `auditor lists show --json`")
    click.echo(
        f"bundled: {curated.name}, compiled {curated.retrieved}, {curated.entries} entries, sha256 {curated.sha256}"
    )


@lists.command("update")
@click.option("--url-csl", default=None,
              help="Consolidated Screening List URL, .csv or .json (default: trade.gov consolidated.csv).")
@click.option("--url-sdn", default=None, help="OFAC sdn.csv URL (default: treasury.gov).")
@click.option("--url-alt", default=None, help="OFAC alt.csv URL (default: treasury.gov).")
@click.option("--max-loss", type=click.FloatRange(0.0, 1.0), default=0.2, show_default=True,
              help="Largest share of any section's entries an update may lose without --force.")
@click.option("--force", is_flag=True, help="Apply the update even if it loses more than --max-loss.")
@click.option("--timeout", type=click.FloatRange(min=1.0), default=60.0, show_default=True,
              help="Seconds to wait for each server.")
@click.option("--db", default=None, help=DB_HELP)
def update_cmd(url_csl, url_sdn, url_alt, max_loss: float, force: bool, timeout: float, db: str | None) -> None:
    """Download the official CSL and OFAC files and make them active together (all or nothing).

    A download identical to the active version of its list (same SHA-256, read into the same
    entries) is not stored again: the version is kept, recorded as checked now (its retrieval
    date moved to today), and said to be unchanged. When no list changed, the screening index
    is kept as it is."""
    import urllib.parse

    from auditor.refdata.importers import IMPORTERS, ListFormatError
    from auditor.refdata.importers.update import (
        DEFAULT_URLS,
        UpdateError,
        fetch_all,
        losses,
        temporary_dir,
    )
    from auditor.store.lists import Recheck, VersionSuperseded, store_imports, versions

    csl_url = url_csl or DEFAULT_URLS["csl-csv"]
    # trade.gov publishes the same list as consolidated.csv and consolidated.json.
    csl_fmt = "csl-json" if urllib.parse.urlsplit(csl_url).path.endswith(".json") else "csl-csv"
    urls = {
        csl_fmt: csl_url,
        "ofac-sdn": url_sdn or DEFAULT_URLS["ofac-sdn"],
        "ofac-alt": url_alt or DEFAULT_URLS["ofac-alt"],
    }
    engine = _engine(db)
    now = _now()
    with temporary_dir() as tmp:
        try:
            fetched = fetch_all(urls, Path(tmp), timeout)
        except (UpdateError, ListFormatError) as exc:
            fail(f"update failed, nothing changed: {exc}")
    empty = [f.url for f in fetched if not f.result.entries]
    if empty:
        fail(f"update refused, nothing changed: no entries in {', '.join(empty)} (a header only?)")
    active = {v.slot: v for v in versions(engine, active_only=True)}
    # A download that is the active version already is kept, not stored again (as `import` does).
    kept = {f.format: active[IMPORTERS[f.format].slot] for f in fetched if _is_active(engine, active, _pending(f, now))}
    changed = [f for f in fetched if f.format not in kept]
    refused = []
    for f in changed:
        slot = IMPORTERS[f.format].slot
        if slot in active:
            refused += [(f.url, loss) for loss in losses(active[slot].counts, f.result.counts, max_loss)]
    if refused:
        verb = "forcing update despite" if force else "update refused, nothing changed:"
        for url, loss in refused:
            click.echo(f"auditor: {'warning' if force else 'error'}: {verb} {loss.describe()} in {url}", err=True)
        if not force:
            fail(f"the new lists lose more than {max_loss:.0%} of a section; check the source or use --force")
    gains: dict[str, list[str]] = {}  # by format, as `kept` and `recorded`
    for f in changed:
        current = active.get(IMPORTERS[f.format].slot)
        forced = {loss.section for url, loss in refused if url == f.url}
        gains[f.format] = [] if current is None else _section_changes(current, f.result.counts, forced, max_loss,
                                                                   f" in {f.url}", "check the source")
    try:
        infos = store_imports(engine, [_pending(f, now) for f in changed], now,
                              [Recheck(v.id, now.date()) for v in kept.values()])
    except VersionSuperseded as exc:
        fail(f"update failed, nothing changed: {exc}; run it again")
    recorded = dict(zip([*(f.format for f in changed), *kept], infos))
    for f in fetched:  # in the order downloaded
        if f.format in kept:
            click.echo(_unchanged(f.url, kept[f.format], recorded[f.format], now.date(), "today's download"))
        else:
            _print_version(recorded[f.format], f.result, gains[f.format])
    if changed:
        _build_index(engine)
    else:
        click.echo("screening index: kept (no list changed)")


def _pending(f, now: datetime):
    """A downloaded file (importers/update.Fetched) as `store_imports` takes it, retrieved today."""
    from auditor.refdata.importers import IMPORTERS
    from auditor.store.lists import PendingImport

    return PendingImport(format=f.format, slot=IMPORTERS[f.format].slot, source=f.url, sha256=f.sha256,
                         retrieved=now.date(), result=f.result)
