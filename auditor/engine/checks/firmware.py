"""`check = "firmware"`: firmware advisories, approved-firmware lists, missing firmware data.

Config ([firmware] table), one of:
    test = "advisory", advisory = "<id in firmware_advisories.toml>"
        rigs of the advisory's vendor and models running its firmware family (and, when the
        advisory gives version bounds, an affected version). Severity comes from the advisory
        record (U records capped at info). When the family or a needed version is not recorded
        the finding is info: "cannot rule out". An advisory published after the audit date is
        not yet known and matches nothing.
    test = "approved"
        rigs whose firmware is on no entry of the organisation's approved list; applies only
        when a list is configured (ctx.refdata.approved_firmware is not None).
    test = "missing"
        rigs with no firmware or no firmware version recorded.

Evaluated once per distinct (manufacturer, model, firmware, firmware_version).
Message placeholders: {advisory} {summary} {reference} {scope} {reason} {manufacturer} {model}
{firmware} {firmware_version} {family}.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from auditor.engine.checks.base import EvalContext, Where
from auditor.engine.grouping import group_rows
from auditor.engine.render import render
from auditor.model import FindingGroup, InventoryTable, Rule, Severity
from auditor.refdata.firmware import AdvisoryDB, model_matches, version_matches

COLUMNS = ("manufacturer", "model", "firmware", "firmware_version")
TESTS = ("advisory", "approved", "missing")

# (reason, severity override, evidence, message values) for a row that fails, None when it passes.
Verdict = tuple[str, Severity | None, dict[str, Any], dict[str, Any]]
Judge = Callable[[dict[str, Any]], Verdict | None]


@dataclass(frozen=True)
class FirmwareConfig:
    test: str
    advisory: str | None


def _db(refdata: Any) -> AdvisoryDB:
    db = getattr(refdata, "advisories", None)
    if not isinstance(db, AdvisoryDB):
        raise RuntimeError("no firmware advisories loaded (reference data 'advisories')")
    return db


class FirmwareCheck:
    name = "firmware"
    table = "firmware"
    kinds = frozenset({"firmware", "data_quality"})
    message_vars = frozenset(
        {"advisory", "summary", "reference", "scope", "reason", "manufacturer", "model", "firmware",
         "firmware_version", "family"}
    )

    def parse(self, spec: Any, where: Where) -> FirmwareConfig:
        if not isinstance(spec, dict):
            raise where.error("[firmware] must be a table")
        unknown = sorted(set(spec) - {"test", "advisory"})
        if unknown:
            raise where.error(f"[firmware] unknown key {unknown[0]!r} (allowed: test, advisory)", unknown[0], "firmware")
        test = spec.get("test")
        if test not in TESTS:
            raise where.error(f"[firmware] test must be one of: {', '.join(TESTS)}", "test", "firmware")
        adv = spec.get("advisory")
        if test == "advisory" and (not isinstance(adv, str) or not adv.strip()):
            raise where.error("[firmware] test = \"advisory\" needs advisory = \"<advisory id>\"", "advisory", "firmware")
        if test != "advisory" and adv is not None:
            raise where.error("[firmware] advisory applies to test = \"advisory\" only", "advisory", "firmware")
        return FirmwareConfig(test, adv)

    def fields(self, config: FirmwareConfig) -> tuple[str, ...]:
        return COLUMNS

    def needs(self, config: FirmwareConfig) -> tuple[frozenset[str], ...]:
        return ()  # a missing firmware or version is reported on the rig ("not recorded")

    def not_applicable(self, rule: Rule, ctx: EvalContext) -> str | None:
        if rule.check.test == "approved" and getattr(ctx.refdata, "approved_firmware", None) is None:
            return "no approved-firmware list given (--approved-firmware)"
        return None

    def evaluate(self, rule: Rule, table: InventoryTable, ctx: EvalContext) -> list[FindingGroup]:
        cfg: FirmwareConfig = rule.check
        judge = {"advisory": self._advisory, "approved": self._approved, "missing": self._missing}[cfg.test]
        verdicts = judge(rule, ctx)
        if verdicts is None:
            return []
        out = []
        for values, rows in group_rows(table, COLUMNS):
            row = dict(zip(COLUMNS, values))
            v = verdicts(row)
            if v is None:
                continue
            reason, severity, evidence, extra = v
            msg_values = {**row, **extra, "reason": reason}
            evidence = {**{k: row[k] for k in COLUMNS}, **evidence, "reason": reason}
            out.append(FindingGroup(rule, rows, render(rule.message, msg_values), evidence, severity=severity))
        out.sort(key=lambda g: int(g.rows[0]))
        return out

    # Each judge returns a function row -> (reason, severity override, evidence, message values) | None
    # (a Judge),
    # or None when the rule cannot apply at all.

    def _advisory(self, rule: Rule, ctx: EvalContext) -> Judge | None:
        db = _db(ctx.refdata)
        adv = db.get(rule.check.advisory)
        if adv is None:
            raise RuntimeError(f"advisory {rule.check.advisory!r} is not in the firmware advisories data")
        if adv.published and ctx.as_of < adv.published:
            return None  # not yet published on the audit date
        base = {"advisory": adv.id, "summary": adv.summary, "reference": adv.reference, "scope": adv.scope_text()}

        def judge(row: dict[str, Any]) -> Verdict | None:
            vendor = db.vendor_of(row["manufacturer"], row["model"])
            if adv.vendor != "*" and vendor != adv.vendor:
                return None
            model = db.model_name(row["model"])
            if not model_matches(adv.models, model):
                return None
            family = db.family_of(row["firmware"])
            sev = adv.effective_severity
            evidence = {"advisory": adv.as_json(), "vendor": vendor, "model_name": model, "family": family}
            extra = {**base, "family": family}
            if adv.firmware_family != "*":
                if row["firmware"] is None:
                    return (f"firmware not recorded: cannot rule out {adv.id}", Severity.INFO, evidence, extra)
                if family != adv.firmware_family:
                    return None
            if adv.affected_versions is None:
                reason = (f"{family or 'any'} firmware on {model}; the sources give no version bounds, "
                          "so every version is treated as affected until the build is verified")
                return (reason, sev, evidence, extra)
            if row["firmware_version"] is None:
                return (f"firmware version not recorded: cannot rule out {adv.id} (affected: "
                        f"{', '.join(adv.affected_versions)})", Severity.INFO, evidence, extra)
            if not version_matches(adv.affected_versions, row["firmware_version"]):
                return None
            return (f"version {row['firmware_version']} matches affected versions {', '.join(adv.affected_versions)}",
                    sev, evidence, extra)

        return judge

    def _approved(self, rule: Rule, ctx: EvalContext) -> Judge | None:
        approved = getattr(ctx.refdata, "approved_firmware", None)
        if approved is None:
            return None  # no list configured: the rule does not apply
        db = getattr(ctx.refdata, "advisories", None)
        db = db if isinstance(db, AdvisoryDB) else None

        def judge(row: dict[str, Any]) -> Verdict | None:
            family = db.family_of(row["firmware"]) if db else None
            model = db.model_name(row["model"]) if db else row["model"]
            if row["firmware"] is None:
                reason = "firmware not recorded, so it cannot be shown to be approved"
            elif any(a.matches(row["firmware"], family, model, row["firmware_version"]) for a in approved):
                return None
            else:
                reason = (f"{row['firmware']} {row['firmware_version'] or '(version missing)'} on "
                          f"{row['model'] or '(model missing)'} matches no entry of the approved-firmware list")
            evidence = {"family": family, "model_name": model, "approved_entries": len(approved)}
            return (reason, None, evidence, {"family": family})

        return judge

    def _missing(self, rule: Rule, ctx: EvalContext) -> Judge | None:
        def judge(row: dict[str, Any]) -> Verdict | None:
            missing = [c for c in ("firmware", "firmware_version") if row[c] is None]
            if not missing:
                return None
            return (f"{' and '.join(missing)} not recorded", None, {"missing": missing}, {"family": None})

        return judge


CHECK = FirmwareCheck()
