"""report.junit.xml: the audit as JUnit XML, for CI test-report viewers (GitLab, Jenkins, GitHub actions).

One <testsuite> per inventory file, one <testcase> per rule in it:
- classname `<file>.<rule id>`, name `[RULE] title`: no severity, because a finding's severity
  is not always the rule's (a screening match takes its list's: an SDN match is CRITICAL under
  a HIGH rule) and a name must not change between builds (CI viewers follow a case by name);
- <failure> when the rule has findings that fail the CI gate (auditor.gate: open, at or above
  --fail-on, new with --fail-on-new-only), its type and message the highest severity among them
  — the failing assets are listed in the body, one line each (`file:line asset (severity) —
  message`), so the test report says exactly what to fix;
- <skipped> when every finding of the rule is waived (the waivers are named), or when the rule
  is not in force on the audit date;
- <error type="not-evaluated"> when a field the rule needs is missing from the file (or
  <skipped> when the officer acknowledged it with --allow-missing): never a silent pass;
- a pass otherwise; findings below the gate are listed in <system-out> so nothing is hidden,
  and so are the rule's reviewed screening decisions (cleared matches, decisions not applied).
Plus, per file: one `[AUDIT] every row read and audited` test case that lists rejected rows and
the run's warnings, and is an <error> when the audit is INCOMPLETE (exit 3), a <failure> when rows
were rejected without --strict (the exit code unchanged); and, when names were
screened, one `[AUDIT] names screened against the official lists` case naming the lists, <skipped>
with the reason when an expected official list was not imported or a list dates from after the
audit (the exit code is not changed by either). Deterministic: no timestamps, `time="0"`.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import defaultdict
from pathlib import Path

from auditor.formats.document import list_coverage
from auditor.gate import Gate
from auditor.model import AuditResult, Finding, Severity
from auditor.output import write_text

# Bodies list at most this many assets per test case; report.json has them all.
MAX_LISTED = 500
# Characters XML 1.0 cannot carry at all (even escaped).
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _x(text: object) -> str:
    return _XML_INVALID.sub("\ufffd", str(text))


def _line(f: Finding) -> str:
    state = f" [{f.baseline_state}]" if f.baseline_state else ""
    rejected = f" [row rejected from the audit: {f.rejected}; its names screened]" if f.rejected is not None else ""
    return f"{f.source}:{f.line} {f.asset_key} ({f.severity.label}){state}{rejected} — {f.message}"


def _body(lines: list[str], total: int) -> str:
    text = "\n".join(lines)
    if total > len(lines):
        text += f"\n… and {total - len(lines)} more (see report.json)"
    return _x(text)


class _Bucket:
    """What one rule found in one file, split by how the gate treats it."""

    __slots__ = ("failing", "other", "waived", "n_failing", "n_other", "n_waived", "waiver_ids", "failing_severity")

    def __init__(self):
        self.failing: list[str] = []
        self.other: list[str] = []
        self.waived: list[str] = []
        self.n_failing = self.n_other = self.n_waived = 0
        self.waiver_ids: set[str] = set()
        self.failing_severity: Severity | None = None  # the highest of the failing findings

    def add(self, f: Finding, gate: Gate) -> None:
        if f.status == "waived":
            self.n_waived += 1
            wid = (f.waiver or {}).get("id")
            if wid:
                self.waiver_ids.add(str(wid))
            if len(self.waived) < MAX_LISTED:
                self.waived.append(_line(f))
        elif gate.counts(f):
            self.n_failing += 1
            self.failing_severity = max(self.failing_severity or f.severity, f.severity)
            if len(self.failing) < MAX_LISTED:
                self.failing.append(_line(f))
        else:
            self.n_other += 1
            if len(self.other) < MAX_LISTED:
                self.other.append(_line(f))


class JunitFormat:
    name = "junit"
    filename = "report.junit.xml"

    def write(self, result: AuditResult, out_dir: Path) -> Path:
        path = Path(out_dir) / self.filename
        gate = Gate.of(result)
        buckets: dict[tuple[str, str], _Bucket] = defaultdict(_Bucket)
        for f in result.iter_findings():
            buckets[(f.source, f.rule_id)].add(f, gate)
        rejected_by_file = defaultdict(list)
        for r in sorted(result.rejected, key=lambda r: (r.source, r.line)):
            rejected_by_file[r.source].append(r)

        root = ET.Element("testsuites", name="auditor")
        totals = dict(tests=0, failures=0, errors=0, skipped=0)
        rules = sorted(result.rules, key=lambda r: r.id)
        cleared = _cleared_lines(result)
        gaps = {(g.source, c.rule_id): g for c in result.coverage for g in c.gaps}
        not_applicable = {c.rule_id: c.detail for c in result.coverage if c.status == "not_applicable"}
        sources = [s.path for s in result.inventory]
        # Findings may also sit on a device snapshot's lines (audit --devices): its own suite.
        sources += [s for s in result.table.sources if s not in sources]
        for source in sources:
            suite = ET.SubElement(root, "testsuite", name=_x(f"auditor: {source}"))
            counts = dict(tests=0, failures=0, errors=0, skipped=0)
            props = ET.SubElement(suite, "properties")
            ET.SubElement(props, "property", name="as_of", value=result.as_of.isoformat())
            ET.SubElement(props, "property", name="gate", value=gate.describe())
            ET.SubElement(props, "property", name="tool_version", value=_x(result.tool_version))

            if any(s.path == source for s in result.inventory):
                counts["tests"] += 1
                self._input_case(suite, source, rejected_by_file.get(source, []), result, counts)
                self._lists_case(suite, source, result, counts)
            for rule in rules:
                counts["tests"] += 1
                case = ET.SubElement(
                    suite, "testcase",
                    classname=_x(f"{source}.{rule.id}"),
                    name=_x(f"[{rule.id}] {rule.title}"),
                    time="0",
                )
                b = buckets.get((source, rule.id))
                if not rule.in_force(result.as_of):
                    counts["skipped"] += 1
                    ET.SubElement(case, "skipped", message=f"rule not in force on {result.as_of.isoformat()}")
                    continue
                if rule.id in not_applicable:  # it judged nothing: never a pass
                    counts["skipped"] += 1
                    ET.SubElement(case, "skipped", message=_x(f"rule does not apply: {not_applicable[rule.id]}"))
                    continue
                gap = gaps.get((source, rule.id))
                if gap is not None:  # the rule could not judge this file: never a pass
                    text = _x(f"rule not evaluated: {gap.text()}")
                    if gap.acknowledged:
                        counts["skipped"] += 1
                        ET.SubElement(case, "skipped", message=text + " (acknowledged)")
                    else:
                        counts["errors"] += 1
                        ET.SubElement(case, "error", message=text, type="not-evaluated").text = _x(
                            f"{gap.rows} row(s) of {source} were not judged by {rule.id}: "
                            f"{' or '.join(gap.fields)}: {gap.why}. Map the column (--map \"Header={gap.fields[0]}\") "
                            f"or acknowledge it (--allow-missing {gap.fields[0]}).")
                    continue
                decisions = cleared.get(rule.id, [])
                if b is None:
                    if decisions:  # no findings, but the reviewed decisions stay visible
                        ET.SubElement(case, "system-out").text = _x("\n".join(decisions))
                    continue  # no findings: the rule passes
                if b.n_failing:
                    counts["failures"] += 1
                    worst = b.failing_severity or rule.severity
                    fail = ET.SubElement(
                        case, "failure",
                        message=f"{worst.label.upper()}: {b.n_failing} finding(s) fail the gate ({gate.describe()})",
                        type=worst.label,
                    )
                    fail.text = _body(b.failing, b.n_failing)
                elif b.n_waived and not b.n_other:
                    counts["skipped"] += 1
                    ids = ", ".join(sorted(b.waiver_ids)) or "waiver"
                    skip = ET.SubElement(case, "skipped", message=_x(f"{b.n_waived} finding(s) waived ({ids})"))
                    skip.text = _body(b.waived, b.n_waived)
                out = []
                if b.n_other:
                    out.append(f"{b.n_other} finding(s) below the gate ({gate.describe()}):")
                    out.append(_body(b.other, b.n_other))
                if b.n_waived and (b.n_failing or b.n_other):
                    out.append(f"{b.n_waived} waived finding(s):")
                    out.append(_body(b.waived, b.n_waived))
                out.extend(decisions)
                if out:
                    ET.SubElement(case, "system-out").text = _x("\n".join(out))
            for k, v in counts.items():
                suite.set(k, str(v))
                totals[k] += v
            suite.set("time", "0")
        for k, v in totals.items():
            root.set(k, str(v))
        root.set("time", "0")
        ET.indent(root, space=" ")
        data = ET.tostring(root, encoding="unicode", xml_declaration=False)
        write_text(path, '<?xml version="1.0" encoding="UTF-8"?>\n' + data + "\n")
        return path

    @staticmethod
    def _input_case(suite, source: str, rejected, result: AuditResult, counts: dict) -> None:
        info = next(s for s in result.inventory if s.path == source)
        # The name is stable across runs (CI viewers track a test case by name over time); the
        # counts, which change with every inventory, go into the case's output.
        case = ET.SubElement(
            suite, "testcase", classname=_x(f"{source}.input"), name="[AUDIT] every row read and audited",
            time="0",
        )
        tally = f"{info.rows_read} rows read, {info.rows_audited} audited, {info.rows_rejected} rejected"
        lines = [f"{r.source}:{r.line} row not audited: {r.reason}" + r.screened_note() for r in rejected[:MAX_LISTED]]
        if not result.complete:
            counts["errors"] += 1
            err = ET.SubElement(case, "error", message="audit INCOMPLETE: " + _x("; ".join(result.incomplete_reasons)),
                                type="incomplete")
            err.text = _body(lines, len(rejected)) if lines else _x("\n".join(result.incomplete_reasons))
        elif rejected:
            # Without --strict the audit is complete and its exit code unchanged, but this case
            # says every row was audited: rows that were not (a listed supplier among them,
            # perhaps) fail it, where a CI viewer shows them, instead of passing in silence.
            counts["failures"] += 1
            n = len(rejected)
            failure = ET.SubElement(case, "failure", type="rows-rejected",
                                    message=f"{n:,} row{'s' if n != 1 else ''} rejected, not audited "
                                            "(--strict makes the audit INCOMPLETE)")
            failure.text = _body(lines, n)
        warnings = [f"warning: {w}" for w in sorted(result.warnings)]
        ET.SubElement(case, "system-out").text = _x("\n".join([tally, *warnings])) + (
            "\n" + _body(lines, len(rejected)) if lines else "")

    @staticmethod
    def _lists_case(suite, source: str, result: AuditResult, counts: dict) -> None:
        """Which official lists the names were screened against. An expected list not imported
        is <skipped> with the reason: CI viewers show it, where a passing case's output is hidden;
        not a failure, since the gate (and the exit code) did not fail."""
        coverage = list_coverage(result)
        if coverage is None:
            return  # no rule screened names
        counts["tests"] += 1
        case = ET.SubElement(suite, "testcase", classname=_x(f"{source}.screening-lists"),
                             name="[AUDIT] names screened against the official lists", time="0")
        # A list dated after the audit (delisted parties missing) is a caveat on the same screening.
        caveats = [note] if (note := coverage.note()) else []
        caveats += [w for w in sorted(result.warnings) if w.startswith("list ") and w != note]
        if caveats:
            counts["skipped"] += 1
            ET.SubElement(case, "skipped", message=_x("screening: " + "; ".join(caveats)))
        ET.SubElement(case, "system-out").text = _x(f"official lists screened: {coverage.screened()}"
                                                    + (f"; absent: {coverage.absent_names()}" if coverage.absent else ""))


def _cleared_lines(result: AuditResult) -> dict[str, list[str]]:
    """Per rule: the reviewed screening decisions (docs/CLEARED.md), those that cleared a match
    and those that did not apply, one line each, for the rule's test case output."""
    out: dict[str, list[str]] = defaultdict(list)
    for c in result.cleared_matches:
        out[c.rule_id].append(
            f"cleared screening match: {c.field} {c.value!r} against {c.listed_name!r} ({c.list}, #{c.entity_id}), "
            f"score {c.score:.2f}, {c.rigs} rig(s): {c.reviewer}, {c.decided}, review by {c.review_by}: {c.justification}")
    for n in result.clearances_not_applied:
        out[str(n["rule_id"])].append(
            f"cleared decision not applied: {n['field']} {n['value']!r} against {n['listed_name']!r} ({n['list']}, "
            f"#{n['entity_id']}), {n['rigs']} rig(s): {n['note']}")
    return out


FORMAT = JunitFormat()
