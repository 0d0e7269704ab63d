"""report.json: the machine-readable contract (DESIGN.md), schema version 2, streamed.

What findings share is written once, before them: `rules` (id -> kind, title, references)
and `groups` (one per rule, severity, message and evidence that rigs fail together). Each
finding is then one short line — the rig, its fingerprint, its group — instead of repeating
a rule's references and a whole evidence object per rig (version 1 did: 1.5 KB a finding,
3.9 GB for a million rigs). `auditor.report_json` reads both versions back into full
findings; docs/REPORTS.md documents the change and the shipped JSON Schema
(auditor/schemas/report.schema.json) describes the file.

Keys are sorted and every list is in a defined order, so the same inputs and as-of date give
byte-identical files. Findings are written in chunks of CHUNK, formatted from the columns of
their report-order block (AuditResult.finding_columns): no finding object is built, and
evidence is already canonical JSON (the fingerprint's basis).
"""

from __future__ import annotations

import json
from json.encoder import encode_basestring as _str  # C-accelerated JSON string literal
from pathlib import Path
from typing import Any, Iterator

import numpy as np

from auditor.formats.document import header, rejected_rows
from auditor.model import AuditResult, FindingColumns, FindingGroup, FindingIdentity, InventoryTable, report_order
from auditor.output import create_file


