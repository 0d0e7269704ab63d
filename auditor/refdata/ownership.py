"""Ownership records and the Affiliates (50%) rule: who is caught through whom, as of a date.

Entity List / MEU restrictions extend to entities owned 50% or more, directly or
indirectly, individually or in aggregate, by listed parties (IFR FR Doc 2025-19001). We read that the
way OFAC's 50% rule is read: an entity that crosses the threshold is itself restricted,
and its holdings count in full towards the entities *it* owns (no multiplying of shares
down a chain). Aggregation is a fixpoint over the ownership graph, so cycles terminate.

The rule's own status is dated data (affiliates_rule.toml): in force from 2025-09-29,
suspended 2025-11-10 → 2026-11-09, in force again from 2026-11-10 (the suspension rule's own
text; no extension found as of the research date).

Everything below `load_*` is pure: names in, records in, `as_of` in; no I/O, no clock.
Names are compared exactly after case-folding and whitespace collapsing; fuzzy matching
of names against the lists is the screener's job, passed in as `is_listed`.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Callable, Collection, Iterable

CURATED = "auditor.refdata.curated"
# Fictional records for rule self-tests only (never a real audit's default).
EXAMPLE_OWNERSHIP = Path(__file__).with_name("curated") / "ownership.example.toml"
STATUSES = ("in_force", "suspended", "revived_unconfirmed")
NOT_YET = "not_yet_effective"


class OwnershipDataError(ValueError):
    """An invalid ownership or rule file (configuration error, exit 2)."""


@dataclass(frozen=True)
class Ownership:
    owner: str
    owned: str
    share: float  # percent
    start: date | None
    until: date | None  # exclusive
    source: str

    def in_force(self, as_of: date) -> bool:
        return (self.start is None or self.start <= as_of) and (self.until is None or as_of < self.until)


@dataclass(frozen=True)
class RulePeriod:
    start: date
    until: date | None
    status: str
    confidence: str
    source: str
    note: str = ""  # quoted in findings, e.g. "no extension was found as of the research date"


@dataclass(frozen=True)
class AffiliatesRule:
    name: str
    threshold: float
    citation: str
    periods: tuple[RulePeriod, ...]


@dataclass(frozen=True)
class RuleStatus:
    status: str  # not_yet_effective | in_force | suspended | revived_unconfirmed
    confidence: str | None
    since: date | None
    until: date | None
    source: str
    note: str = ""

    @property
    def applies(self) -> bool | None:
        """True in force, False not applying, None when applying is unconfirmed."""
        return {"in_force": True, "revived_unconfirmed": None}.get(self.status, False)


@dataclass(frozen=True)
class Holding:
    """One stake counted towards the aggregate, with why its owner counts."""

    owner: str
    share: float
    source: str
    owner_listed: bool
    via: tuple["Holding", ...] = ()  # the owner's own restricted holders, when it is not listed itself


@dataclass(frozen=True)
class AffiliateExposure:
    entity: str
    as_of: date
    listed_itself: bool
    aggregate_share: float  # percent held by listed or restricted owners
    threshold: float
    holdings: tuple[Holding, ...]
    rule: RuleStatus

    @property
    def meets_threshold(self) -> bool:
        return not self.listed_itself and self.aggregate_share >= self.threshold

    def chains(self) -> list[str]:
        """Each ownership path as text, e.g. "A (listed) —60%→ B —30%→ C"."""
        out: list[str] = []

        def walk(h: Holding, tail: str) -> None:
            step = f" —{_pct(h.share)}→ {tail}"
            if h.owner_listed:
                out.append(f"{h.owner} (listed){step}")
            for parent in h.via:
                walk(parent, f"{h.owner}{step}")

        for h in self.holdings:
            walk(h, self.entity)
        return sorted(out)


def _pct(value: float) -> str:
    return f"{value:g}%"


def _key(name: str) -> str:
    return " ".join(name.casefold().split())


# --- pure logic --------------------------------------------------------------------------------


def rule_status(rule: AffiliatesRule, as_of: date) -> RuleStatus:
    for p in rule.periods:
        if p.start <= as_of and (p.until is None or as_of < p.until):
            return RuleStatus(p.status, p.confidence, p.start, p.until, p.source, p.note)
    first = min((p.start for p in rule.periods), default=None)
    if first is not None and as_of < first:
        return RuleStatus(NOT_YET, None, None, first, f"{rule.citation}; effective {first.isoformat()}")
    return RuleStatus("suspended", None, None, None, "no period of the rule covers this date")


def affiliate_exposure(
    entity: str,
    records: Iterable[Ownership],
    is_listed: Callable[[str], bool] | Collection[str],
    as_of: date,
    rule: AffiliatesRule,
) -> AffiliateExposure:
    """Aggregate direct + indirect ownership of `entity` by listed parties on `as_of`."""
    if not callable(is_listed):
        listed_keys = {_key(n) for n in is_listed}
        is_listed = lambda name: _key(name) in listed_keys  # noqa: E731
    holders: dict[str, list[Ownership]] = {}
    names: dict[str, str] = {}
    for r in records:
        if r.in_force(as_of):
            holders.setdefault(_key(r.owned), []).append(r)
            names.setdefault(_key(r.owner), r.owner)
            names.setdefault(_key(r.owned), r.owned)
    listed = {k for k, n in names.items() if is_listed(n)}
    restricted = set(listed)
    changed = True
    while changed:  # monotone: each pass only adds, so this ends
        changed = False
        for owned, stakes in holders.items():
            if owned in restricted:
                continue
            if sum(s.share for s in stakes if _key(s.owner) in restricted) >= rule.threshold:
                restricted.add(owned)
                changed = True

    def holdings_of(key: str, seen: frozenset[str]) -> tuple[Holding, ...]:
        out = []
        for s in sorted(holders.get(key, ()), key=lambda s: (_key(s.owner), -s.share)):
            ok = _key(s.owner)
            if ok not in restricted or ok in seen:
                continue
            owner_listed = ok in listed
            via = () if owner_listed else holdings_of(ok, seen | {ok})
            out.append(Holding(s.owner, s.share, s.source, owner_listed, via))
        return tuple(out)

    target = _key(entity)
    held = holdings_of(target, frozenset({target}))
    return AffiliateExposure(
        entity=entity,
        as_of=as_of,
        listed_itself=is_listed(entity),
        aggregate_share=round(sum(h.share for h in held), 6),
        threshold=rule.threshold,
        holdings=held,
        rule=rule_status(rule, as_of),
    )


# --- loading (I/O) -----------------------------------------------------------------------------


def _read_toml(path: Path) -> dict:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise OwnershipDataError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise OwnershipDataError(f"{path}: {exc}") from None


def _bundled(name: str) -> Path:
    return Path(str(resources.files(CURATED).joinpath(name)))


def _check(path: Path, where: str, table: dict, keys: dict[str, tuple[type, ...]], required: set[str]) -> None:
    if not isinstance(table, dict):
        raise OwnershipDataError(f"{path}: {where}: expected a table")
    unknown = set(table) - set(keys)
    if unknown:
        raise OwnershipDataError(f"{path}: {where}: unknown key(s): {', '.join(sorted(unknown))}")
    missing = required - set(table)
    if missing:
        raise OwnershipDataError(f"{path}: {where}: missing key(s): {', '.join(sorted(missing))}")
    for k, v in table.items():
        types = keys[k]
        if not isinstance(v, types) or isinstance(v, bool) or (date in types and hasattr(v, "hour")):
            raise OwnershipDataError(f"{path}: {where}: {k} has the wrong type ({type(v).__name__} {v!r})")
        if isinstance(v, str) and not v.strip():
            raise OwnershipDataError(f"{path}: {where}: {k} is empty")


def load_ownership(path: Path | None = None) -> list[Ownership]:
    """Ownership records from `path` (default: the bundled, empty example file)."""
    path = path or _bundled("ownership.toml")
    data = _read_toml(path)
    if set(data) - {"ownership"}:
        raise OwnershipDataError(f"{path}: unknown top-level key(s): {', '.join(sorted(set(data) - {'ownership'}))}")
    keys = {"owner": (str,), "owned": (str,), "share": (int, float), "from": (date,), "until": (date,), "source": (str,)}
    out = []
    for i, item in enumerate(data.get("ownership", []), start=1):
        where = f"[[ownership]] #{i}"
        _check(path, where, item, keys, {"owner", "owned", "share", "source"})
        share = float(item["share"])
        if not 0 < share <= 100:
            raise OwnershipDataError(f"{path}: {where}: share must be a percentage in (0, 100], found {share:g}")
        if _key(item["owner"]) == _key(item["owned"]):
            raise OwnershipDataError(f"{path}: {where}: an entity cannot own itself")
        start, until = item.get("from"), item.get("until")
        if start and until and until <= start:
            raise OwnershipDataError(f"{path}: {where}: until {until} is not after from {start}")
        out.append(Ownership(item["owner"], item["owned"], share, start, until, item["source"]))
    return out


def load_affiliates_rule(path: Path | None = None) -> AffiliatesRule:
    """The dated periods of the Affiliates rule (default: the bundled affiliates_rule.toml)."""
    path = path or _bundled("affiliates_rule.toml")
    data = _read_toml(path)
    if set(data) - {"rule", "period"} or "rule" not in data:
        raise OwnershipDataError(f"{path}: expected a [rule] table and [[period]] tables only")
    _check(path, "[rule]", data["rule"], {"name": (str,), "threshold": (int, float), "citation": (str,)},
           {"name", "threshold", "citation"})
    periods = []
    keys = {"from": (date,), "until": (date,), "status": (str,), "confidence": (str,), "source": (str,), "note": (str,)}
    for i, item in enumerate(data.get("period", []), start=1):
        where = f"[[period]] #{i}"
        _check(path, where, item, keys, {"from", "status", "confidence", "source"})
        if item["status"] not in STATUSES:
            raise OwnershipDataError(f"{path}: {where}: status must be one of {', '.join(STATUSES)}")
        if item["confidence"] not in ("P", "R", "U"):
            raise OwnershipDataError(f"{path}: {where}: confidence must be P, R or U")
        periods.append(RulePeriod(item["from"], item.get("until"), item["status"], item["confidence"], item["source"],
                                  item.get("note", "")))
    periods.sort(key=lambda p: p.start)
    for a, b in zip(periods, periods[1:]):
        if a.until is None or a.until > b.start:
            raise OwnershipDataError(f"{path}: periods starting {a.start} and {b.start} overlap")
    if not periods:
        raise OwnershipDataError(f"{path}: no [[period]] tables")
    return AffiliatesRule(data["rule"]["name"], float(data["rule"]["threshold"]), data["rule"]["citation"], tuple(periods))
