"""Benchmark: import the partial CSL into a fresh SQLite store (target <= 2 s) and read lists back.

Usage: python benchmarks/lists_import.py [--repeat N] [--shared DIR]
Prints wall-clock figures; it asserts nothing (targets are checked by reading the output).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from auditor.refdata.importers import IMPORTERS  # noqa: E402
from auditor.refdata.importers.base import file_sha256  # noqa: E402
from auditor.refdata.lists_source import load_screening_entries  # noqa: E402
from auditor.store.db import open_engine, require_current  # noqa: E402
from auditor.store.lists import PendingImport, active_entries, store_imports  # noqa: E402

ALL = [
    ("csl_2023-11_partial.csv", "csl-csv"),
    ("ofac_sdn_2019.csv", "ofac-sdn"),
    ("ofac_alt_2025.csv", "ofac-alt"),
    ("dod_1260h.csv", "dod-1260h"),
    ("fcc_covered_list.csv", "fcc-covered"),
]


def shared_dir(arg: str | None) -> Path:
    repo = Path(__file__).resolve().parents[1]
    for base in filter(None, [arg, os.environ.get("AUDITOR_SHARED_DIR"), repo.parent / "shared", "/work/shared"]):
        if (Path(base) / "data" / "lists").is_dir():
            return Path(base) / "data" / "lists"
    sys.exit("shared list files not found (set AUDITOR_SHARED_DIR)")


def import_file(engine, path: Path, fmt: str):
    imp = IMPORTERS[fmt]
    result = imp.parse(path)
    pending = PendingImport(fmt, imp.slot, str(path), file_sha256(path), None, result)
    return store_imports(engine, [pending], datetime.now(timezone.utc))[0]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--shared", default=None)
    args = ap.parse_args()
    lists = shared_dir(args.shared)
    csl = lists / "csl_2023-11_partial.csv"

    parse_t, import_t, load_t = [], [], []
    for _ in range(args.repeat):
        with tempfile.TemporaryDirectory() as tmp:
            engine = open_engine(f"sqlite:///{tmp}/bench.db")
            require_current(engine)  # schema creation is not part of the import
            t0 = time.perf_counter()
            IMPORTERS["csl-csv"].parse(csl)
            parse_t.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            info = import_file(engine, csl, "csl-csv")
            import_t.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            (_, entries), = active_entries(engine)
            load_t.append(time.perf_counter() - t0)
            engine.dispose()
    print(f"csl_2023-11_partial.csv: {info.entries} entries, {len(info.counts)} sections")
    print(f"  parse only                        median {statistics.median(parse_t):.3f} s  (best {min(parse_t):.3f})")
    print(f"  import (parse + store, fresh DB)  median {statistics.median(import_t):.3f} s  (best {min(import_t):.3f})  target <= 2 s")
    print(f"  load entries back                 median {statistics.median(load_t):.3f} s  ({len(entries)} entries)")

    with tempfile.TemporaryDirectory() as tmp:
        engine = open_engine(f"sqlite:///{tmp}/all.db")
        require_current(engine)
        t0 = time.perf_counter()
        for name, fmt in ALL:
            import_file(engine, lists / name, fmt)
        t_all = time.perf_counter() - t0
        t0 = time.perf_counter()
        entries, infos, _ = load_screening_entries(engine)
        t_load = time.perf_counter() - t0
        size = Path(f"{tmp}/all.db").stat().st_size
        engine.dispose()
    print(f"all shared lists ({len(ALL)} files): import {t_all:.3f} s; "
          f"load_screening_entries {t_load:.3f} s -> {len(entries)} entries from {len(infos)} lists; "
          f"SQLite file {size / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
