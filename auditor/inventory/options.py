"""How to read the officer's files: one small record every reader receives.

Filled from the command line (`--map`, `--date-format`, `--sheet`, `--encoding`) and the
project config file; readers take what applies to them and ignore the rest.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

from auditor.model import PARTY_COLUMNS


@dataclass(frozen=True)
class ReadOptions:
    column_map: Mapping[str, str] = field(default_factory=dict)  # header as written -> canonical field
    date_format: str | None = None  # "DD/MM/YYYY", "MM/DD/YYYY" or "YYYY-MM-DD" (None: detect per file)
    sheet: str | None = None  # workbook sheet (None: the first)
    encoding: str | None = None  # legacy CSV encoding (None: UTF-8, or UTF-16 with a BOM)
    # Columns whose well-formed cells a REJECTED row keeps, to be screened all the same
    # (engine/rejected.py); `audit` sets the fields its screen rules screen.
    party_columns: frozenset[str] = PARTY_COLUMNS


DEFAULT = ReadOptions()
