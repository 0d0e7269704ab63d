"""Loading rule files: one TOML file per rule, strictly validated.

Every mistake is a RuleError naming the file and, where it can be found, the line:
unknown keys, bad operators, malformed dates, an id that differs from the file name.
"""

from __future__ import annotations

import hashlib
import tomllib
from datetime import date
from pathlib import Path
from typing import Any, Iterable

from auditor.engine import checks
from auditor.engine.checks.base import RuleError, Where
from auditor.engine.conditions import parse_condition
from auditor.engine.render import placeholders
from auditor.model import CANONICAL_COLUMNS, Kind, Reference, Rule, RuleTest, Severity

COMMON_KEYS = {
    "id", "title", "severity", "kind", "check", "confidence", "version", "message",
    "remediation", "references", "effective", "scope", "tests",
}
REQUIRED = ("id", "title", "severity", "kind", "check", "confidence", "message", "references")
TEST_KEYS = {"name", "expect", "as_of", "row", "rows"}
EXPECTATIONS = {"fail", "pass", "not_applicable"}
CONFIDENCE = {"P", "R", "U"}


def bundled_rules_dir() -> Path:
    """rules/ inside the installed wheel, or at the repository root in a checkout."""
    from auditor.shipped import shipped_dir

    return shipped_dir("rules", "rules")


def rule_files(dirs: Iterable[Path]) -> list[Path]:
    files: list[Path] = []
    for d in dirs:
        d = Path(d)
        if d.is_file() and d.suffix == ".toml":
            files.append(d)
        elif d.is_dir():
            files.extend(sorted(p for p in d.rglob("*.toml") if p.is_file()))
        else:
            raise RuleError(str(d), None, "no such rules directory or file")
    return files


def load_rules(dirs: Iterable[Path] | None = None) -> list[Rule]:
    """Every rule under `dirs` (default: the bundled pack), sorted by id; ids must be unique."""
    dirs = list(dirs) if dirs else [bundled_rules_dir()]
    rules: dict[str, Rule] = {}
    files = rule_files(dirs)
    if not files:
        # An audit with no rules would look clean: that is a configuration error.
        raise RuleError(", ".join(str(d) for d in dirs), None, "no rule files (*.toml) found")
    for path in files:
        rule = load_rule(path)
        if rule.id in rules:
            raise RuleError(str(path), 1, f"rule id {rule.id!r} is also defined in {rules[rule.id].path}")
        rules[rule.id] = rule
    return [rules[k] for k in sorted(rules)]


def load_rule(path: Path) -> Rule:
    raw = Path(path).read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise RuleError(str(path), None, f"not UTF-8 text (byte {exc.start})") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        # tomllib's message ends with "(at line L, column C)": lift the line into the prefix.
        import re

        m = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        line = int(m.group(1)) if m else None
        raise RuleError(str(path), line, f"invalid TOML: {exc}") from None
    return parse_rule(data, Where(str(path), text), hashlib.sha256(raw).hexdigest())


def parse_rule(data: dict[str, Any], where: Where, sha256: str = "") -> Rule:
    path = where.path
    check_name = data.get("check")
    check = checks.get(check_name) if isinstance(check_name, str) else None
    if check_name is not None and check is None:
        raise where.error(f"unknown check {check_name!r} (expected one of: {', '.join(checks.names())})", "check")
    allowed = COMMON_KEYS | ({check.table} if check else set())
    for key in data:
        if key not in allowed:
            raise where.error(f"unknown key {key!r}", key)
    for key in REQUIRED:
        if key not in data:
            why = " (P primary, R reported, U uncertain: every rule states how sure its facts are)" if key == "confidence" else ""
            raise RuleError(path, None, f"missing required key {key!r}{why}")
    if "effective" not in data:
        # Law has a start date: a rule without its window would apply to audits dated before
        # the law existed. A rule whose basis has no start date says why in `undated`.
        raise RuleError(path, None, "missing [effective] table: give from = YYYY-MM-DD (the day the law took "
                                    "effect) or, when the rule rests on no dated law, undated = \"why\"")
    if check.table not in data:
        raise RuleError(path, None, f"check {check_name!r} needs a [{check.table}] table")

    rule_id = _string(data, "id", where)
    stem = Path(path).stem
    if rule_id != stem and not path.startswith("<"):
        raise where.error(f"id {rule_id!r} must equal the file name {stem!r}", "id")
    try:
        severity = Severity.parse(_string(data, "severity", where))
    except ValueError as exc:
        raise where.error(str(exc), "severity") from None
    try:
        kind = Kind(_string(data, "kind", where))
    except ValueError:
        raise where.error(
            f"unknown kind {data['kind']!r} (expected one of: {', '.join(k.value for k in Kind)})", "kind"
        ) from None
    if kind.value not in check.kinds:
        raise where.error(f"check {check_name!r} cannot produce {kind.value!r} findings", "kind")
    confidence = data["confidence"]
    if confidence not in CONFIDENCE:
        raise where.error("confidence must be P (primary), R (reported) or U (uncertain)", "confidence")
    if confidence == "U" and severity > Severity.INFO:
        raise where.error("a rule resting on uncertain (U) facts may not raise findings above info", "severity")
    version = data.get("version", 1)
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise where.error("version must be a positive integer", "version")

    message = _string(data, "message", where)
    try:
        names = placeholders(message)
    except ValueError as exc:
        raise where.error(f"message template: {exc}", "message") from None
    allowed_vars = set(getattr(check, "message_vars", ())) | (
        set(CANONICAL_COLUMNS) if check.name == "condition" else set()
    )
    bad = sorted(names - allowed_vars)
    if bad:
        raise where.error(
            f"message uses unknown placeholder {{{bad[0]}}} (allowed: {', '.join(sorted(allowed_vars))})", "message"
        )

    references = _references(data.get("references"), where)
    eff_from, eff_until = _effective(data.get("effective"), where)
    config = check.parse(data[check.table], where)
    scope = parse_condition(data["scope"], where, "scope") if "scope" in data else None
    tests = _tests(data.get("tests", []), where)
    return Rule(
        id=rule_id,
        title=_string(data, "title", where),
        severity=severity,
        kind=kind,
        check_kind=check.name,
        check=config,
        message=message,
        references=references,
        remediation=str(data.get("remediation", "")),
        effective_from=eff_from,
        effective_until=eff_until,
        tests=tests,
        version=version,
        sha256=sha256,
        path=path,
        confidence=confidence,
        scope=scope,
    )