def _dump(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _pretty(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, indent=1)


class JsonFormat:
    name = "json"
    filename = "report.json"

    def write(self, result: AuditResult, out_dir: Path) -> Path:
        path = Path(out_dir) / self.filename
        head = header(result)
        groups = GroupTable(result)
        head["rules"] = rules_table(result)
        head["groups"] = None  # written below, one compact object per line
        with create_file(path, "wb") as f:
            f.write(b"{\n")
            for key in sorted(head):
                if key == "groups":
                    text = '"groups": [' + ",".join("\n" + g for g in groups.lines) + ("\n]" if groups.lines else "]")
                    f.write((text + ",\n").encode())
                else:
                    f.write(f"{json.dumps(key)}: {_pretty(head[key])},\n".encode())
            f.write(b'"findings": [')
            written = 0
            for chunk in finding_chunks(result, groups):
                # Every finding comes as ",\n{...}"; the very first drops its comma.
                f.write(chunk[1:] if not written else chunk)
                written += 1
            f.write(b"\n],\n" if written else b"],\n")
            f.write(f'"rejected_rows": {_pretty(rejected_rows(result))}\n'.encode())
            f.write(b"}\n")
        return path


def rules_table(result: AuditResult) -> dict[str, dict[str, Any]]:
    """Every rule of the audit with what its findings used to repeat: kind, title, references."""
    return {
        r.id: {"kind": r.kind.value, "title": r.title, "references": [ref.as_json() for ref in r.references]}
        for r in sorted(result.rules, key=lambda r: r.id)
    }


class GroupTable:
    """The `groups` of report.json: one entry per (finding group, evidence as merged for a rig).

    Most groups have one evidence object; rules that add per-rig evidence (a duty on each
    rig's declared value) have one entry per distinct addition. Entries are in report order
    (severity, rule id), a group's own evidence first and its additions by their JSON.
    """

    def __init__(self, result: AuditResult):
        self.lines: list[str] = []
        self.index: dict[tuple[int, str], int] = {}
        for g in sorted(result.groups, key=report_order):
            identity = FindingIdentity(g)
            # The group's own evidence, unless every rig adds to it.
            merged = {identity.group_evidence_json} if len(g.row_evidence or ()) < len(g.rows) else set()
            if g.row_evidence:
                seen: set[int] = set()
                for row, extra in g.row_evidence.items():
                    if id(extra) not in seen:
                        seen.add(id(extra))
                        merged.add(identity.evidence(row)[1])
            for ev_json in sorted(merged, key=lambda e: (e != identity.group_evidence_json, e)):
                self.index[(id(g), ev_json)] = len(self.lines)
                self.lines.append(self._line(g, ev_json))

    @staticmethod
    def _line(g: FindingGroup, ev_json: str) -> str:
        return (f'{{"evidence":{ev_json},"message":{_str(g.message)},"rule_id":{_str(g.rule.id)},'
                f'"severity":"{g.effective_severity.label}"}}')


#: Findings formatted together in one columnar step (bounded memory for any fleet size).
CHUNK = 100_000
# Text JSON writes as it is between quotes: printable ASCII without '"' and '\'.
_NO_ESCAPES = r'^[ !#-\[\]-~]*$'


def finding_chunks(result: AuditResult, groups: GroupTable) -> Iterator[bytes]:
    """The findings array's content in report order, as UTF-8 chunks of ",\n{finding}" items.

    The common case of a big fleet (no waivers, no baseline) is built column-wise with pyarrow:
    per finding, Python only computes the fingerprint (and, for rigs with evidence of their
    own, looks up their group entry). With waivers or a baseline `finding_lines` formats each.
    """
    files = [_str(s) for s in result.table.sources]
    plain = not result.waivers and result.baseline is None and not result.waiver_notes()
    for block in result.finding_blocks():
        c = result.finding_columns(block)
        if plain:
            for lo in range(0, len(c.rows), CHUNK):
                yield _columnar_chunk(c, lo, min(len(c.rows), lo + CHUNK), groups, files, result.table)
        else:
            lines = finding_lines(result, c, groups, files)
            while True:
                batch = [line for _, line in zip(range(CHUNK // 10), lines)]
                if not batch:
                    break
                yield ("".join(",\n" + line for line in batch)).encode()


def line_texts(table: InventoryTable, rows: list[int], lines: list[int]) -> list[str] | None:
    """The asset's `"line"` value as JSON text, followed for a rejected row screened all the same
    (engine/rejected.py) by its `"rejected"` key (the reason); None when no row is one (the
    common case: the lines are written as numbers)."""
    start = table.rejected_from
    if start is None or not any(r >= start for r in rows):
        return None
    out = []
    for row, line in zip(rows, lines):
        reason = table.rejected_reason(row)
        out.append(str(line) if reason is None else f'{line},"rejected":{_str(reason)}')
    return out


def _columnar_chunk(c: FindingColumns, lo: int, hi: int, groups: GroupTable, files: list[str],
                    table: InventoryTable) -> bytes:
    import pyarrow as pa
    import pyarrow.compute as pc

    keys, serials, gis = c.keys[lo:hi], c.serials[lo:hi], c.group_index[lo:hi]
    fps, evidence = c.fingerprints(lo, hi)
    if evidence is not None:
        # Rigs that add to their group's evidence (a duty on each declared value) have their
        # own entry in `groups`, looked up per rig.
        entries = pa.array([groups.index[(id(c.groups[g]), e)] for g, e in zip(gis, evidence)], type=pa.int64())
        group_part = pc.binary_join_element_wise('","group":', entries.cast(pa.string()), "")
    else:
        entry = [groups.index[(id(g), identity.shared[1])] for g, identity in zip(c.groups, c.identities)]
        group_part = pa.array([f'","group":{e}' for e in entry], type=pa.string()).take(pa.array(gis, type=pa.int32()))
    tails = [f',"rule_id":{_str(g.rule.id)},"severity":"{g.effective_severity.label}","status":"open"}}' for g in c.groups]
    key_arr = pa.array(keys, type=pa.string())
    if pc.all(pc.match_substring_regex(key_arr, _NO_ESCAPES)).as_py():
        key_json = pc.binary_join_element_wise('"', key_arr, '"', "")  # nothing to escape: quoted as is
    else:
        key_json = pa.array([_str(k) for k in keys], type=pa.string())
    if serials == keys:  # every rig has a serial, which is its key
        serial_json = key_json
    else:
        serial_json = pa.array([_str(s) if s is not None else "null" for s in serials], type=pa.string())
    texts = line_texts(table, c.rows[lo:hi], c.lines[lo:hi])
    line_arr = (pa.array(c.lines[lo:hi], type=pa.int64()).cast(pa.string()) if texts is None
                else pa.array(texts, type=pa.string()))
    joined = pc.binary_join_element_wise(
        ',\n{"asset":{"file":', pa.array(files).take(pa.array(c.sources[lo:hi], type=pa.int32())),
        ',"key":', key_json,
        ',"line":', line_arr,
        ',"serial":', serial_json,
        '},"fingerprint":"', pa.array(fps, type=pa.string()), group_part,
        pa.array(tails, type=pa.string()).take(pa.array(gis, type=pa.int32())),
        "",  # the separator between the parts above
    )
    return string_array_bytes(joined)


def string_array_bytes(arr: Any) -> bytes:
    """The UTF-8 text of a pyarrow string array's values, one after the other, copied once."""
    offsets = np.frombuffer(arr.buffers()[1], dtype=np.int32)[arr.offset:arr.offset + len(arr) + 1]
    return bytes(memoryview(arr.buffers()[2])[offsets[0]:offsets[-1]])


def finding_lines(result: AuditResult, c: FindingColumns, groups: GroupTable, files: list[str]) -> Iterator[str]:
    """One compact, key-sorted JSON object per finding of `c`, one %-format of a per-group template each."""
    waivers, baseline = result.waivers, result.baseline
    notes = result.waiver_notes()
    templates = [
        '{"asset":{"file":%s,"key":%s,"line":%s,"serial":%s}%s,"fingerprint":"%s","group":%d'
        + f',"rule_id":{_str(g.rule.id)},"severity":"{g.effective_severity.label}"'.replace("%", "%%")
        + ',"status":"%s"%s%s}'  # waiver, waiver_note (sorted keys: "waiver" < "waiver_note")
        for g in c.groups
    ]
    texts = line_texts(result.table, c.rows, c.lines) or c.lines
    for row, gi, line, src, key, serial in zip(c.rows, c.group_index, texts, c.sources, c.keys, c.serials):
        _, ev_json, fp_of = c.identities[gi].evidence(row)
        fp = fp_of(key)
        waiver = waivers.get(fp) if waivers else None
        yield templates[gi] % (
            files[src], _str(key), line, _str(serial) if serial is not None else "null",
            f',"baseline_state":{_str(baseline.get(fp, "new"))}' if baseline is not None else "",
            fp, groups.index[(id(c.groups[gi]), ev_json)],
            "waived" if waiver is not None else "open",
            f',"waiver":{_dump(dict(waiver))}' if waiver is not None else "",
            f',"waiver_note":{_str(notes[fp])}' if notes and fp in notes else "",
        )


FORMAT = JsonFormat()
