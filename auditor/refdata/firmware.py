"""Firmware advisories and an organisation's approved-firmware list: loading and pure matching.

Inventories describe firmware loosely ("Antminer stock 2019-06", "Braiins OS+ 23.03"), so a
rig is matched in three steps, each defined by data, not code: its vendor (aliases against
`manufacturer`, then `model`), its firmware family (match words against `firmware`, first
family wins) and its model name (first word of the model after the brand).
"""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from auditor.model import Severity
from auditor.refdata._records import DATA_DIR, Fields, RefDataError, display_path, read_file, records

DEFAULT_PATH = DATA_DIR / "firmware_advisories.toml"
SEVERITIES = tuple(s.label for s in Severity)


def _word(text: str) -> re.Pattern:
    return re.compile(r"(?<![0-9a-z])" + re.escape(text.casefold()) + r"(?![0-9a-z+])")


@dataclass(frozen=True)
class Named:
    """A vendor or firmware family: a name and the words that identify it."""

    name: str
    words: tuple[str, ...]
    line: int

    def __post_init__(self):
        object.__setattr__(self, "_pats", tuple(_word(w) for w in sorted(self.words, key=len, reverse=True)))

    def found_in(self, text: str | None) -> bool:
        if not text:
            return False
        folded = str(text).casefold()
        return any(p.search(folded) for p in self._pats)  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Advisory:
    id: str
    vendor: str  # vendor name or "*"
    models: tuple[str, ...]  # as sold; "*" = all
    firmware_family: str  # family name or "*"
    affected_versions: tuple[str, ...] | None  # None: no version bounds in the sources
    severity: Severity
    confidence: str
    reference: str
    url: str | None
    published: date | None
    summary: str
    line: int

    @property
    def effective_severity(self) -> Severity:
        # A U (uncertain) fact never raises a finding above info.
        return Severity.INFO if self.confidence == "U" else self.severity

    def scope_text(self) -> str:
        models = "all models" if "*" in self.models else "/".join(self.models)
        fam = "any firmware" if self.firmware_family == "*" else f"{self.firmware_family} firmware"
        if self.affected_versions is None:
            return f"{fam} on {self.vendor} {models} (the sources give no version bounds)"
        return f"{fam} versions {', '.join(self.affected_versions)} on {self.vendor} {models}"

    def as_json(self) -> dict:
        return {
            "id": self.id,
            "vendor": self.vendor,
            "models": list(self.models),
            "firmware_family": self.firmware_family,
            "affected_versions": list(self.affected_versions) if self.affected_versions is not None else None,
            "version_bounds": "given" if self.affected_versions is not None else "none in sources",
            "severity": self.effective_severity.label,
            "confidence": self.confidence,
            "reference": self.reference,
            "url": self.url,
            "summary": self.summary,
        }


@dataclass(frozen=True)
class AdvisoryDB:
    vendors: tuple[Named, ...]
    families: tuple[Named, ...]
    advisories: tuple[Advisory, ...]

    def vendor_of(self, manufacturer: str | None, model: str | None) -> str | None:
        for text in (manufacturer, model):
            for v in self.vendors:
                if v.found_in(text):
                    return v.name
        return None

    def family_of(self, firmware: str | None) -> str | None:
        """The family named by the `firmware` text; None when it is empty or unrecognised."""
        for fam in self.families:
            if fam.found_in(firmware):
                return fam.name
        return None

    def model_name(self, model: str | None) -> str | None:
        """'Antminer S9 13.5TH/s' -> 'S9'; brand words are skipped."""
        if not model:
            return None
        brands = [p for v in self.vendors for p in v._pats]  # type: ignore[attr-defined]
        for tok in re.split(r"[\s,/()_]+", str(model).strip()):
            if not tok or any(p.fullmatch(tok.casefold()) for p in brands):
                continue
            return tok.split("-")[0].upper()
        return None

    def get(self, advisory_id: str) -> Advisory | None:
        return next((a for a in self.advisories if a.id == advisory_id), None)


def model_matches(patterns: tuple[str, ...], name: str | None) -> bool:
    if "*" in patterns:
        return True
    return name is not None and any(name.upper() == p.upper() for p in patterns)


