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
from dataclasses import dataclass, field
from typing import Any, Iterable

from sqlalchemy.engine import Engine

from auditor.model import AuditResult


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

    def apply_to(self, result: AuditResult) -> None:
        """Mark the audit's findings new/unchanged and list resolved ones as absent."""
        result.baseline = self.states()
        result.absent = list(self.resolved)

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


def compare(before: Iterable[dict], after: Iterable[dict]) -> tuple[list[dict], list[dict], list[dict]]:
    """(new, resolved, unchanged) between two lists of finding records, as multisets.

    Each record needs a "fingerprint"; the rest is carried through. When a fingerprint occurs
    more often on one side, its last occurrences (in the given order) are the extra ones.
    """
    a_by: dict[str, list[dict]] = {}
    for f in before:
        a_by.setdefault(f["fingerprint"], []).append(f)
    b_by: dict[str, list[dict]] = {}
    for f in after:
        b_by.setdefault(f["fingerprint"], []).append(f)
    new, resolved, unchanged = [], [], []
    for fp, bs in b_by.items():
        n_same = min(len(bs), len(a_by.get(fp, ())))
        unchanged.extend(bs[:n_same])
        new.extend(bs[n_same:])
    for fp, as_ in a_by.items():
        resolved.extend(as_[len(b_by.get(fp, ())):])
    return sorted(new, key=_order), sorted(resolved, key=_order), sorted(unchanged, key=_order)


def compare_assets(before: Counter, after: Counter) -> tuple[list[dict], list[dict]]:
    added = after - before
    removed = before - after
    return (
        [{"asset_key": k, "count": n} for k, n in sorted(added.items())],
        [{"asset_key": k, "count": n} for k, n in sorted(removed.items())],
    )


def _run_side(engine: Engine, run_id: int) -> tuple[list[dict], Counter]:
    from auditor.store.runs import load_assets, load_findings

    assets: Counter = Counter()
    for a in load_assets(engine, run_id):
        assets[a["asset_key"]] += a["rows"]
    return load_findings(engine, run_id), assets


def _describe(info) -> dict:
    return {"run": info.id, "as_of": info.as_of.isoformat(), "status": info.status,
            "finished_at": info.as_json()["finished_at"]}


def diff_runs(engine: Engine, run_a: int | str, run_b: int | str) -> Diff:
    """Compare two recorded runs (ids, or "latest" / "previous"). Raises RunNotFound."""
    from auditor.store.runs import get_run

    ia, ib = get_run(engine, run_a), get_run(engine, run_b)
    fa, aa = _run_side(engine, ia.id)
    fb, ab = _run_side(engine, ib.id)
    new, resolved, unchanged = compare(fa, fb)
    added, removed = compare_assets(aa, ab)
    return Diff(_describe(ia), _describe(ib), new, resolved, unchanged, added, removed)


def result_findings(result: AuditResult) -> list[dict]:
    """The audit's findings as diff records (the report's finding JSON minus references)."""
    out = []
    for f in result.iter_findings():
        rec = f.as_json()
        rec.pop("references", None)
        rec.pop("baseline_state", None)
        out.append(rec)
    return out


def result_assets(result: AuditResult) -> Counter:
    table = result.table
    return Counter(table.asset_key(i) for i in range(len(table)))


def diff_against(engine: Engine, result: AuditResult, ref: int | str = "previous",
                 before_run_id: int | None = None) -> Diff | None:
    """Compare the audit in `result` with a recorded run.

    `ref` is a run id, or "previous": the newest recorded run — call this before recording
    the current audit, or pass `before_run_id` (the current audit's id) to take the newest
    run older than it. Returns None when "previous" is asked and no earlier run exists;
    raises auditor.store.runs.RunNotFound for an unknown id. Use `Diff.apply_to(result)` to
    mark findings "new since last audit" for the report formats.
    """
    from sqlalchemy import select

    from auditor.store.runs import Run, get_run

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
    fa, aa = _run_side(engine, info.id)
    new, resolved, unchanged = compare(fa, result_findings(result))
    added, removed = compare_assets(aa, result_assets(result))
    return Diff(_describe(info), None, new, resolved, unchanged, added, removed)
