"""findings.parquet and rigs.parquet: what an analyst loads into DuckDB, pandas or polars.

A million-rig fleet is a million-row question ("which sites hold CN-origin rigs with open HIGH
findings?"), answered with a query, not by scrolling a report. Two files, both Apache Parquet
written by pyarrow (the reference implementation every data tool reads as-is):

- `findings.parquet`: one row per finding: fingerprint, rule, severity (label and a sortable
  rank), status, asset key, serial, inventory file and physical line, message, evidence as
  canonical JSON (the same bytes the fingerprint hashes), waiver id, baseline state.
- `rigs.parquet`: one row per audited rig: file and line, asset key, every canonical inventory
  column in its typed form (dates as dates, money as decimals, codes as text), the count of
  open findings per severity on that rig, and its estimated US import duty (`tariff_*` columns:
  status, the day the rates were taken and why, rates and duty at import and as of the audit date;
  null where the tariff rule did not run).

Text columns with few distinct values (rule id, severity, model, country …) are dictionary
encoded, as the inventory already is in memory. Rows are written in batches so memory stays
bounded by the batch, not the fleet. Output is deterministic for one pyarrow version (no
timestamps are written; row order is the report order).

pyarrow is a core dependency (the columnar CSV reader uses it too); should an install lack it,
the CLI says so before evaluating anything (exit 2), not as a late failure.
"""

from __future__ import annotations

import decimal
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np

from auditor.model import AuditResult, Column, Severity, TariffExposure
from auditor.output import create_file

BATCH = 100_000
RIGS_FILENAME = "rigs.parquet"
MISSING_HINT = "--format parquet needs pyarrow: pip install 'auditor[parquet]'"

FINDING_FIELDS = (
    ("fingerprint", "string"), ("rule_id", "dict"), ("title", "dict"), ("kind", "dict"),
    ("severity", "dict"), ("severity_rank", "int8"), ("status", "dict"), ("asset_key", "string"),
    ("serial", "string"), ("file", "dict"), ("line", "int64"), ("message", "dict"),
    ("evidence", "string"), ("waiver_id", "string"), ("baseline_state", "dict"),
    ("rejected_row", "string"),  # why the row was rejected from the audit (names screened all the same); else null
)


def available() -> bool:
    try:
        import pyarrow  # noqa: F401
        import pyarrow.parquet  # noqa: F401
    except ImportError:
        return False
    return True


def _import():
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as exc:  # the CLI checks first; this is for library callers
        raise RuntimeError(MISSING_HINT) from exc
    return pa, pq


def _arrow_type(pa, kind: str):
    return {"string": pa.string(), "dict": pa.dictionary(pa.int32(), pa.string()), "int8": pa.int8(),
            "int64": pa.int64()}[kind]


class ParquetFormat:
    name = "parquet"
    filename = "findings.parquet"
    extra_filenames = (RIGS_FILENAME,)

    def write(self, result: AuditResult, out_dir: Path) -> Path:
        pa, pq = _import()
        path = Path(out_dir) / self.filename
        self._write_findings(pa, pq, result, path)
        self._write_rigs(pa, pq, result, Path(out_dir) / RIGS_FILENAME)
        return path

    # -- findings ---------------------------------------------------------------------------

    def _write_findings(self, pa, pq, result: AuditResult, path: Path) -> None:
        schema = pa.schema([(n, _arrow_type(pa, k)) for n, k in FINDING_FIELDS])
        cols: dict[str, list] = {n: [] for n, _ in FINDING_FIELDS}
        with create_file(path, "wb") as fh, \
                pq.ParquetWriter(fh, schema, compression="zstd", write_statistics=True) as writer:
            for f in result.iter_findings():
                cols["fingerprint"].append(f.fingerprint)
                cols["rule_id"].append(f.rule_id)
                cols["title"].append(f.title)
                cols["kind"].append(f.kind)
                cols["severity"].append(f.severity.label)
                cols["severity_rank"].append(int(f.severity))
                cols["status"].append(f.status)
                cols["asset_key"].append(f.asset_key)
                cols["serial"].append(f.serial)
                cols["file"].append(Path(f.source).name)
                cols["line"].append(int(f.line))
                cols["message"].append(f.message)
                cols["evidence"].append(_canonical(f.evidence))
                cols["waiver_id"].append(None if f.waiver is None else str(dict(f.waiver).get("id") or ""))
                cols["baseline_state"].append(f.baseline_state)
                cols["rejected_row"].append(f.rejected)
                if len(cols["fingerprint"]) >= BATCH:
                    writer.write_table(self._findings_table(pa, schema, cols))
                    cols = {n: [] for n, _ in FINDING_FIELDS}
            writer.write_table(self._findings_table(pa, schema, cols))

    @staticmethod
    def _findings_table(pa, schema, cols: dict[str, list]):
        arrays = []
        for name, kind in FINDING_FIELDS:
            values = cols[name]
            if kind == "dict":
                arrays.append(pa.array(values, type=pa.string()).dictionary_encode())
            else:
                arrays.append(pa.array(values, type=_arrow_type(pa, kind)))
        return pa.Table.from_arrays(arrays, schema=schema)

    # -- rigs -------------------------------------------------------------------------------

    def _write_rigs(self, pa, pq, result: AuditResult, path: Path) -> None:
        table = result.table
        # Rows past `observed_from` are devices seen on the network (audit --devices), not
        # audited rigs: their findings are in findings.parquet with the snapshot's file and line.
        n = table.declared_rows  # nor are rejected rows screened (before the observed ones)
        open_counts = _open_counts_per_rig(result)
        fields, arrays = [], []

        def add(name, array):
            fields.append(pa.field(name, array.type))
            arrays.append(array)

        file_names = [Path(s).name for s in table.sources]
        add("file", pa.DictionaryArray.from_arrays(pa.array(table.source_index[:n], pa.int32()),
                                                   pa.array(file_names, pa.string())))
        add("line", pa.array(table.lines[:n], pa.int64()))
        add("asset_key", pa.array([table.asset_key(i) for i in range(n)], pa.string()))
        for name, column in table.columns.items():
            add(name, _column_array(pa, column if n == len(table) else Column(column.values, column.codes[:n])))
        for sev in sorted(Severity, reverse=True):
            add(f"open_{sev.label}", pa.array(open_counts[int(sev)][:n], pa.int32()))
        if result.tariff is not None:
            for name, array in _tariff_arrays(pa, result.tariff, n):
                add(name, array)
        with create_file(path, "wb") as fh:
            pq.write_table(pa.Table.from_arrays(arrays, schema=pa.schema(fields)), fh,
                           compression="zstd", row_group_size=BATCH)


