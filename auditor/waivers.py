"""Waivers: knowingly accepted risks, read from a reviewed TOML file.

File format (one `[[waiver]]` table per waiver; every key below is required except that the
asset is named either by `serial` or by `supplier` and/or `model` patterns):

    [[waiver]]
    id = "W-2025-001"                       # unique in the file; letters, digits, . _ -
    rule = "entity.bis-entity-list"         # exact rule id
    serial = "S19XP-000123"                 # the asset key: the serial, or po:NUMBER/LINE
    # supplier = "Acme Mining*"             # or shell-style patterns, case-insensitive;
    # model = "Antminer S19*"               #   both must match when both are given
    justification = "Replacement on order, see ticket OPS-42"
    approver = "Jane Roe, CCO"
    created = 2025-01-10                    # TOML dates, unquoted
    expires = 2025-06-30                    # at most max_lifetime_days after created

A waiver applies to a finding when the rule and the asset match and
`created <= as_of < expires`: it no longer applies *on* its expiry date (like a rule's
`until`). A waived finding is never hidden: its status becomes "waived" and it carries the
waiver record (`AuditResult.waivers`, fingerprint -> waiver dict).

An expired waiver that would have matched leaves its finding open and adds a note:
`AuditResult.options["waiver_notes"]` maps the finding's fingerprint to
`{"note": "waiver W expired on D", "waiver": {...}}`, and one line per expired waiver goes to
`AuditResult.warnings`. A waiver whose `created` is after the audit's as-of date did not exist
yet at that date and is ignored (with a warning).
"""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, Iterable

import numpy as np

from auditor.model import AuditResult, canonical_json, fingerprint
from auditor.tomlfile import TomlFileError, read_toml

DEFAULT_MAX_LIFETIME_DAYS = 180

REQUIRED = ("id", "rule", "justification", "approver", "created", "expires")
ASSET_KEYS = ("serial", "supplier", "model")
ALLOWED = frozenset(REQUIRED + ASSET_KEYS)
ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


class WaiverError(Exception):
    """A waiver file that is not valid (exit 2). `problems` holds (line or None, message)."""

    def __init__(self, path: str, problems: list[tuple[int | None, str]]):
        self.path = str(path)
        self.problems = sorted(problems, key=lambda p: (p[0] or 0, p[1]))
        super().__init__("\n".join(self.lines()))

    def lines(self) -> list[str]:
        return [f"{self.path}:{line}: {msg}" if line else f"{self.path}: {msg}" for line, msg in self.problems]


@dataclass(frozen=True)
class Waiver:
    id: str
    rule: str
    serial: str | None
    supplier: str | None
    model: str | None
    justification: str
    approver: str
    created: date
    expires: date
    source: str  # "file:line" of the [[waiver]] header

    @property
    def line(self) -> int:
        return int(self.source.rsplit(":", 1)[1])

    def in_effect(self, as_of: date) -> bool:
        return self.created <= as_of < self.expires

    def expired(self, as_of: date) -> bool:
        return as_of >= self.expires

    def asset_text(self) -> str:
        if self.serial is not None:
            return f"serial {self.serial}"
        parts = []
        if self.supplier is not None:
            parts.append(f"supplier {self.supplier}")
        if self.model is not None:
            parts.append(f"model {self.model}")
        return " and ".join(parts)

    def matches_asset(self, asset_key: str, supplier: Any, model: Any) -> bool:
        """The single definition of "this waiver names this asset" (apply_waivers vectorises it)."""
        if self.serial is not None:
            return asset_key == self.serial
        if self.supplier is not None and not _glob(self.supplier, supplier):
            return False
        if self.model is not None and not _glob(self.model, model):
            return False
        return True

    def as_json(self) -> dict:
        out = {"id": self.id, "rule": self.rule}
        for k in ASSET_KEYS:
            v = getattr(self, k)
            if v is not None:
                out[k] = v
        out.update(
            justification=self.justification,
            approver=self.approver,
            created=self.created.isoformat(),
            expires=self.expires.isoformat(),
            source=self.source,
        )
        return out


def _glob(pattern: str, value: Any) -> bool:
    if value is None:
        return False
    return fnmatch.fnmatchcase(str(value).casefold(), pattern.casefold())


