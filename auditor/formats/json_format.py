"""report.json: the machine-readable contract (DESIGN.md), streamed finding by finding.

Keys are sorted and every list is in a defined order, so the same inputs and as-of date
give byte-identical files. Findings are written one per line as they are produced, so a
million findings never sit in memory as one big structure.
"""

from __future__ import annotations

import json
from pathlib import Path

from auditor.formats.document import header, rejected_rows
from auditor.model import AuditResult


def _dump(value) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


class JsonFormat:
    name = "json"
    filename = "report.json"

    def write(self, result: AuditResult, out_dir: Path) -> Path:
        path = Path(out_dir) / self.filename
        head = header(result)
        with open(path, "w", encoding="utf-8", newline="\n") as f:
            f.write("{\n")
            for key in sorted(head):
                f.write(f"{json.dumps(key)}: {json.dumps(head[key], sort_keys=True, ensure_ascii=False, indent=1)},\n")
            f.write('"findings": [')
            first = True
            cache: dict[int, tuple[object, str]] = {}
            for finding in result.iter_findings():
                f.write("\n" if first else ",\n")
                first = False
                f.write(self._finding(finding, cache))
            f.write("\n],\n" if not first else "],\n")
            f.write(f'"rejected_rows": {json.dumps(rejected_rows(result), ensure_ascii=False, indent=1)}\n')
            f.write("}\n")
        return path

    @staticmethod
    def _finding(f, cache: dict[int, tuple[object, str]]) -> str:
        # Evidence and references are shared by every finding of a group: serialise once.
        # The cache keeps a reference to each object it keys by id(): a freed object's id can be
        # reused by a new one (per-row evidence dicts), which would otherwise return stale text.
        hit = cache.get(id(f.evidence))
        if hit is None or hit[0] is not f.evidence:
            hit = cache[id(f.evidence)] = (f.evidence, _dump(dict(f.evidence)))
        ev = hit[1]
        hit = cache.get(id(f.references))
        if hit is None or hit[0] is not f.references:
            hit = cache[id(f.references)] = (f.references, _dump([r.as_json() for r in f.references]))
        refs = hit[1]
        parts = [
            '{"asset":', _dump({"file": f.source, "key": f.asset_key, "line": f.line, "serial": f.serial}),
        ]
        if f.baseline_state is not None:
            parts += [',"baseline_state":', _dump(f.baseline_state)]
        parts += [
            ',"evidence":', ev,
            ',"fingerprint":"', f.fingerprint,
            '","kind":"', f.kind,
            '","message":', _dump(f.message),
            ',"references":', refs,
            ',"rule_id":', _dump(f.rule_id),
            ',"severity":"', f.severity.label,
            '","status":"', f.status,
            '","title":', _dump(f.title),
        ]
        if f.waiver is not None:
            parts += [',"waiver":', _dump(dict(f.waiver))]
        parts.append("}")
        return "".join(parts)


FORMAT = JsonFormat()
