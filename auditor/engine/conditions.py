"""Declarative conditions: parsed once from TOML into small callable trees (no eval).

Grammar (rules/README.md): `all` / `any` / `not`, or `field` plus exactly one operator.
An operand is a literal, "$as_of", or `{ field = "other" }`. A comparison involving a
missing value is false; `exists` is the way to test for missing data.
"""

from __future__ import annotations

import operator
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, Callable, Mapping

import numpy as np

from auditor.engine.checks.base import Where
from auditor.engine.safe_regex import RegexError, compile_pattern
from auditor.model import CANONICAL_COLUMNS, InventoryTable

Row = Mapping[str, Any]

STRING_OPS = {"eq", "ne", "in", "not_in", "startswith", "regex"}
ORDER_OPS = {"lt", "le", "gt", "ge"}
VERSION_OPS = {"version_lt", "version_le", "version_gt", "version_ge"}
OPERATORS = STRING_OPS | ORDER_OPS | VERSION_OPS | {"exists", "column"}
MODIFIERS = {"ignore_case"}


@dataclass(frozen=True)
class Condition:
    fn: Callable[[Row, date], bool]
    fields: frozenset[str]
    text: str  # human-readable form, for explanations and `rules list`
    # How to evaluate on a whole table: ("leaf",) or ("all"|"any", subs) or ("not", sub).
    shape: tuple[Any, ...] = ("leaf",)
    # A leaf's verdict on many distinct values at once (`exists`; `regex` with RE2 over an Arrow
    # array), or None; it returns None for values it cannot take in bulk.
    bulk: Callable[[list[Any]], np.ndarray | None] | None = None

    def __call__(self, row: Row, as_of: date) -> bool:
        return self.fn(row, as_of)

    def mask(self, table: InventoryTable, as_of: date) -> np.ndarray:
        """Boolean verdict per row of an InventoryTable, computed on distinct values.

        A leaf on one column is evaluated once per distinct value of that column and
        broadcast through the dictionary codes; a leaf comparing two columns once per
        distinct pair; all/any/not combine the masks with numpy.
        """
        kind = self.shape[0]
        if kind == "all":
            out = np.ones(len(table), dtype=bool)
            for sub in self.shape[1]:
                out &= sub.mask(table, as_of)
            return out
        if kind == "any":
            out = np.zeros(len(table), dtype=bool)
            for sub in self.shape[1]:
                out |= sub.mask(table, as_of)
            return out
        if kind == "not":
            inverted: np.ndarray = ~self.shape[1].mask(table, as_of)
            return inverted
        if self.shape[1:2] == ("column",):
            # Whether the row's *file* has the column at all (a property of the file, not the cell).
            _, _, name, wanted = self.shape
            present = np.array([table.has_column(s, name) for s in range(len(table.sources))], dtype=bool)
            by_row: np.ndarray = (present[table.source_index] if len(table) else np.zeros(0, bool)) == wanted
            return by_row
        if len(self.fields) == 1:
            (name,) = self.fields
            col = table.columns[name]
            bulk = self.bulk(col.values) if self.bulk is not None and len(col.values) > BULK_MIN else None
            if bulk is not None:
                in_bulk: np.ndarray = bulk[col.codes]
                return in_bulk
            verdict = np.fromiter((self.fn({name: v}, as_of) for v in col.values), dtype=bool, count=len(col.values))
            broadcast: np.ndarray = verdict[col.codes]
            return broadcast
        from auditor.engine.grouping import group_rows

        columns = sorted(self.fields)
        out = np.zeros(len(table), dtype=bool)
        for values, rows in group_rows(table, columns):
            if self.fn(dict(zip(columns, values)), as_of):
                out[rows] = True
        return out


# Columns with more distinct values than this (serials, MACs) are matched in bulk.
BULK_MIN = 1000


def _bulk_regex(pattern: str, ignore_case: bool) -> Callable[[list[Any]], np.ndarray | None]:
    """`regex` over a column's distinct values with pyarrow's RE2 — the engine and syntax of the
    per-value search (safe_regex.py), without a Python call per serial or MAC."""

    def verdict(values: list[Any]) -> np.ndarray | None:
        if not all(v is None or v.__class__ is str for v in values):
            return None  # dates, amounts: searched as their text, one by one
        import pyarrow as pa
        import pyarrow.compute as pc

        try:
            found = pc.match_substring_regex(pa.array(values, type=pa.string()), pattern, ignore_case=ignore_case)
        except pa.ArrowException:
            return None  # never expected (both are RE2); the per-value search decides then
        out: np.ndarray = found.fill_null(False).to_numpy(zero_copy_only=False)
        return out

    return verdict


