"""The facility registry: where manufacturers are reported to produce, since when, how surely.

Loaded from `data/facilities.toml` (or an organisation's own file) with strict validation;
lookups are pure and take the audit date, so a fact reported in June 2025 is unknown to an
audit as of January 2025.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from auditor.refdata._records import (
    DATA_DIR,
    Fields,
    RefDataError,
    check_window,
    display_path,
    read_file,
    records,
)

DEFAULT_PATH = DATA_DIR / "facilities.toml"
STATUSES = ("producing", "pilot", "announced", "unconfirmed")
PRECISIONS = ("day", "month", "approximate", "after")


@dataclass(frozen=True)
class Manufacturer:
    name: str
    aliases: tuple[str, ...]
    line: int


@dataclass(frozen=True)
class Facility:
    id: str
    manufacturer: str
    country: str
    site: str
    status: str
    first_production: date | None
    precision: str | None
    until: date | None
    reported: date | None
    confidence: str
    source: str
    note: str | None
    line: int

    def known_on(self, as_of: date) -> bool:
        return self.reported is None or as_of >= self.reported

    @property
    def earliest(self) -> date | None:
        """First day a rig could have been produced there ("after D" means D + 1)."""
        if self.first_production is None:
            return None
        return self.first_production + timedelta(days=1) if self.precision == "after" else self.first_production

    def describe(self) -> str:
        when = {
            None: "",
            "day": f" from {self.first_production}",
            "month": f" from {self.first_production:%B %Y}" if self.first_production else "",
            "approximate": f" from about {self.first_production}",
            "after": f" after {self.first_production}",
        }[self.precision if self.first_production else None]
        return f"{self.manufacturer} {self.country}: {self.site} ({self.status}{when}; {self.confidence}: {self.source})"

    def as_json(self) -> dict:
        return {
            "id": self.id,
            "manufacturer": self.manufacturer,
            "country": self.country,
            "site": self.site,
            "status": self.status,
            "first_production": self.first_production.isoformat() if self.first_production else None,
            "precision": self.precision,
            "until": self.until.isoformat() if self.until else None,
            "reported": self.reported.isoformat() if self.reported else None,
            "confidence": self.confidence,
            "source": self.source,
            **({"note": self.note} if self.note else {}),
        }


@dataclass(frozen=True)
class Registry:
    manufacturers: tuple[Manufacturer, ...]
    facilities: tuple[Facility, ...]

    def __post_init__(self):
        patterns = []
        for m in self.manufacturers:
            for alias in sorted(m.aliases, key=len, reverse=True):
                patterns.append((re.compile(r"(?<![0-9a-z])" + re.escape(alias.casefold()) + r"(?![0-9a-z])"), m.name))
        object.__setattr__(self, "_patterns", tuple(patterns))

    def identify(self, manufacturer: str | None, model: str | None) -> str | None:
        """The registry's manufacturer for an inventory row: its `manufacturer` text first, then
        a brand in its `model` ("Antminer S19" → Bitmain). Whole-word, case-insensitive."""
        for text in (manufacturer, model):
            if not text:
                continue
            folded = str(text).casefold()
            for pat, name in self._patterns:  # type: ignore[attr-defined]
                if pat.search(folded):
                    return name
        return None

    def facts(self, manufacturer: str, country: str, as_of: date) -> tuple[Facility, ...]:
        return tuple(
            f for f in self.facilities if f.manufacturer == manufacturer and f.country == country and f.known_on(as_of)
        )


def load_facilities(path: str | Path | None = None) -> tuple[Registry, dict[str, str]]:
    p = Path(path) if path is not None else DEFAULT_PATH
    shown = display_path(p)
    text, sha, doc = read_file(p)
    recs = records(shown, text, doc, ("manufacturer", "facility"))
    makers: list[Manufacturer] = []
    aliases_seen: dict[str, tuple[str, int]] = {}
    for rec in recs["manufacturer"]:
        f = Fields(rec)
        name = f.string("name")
        aliases = f.strings("aliases")
        f.finish()
        if any(m.name == name for m in makers):
            raise rec.error(f"manufacturer {name!r} is defined twice", "name")
        for a in aliases:
            other = aliases_seen.get(a.casefold())
            if other and other[0] != name:
                raise rec.error(f"alias {a!r} already belongs to {other[0]!r} (line {other[1]})", "aliases")
            aliases_seen[a.casefold()] = (name, rec.line)
        makers.append(Manufacturer(name, aliases, rec.line))
    names = {m.name for m in makers}
    facilities: list[Facility] = []
    ids: dict[str, int] = {}
    for rec in recs["facility"]:
        f = Fields(rec)
        fid = f.string("id")
        maker = f.string("manufacturer")
        country = f.country("country")
        site = f.string("site")
        status = f.string("status", choices=STATUSES)
        first = f.day("first_production")
        precision = f.string("precision", required=False, choices=PRECISIONS)
        until = f.day("until")
        reported = f.day("reported")
        conf = f.confidence()
        source = f.string("source")
        note = f.string("note", required=False)
        f.finish()
        if fid in ids:
            raise rec.error(f"duplicate id {fid!r} (first used on line {ids[fid]})", "id")
        ids[fid] = rec.line
        if maker not in names:
            raise rec.error(f"manufacturer {maker!r} is not defined by a [[manufacturer]] table", "manufacturer")
        if first is not None and precision is None:
            raise rec.error("'first_production' needs 'precision' (day, month, approximate or after)", "first_production")
        if first is None and precision is not None:
            raise rec.error("'precision' given without 'first_production'", "precision")
        check_window(rec, first, until, "first_production")
        facilities.append(
            Facility(fid, maker, country, site, status, first, precision, until, reported, conf, source, note, rec.line)
        )
    return Registry(tuple(makers), tuple(facilities)), {"path": shown, "sha256": sha}


__all__ = ["Facility", "Manufacturer", "Registry", "RefDataError", "load_facilities"]
