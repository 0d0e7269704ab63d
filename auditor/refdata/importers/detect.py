"""Which official list format a file is in, from its first bytes (`lists import` without --format).

Each importer recognises its own format (`Importer.sniff`); a file is read as a format only
when exactly one importer claims it. Anything else is left to the officer's --format.
"""

from __future__ import annotations

from pathlib import Path

from auditor.refdata.importers.base import read_head


def detect_format(path: Path) -> list[str]:
    """The formats whose importer claims the file: one name when it is recognised."""
    from auditor.refdata.importers import IMPORTERS

    head = read_head(path)
    return [name for name, importer in IMPORTERS.items() if importer.sniff(head)]
