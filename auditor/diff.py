"""What changed between two audits: new, resolved and unchanged findings; assets added/removed.

Findings are matched by fingerprint (rule + asset key + normalised evidence, see
auditor.model.fingerprint) and never by line number, so re-sorting an inventory changes
nothing. Both sides are multisets: an inventory may list the same serial twice, so a
fingerprint seen twice before and three times now is two unchanged findings and one new one.

The same comparison serves three callers: `auditor diff RUN_A RUN_B` (two recorded runs),
`diff_against` (the audit being run against a recorded run: "new since last audit") and
auditor.baseline (the audit against a previous report.json, no database).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy.engine import Engine

from auditor.model import AuditResult, BaselineSource


@dataclass
class Diff:
    before: dict[str, Any] | None  # description of side A (run info, baseline file), or None
    after: dict[str, Any] | None  # description of side B, or None for the audit being run
    new: list[dict] = field(default_factory=list)
    resolved: list[dict] = field(default_factory=list)
    unchanged: list[dict] = field(default_factory=list)
    assets_added: list[dict] = field(default_factory=list)  # {"asset_key", "count"}
    assets_removed: list[dict] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {
            "new": len(self.new),
            "resolved": len(self.resolved),
            "unchanged": len(self.unchanged),
            "assets_added": sum(a["count"] for a in self.assets_added),
            "assets_removed": sum(a["count"] for a in self.assets_removed),
        }

    def states(self) -> dict[str, str]:
        """fingerprint -> "new" | "unchanged" for side B's findings.

        A fingerprint with at least one new occurrence is "new" (the per-fingerprint map cannot
        say "one of three"; failing a pipeline on it is the safe side).
        """
        out = {f["fingerprint"]: "unchanged" for f in self.unchanged}
        for f in self.new:
            out[f["fingerprint"]] = "new"
        return dict(sorted(out.items()))

    def apply_to(self, result: AuditResult) -> AuditResult:
        """The result with its findings marked new/unchanged and resolved ones listed as absent.

        `before` (what the findings were compared with) becomes the reports' "new since …" wording.
        """
        source = BaselineSource(**self.before) if self.before is not None else None
        return replace(result, baseline=self.states(), absent=tuple(self.resolved), baseline_source=source)

    def as_json(self) -> dict:
        return {
            "before": self.before,
            "after": self.after,
            "counts": self.counts(),
            "new": self.new,
            "resolved": self.resolved,
            "unchanged": self.unchanged,
            "assets": {"added": self.assets_added, "removed": self.assets_removed},
        }


def _order(f: dict) -> tuple:
    a = f.get("asset") or {}
    return (f.get("rule_id") or "", str(a.get("key") or a.get("serial") or ""), f["fingerprint"],
            str(a.get("file") or ""), a.get("line") or 0)


def split(before: list[str], after: list[str]) -> tuple[list[int], list[int], list[int]]:
    """Multiset comparison of two fingerprint sequences, as positions.

    Returns (new: positions in `after`, resolved: positions in `before`, unchanged: positions
    in `after`). When a fingerprint occurs more often on one side, its first occurrences pair
    up as unchanged and the last ones are the new (or resolved) ones.
    """
    remaining = Counter(before)
    new, unchanged = [], []
    for i, fp in enumerate(after):
        if remaining[fp] > 0:
            remaining[fp] -= 1
            unchanged.append(i)
        else:
            new.append(i)
    resolved = []
    for i in range(len(before) - 1, -1, -1):
        fp = before[i]
        if remaining[fp] > 0:
            remaining[fp] -= 1
            resolved.append(i)
    resolved.reverse()
    return new, resolved, unchanged


def compare(before: list[dict], after: list[dict]) -> tuple[list[dict], list[dict], list[dict]]:
    """(new, resolved, unchanged) between two lists of finding records (each with a "fingerprint")."""
    new, resolved, unchanged = split([f["fingerprint"] for f in before], [f["fingerprint"] for f in after])
    return (sorted((after[i] for i in new), key=_order), sorted((before[i] for i in resolved), key=_order),
            sorted((after[i] for i in unchanged), key=_order))


def compare_assets(before: Counter, after: Counter) -> tuple[list[dict], list[dict]]:
    added = after - before
    removed = before - after
    return (
        [{"asset_key": k, "count": n} for k, n in sorted(added.items())],
        [{"asset_key": k, "count": n} for k, n in sorted(removed.items())],
    )


def _describe(info) -> dict:
    return {"run": info.id, "as_of": info.as_of.isoformat(), "status": info.status,
            "finished_at": info.as_json()["finished_at"]}


def diff_runs(engine: Engine, run_a: int | str, run_b: int | str, unchanged_detail: bool = True) -> Diff:
    """Compare two recorded runs (ids, or "latest" / "previous"). Raises RunNotFound.

    With `unchanged_detail=False` unchanged findings are listed by fingerprint only, which
    spares loading every record of two large runs when only the changes are shown.
    """
    from auditor.store.runs import asset_counts, finding_fingerprints, get_run, load_findings

    ia, ib = get_run(engine, run_a), get_run(engine, run_b)
    fa, fb = finding_fingerprints(engine, ia.id), finding_fingerprints(engine, ib.id)
    new_i, resolved_i, unchanged_i = split(fa, fb)
    new = load_findings(engine, ib.id, set(new_i))
    resolved = load_findings(engine, ia.id, set(resolved_i))
    if unchanged_detail:
        unchanged = sorted(load_findings(engine, ib.id, set(unchanged_i)), key=_order)
    else:
        unchanged = [{"fingerprint": fp} for fp in sorted(fb[i] for i in unchanged_i)]
    added, removed = compare_assets(Counter(asset_counts(engine, ia.id)), Counter(asset_counts(engine, ib.id)))
    return Diff(_describe(ia), _describe(ib), sorted(new, key=_order), sorted(resolved, key=_order), unchanged,
                added, removed)


def _record(finding) -> dict:
    rec = finding.as_json()
    rec.pop("references", None)
    rec.pop("baseline_state", None)
    return rec


def result_findings(result: AuditResult) -> list[dict]:
    """The audit's findings as diff records (the report's finding JSON minus references)."""
    return [_record(f) for f in result.iter_findings()]


def result_assets(result: AuditResult) -> Counter:
    table = result.table
    return Counter(table.asset_key(i) for i in table.non_rejected_rows())


def diff_against(engine: Engine, result: AuditResult, ref: int | str = "previous",
                 before_run_id: int | None = None) -> Diff | None:
    """Compare the audit in `result` with a recorded run.

    `ref` is a run id, or "previous": the newest recorded run — call this before recording
    the current audit, or pass `before_run_id` (the current audit's id) to take the newest
    run older than it. Returns None when "previous" is asked and no earlier run exists;
    raises auditor.store.runs.RunNotFound for an unknown id. Unchanged findings are listed
    by fingerprint only. `Diff.apply_to(result)` returns the result with findings marked "new since last audit"
    for the report formats.
    """
    from sqlalchemy import select

    from auditor.store.runs import Run, asset_counts, finding_fingerprints, get_run, load_findings

    if ref == "previous":
        t = Run.__table__
        q = select(t.c.id).order_by(t.c.id.desc()).limit(1)
        if before_run_id is not None:
            q = q.where(t.c.id < before_run_id)
        with engine.connect() as conn:
            run_id = conn.execute(q).scalar()
        if run_id is None:
            return None
        info = get_run(engine, run_id)
    else:
        info = get_run(engine, ref)
    fa = finding_fingerprints(engine, info.id)
    # Two passes over the audit's findings (iteration is deterministic): fingerprints first,
    # then full records only for the new ones — a million Finding objects never sit in memory.
    fb = [f.fingerprint for f in result.iter_findings()]
    new_i, resolved_i, unchanged_i = split(fa, fb)
    wanted = set(new_i)
    new = [_record(f) for i, f in enumerate(result.iter_findings()) if i in wanted] if wanted else []
    resolved = load_findings(engine, info.id, set(resolved_i))
    unchanged = [{"fingerprint": fp} for fp in sorted(fb[i] for i in unchanged_i)]
    added, removed = compare_assets(Counter(asset_counts(engine, info.id)), result_assets(result))
    return Diff(_describe(info), None, sorted(new, key=_order), sorted(resolved, key=_order), unchanged,
                added, removed)
