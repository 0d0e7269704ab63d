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
}


def reader_for(path: str):
    import importlib

    ext = Path(path).suffix.lower()
    target = READERS.get(ext, READERS[".csv"])  # unknown extensions are tried as CSV
    module, attr = target.split(":")
    return getattr(importlib.import_module(module), attr)


def read_inventories(
    paths: Sequence[str], progress: Callable[[int], None] | None = None
) -> tuple[InventoryTable, list[InventorySource], list[Rejected], list[str]]:
    builder = TableBuilder()
    sources: list[InventorySource] = []
    rejected: list[Rejected] = []
    warnings: list[str] = []
    paths = [str(p) for p in paths]
    names = public_names(paths)
    named = dict(zip(paths, names))
    for path, name in zip(paths, names):
        info, rej, warn = reader_for(path)(path, builder, progress)
        # From here on the file is known by its public name (auditor/public_names.py): reports,
        # asset keys of rigs without a serial and the history never carry a local path.
        sources.append(replace(info, path=name))
        rejected.extend(replace(r, source=name) if r.source == path else r for r in rej)
        warnings.extend(name + w[len(path):] if w.startswith(path + ":") else w for w in warn)
    builder.sources = [named.get(s, s) for s in builder.sources]
    return builder.build(), sources, rejected, warnings


__all__ = ["InventoryError", "read_inventories", "READERS"]
