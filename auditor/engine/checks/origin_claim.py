"""`check = "origin_claim"`: plausibility of a rig's claimed assembly country ([origin_claim]).

Two claims are checked, chosen by `claim`:

`claim = "facility"` — compare assembly claims in `country` (e.g. "US") with the facility
registry (`ctx.refdata.facilities`, as known on the audit date):
  * a P/R fact shows production there when the rig was made        → no finding;
  * the rig was made before every P/R-reported start there          → rule severity ("claim not
    corroborated"), message says "reported";
  * P/R facts report only an announcement / no site (no start date) → rule severity;
  * the manufacturer is in the registry but nothing is reported there as of the audit date
                                                                    → rule severity;
  * only uncertain (U) facts bear on the claim                      → info, never higher;
  * a P/R start date exists but the rig's manufacture date is missing → info.
  Rigs whose manufacturer the registry does not know are not assessed.

`claim = "transformation"` — final assembly outside China (`skip_countries`, default CN, HK,
MO) while chip and hashboard origin are unknown → a note: origin changes only by substantial
transformation (19 CFR 134.1(b); CBP NY N326483). Chip/hashboard origin counts as known only
when the inventory carries `chip_origin` / `hashboard_origin` columns with values; a chip
*vendor* is not an origin.

Message placeholders: {manufacturer} {model} {assembly_country} {assembly_site}
{manufacture_date} {registry_manufacturer} {reason} {as_of} {chip_vendor}.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np

from auditor.engine.checks.base import EvalContext, Where
from auditor.engine.grouping import group_rows
from auditor.engine.render import render
from auditor.model import FindingGroup, InventoryTable, Rule, Severity

FACILITY_COLUMNS = ("manufacturer", "model", "assembly_country", "assembly_site", "manufacture_date")
TRANSFORMATION_COLUMNS = ("assembly_country", "chip_vendor")
ORIGIN_EVIDENCE_COLUMNS = ("chip_origin", "hashboard_origin")  # read only when an inventory has them
CLAIMS = ("facility", "transformation")


@dataclass(frozen=True)
class OriginClaimConfig:
    claim: str
    country: str | None  # facility: the claimed assembly country checked
    skip_countries: tuple[str, ...]  # transformation: countries that need no note


@dataclass(frozen=True)
class Assessment:
    severity: Severity | None  # None: the rule's own severity
    reason: str
    facts: tuple[Any, ...]


def assess(registry: Any, manufacturer: str, country: str, made: date | None, as_of: date) -> Assessment | None:
    """Verdict on one claim "made by `manufacturer` in `country` on `made`". None = corroborated."""
    facts = registry.facts(manufacturer, country, as_of)
    if not facts:
        return Assessment(None, f"no production by {manufacturer} in {country} is reported as of {as_of}", ())
    firm = [f for f in facts if f.confidence in ("P", "R")]
    shaky = [f for f in facts if f.confidence == "U"]
    dated = [f for f in firm if f.earliest is not None]
    if made is not None:
        for f in dated:
            if f.earliest <= made and (f.until is None or made < f.until):
                return None  # a reported facility was producing when the rig was made
    if dated and made is None:
        starts = ", ".join(_start(f) for f in dated)
        return Assessment(Severity.INFO, f"manufacture date missing: cannot compare with the reported start of "
                                         f"{manufacturer} production in {country} ({starts})", tuple(facts))
    if dated:
        starts = ", ".join(_start(f) for f in dated)
        return Assessment(None, f"made {made}, before the first reported {manufacturer} production in {country} "
                                f"({starts})", tuple(dated))
    if firm:
        what = "; ".join(f"{f.site} ({f.status}, reported: {f.source})" for f in firm)
        return Assessment(None, f"no {manufacturer} production start in {country} is reported: {what}", tuple(firm))
    # Only uncertain facts: describe them, never raise above info.
    parts = []
    for f in shaky:
        if f.earliest is None:
            parts.append(f"{f.site} ({f.source})")
        else:
            rel = "before" if made is not None and made < f.earliest else "on or after"
            parts.append(f"{_start(f)} — rig made {rel} it ({f.source})" if made else f"{_start(f)} ({f.source})")
    conflict = " (the reports conflict)" if sum(1 for f in shaky if f.earliest) > 1 else ""
    return Assessment(Severity.INFO, f"the claim rests only on uncertain facts{conflict}: " + "; ".join(parts),
                      tuple(shaky))


def _start(f: Any) -> str:
    return {
        "day": f"{f.first_production}",
        "month": f"{f.first_production:%B %Y}",
        "approximate": f"about {f.first_production}",
        "after": f"after {f.first_production}",
    }[f.precision]


class OriginClaimCheck:
    name = "origin_claim"
    table = "origin_claim"
    kinds = frozenset({"origin"})
    message_vars = frozenset(
        {"manufacturer", "model", "assembly_country", "assembly_site", "manufacture_date", "registry_manufacturer",
         "reason", "as_of", "chip_vendor"}
    )

    def parse(self, spec: Any, where: Where) -> OriginClaimConfig:
        if not isinstance(spec, dict):
            raise where.error("[origin_claim] must be a table")
        allowed = {"claim", "country", "skip_countries"}
        unknown = sorted(set(spec) - allowed)
        if unknown:
            raise where.error(f"[origin_claim] unknown key {unknown[0]!r} (allowed: {', '.join(sorted(allowed))})",
                              unknown[0], "origin_claim")
        claim = spec.get("claim")
        if claim not in CLAIMS:
            raise where.error(f"[origin_claim] claim must be one of: {', '.join(CLAIMS)}", "claim", "origin_claim")
        country = spec.get("country")
        skip = spec.get("skip_countries", ["CN", "HK", "MO"])
        if claim == "facility":
            if not _is_cc(country):
                raise where.error("[origin_claim] country must be an ISO 3166-1 alpha-2 code such as \"US\"",
                                  "country", "origin_claim")
            if "skip_countries" in spec:
                raise where.error("[origin_claim] skip_countries applies to claim = \"transformation\" only",
                                  "skip_countries", "origin_claim")
        else:
            if country is not None:
                raise where.error("[origin_claim] country applies to claim = \"facility\" only", "country", "origin_claim")
            if not isinstance(skip, list) or not all(_is_cc(c) for c in skip):
                raise where.error("[origin_claim] skip_countries must be a list of alpha-2 codes", "skip_countries",
                                  "origin_claim")
        return OriginClaimConfig(claim, country, tuple(skip) if claim == "transformation" else ())

    def fields(self, config: OriginClaimConfig) -> tuple[str, ...]:
        return FACILITY_COLUMNS if config.claim == "facility" else TRANSFORMATION_COLUMNS

    def needs(self, config: OriginClaimConfig) -> tuple[frozenset[str], ...]:
        return (frozenset({"assembly_country"}),)

    def evaluate(self, rule: Rule, table: InventoryTable, ctx: EvalContext) -> list[FindingGroup]:
        cfg: OriginClaimConfig = rule.check
        groups = self._facility(rule, table, ctx) if cfg.claim == "facility" else self._transformation(rule, table, ctx)
        groups.sort(key=lambda g: int(g.rows[0]))
        return groups

    def _facility(self, rule: Rule, table: InventoryTable, ctx: EvalContext) -> list[FindingGroup]:
        cfg: OriginClaimConfig = rule.check
        registry = getattr(ctx.refdata, "facilities", None)
        if registry is None or not hasattr(registry, "facts"):
            raise RuntimeError("no facility registry loaded (reference data 'facilities')")
        assert cfg.country is not None  # the facility claim names its country (parse)
        rows = _rows_with(table, "assembly_country", {cfg.country})
        out = []
        for values, members in group_rows(table, FACILITY_COLUMNS, rows):
            row = dict(zip(FACILITY_COLUMNS, values))
            maker = registry.identify(row["manufacturer"], row["model"])
            if maker is None:
                continue
            verdict = assess(registry, maker, cfg.country, row["manufacture_date"], ctx.as_of)
            if verdict is None:
                continue
            msg_values = {**row, "registry_manufacturer": maker, "reason": verdict.reason, "as_of": ctx.as_of}
            evidence = {
                "claimed_country": cfg.country,
                "assembly_site": row["assembly_site"],
                "manufacturer": maker,
                "manufacture_date": row["manufacture_date"].isoformat() if row["manufacture_date"] else None,
                "reason": verdict.reason,
                "facts": [f.as_json() for f in verdict.facts],
                "facts_known_as_of": ctx.as_of.isoformat(),
            }
            out.append(FindingGroup(rule, members, render(rule.message, msg_values), evidence, severity=verdict.severity))
        return out

    def _transformation(self, rule: Rule, table: InventoryTable, ctx: EvalContext) -> list[FindingGroup]:
        cfg: OriginClaimConfig = rule.check
        country = table.columns["assembly_country"]
        present = np.nonzero(country.codes != 0)[0]
        skip = np.array([v in cfg.skip_countries for v in country.values], dtype=bool)
        rows = present[~skip[country.codes[present]]]
        # Rows whose chip AND hashboard origin are both known need no note.
        known = [table.columns[c] for c in ORIGIN_EVIDENCE_COLUMNS if c in table.columns]
        if len(known) == len(ORIGIN_EVIDENCE_COLUMNS) and len(rows):
            both = np.ones(len(rows), dtype=bool)
            for col in known:
                both &= col.codes[rows] != 0
            rows = rows[~both]
        out = []
        for (cc, vendor), members in group_rows(table, TRANSFORMATION_COLUMNS, rows):
            msg = render(rule.message, {"assembly_country": cc, "chip_vendor": vendor, "as_of": ctx.as_of,
                                        "reason": "chip and hashboard origin unknown"})
            evidence = {
                "claimed_assembly_country": cc,
                "chip_vendor": vendor,
                "chip_origin": None,
                "hashboard_origin": None,
                "note": "A chip vendor is not a country of origin; a final-assembly claim alone does not establish "
                        "non-China origin (19 CFR 134.1(b): substantial transformation, a new name, character "
                        "or use; CBP NY N326483).",
            }
            out.append(FindingGroup(rule, members, msg, evidence))
        return out


def _is_cc(v: Any) -> bool:
    return isinstance(v, str) and len(v) == 2 and v.isalpha() and v.isupper()


def _rows_with(table: InventoryTable, column: str, wanted: set[Any]) -> np.ndarray:
    col = table.columns[column]
    hit = np.array([v in wanted for v in col.values], dtype=bool)
    return np.nonzero(hit[col.codes])[0].astype(np.int64)


CHECK = OriginClaimCheck()