def version_key(text: str) -> tuple[tuple[int, int, str], ...]:
    """Dotted-version ordering: '2.10' > '2.9'; numeric parts before alphabetic ones."""
    parts = re.split(r"[.\-_+ ]", str(text).strip().lstrip("vV"))
    key = []
    for p in parts:
        if p.isdigit():
            key.append((0, int(p), ""))
        elif p:
            m = re.match(r"(\d+)(.*)", p)
            key.append((0, int(m.group(1)), m.group(2)) if m else (1, 0, p.lower()))
    return tuple(key)


def parse_condition(spec: Any, where: Where, context: str = "match") -> Condition:
    if not isinstance(spec, dict):
        raise where.error(f"[{context}] a condition must be a table, got {type(spec).__name__}")
    logic = [k for k in ("all", "any", "not") if k in spec]
    if logic:
        if len(spec) != 1:
            extra = sorted(set(spec) - {logic[0]})
            raise where.error(f"[{context}] `{logic[0]}` cannot be combined with {extra}", extra[0])
        key = logic[0]
        if key == "not":
            inner = parse_condition(spec["not"], where, context)
            return Condition(_negation(inner), inner.fields, f"not ({inner.text})", ("not", inner))
        items = spec[key]
        if not isinstance(items, list) or not items:
            raise where.error(f"[{context}] `{key}` needs a non-empty list of conditions", key)
        subs = [parse_condition(s, where, context) for s in items]
        fields: frozenset[str] = frozenset().union(*(s.fields for s in subs))
        joiner = " and " if key == "all" else " or "
        text = joiner.join(f"({s.text})" for s in subs)
        return Condition(_combination(key, subs), fields, text, (key, tuple(subs)))
    leaf = _parse_leaf(spec, where, context)
    op = next(k for k in spec if k in OPERATORS)
    if op == "column":
        return Condition(leaf.fn, leaf.fields, leaf.text, ("leaf", op, spec["field"], spec["column"]))
    return Condition(leaf.fn, leaf.fields, leaf.text, ("leaf", op), bulk=leaf.bulk)


Needs = tuple[frozenset[str], ...]


def condition_needs(cond: Condition) -> Needs:
    """The fields without which `cond` can never hold, as clauses: each clause is satisfied
    when at least one of its fields has data.

    `exists` tests need nothing (they are how a rule asks about missing data). `all` needs
    what each part needs; `any` needs only one of the fields its parts compare (and nothing
    when one part needs nothing); `not` needs what its part compares.
    """
    kind = cond.shape[0]
    if kind == "leaf":
        if len(cond.shape) > 1 and cond.shape[1] in ("exists", "column"):
            return ()
        return tuple(frozenset({f}) for f in sorted(cond.fields))
    if kind == "not":
        return condition_needs(cond.shape[1])
    parts = [condition_needs(sub) for sub in cond.shape[1]]
    if kind == "all":
        out: list[frozenset[str]] = []
        for p in parts:
            out.extend(c for c in p if c not in out)
        return tuple(out)
    if any(not p for p in parts):
        return ()
    return (frozenset().union(*(c for p in parts for c in p)),)


def _negation(inner: Condition) -> Callable[[Row, date], bool]:
    return lambda r, d: not inner(r, d)


def _combination(key: str, subs: list[Condition]) -> Callable[[Row, date], bool]:
    if key == "all":
        return lambda r, d: all(s(r, d) for s in subs)
    return lambda r, d: any(s(r, d) for s in subs)


def _check_field(name: Any, where: Where, context: str) -> str:
    if not isinstance(name, str) or name not in CANONICAL_COLUMNS:
        raise where.error(
            f"[{context}] unknown field {name!r} (expected one of: {', '.join(CANONICAL_COLUMNS)})", "field"
        )
    return name


