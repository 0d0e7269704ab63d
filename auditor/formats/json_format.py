"""report.json: the machine-readable contract (DESIGN.md), streamed finding by finding.

Keys are sorted and every list is in a defined order, so the same inputs and as-of date
give byte-identical files. Findings are written one per line as they are produced, so a
million findings never sit in memory as one big structure.

Each finding line is assembled from pieces serialised once per group (rule, message,
references, evidence — already in canonical JSON from the fingerprint) plus the few
per-rig fields, which is what keeps millions of findings to seconds.
"""

from __future__ import annotations

import json
from json.encoder import encode_basestring as _str  # C-accelerated JSON string literal
from pathlib import Path

from auditor.formats.document import header, rejected_rows
from auditor.model import AuditResult
from auditor.output import create_file


def _dump(value) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


class JsonFormat:
    name = "json"
    filename = "report.json"

    def write(self, result: AuditResult, out_dir: Path) -> Path:
        path = Path(out_dir) / self.filename
        head = header(result)
        with create_file(path) as f:
            f.write("{\n")
            for key in sorted(head):
                f.write(f"{json.dumps(key)}: {json.dumps(head[key], sort_keys=True, ensure_ascii=False, indent=1)},\n")
            f.write('"findings": [')
            n = 0
            buf: list[str] = []
            for line in self.finding_lines(result):
                buf.append(line)
                n += 1
                if len(buf) >= 4096:
                    f.write(("\n" if n == len(buf) else ",\n") + ",\n".join(buf))
                    buf.clear()
            if buf:
                f.write(("\n" if n == len(buf) else ",\n") + ",\n".join(buf))
            f.write("\n],\n" if n else "],\n")
            f.write(f'"rejected_rows": {json.dumps(rejected_rows(result), ensure_ascii=False, indent=1)}\n')
            f.write("}\n")
        return path

    @staticmethod
    def finding_lines(result: AuditResult):
        """One compact, key-sorted JSON object per finding (the same shape as Finding.as_json)."""
        files = [_str(s) for s in result.table.sources]
        waivers, baseline = result.waivers, result.baseline
        notes = result.waiver_notes()
        # Per group: one %-template holding everything but the per-rig fields.
        templates: dict[int, str] = {}
        for r in result.iter_finding_rows():
            g = r.group
            tpl = templates.get(id(g))
            if tpl is None:
                rule = g.rule
                tpl = templates[id(g)] = "".join([
                    '{"asset":{"file":%s,"key":%s,"line":%d,"serial":%s}%s,"evidence":%s,"fingerprint":"%s"',
                    f',"kind":"{rule.kind.value}","message":{_str(g.message)}'.replace("%", "%%"),
                    f',"references":{_dump([ref.as_json() for ref in rule.references])}'.replace("%", "%%"),
                    f',"rule_id":{_str(rule.id)},"severity":"{g.effective_severity.label}"'.replace("%", "%%"),
                    ',"status":"%s"',
                    f',"title":{_str(rule.title)}'.replace("%", "%%"),
                    "%s%s}",  # waiver, waiver_note (sort_keys order: "waiver" < "waiver_note")
                ])
            fp = r.fingerprint
            waiver = waivers.get(fp) if waivers else None
            yield tpl % (
                files[r.source], _str(r.key), r.line, _str(r.serial) if r.serial is not None else "null",
                f',"baseline_state":{_str(baseline.get(fp, "new"))}' if baseline is not None else "",
                r.evidence_json, fp,
                "waived" if waiver is not None else "open",
                f',"waiver":{_dump(dict(waiver))}' if waiver is not None else "",
                f',"waiver_note":{_str(notes[fp])}' if notes and fp in notes else "",
            )


FORMAT = JsonFormat()