# --------------------------------------------------------------------------- loading


def _header_lines(text: str) -> list[int]:
    """1-based lines of each `[[waiver]]` header, in order (tomllib keeps no positions)."""
    pat = re.compile(r"^\s*\[\[\s*waiver\s*\]\]\s*(#.*)?$")
    return [i + 1 for i, ln in enumerate(text.splitlines()) if pat.match(ln)]


def _key_line(text: str, start: int, key: str) -> int:
    """Line of `key = …` inside the table starting at header line `start` (else the header)."""
    lines = text.splitlines()
    pat = re.compile(r"^\s*[\"']?" + re.escape(key) + r"[\"']?\s*=")
    for i in range(start, len(lines)):  # start is 1-based header => index start is the next line
        if re.match(r"^\s*\[", lines[i]):
            break
        if pat.match(lines[i]):
            return i + 1
    return start


def load_waivers(
    path: str | Path, as_of: date | None = None, max_lifetime_days: int = DEFAULT_MAX_LIFETIME_DAYS
) -> list[Waiver]:
    """Read and strictly validate a waiver file; raise WaiverError listing every problem.

    Checked here: TOML syntax, unknown or missing keys, types, unique ids, the asset named by
    `serial` xor `supplier`/`model`, `created < expires` and a lifetime of at most
    `max_lifetime_days`. Expiry relative to `as_of` is *not* an error here (an audit must see
    expired waivers to resurface their findings); `lint_waivers` reports it.
    """
    path = Path(path)
    shown = str(path)
    try:
        parsed = read_toml(path, what="waiver file")
    except TomlFileError as exc:
        prefix = f"column {exc.column}: " if exc.line and exc.column else ""
        raise WaiverError(shown, [(exc.line, prefix + exc.message)]) from None
    text, doc = parsed.text, parsed.data

    problems: list[tuple[int | None, str]] = []
    for key in sorted(set(doc) - {"waiver"}):
        problems.append((_key_line(text, 0, key), f"unknown top-level key {key!r} (expected [[waiver]] tables)"))
    entries = doc.get("waiver", [])
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        problems.append((None, "`waiver` must be an array of tables written as [[waiver]]"))
        raise WaiverError(shown, problems)
    headers = _header_lines(text)
    if len(headers) != len(entries):
        # Inline-table forms (waiver = [{…}]) have no header lines; positions fall back to none.
        headers = [0] * len(entries)

    waivers: list[Waiver] = []
    seen: dict[str, int] = {}
    for entry, header in zip(entries, headers):
        w = _parse_entry(entry, text, shown, header, max_lifetime_days, problems)
        if w is None:
            continue
        if w.id in seen:
            problems.append((header or None, f"duplicate waiver id {w.id!r} (first used at line {seen[w.id]})"))
            continue
        seen[w.id] = header
        waivers.append(w)
    if problems:
        raise WaiverError(shown, problems)
    del as_of  # accepted for symmetry with lint_waivers; expiry is judged at apply time
    return waivers