def _string(data: dict, key: str, where: Where) -> str:
    v = data.get(key)
    if not isinstance(v, str) or not v.strip():
        raise where.error(f"{key} must be a non-empty string", key)
    return v


def _references(refs: Any, where: Where) -> tuple[Reference, ...]:
    if not isinstance(refs, list) or not refs:
        raise where.error("references must be a non-empty list of { title, url } (every rule cites its source)", "references")
    out = []
    for r in refs:
        if isinstance(r, str):
            out.append(Reference(r))
        elif isinstance(r, dict) and isinstance(r.get("title"), str) and set(r) <= {"title", "url"}:
            url = r.get("url")
            if url is not None and not isinstance(url, str):
                raise where.error("reference url must be a string", "url")
            out.append(Reference(r["title"], url))
        else:
            raise where.error(f"malformed reference {r!r}: expected {{ title = \"…\", url = \"…\" }}", "references")
    return tuple(out)


def _date(value: Any, where: Where, key: str, after: str | None = None) -> date:
    if isinstance(value, date) and not hasattr(value, "hour"):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise where.error(f"{key}: malformed date {value!r} (expected YYYY-MM-DD)", key, after)


def _effective(eff: Any, where: Where) -> tuple[date | None, date | None]:
    if eff is None:
        return None, None
    if not isinstance(eff, dict):
        raise where.error("[effective] must be a table with from / until", "effective")
    for key in eff:
        if key not in ("from", "until", "undated"):
            raise where.error(f"[effective] unknown key {key!r} (expected from, until or undated)", key, "effective")
    if "undated" in eff:
        if not isinstance(eff["undated"], str) or not eff["undated"].strip():
            raise where.error("[effective] undated must say why the rule has no start date", "undated", "effective")
        if "from" in eff:
            raise where.error("[effective] give either from or undated, not both", "undated", "effective")
    elif "from" not in eff:
        raise where.error("[effective] needs from = YYYY-MM-DD, or undated = \"why\"", next(iter(eff), "effective"),
                          "effective")
    start = _date(eff["from"], where, "from", "effective") if "from" in eff else None
    until = _date(eff["until"], where, "until", "effective") if "until" in eff else None
    if start and until and until <= start:
        raise where.error("[effective] until must be after from", "until", "effective")
    return start, until


def _tests(tests: Any, where: Where) -> tuple[RuleTest, ...]:
    if not isinstance(tests, list):
        raise where.error("tests must be an array of tables ([[tests]])", "tests")
    out = []
    for i, t in enumerate(tests, 1):
        if not isinstance(t, dict):
            raise where.error(f"test #{i} must be a table", "tests")
        for key in t:
            if key not in TEST_KEYS:
                raise where.error(f"test #{i}: unknown key {key!r}", key, "tests")
        expect = t.get("expect")
        if expect not in EXPECTATIONS:
            raise where.error(f"test #{i}: expect must be one of {sorted(EXPECTATIONS)}", "expect", "tests")
        if ("row" in t) == ("rows" in t):
            raise where.error(f"test #{i}: give exactly one of row = {{…}} or rows = [{{…}}, …]", "expect", "tests")
        rows = [t["row"]] if "row" in t else t["rows"]
        if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
            raise where.error(f"test #{i}: rows must be tables", "rows", "tests")
        for r in rows:
            for col in r:
                if col not in CANONICAL_COLUMNS:
                    raise where.error(f"test #{i}: unknown column {col!r}", col, "tests")
        as_of = _date(t["as_of"], where, "as_of", "tests") if "as_of" in t else None
        out.append(RuleTest(name=str(t.get("name", f"test {i}")), expect=expect, rows=tuple(rows), as_of=as_of))
    return tuple(out)