def _tariff_arrays(pa, t: TariffExposure, n: int):
    """The per-rig estimate as typed columns: distinct records taken by each rig's index."""
    from auditor.formats.tariff_view import DATE_BASIS

    def take(values, indices, type_):
        idx = np.asarray(indices[:n], dtype=np.int64)
        mask = idx < 0
        return pa.array(values, type_).take(pa.array(np.where(mask, 0, idx), pa.int64(), mask=mask)) \
            if len(values) else pa.nulls(n, type_)

    bases, duties = t.bases, t.duties
    # A rig with an estimated basis but no declared value: status value_missing.
    status_values = [b.status for b in bases] + ["value_missing"]
    status_idx = np.where((t.rig_basis >= 0) & (t.rig_duty < 0)
                          & np.isin(t.rig_basis, [i for i, b in enumerate(bases) if b.status == "estimated"]),
                          len(bases), t.rig_basis)
    estimated = [b.status == "estimated" for b in bases]
    rate = pa.decimal128(9, 4)
    money = pa.decimal128(38, 2)
    cents = decimal.Decimal("0.01")  # rounded as report.json rounds (money_text)
    yield "tariff_status", take(status_values, status_idx, pa.string()).dictionary_encode()
    yield "tariff_rates_on", take([b.on for b in bases], t.rig_basis, pa.date32())
    yield "tariff_rates_on_basis", take([DATE_BASIS[b.date_assumed] for b in bases], t.rig_basis,
                                        pa.string()).dictionary_encode()
    yield "tariff_rate_at_import", take([b.rate_at_import if e else None for b, e in zip(bases, estimated)],
                                        t.rig_basis, rate)
    yield "tariff_programmes_at_import", take([b.programmes_text() if e else None for b, e in zip(bases, estimated)],
                                              t.rig_basis, pa.string()).dictionary_encode()
    yield "tariff_duty_at_import_usd", take([d.duty_at_import_usd.quantize(cents, decimal.ROUND_HALF_UP)
                                             for d in duties], t.rig_duty, money)
    yield "tariff_rate_as_of", take([b.rate_as_of if e else None for b, e in zip(bases, estimated)], t.rig_basis, rate)
    yield "tariff_duty_as_of_usd", take([d.duty_as_of_usd.quantize(cents, decimal.ROUND_HALF_UP) for d in duties], t.rig_duty, money)


def _open_counts_per_rig(result: AuditResult) -> dict[int, np.ndarray]:
    """Per severity rank, the number of open (unwaived) findings on each rig."""
    n = len(result.table)
    counts = {int(s): np.zeros(n, dtype=np.int32) for s in Severity}
    if not result.waivers:
        for g in result.groups:  # cheap: whole groups, no per-finding expansion
            np.add.at(counts[int(g.effective_severity)], g.rows, 1)
        return counts
    for r in result.iter_finding_rows():
        if r.fingerprint not in result.waivers:
            counts[int(r.group.effective_severity)][r.row] += 1
    return counts


def _column_array(pa, column: Column):
    """A dictionary-encoded column as Arrow, typed by its values (all one type, or text)."""
    values = column.values[1:]  # code 0 is None
    kinds = {type(v) for v in values}
    codes = np.asarray(column.codes, dtype=np.int64) - 1  # -1 marks a missing value
    mask = codes < 0
    if kinds <= {date}:
        dictionary = pa.array(values, pa.date32())
    elif kinds <= {decimal.Decimal}:
        dictionary = _decimal_array(pa, values)
    elif kinds <= {int}:
        dictionary = pa.array(values, pa.int64())
    else:
        dictionary = pa.array([None if v is None else str(v) for v in values], pa.string())
    indices = pa.array(np.where(mask, 0, codes).astype(np.int32), pa.int32(), mask=mask)
    if not len(values):
        return pa.nulls(len(codes), pa.string())
    decoded = pa.DictionaryArray.from_arrays(indices, dictionary)
    # Keep dictionaries for text (few distinct models/countries); plain arrays for typed values,
    # which every reader handles without a cast.
    return decoded if pa.types.is_string(dictionary.type) else decoded.cast(dictionary.type)


def _decimal_array(pa, values: list[decimal.Decimal]):
    scale = max((-v.as_tuple().exponent for v in values if v.is_finite()), default=0)
    scale = max(2, min(int(scale), 6))  # cents at least: a stable schema for money columns
    try:
        return pa.array([v.quantize(decimal.Decimal(1).scaleb(-scale)) for v in values],
                        pa.decimal128(38, scale))
    except (pa.ArrowInvalid, decimal.InvalidOperation):
        return pa.array([str(v) for v in values], pa.string())  # beyond decimal128: keep the text


def _canonical(evidence: Any) -> str:
    from auditor.model import canonical_json

    return canonical_json(dict(evidence))


FORMAT = ParquetFormat()
