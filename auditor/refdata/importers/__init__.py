"""Importers for the official list formats, one module each, registered here.

Adding a format is one new module implementing `Importer` and one line in IMPORTERS.
"""

from __future__ import annotations

from auditor.refdata.importers.base import Importer, ImportResult, ListFormatError
from auditor.refdata.importers.csl_csv import CslCsvImporter
from auditor.refdata.importers.csl_json import CslJsonImporter
from auditor.refdata.importers.dod_1260h import Dod1260hImporter
from auditor.refdata.importers.fcc_covered import FccCoveredImporter
from auditor.refdata.importers.ofac_alt import OfacAltImporter
from auditor.refdata.importers.ofac_sdn import OfacSdnImporter

IMPORTERS: dict[str, Importer] = {
    imp.name: imp
    for imp in (
        CslCsvImporter(),
        CslJsonImporter(),
        OfacSdnImporter(),
        OfacAltImporter(),
        Dod1260hImporter(),
        FccCoveredImporter(),
    )
}

__all__ = ["IMPORTERS", "Importer", "ImportResult", "ListFormatError"]
