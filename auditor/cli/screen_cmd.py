"""`auditor screen NAME… | --file FILE [--column NAME]`: screen names against the loaded
lists and explain every match."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from auditor.cli.exits import CLEAN, FINDINGS, INCOMPLETE, fail
from auditor.cli.options import as_of_option


@click.command()
@click.argument("names", nargs=-1)
@click.option("--file", "name_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Screen the names in FILE too: one per line, or with --column a column of a CSV file or "
                   "workbook (.xlsx, .xls, .ods).")
@click.option("--column", help="The column of --file that holds the names (header row first; case, spaces "
              "and punctuation aside, as `audit` reads headers).")
@click.option("--sheet", metavar="NAME", help="Workbook sheet of --file to read (default: the first).")
@click.option("--encoding", help="Text encoding of --file when not UTF-8 (e.g. cp1252); UTF-16 with its "
              "byte-order mark is recognised.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@as_of_option("Screen as the lists stood on this date.")
@click.option("--list", "lists", multiple=True, help="Only this list (exact list name; repeatable).")
@click.option("--threshold", type=click.FloatRange(0.0, 1.0, min_open=True), help="Minimum score (default: the matcher's).")
@click.option("--limit", default=5, show_default=True, type=click.IntRange(1), help="Best matches shown per name.")
@click.option("--db", "db_url", help="Database URL of imported lists (default: AUDITOR_DB or the per-user store).")
@click.option("--bundled-lists-only", is_flag=True, help="Screen against the bundled curated list only.")
@click.option("--cleared", "cleared_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Reviewed file of cleared (false-positive) matches, as for `audit` (docs/CLEARED.md): a match "
                   "it clears is shown as cleared and does not make the exit code 1.")
def screen(names, name_file, column, sheet, encoding, as_json, as_of, lists, threshold, limit, db_url,
           bundled_lists_only, cleared_path):
    """Screen NAMEs (and the names in --file) against the screening lists; exit 1 when any
    name matches, exit 3 (INCOMPLETE) when rows of --file were rejected and not screened,
    whether or not a name matched: a listed party may be among them.

    A match is exposure to a listed party, not proof that the parties are the same:
    every match says which list and entry, the name or alias that matched, both
    normalised forms, the score and its parts, and the legal effect of the list.
    A vendor master file gives the same output as its names given on the command line.
    """
    from auditor.refdata.loader import RefDataOptions, load_refdata
    from auditor.screening import DEFAULT_THRESHOLD, explain_match_text
    from auditor.screening.name_file import not_a_name

    blank = [i + 1 for i, n in enumerate(names) if not n.strip()]
    if blank:
        fail(f"name #{blank[0]} is empty: nothing to screen")
    if column and not name_file:
        fail("--column needs --file")
    if sheet and not name_file:
        fail("--sheet needs --file")
    if encoding and not name_file:
        fail("--encoding needs --file")
    names = list(names)
    sources: list[dict[str, object] | None] = [None] * len(names)  # where each name came from
    rejected_rows: list[dict[str, object]] = []
    incomplete: list[str] = []  # why the screening did not cover every row it was given
    if name_file:
        from auditor.limits import shown_names
        from auditor.screening.name_file import NameFileError, read_names

        try:
            read = read_names(name_file, column, encoding, sheet)
        except NameFileError as exc:
            fail(str(exc))
        where = read.source
        for w in read.warnings:
            click.echo(f"auditor: warning: {w}", err=True)
        for row in read.rejected:
            click.echo(f"auditor: warning: {where}:{row.line}: {row.reason}: rejected, not screened", err=True)
        if not read.names and not read.rejected:
            fail(f"{where}: no names to screen ({read.skipped_what()})")
        # Every row is accounted for, as `audit` accounts for its rows.
        click.echo(f"auditor: {where}: {read.rows_read:,} row{'s' if read.rows_read != 1 else ''} read: "
                   f"{len(read.names):,} screened, "
                   f"{len(read.rejected):,} rejected, {read.skipped_empty:,} empty", err=True)
        rejected_rows += [{"file": where, "line": r.line, "reason": r.reason} for r in read.rejected]
        if read.rejected:
            n = len(read.rejected)
            incomplete.append(f"{where}: {n:,} row{'s' if n != 1 else ''} rejected, not screened "
                              f"(line{'s' if n != 1 else ''} {shown_names([str(r.line) for r in read.rejected])}): "
                              "a listed party there would pass unseen")
        names += [n.name for n in read.names]
        sources += [{"file": where, "line": n.line} for n in read.names]
        # Notes and warnings go to stderr with --json too: the JSON on stdout stays parseable
        # and a pipeline still sees that rows held no name or that lists were missing.
        if read.skipped_empty:
            click.echo(f"auditor: note: {where}: {read.skipped_note()}: not screened", err=True)
        if read.formula_lines:
            lines = shown_names([str(x) for x in read.formula_lines])
            click.echo(f"auditor: warning: {where}: line(s) {lines} start like a spreadsheet formula "
                       "(=, +, @): screened as written, not as the name a spreadsheet would show", err=True)
    if not names and not incomplete:
        fail("nothing to screen: give NAMEs or --file FILE")
    try:
        ref = load_refdata(RefDataOptions(db_url=db_url, use_db=not bundled_lists_only), as_of, {"screen"})
    except (OSError, ValueError) as exc:
        fail(str(exc))
    except Exception as exc:
        store = sys.modules.get("auditor.store.db")
        if store is not None and isinstance(exc, store.StoreError):
            fail(str(exc))
        raise
    # The lists a name can match on: the sections the loaded entries carry. Not the imports'
    # own labels: alt.csv counts its names under a pseudo-list (they are SDN names) and the
    # bundled list's entries carry the official lists' names.
    known = ref.screener.list_names()
    unknown = [x for x in lists if x not in known]
    if unknown:
        fail(f"unknown list {unknown[0]!r}; loaded lists: {', '.join(sorted(known))}")
    for w in ref.incomplete + ref.warnings:
        click.echo(f"auditor: warning: {w}", err=True)
    threshold = threshold or DEFAULT_THRESHOLD
    results = ref.screener.screen_many(names, as_of, lists=list(lists) or None, threshold=threshold) if names else {}
    decisions = []
    if cleared_path:
        from auditor.screening.cleared import ClearedFileError, load_cleared

        try:
            decisions = load_cleared(cleared_path)
        except ClearedFileError as exc:
            fail(str(exc))
        for w in _unused_decisions(decisions, names, results, ref.screener.entry_keys()):
            click.echo(f"auditor: warning: {w}", err=True)
    any_match = False
    out = []
    for name, source in zip(names, sources):
        # A legal form alone ("Ltd."), a placeholder ("N/A") or punctuation names no party
        # and is not screened (as in --file): saying "no match" would read as a clean result.
        unscreened = not_a_name(name, quick=False)
        found = [] if unscreened else by_effect(results[name])
        matches = found[:limit]
        # A reviewed decision clears its match: shown as cleared, not counted for the exit code;
        # one that no longer applies (past its review date, older than the listing) says why.
        decided = {id(m): _decision(name, m, decisions, as_of) for m in found} if decisions else {}
        any_match |= any("cleared" not in decided.get(id(m), {}) for m in found)
        # `total` and `truncated`: a name with more matches than --limit says so, never looks
        # like it matched only what is shown.
        out.append({"query": name, **({"source": source} if source else {}),
                    "matches": [{**m.to_dict(), **decided.get(id(m), {})} for m in matches],
                    "total": len(found), "truncated": len(found) > len(matches),
                    **({"not_screened": unscreened} if unscreened else {})})
        if not as_json:
            shown = _one_line(name)
            if unscreened:
                click.echo(f"{shown}: not screened: {unscreened}")
            elif not matches:
                n_lists = len(lists) if lists else len(known)
                click.echo(f"{shown}: no match at or above {threshold:.2f} on {n_lists} list(s) as of {as_of}")
            for m in matches:
                decision = decided.get(id(m), {})
                status = " CLEARED" if "cleared" in decision else ""
                click.echo(f"{shown}: {m.score:.2f}{status} {m.list_name} #{m.entity_id} {_one_line(m.name)}")
                click.echo("    " + _one_line(explain_match_text(m)))
                if "cleared" in decision:
                    c = decision["cleared"]
                    click.echo(f"    Cleared by {_one_line(c['reviewer'])} on {c['date']} ({c['file']}:{c['line']}), "
                               f"review by {c['review_by']}: {_one_line(c['justification'])}")
                elif "cleared_note" in decision:
                    click.echo(f"    Not cleared: {decision['cleared_note']}")
            if len(found) > len(matches):
                more = len(found) - len(matches)
                click.echo(f"{shown}: {more:,} more match{'es' if more != 1 else ''} at or above {threshold:.2f}; "
                           f"use --limit {len(found)} to see all {len(found):,}")
    if as_json:
        # One result per name, as ever (a list: what pipelines parse), and, in the file's order
        # among them, one per row of --file that was not screened: its source and why, with
        # no "matches" (it was not screened, so it is not clean).
        unscreened = [{"source": {"file": r["file"], "line": r["line"]}, "rejected": r["reason"]}
                      for r in rejected_rows]
        given = [r for r in out if "source" not in r]
        from_file = sorted([r for r in out if "source" in r] + unscreened, key=lambda r: r["source"]["line"])
        del out
        _write_json_list([*given, *from_file])
        for reason in incomplete:  # and on stderr, as `audit` says it
            click.echo(f"auditor: INCOMPLETE: {reason}", err=True)
    else:
        for r in rejected_rows:  # in the output itself, not only among the warnings
            click.echo(f"{r['file']}:{r['line']}: NOT SCREENED: {r['reason']}")
        for reason in incomplete:
            click.echo(f"INCOMPLETE: {reason}")
    # As `audit`: an incomplete screening exits 3 before a match's 1; it is never "clean".
    sys.exit(INCOMPLETE if incomplete else FINDINGS if any_match else CLEAN)


def _write_json_list(items: list[dict[str, object]]) -> None:
    """``json.dumps(items, indent=2, sort_keys=True)`` and a newline on stdout, written item by
    item: the same bytes without building them all at once (a vendor master of two million
    names gave 770 MB of JSON, and building it took 7.5 GB of memory)."""
    stream = click.get_text_stream("stdout")
    if not items:
        stream.write("[]\n")
        return
    stream.write("[\n")
    for i, item in enumerate(items):
        text = json.dumps(item, indent=2, ensure_ascii=False, sort_keys=True).replace("\n", "\n  ")
        stream.write(("  " if i == 0 else ",\n  ") + text)
    stream.write("\n]\n")
    stream.flush()


def _unused_decisions(decisions, names, results, entry_keys) -> list[str]:
    """Warnings, as `audit` gives them (docs/CLEARED.md), for the cleared decisions that can
    clear nothing in this run: naming no entry of the loaded lists (a mistyped list name or
    id, a list not imported), or matching no match of the names screened."""
    from auditor.screening.cleared import find_clearance

    used = {id(d) for name in names for m in results.get(name, ())
            if (d := find_clearance(name, m, decisions)) is not None}
    warnings = []
    for d in decisions:
        where = f"{d.where}: " if d.where else ""
        if (d.list_name, d.entity_id) not in entry_keys:
            warnings.append(f"{where}the cleared decision for {d.name!r} names entry #{d.entity_id} of "
                            f"{d.list_name!r}, which the loaded lists do not have: it clears nothing (a mistyped "
                            "list name or entity id, or a list not imported?)")
        elif id(d) not in used:
            warnings.append(f"{where}the cleared decision for {d.name!r} against #{d.entity_id} ({d.list_name}) "
                            "matched no match of the names screened: it cleared nothing")
    return warnings


def _decision(name: str, match, decisions, as_of) -> dict[str, object]:
    """What the cleared file says of ``match`` for ``name`` on ``as_of``: {"cleared": …} when a
    decision clears it, {"cleared_note": why} when the recorded one does not, {} otherwise."""
    from auditor.screening.cleared import clearance

    decision, note = clearance(name, match, decisions, as_of)
    if decision is not None:
        return {"cleared": {"reviewer": decision.reviewer, "date": decision.date.isoformat(),
                            "review_by": decision.review_date.isoformat(), "justification": decision.justification,
                            "file": decision.file, "line": decision.line}}
    return {"cleared_note": note} if note else {}


def _one_line(text: str) -> str:
    """A name as one line of the text output: a spreadsheet cell may hold line breaks
    ("BitRiver\nMoscow, Russia"); the JSON keeps the name exactly as read."""
    return " ".join(part.strip() for part in text.splitlines() if part.strip()) if "\n" in text or "\r" in text else text


def by_effect(matches: list) -> list:
    """Best first; of equal scores, the list with the graver legal effect first (an SDN entry
    before the same party's SSI entry), so a `--limit` never hides it, then the entries
    matched by their own name. (Screening orders by
    score and entry; the lists' legal effects are reference data, which it does not read.)"""
    from auditor.refdata.importers.effects import list_severity

    # Then an entry matched by its own name before one matched by an alias: "Bank Melli Iran"
    # shows BANK MELLI IRAN before MB BANK, whose alias "BANK MELLI IRAN ZAO" scores as high.
    return sorted(matches, key=lambda m: (-m.score, -list_severity(m.list_name)[0], m.matched_name != m.name))
