"""Inventory sources: one reader per input format, chosen by file extension here.

Every reader streams rows into one shared TableBuilder and returns an InventorySource
(counts and hash), the rejected rows with their lines, and warnings. Fatal problems
(unreadable, binary, not UTF-8, no header, malformed JSON) raise InventoryError.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable, Sequence

from auditor.inventory.errors import InventoryError
from auditor.inventory.options import DEFAULT, ReadOptions
from auditor.inventory.table import TableBuilder
from auditor.model import InventorySource, InventoryTable, Rejected

# extension -> "module:function". One line per input format.
READERS: dict[str, str] = {
    ".csv": "auditor.inventory.csv_reader:read_csv",
    ".txt": "auditor.inventory.csv_reader:read_csv",
    ".json": "auditor.inventory.json_reader:read_json",
    ".jsonl": "auditor.inventory.json_reader:read_json_lines",
    ".ndjson": "auditor.inventory.json_reader:read_json_lines",
    ".xlsx": "auditor.inventory.workbook_reader:read_workbook",
    ".xlsm": "auditor.inventory.workbook_reader:read_workbook",
    ".xlsb": "auditor.inventory.workbook_reader:read_workbook",
    ".xls": "auditor.inventory.workbook_reader:read_workbook",
    ".ods": "auditor.inventory.workbook_reader:read_workbook",
}


def reader_for(path: str):
    import importlib

    ext = Path(path).suffix.lower()
    target = READERS.get(ext, READERS[".csv"])  # unknown extensions are tried as CSV
    module, attr = target.split(":")
    return getattr(importlib.import_module(module), attr)


def read_inventories(
    paths: Sequence[str], progress: Callable[[int], None] | None = None, options: ReadOptions = DEFAULT
) -> tuple[InventoryTable, list[InventorySource], list[Rejected], list[str]]:
    builder = TableBuilder()
    sources: list[InventorySource] = []
    rejected: list[Rejected] = []
    warnings: list[str] = []
    for path in paths:
        info, rej, warn = reader_for(path)(path, builder, progress, options)
        sources.append(info)
        rejected.extend(rej)
        warnings.extend(warn)
    return builder.build(), sources, rejected, warnings


__all__ = ["InventoryError", "ReadOptions", "read_inventories", "READERS"]