def _parse_entry(entry: dict, text: str, shown: str, header: int, max_days: int, problems) -> Waiver | None:
    before = len(problems)

    def at(key: str | None) -> int | None:
        if not header:
            return None
        return _key_line(text, header, key) if key else header

    for key in sorted(set(entry) - ALLOWED):
        problems.append((at(key), f"unknown key {key!r} in waiver (allowed: {', '.join(sorted(ALLOWED))})"))
    label = f"waiver {entry.get('id')!r}" if isinstance(entry.get("id"), str) else "waiver"
    for key in REQUIRED:
        if key not in entry:
            problems.append((at(None), f"{label}: missing required key {key!r}"))
    strings = {}
    for key in ("id", "rule", "justification", "approver") + ASSET_KEYS:
        if key in entry:
            v = entry[key]
            if not isinstance(v, str) or not v.strip():
                problems.append((at(key), f"{label}: {key!r} must be a non-empty string"))
            else:
                strings[key] = v.strip()
    if "id" in strings and not ID_PATTERN.match(strings["id"]):
        problems.append((at("id"), f"{label}: id may contain only letters, digits, '.', '_' and '-'"))
    if "serial" in entry and ("supplier" in entry or "model" in entry):
        problems.append((at("serial"), f"{label}: give either 'serial' or 'supplier'/'model' patterns, not both"))
    if not any(k in entry for k in ASSET_KEYS):
        problems.append((at(None), f"{label}: missing the asset: 'serial', or 'supplier' and/or 'model' patterns"))
    dates = {}
    for key in ("created", "expires"):
        if key in entry:
            v = entry[key]
            if isinstance(v, datetime) or not isinstance(v, date):
                problems.append(
                    (at(key), f"{label}: {key!r} must be a TOML date such as {key} = 2025-06-30 (unquoted, no time)")
                )
            else:
                dates[key] = v
    if len(dates) == 2:
        created, expires = dates["created"], dates["expires"]
        if expires <= created:
            problems.append((at("expires"), f"{label}: expires {expires} is not after created {created}"))
        elif expires - created > timedelta(days=max_days):
            problems.append(
                (at("expires"), f"{label}: expires {expires} is {(expires - created).days} days after created "
                                f"{created}; the maximum lifetime is {max_days} days")
            )
    if len(problems) > before:
        return None
    return Waiver(
        id=strings["id"],
        rule=strings["rule"],
        serial=strings.get("serial"),
        supplier=strings.get("supplier"),
        model=strings.get("model"),
        justification=strings["justification"],
        approver=strings["approver"],
        created=dates["created"],
        expires=dates["expires"],
        source=f"{shown}:{header}",
    )


# --------------------------------------------------------------------------- applying


def _matching_rows(w: Waiver, result: AuditResult, rows: np.ndarray) -> np.ndarray:
    """The subset of `rows` whose asset the waiver names (computed on distinct values)."""
    table = result.table
    if w.serial is not None:
        serial = table.columns["serial"]
        codes = serial.codes[rows]
        hit = np.zeros(len(rows), dtype=bool)
        for code, value in enumerate(serial.values):
            if value is not None and value == w.serial:
                hit |= codes == code
        # Rigs without a serial are keyed by purchase order or line: compare their keys.
        for i in np.nonzero(codes == 0)[0].tolist():
            hit[i] = table.asset_key(int(rows[i])) == w.serial
        return rows[hit]
    hit = np.ones(len(rows), dtype=bool)
    for column, pattern in (("supplier", w.supplier), ("model", w.model)):
        if pattern is None:
            continue
        col = table.columns[column]
        good = np.array([_glob(pattern, v) for v in col.values], dtype=bool)
        hit &= good[col.codes[rows]]
    return rows[hit]


def apply_waivers(result: AuditResult, waivers: Iterable[Waiver]) -> None:
    """Mark findings matched by in-effect waivers as waived; note the ones expired waivers miss.

    Fills `result.waivers` (fingerprint -> waiver dict), `result.options["waiver_notes"]`
    (fingerprint -> {"note", "waiver"}) and `result.warnings`. Nothing is hidden or removed.
    When two waivers match one finding, the one with the smallest id is recorded.
    """
    as_of = result.as_of
    by_rule: dict[str, list[Waiver]] = {}
    for w in sorted(waivers, key=lambda w: w.id):
        by_rule.setdefault(w.rule, []).append(w)
    notes: dict[str, dict] = dict(result.options.get("waiver_notes", {}) or {})
    expired_counts: dict[str, int] = {}
    future: set[str] = set()
    table = result.table
    for g in result.groups:
        for w in by_rule.get(g.rule.id, ()):
            if as_of < w.created:
                future.add(w.id)
                continue
            rows = _matching_rows(w, result, g.rows)
            group_evidence = canonical_json(g.evidence)
            for row in rows.tolist():
                extra = g.row_evidence.get(row) if g.row_evidence else None
                ev_json = canonical_json({**g.evidence, **extra}) if extra else group_evidence
                fp = fingerprint(g.rule.id, table.asset_key(row), ev_json)
                if w.in_effect(as_of):
                    result.waivers.setdefault(fp, w.as_json())
                elif fp not in notes:
                    notes[fp] = {"note": f"waiver {w.id} expired on {w.expires.isoformat()}", "waiver": w.as_json()}
                    expired_counts[w.id] = expired_counts.get(w.id, 0) + 1
    # A finding waived by one waiver and missed by another expired one is waived: drop the note.
    notes = {fp: n for fp, n in notes.items() if fp not in result.waivers}
    if notes:
        result.options["waiver_notes"] = dict(sorted(notes.items()))
    by_id = {w.id: w for ws in by_rule.values() for w in ws}
    for wid in sorted(expired_counts):
        w = by_id[wid]
        result.warnings.append(
            f"waiver {wid} ({w.source}) expired on {w.expires.isoformat()}: "
            f"{expired_counts[wid]} finding(s) of rule {w.rule} are open again"
        )
    for wid in sorted(future):
        w = by_id[wid]
        result.warnings.append(
            f"waiver {wid} ({w.source}) was created on {w.created.isoformat()}, after the audit date "
            f"{as_of.isoformat()}: not applied"
        )


