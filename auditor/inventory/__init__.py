"""Inventory sources: one reader per input format, chosen by file extension here.

Every reader streams rows into one shared TableBuilder and returns an InventorySource
(counts and hash), the rejected rows with their lines, and warnings. Fatal problems
(unreadable, binary, not UTF-8, no header, malformed JSON) raise InventoryError.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Callable, Sequence

from auditor.inventory.errors import InventoryError
from auditor.inventory.options import DEFAULT, ReadOptions
from auditor.inventory.table import TableBuilder
from auditor.model import InventorySource, InventoryTable, Rejected
from auditor.public_names import public_names

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
    paths = [str(p) for p in paths]
    names = public_names(paths)
    for path, name in zip(paths, names):
        info, rej, warn = reader_for(path)(path, builder, progress, options)

        # From here on the file is known by its public name (auditor/public_names.py): reports,
        # asset keys of rigs without a serial and the history never carry a local path. A
        # workbook's tables are `<file>!<sheet>` and its cells `<file>!<sheet>!C12`.
        def public(text: str, path: str = path, name: str = name) -> str:
            if text == path:
                return name
            return text.replace(path + "!", name + "!") if path + "!" in text else text

        sources.append(replace(info, path=public(info.path)))
        rejected.extend(replace(r, source=public(r.source), reason=public(r.reason)) for r in rej)
        warnings.extend(name + w[len(path):] if w.startswith(path) else w for w in warn)
        builder.sources = [public(s) for s in builder.sources]
    return builder.build(), sources, rejected, warnings


__all__ = ["InventoryError", "ReadOptions", "read_inventories", "READERS"]
