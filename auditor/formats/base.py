"""The interface every output format implements (one module per format, registered in __init__)."""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from auditor.model import AuditResult


class Format(Protocol):
    name: str  # value accepted by --format
    filename: str  # file written into --out DIR

    def write(self, result: AuditResult, out_dir: Path) -> Path:
        """Write the rendering of `result` into out_dir; return the path written.

        Renderers read the AuditResult only: they never re-evaluate rules or read inputs.
        Output must be byte-identical for the same result (sort everything, no clock).
        """