def _parse_leaf(spec: dict[str, Any], where: Where, context: str) -> Condition:
    if "field" not in spec:
        unknown = sorted(spec)
        raise where.error(
            f"[{context}] a condition needs `field` and an operator, or all/any/not; got keys {unknown}",
            unknown[0] if unknown else None,
        )
    field = _check_field(spec["field"], where, context)
    ops = [k for k in spec if k in OPERATORS]
    unknown = [k for k in spec if k not in OPERATORS and k not in MODIFIERS and k != "field"]
    if unknown:
        raise where.error(
            f"[{context}] unknown operator {unknown[0]!r} (expected one of: {', '.join(sorted(OPERATORS))})",
            unknown[0],
        )
    if len(ops) != 1:
        raise where.error(f"[{context}] condition on {field!r} needs exactly one operator, got {ops or 'none'}", "field")
    op = ops[0]
    operand = spec[op]
    ignore_case = spec.get("ignore_case", False)
    if not isinstance(ignore_case, bool):
        raise where.error(f"[{context}] ignore_case must be true or false", "ignore_case")
    fields = {field}

    # Resolve the operand: literal, "$as_of", or another field.
    other: str | None = None
    if isinstance(operand, dict):
        if set(operand) != {"field"}:
            raise where.error(f"[{context}] operand of {op!r} must be a literal, \"$as_of\" or {{ field = … }}", op)
        other = _check_field(operand["field"], where, context)
        fields.add(other)

    def operand_value(row: Row, as_of: date) -> Any:
        if other is not None:
            return row.get(other)
        if operand == "$as_of":
            return as_of
        return operand

    def fold(v: Any) -> Any:
        return v.casefold() if ignore_case and isinstance(v, str) else v

    text_operand = f"{{field={other}}}" if other else repr(operand)
    text = f"{field} {op} {text_operand}"

    if op == "column":
        if not isinstance(operand, bool):
            raise where.error(f"[{context}] `column` takes true or false", "column")
        # Evaluated on the table only (Condition.mask): whether the row's file has the column.
        return Condition(lambda r, d: operand, frozenset(fields), text)

    if op == "exists":
        if not isinstance(operand, bool):
            raise where.error(f"[{context}] `exists` takes true or false", "exists")
        def present(values: list[Any]) -> np.ndarray:
            found = np.fromiter((v is not None and v != "" for v in values), dtype=bool, count=len(values))
            return found if operand else ~found

        return Condition(lambda r, d: (r.get(field) not in (None, "")) == operand, frozenset(fields), text,
                         bulk=present)

    if op in ("in", "not_in"):
        if not isinstance(operand, list):
            raise where.error(f"[{context}] `{op}` takes a list", op)
        members = frozenset(fold(v) for v in operand)
        if op == "in":
            return Condition(lambda r, d: (v := r.get(field)) is not None and fold(v) in members, frozenset(fields), text)
        return Condition(lambda r, d: (v := r.get(field)) is not None and fold(v) not in members, frozenset(fields), text)

    if op == "startswith":
        prefixes = operand if isinstance(operand, list) else [operand]
        if not all(isinstance(p, str) for p in prefixes):
            raise where.error(f"[{context}] `startswith` takes a string or a list of strings", op)
        pref = tuple(fold(p) for p in prefixes)
        return Condition(
            lambda r, d: isinstance(v := r.get(field), str) and fold(v).startswith(pref), frozenset(fields), text
        )

    if op == "regex":
        if not isinstance(operand, str):
            raise where.error(f"[{context}] `regex` takes a string", op)
        try:
            rx = compile_pattern(operand, ignore_case=ignore_case)
        except RegexError as exc:
            raise where.error(f"[{context}] invalid regex {operand!r}: {exc}", op) from None
        return Condition(
            lambda r, d: (v := r.get(field)) is not None and rx.search(str(v)) is not None, frozenset(fields), text,
            bulk=_bulk_regex(operand, ignore_case),
        )

    if op in ("eq", "ne"):
        def eq(r: Row, d: date) -> bool:
            v, w = r.get(field), operand_value(r, d)
            if v is None or w is None:
                return False
            same = _equal(fold(v), fold(w))
            return same if op == "eq" else not same

        return Condition(eq, frozenset(fields), text)

    if op in ORDER_OPS:
        if other is None and operand != "$as_of" and not isinstance(operand, (int, float, date)):
            raise where.error(f"[{context}] `{op}` compares numbers or dates; got {operand!r}", op)
        cmp = {"lt": operator.lt, "le": operator.le, "gt": operator.gt, "ge": operator.ge}[op]

        def order(r: Row, d: date) -> bool:
            v, w = r.get(field), operand_value(r, d)
            if v is None or w is None:
                return False
            try:
                return bool(cmp(_num(v), _num(w)))
            except TypeError:
                return False

        return Condition(order, frozenset(fields), text)

    # version comparisons
    if other is None and not isinstance(operand, str):
        raise where.error(f"[{context}] `{op}` takes a version string such as \"2.1.0\"", op)
    vcmp = {"version_lt": operator.lt, "version_le": operator.le, "version_gt": operator.gt,
            "version_ge": operator.ge}[op]

    def vorder(r: Row, d: date) -> bool:
        v, w = r.get(field), operand_value(r, d)
        if v in (None, "") or w in (None, ""):
            return False
        return bool(vcmp(version_key(v), version_key(w)))

    return Condition(vorder, frozenset(fields), text)


def _num(v: Any) -> Any:
    if isinstance(v, float):
        return Decimal(str(v))
    if isinstance(v, int) and not isinstance(v, bool):
        return Decimal(v)
    return v


def _equal(a: Any, b: Any) -> bool:
    if isinstance(a, (int, float, Decimal)) and isinstance(b, (int, float, Decimal)):
        return bool(_num(a) == _num(b))
    return bool(a == b)