# --------------------------------------------------------------------------- linting


@dataclass(frozen=True)
class Candidate:
    """One thing a waiver could match: a finding's rule on an asset (from a run or a result)."""

    rule_id: str
    asset_key: str
    supplier: Any
    model: Any


def candidates_from_result(result: AuditResult) -> Iterable[Candidate]:
    table = result.table
    sup, mod = table.columns["supplier"], table.columns["model"]
    seen = set()
    for g in result.groups:
        for row in g.rows.tolist():
            c = Candidate(g.rule.id, table.asset_key(row), sup.value(row), mod.value(row))
            if c not in seen:
                seen.add(c)
                yield c


def lint_waivers(
    waivers: list[Waiver],
    as_of: date,
    max_lifetime_days: int = DEFAULT_MAX_LIFETIME_DAYS,
    candidates: Iterable[Candidate] | None = None,
    known_rules: Iterable[str] | None = None,
) -> list[tuple[int | None, str]]:
    """Problems that make a loaded waiver file unfit to use as of `as_of` (empty = clean).

    Expired (expires <= as_of), created in the future, expiring more than the maximum
    lifetime from `as_of`, naming an unknown rule, or — when `candidates` are given — matching
    no finding. Lifetime from `created` is already enforced by load_waivers.
    """
    problems: list[tuple[int | None, str]] = []
    limit = as_of + timedelta(days=max_lifetime_days)
    for w in waivers:
        if w.expired(as_of):
            problems.append((w.line, f"waiver {w.id!r} expired on {w.expires.isoformat()} (as of {as_of.isoformat()})"))
        if w.created > as_of:
            problems.append((w.line, f"waiver {w.id!r} is created on {w.created.isoformat()}, in the future"))
        if w.expires > limit:
            problems.append(
                (w.line, f"waiver {w.id!r} expires {w.expires.isoformat()}, more than {max_lifetime_days} days "
                         f"from {as_of.isoformat()}")
            )
    rules = set(known_rules) if known_rules is not None else None
    if rules is not None:
        for w in waivers:
            if w.rule not in rules:
                problems.append((w.line, f"waiver {w.id!r} names rule {w.rule!r}, which is not a known rule"))
    if candidates is not None:
        unmatched = {w.id: w for w in waivers if rules is None or w.rule in rules}
        for c in candidates:
            if not unmatched:
                break
            for wid in [wid for wid, w in unmatched.items() if w.rule == c.rule_id]:
                if unmatched[wid].matches_asset(c.asset_key, c.supplier, c.model):
                    del unmatched[wid]
        for w in unmatched.values():
            problems.append((w.line, f"waiver {w.id!r} matches no finding (rule {w.rule}, {w.asset_text()})"))
    return sorted(problems, key=lambda p: (p[0] or 0, p[1]))


def expiring_within(waivers: list[Waiver], as_of: date, days: int) -> list[Waiver]:
    """Waivers expiring on or before as_of + days (already expired ones included), by expiry."""
    limit = as_of + timedelta(days=days)
    return sorted((w for w in waivers if w.expires <= limit), key=lambda w: (w.expires, w.id))


def parse_days(text: str) -> int:
    """`30d`, `4w` or `30` -> days."""
    m = re.fullmatch(r"\s*(\d+)\s*([dw]?)\s*", text or "")
    if not m:
        raise ValueError(f"invalid duration {text!r} (expected e.g. 30d, 4w or 30)")
    n = int(m.group(1))
    return n * 7 if m.group(2) == "w" else n