def version_matches(patterns: tuple[str, ...], version: str | None) -> bool:
    if version is None:
        return False
    v = str(version).strip().lower().removeprefix("v")
    return any(fnmatch.fnmatchcase(v, p.lower().removeprefix("v")) for p in patterns)


def load_advisories(path: str | Path | None = None) -> tuple[AdvisoryDB, dict[str, str]]:
    p = Path(path) if path is not None else DEFAULT_PATH
    shown = display_path(p)
    text, sha, doc = read_file(p)
    recs = records(shown, text, doc, ("vendor", "family", "advisory"))
    vendors, families = [], []
    for table, out, words_key in (("vendor", vendors, "aliases"), ("family", families, "match")):
        for rec in recs[table]:
            f = Fields(rec)
            name = f.string("name")
            words = f.strings(words_key)
            f.finish()
            if any(n.name == name for n in out):
                raise rec.error(f"{table} {name!r} is defined twice", "name")
            out.append(Named(name, words, rec.line))
    vnames = {v.name for v in vendors} | {"*"}
    fnames = {f.name for f in families} | {"*"}
    advisories: list[Advisory] = []
    ids: dict[str, int] = {}
    for rec in recs["advisory"]:
        f = Fields(rec)
        aid = f.string("id")
        vendor = f.string("vendor")
        models = f.strings("models")
        family = f.string("firmware_family")
        versions = f.strings("affected_versions", required=False)
        sev = f.string("severity", choices=SEVERITIES)
        conf = f.confidence()
        ref = f.string("reference")
        url = f.string("url", required=False)
        published = f.day("published")
        summary = f.string("summary")
        f.finish()
        if aid in ids:
            raise rec.error(f"duplicate id {aid!r} (first used on line {ids[aid]})", "id")
        ids[aid] = rec.line
        if vendor not in vnames:
            raise rec.error(f"vendor {vendor!r} is not defined by a [[vendor]] table (or \"*\")", "vendor")
        if family not in fnames:
            raise rec.error(f"firmware_family {family!r} is not defined by a [[family]] table (or \"*\")",
                            "firmware_family")
        advisories.append(Advisory(aid, vendor, models, family, versions, Severity.parse(sev), conf, ref, url,
                                   published, summary, rec.line))
    return AdvisoryDB(tuple(vendors), tuple(families), tuple(advisories)), {"path": shown, "sha256": sha}


# ------------------------------------------------------------------ approved firmware


@dataclass(frozen=True)
class ApprovedFirmware:
    """One approved (firmware, versions, models) combination configured by an organisation."""

    firmware: str  # family name or words found in the inventory's `firmware` text
    versions: tuple[str, ...] | None  # glob patterns; None: any version
    models: tuple[str, ...] | None  # model names; None: any model
    note: str | None
    line: int

    def __post_init__(self):
        object.__setattr__(self, "_pat", _word(self.firmware))

    def matches(self, firmware: str | None, family: str | None, model_name: str | None, version: str | None) -> bool:
        named = (family is not None and family.casefold() == self.firmware.casefold()) or (
            firmware is not None and bool(self._pat.search(str(firmware).casefold()))  # type: ignore[attr-defined]
        )
        if not named:
            return False
        if self.versions is not None and not version_matches(self.versions, version):
            return False
        if self.models is not None and not model_matches(self.models, model_name):
            return False
        return True


def load_approved_firmware(path: str | Path) -> tuple[tuple[ApprovedFirmware, ...], dict[str, str]]:
    """An organisation's approved-firmware list. An empty file approves nothing."""
    shown = display_path(path)
    text, sha, doc = read_file(path)
    recs = records(shown, text, doc, ("approved",))
    out = []
    for rec in recs["approved"]:
        f = Fields(rec)
        fw = f.string("firmware")
        versions = f.strings("versions", required=False)
        models = f.strings("models", required=False)
        note = f.string("note", required=False)
        f.finish()
        out.append(ApprovedFirmware(fw, versions, models, note, rec.line))
    return tuple(out), {"path": shown, "sha256": sha}


__all__ = [
    "Advisory", "AdvisoryDB", "ApprovedFirmware", "RefDataError", "load_advisories", "load_approved_firmware",
    "model_matches", "version_matches",
]
