"""The dated US duty schedule: loading, strict validation and the pure "stack" lookup.

A rig's duty is the sum of every programme in force on its import date for its origin and
HTS code (MFN + Section 301 + IEEPA + Section 122 …). Rates are `Decimal` fractions
(0.25 for 25%) so totals such as 57.6% are exact. An origin with an `[[exemption]]` (US
origin) owes nothing: `stack()` is the one place that decides it, for `auditor tariffs
explain` and the audit alike. Everything here is an *estimate*: classification and origin
are for a licensed customs broker to confirm.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Iterable, Sequence

from auditor.model import CENT, fraction_text, money_text  # noqa: F401  (report.json number forms, re-exported)
from auditor.refdata._records import (
    DATA_DIR,
    Fields,
    RefDataError,
    check_window,
    in_window,
    read_file,
    records,
)

DEFAULT_PATH = DATA_DIR / "tariffs.toml"
# When a rig has no HTS code we assume the classification CBP gave the Antminer S9.
ASSUMED_HTS = "8543.70.9960"
ASSUMED_HTS_SOURCE = "CBP NY N297495 (2018-06-08): ASIC miners classified in HTS 8543.70.9960"
BROKER_NOTE = "estimated — confirm with a licensed customs broker"


@dataclass(frozen=True)
class TariffRecord:
    id: str
    programme: str
    origins: frozenset[str] | None  # alpha-2 codes; None: every origin but `excluded`
    excluded: frozenset[str]
    hts: tuple[str, ...]  # normalised digit prefixes; "" matches every code
    hts_display: tuple[str, ...]
    rate: Decimal  # fraction: 0.25 for 25%
    start: date | None
    until: date | None  # exclusive
    confidence: str
    source: str
    note: str | None
    line: int

    def applies(self, origin: str, hts_digits: str, on: date) -> bool:
        return _applies(self, origin, hts_digits, on)


@dataclass(frozen=True)
class TariffNote:
    id: str
    origins: frozenset[str] | None
    excluded: frozenset[str]
    hts: tuple[str, ...]
    start: date | None
    until: date | None
    confidence: str
    source: str
    text: str
    line: int
    programmes: tuple[str, ...] = ()  # shown only when one of these programmes is in the stack
    incomplete: bool = False  # the total is known to omit a rate that is not on file
    known: date | None = None  # the day the fact became known: an audit dated earlier does not show it

    def applies(self, origin: str, hts_digits: str, on: date) -> bool:
        return _applies(self, origin, hts_digits, on)


@dataclass(frozen=True)
class TariffExemption:
    """An origin that owes no import duty at all (US origin)."""

    id: str
    origins: frozenset[str] | None
    excluded: frozenset[str]
    confidence: str
    source: str
    text: str
    line: int

    def json(self) -> dict:
        return {"id": self.id, "text": self.text, "source": self.source, "confidence": self.confidence}


def covers(record, origin: str) -> bool:
    return (record.origins is None or origin in record.origins) and origin not in record.excluded


def _applies(record: "TariffRecord | TariffNote", origin: str, hts_digits: str, on: date) -> bool:
    """A rate or note applies to an origin it covers, an HTS code by prefix, on a day in its window."""
    return (
        covers(record, origin)
        and any(hts_digits.startswith(p) for p in record.hts)
        and in_window(on, record.start, record.until)
    )


@dataclass(frozen=True)
class Schedule:
    records: tuple[TariffRecord, ...]
    notes: tuple[TariffNote, ...] = ()
    exemptions: tuple[TariffExemption, ...] = ()


@dataclass(frozen=True)
class Stack:
    """The programmes in force for one (origin, HTS, date)."""

    origin: str
    hts: str
    on: date
    components: tuple[TariffRecord, ...]  # summed (P and R records)
    uncertain: tuple[TariffRecord, ...]  # U records: shown, not summed
    notes: tuple[TariffNote, ...]
    has_general_rate: bool  # an MFN record matched; otherwise the total omits the base duty
    exemption: TariffExemption | None = None  # the origin owes no duty: no components

    @property
    def incomplete(self) -> str | None:
        """Why the total is known to understate the duty, or None."""
        reasons = [] if self.has_general_rate else [f"no general (MFN) rate on file for HTS {self.hts}; the total omits it"]
        reasons += [n.text for n in self.notes if n.incomplete]
        return " ".join(reasons) or None

    @property
    def total_rate(self) -> Decimal:
        return sum((c.rate for c in self.components), Decimal(0))

    def duty(self, value: Decimal) -> Decimal:
        return duty_on(value, self.total_rate)

    def as_json(self, value: Decimal | None = None) -> dict:
        out = {
            "origin": self.origin,
            "hts": self.hts,
            "date": self.on.isoformat(),
            "total_rate": fraction_text(self.total_rate),
            "components": [component_json(c, value) for c in self.components],
            "duty_usd": money_text(self.duty(value)) if value is not None else None,
        }
        if self.uncertain:
            out["uncertain_components"] = [component_json(c, value) for c in self.uncertain]
        if self.notes:
            out["notes"] = [
                {"id": n.id, "text": n.text, "source": n.source, "confidence": n.confidence} for n in self.notes
            ]
        if self.exemption is not None:
            out["exempt"] = self.exemption.json()
        if self.incomplete:
            out["incomplete"] = self.incomplete
        return out


def component_json(c: TariffRecord, value: Decimal | None = None) -> dict:
    out = {
        "id": c.id,
        "programme": c.programme,
        "rate": fraction_text(c.rate),
        "from": c.start.isoformat() if c.start else None,
        "until": c.until.isoformat() if c.until else None,
        "source": c.source,
        "confidence": c.confidence,
    }
    if value is not None:
        out["duty_usd"] = money_text(duty_on(value, c.rate))
    return out


def percent_text(rate: Decimal) -> str:
    return format((rate * 100).normalize(), "f") + "%"


def duty_on(value: Decimal, rate: Decimal) -> Decimal:
    """Duty in USD rounded to the cent (half up), per rig."""
    return (Decimal(value) * rate).quantize(CENT, rounding=ROUND_HALF_UP)


def hts_digits(code: str) -> str:
    """'8543.70.9960' -> '8543709960'. Raises ValueError for anything but digits, dots and spaces."""
    digits = "".join(ch for ch in str(code) if ch not in ". ")
    if not digits.isdigit() or not 4 <= len(digits) <= 10:
        raise ValueError(f"HTS code {code!r} is not 4–10 digits")
    return digits


def stack(schedule: Schedule, origin: str, hts: str, on: date, known_on: date | None = None) -> Stack:
    """The duty stack for goods of `origin` under `hts` entered on `on`. Pure.

    `known_on` (an audit's as-of date) leaves out notes on facts not yet known that day (a
    court ruling of 2026-05-07 is not shown by an audit as of 2026-03-01)."""
    digits = hts_digits(hts)
    origin = origin.upper()
    exemption = next((e for e in schedule.exemptions if covers(e, origin)), None)
    if exemption is not None:
        return Stack(origin, hts, on, (), (), (), has_general_rate=True, exemption=exemption)
    matched = sorted(
        (r for r in schedule.records if r.applies(origin, digits, on)), key=lambda r: (programme_order(r.programme), r.id)
    )
    programmes = {r.programme for r in matched}
    notes = tuple(sorted(
        (n for n in schedule.notes
         if n.applies(origin, digits, on) and (not n.programmes or programmes.intersection(n.programmes))
         and (known_on is None or n.known is None or n.known <= known_on)),
        key=lambda n: n.id,
    ))
    return Stack(
        origin=origin,
        hts=hts,
        on=on,
        components=tuple(r for r in matched if r.confidence != "U"),
        uncertain=tuple(r for r in matched if r.confidence == "U"),
        notes=notes,
        has_general_rate="MFN" in programmes,
    )


_ORDER = ("MFN", "Section 301", "Section 232", "IEEPA fentanyl", "IEEPA reciprocal", "Section 122")


def programme_order(name: str) -> int:
    """Where a programme sits in a stack as reports print it (MFN first, then the surcharges)."""
    return _ORDER.index(name) if name in _ORDER else len(_ORDER)


# ---------------------------------------------------------------------------- loading


def load_tariffs(path: str | Path | None = None) -> tuple[Schedule, dict[str, str]]:
    """Read and validate a schedule; returns it with its `{"path", "sha256"}` source entry."""
    from auditor.refdata._records import display_path

    p = Path(path) if path is not None else DEFAULT_PATH
    shown = display_path(p)
    text, sha, doc = read_file(p)
    recs = records(shown, text, doc, ("tariff", "note", "exemption"))
    tariffs = [_parse_tariff(r) for r in recs["tariff"]]
    notes = [_parse_note(r) for r in recs["note"]]
    exemptions = [_parse_exemption(r) for r in recs["exemption"]]
    _check_ids(shown, [(t.id, t.line) for t in [*tariffs, *notes, *exemptions]])
    _check_overlaps(shown, tariffs)
    return Schedule(tuple(tariffs), tuple(notes), tuple(exemptions)), {"path": shown, "sha256": sha}


def _hts_list(f: Fields) -> tuple[tuple[str, ...], tuple[str, ...]]:
    shown = f.strings("hts")
    digits = []
    for code in shown:
        if code == "*":
            digits.append("")
            continue
        try:
            digits.append(hts_digits(code))
        except ValueError as exc:
            raise f.rec.error(f"'hts': {exc} (use [\"*\"] for every code)", "hts") from None
    return tuple(digits), shown


def _parse_tariff(rec) -> TariffRecord:
    f = Fields(rec)
    tid = f.string("id")
    programme = f.string("programme")
    origins, excluded = f.origins()
    digits, shown = _hts_list(f)
    percent = f.decimal("percent", minimum=Decimal(0))
    start, until = f.day("from"), f.day("until")
    conf = f.confidence()
    source = f.string("source")
    note = f.string("note", required=False)
    f.finish()
    check_window(rec, start, until)
    return TariffRecord(tid, programme, origins, excluded, digits, shown, percent / 100, start, until, conf, source,
                        note, rec.line)


def _parse_note(rec) -> TariffNote:
    f = Fields(rec)
    nid = f.string("id")
    origins, excluded = f.origins()
    digits, _ = _hts_list(f)
    start, until = f.day("from"), f.day("until")
    conf = f.confidence()
    source = f.string("source")
    text = f.string("text")
    programmes = f.strings("programmes", required=False) or ()
    incomplete = f.flag("incomplete")
    known = f.day("known")
    f.finish()
    check_window(rec, start, until)
    return TariffNote(nid, origins, excluded, digits, start, until, conf, source, text, rec.line, programmes, incomplete,
                      known)


def _parse_exemption(rec) -> TariffExemption:
    f = Fields(rec)
    eid = f.string("id")
    origins, excluded = f.origins()
    conf = f.confidence()
    source = f.string("source")
    text = f.string("text")
    f.finish()
    return TariffExemption(eid, origins, excluded, conf, source, text, rec.line)


def _check_ids(path: str, ids: Iterable[tuple[str, int]]) -> None:
    seen: dict[str, int] = {}
    for rid, line in ids:
        if rid in seen:
            raise RefDataError(path, line, f"duplicate id {rid!r} (first used on line {seen[rid]})")
        seen[rid] = line


def _check_overlaps(path: str, tariffs: Sequence[TariffRecord]) -> None:
    """Two records of one programme covering a common origin and an overlapping HTS scope must
    not be in force on the same day — that would count the programme twice."""
    lo, hi = date.min, date.max
    for i, a in enumerate(tariffs):
        for b in tariffs[:i]:
            if a.programme != b.programme:
                continue
            common = _common_origin(a, b)
            if common is None:
                continue
            if not any(x.startswith(y) or y.startswith(x) for x in a.hts for y in b.hts):
                continue
            if (a.start or lo) < (b.until or hi) and (b.start or lo) < (a.until or hi):
                raise RefDataError(
                    path,
                    a.line,
                    f"record {a.id!r} overlaps {b.id!r} (line {b.line}): same programme {a.programme!r}, "
                    f"origin {common} and HTS scope in force on the same days; end the older record "
                    "with 'until' = the new record's 'from', or exclude the origin with 'except'",
                )


def _common_origin(a: TariffRecord, b: TariffRecord) -> str | None:
    """An origin both records cover ("every origin" when both are "*"), or None."""
    if a.origins is None and b.origins is None:
        return "(every origin)"
    if a.origins is None:
        a, b = b, a
    assert a.origins is not None
    shared = {o for o in a.origins if covers(b, o)}
    return min(shared) if shared else None
