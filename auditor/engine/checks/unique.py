"""`check = "unique"`: rows sharing a non-empty value that should be unique ([unique] table).

Duplicate serials across an inventory are a real cloning / fraud signal (no vendor publishes a
serial format, so serials are compared as opaque strings).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from auditor.engine.checks.base import EvalContext, Where
from auditor.engine.render import render
from auditor.model import CANONICAL_COLUMNS, FindingGroup, InventoryTable, Rule

MAX_LINES_IN_MESSAGE = 20


@dataclass(frozen=True)
class UniqueConfig:
    field: str
    ignore_case: bool


class UniqueCheck:
    name = "unique"
    table = "unique"
    kinds = frozenset({"data_quality"})
    message_vars = frozenset({"value", "count", "locations"})

    def parse(self, spec: Any, where: Where) -> UniqueConfig:
        if not isinstance(spec, dict):
            raise where.error("[unique] must be a table")
        unknown = sorted(set(spec) - {"field", "ignore_case"})
        if unknown:
            raise where.error(f"[unique] unknown key {unknown[0]!r}", unknown[0], "unique")
        field = spec.get("field")
        if field not in CANONICAL_COLUMNS:
            raise where.error(f"[unique] field must be a canonical column, got {field!r}", "field", "unique")
        ic = spec.get("ignore_case", False)
        if not isinstance(ic, bool):
            raise where.error("[unique] ignore_case must be true or false", "ignore_case", "unique")
        return UniqueConfig(field, ic)

    def fields(self, config: UniqueConfig) -> tuple[str, ...]:
        return (config.field,)

    def needs(self, config: UniqueConfig) -> tuple[frozenset[str], ...]:
        return (frozenset({config.field}),)

    def evaluate(self, rule: Rule, table: InventoryTable, ctx: EvalContext) -> list[FindingGroup]:
        cfg: UniqueConfig = rule.check
        col = table.columns[cfg.field]
        codes = col.codes
        if cfg.ignore_case:
            codes = casefold_codes(col.values)[codes]
        else:
            codes = codes.astype(np.int64)
        present = np.nonzero(codes != 0)[0]
        if len(present) == 0:
            return []
        counts = np.bincount(codes[present])
        dup_codes = np.nonzero(counts > 1)[0]
        if len(dup_codes) == 0:
            return []
        is_dup = np.zeros(len(counts), dtype=bool)
        is_dup[dup_codes] = True
        dup_rows = present[is_dup[codes[present]]]
        order = np.argsort(codes[dup_rows], kind="stable")
        dup_rows = dup_rows[order]
        bounds = np.flatnonzero(np.diff(codes[dup_rows])) + 1
        groups = []
        for rows in np.split(dup_rows, bounds):
            rows = np.sort(rows)
            value = col.values[codes[rows[0]]]
            locs = [f"{table.sources[table.source_index[r]]}:{table.lines[r]}" for r in rows[:MAX_LINES_IN_MESSAGE]]
            more = len(rows) - len(locs)
            locations = ", ".join(locs) + (f" and {more} more" if more > 0 else "")
            msg = render(rule.message, {"value": value, "count": len(rows), "locations": locations})
            evidence = {"field": cfg.field, "value": value, "occurrences": int(len(rows))}
            groups.append(FindingGroup(rule, rows, msg, evidence))
        groups.sort(key=lambda g: int(g.rows[0]))
        return groups


def casefold_codes(values: list[Any]) -> np.ndarray:
    """remap[code] = the first code whose value case-folds to the same text; 0 for None.

    Serials and MACs are near-unique: a million distinct values. ASCII text (case-folded is
    lower-cased there) is done in bulk with pyarrow: its dictionary encoding numbers folded
    values in first-seen order, so the first code of each is where a new number appears.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        text = pa.array(values, type=pa.string())
        ascii_only = pc.all(pc.string_is_ascii(text)).as_py() is not False
    except (pa.ArrowInvalid, pa.ArrowTypeError):  # a value that is not text
        ascii_only = False
    if not ascii_only:
        canon: dict[str, int] = {}
        remap = np.zeros(len(values), dtype=np.int64)
        for code, v in enumerate(values):
            if v is not None:
                remap[code] = canon.setdefault(str(v).casefold(), code)
        return remap
    encoded = pc.dictionary_encode(pc.ascii_lower(text))
    idx = encoded.indices.fill_null(-1).to_numpy().astype(np.int64)
    seen_before = np.maximum.accumulate(np.concatenate(([-1], idx[:-1]))) if len(idx) else idx
    first = np.flatnonzero(idx > seen_before)  # first code of folded value 0, 1, 2, …
    return np.where(idx >= 0, first[np.maximum(idx, 0)] if len(first) else 0, 0)


CHECK = UniqueCheck()
