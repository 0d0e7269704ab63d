"""OFAC SDN list, legacy `sdn.csv` (no header; `-0-` means empty)."""

from __future__ import annotations

from pathlib import Path

from auditor.refdata.entities import ListEntry
from auditor.refdata.importers.base import FileHead, ImportResult, ListFormatError, clean
from auditor.refdata.importers.effects import SDN, legal_effect
from auditor.refdata.importers.ofac_common import legacy_records, programs_of, read_rows

# ent_num, SDN_Name, SDN_Type, Program, Title, Call_Sign, Vess_type, Tonnage, GRT, Vess_flag, Vess_owner, Remarks
WIDTH = 12
SOURCE = "OFAC Specially Designated Nationals list (sdn.csv), https://www.treasury.gov/ofac/downloads/sdn.csv"


class OfacSdnImporter:
    name = "ofac-sdn"
    slot = "ofac-sdn"
    description = "OFAC SDN list, legacy sdn.csv"

    def sniff(self, head: FileHead) -> bool:
        return legacy_records(head, WIDTH)

    def parse(self, path: Path) -> ImportResult:
        rows, warnings = read_rows(path, WIDTH, "ent_num", "OFAC sdn.csv")
        entries: list[ListEntry] = []
        seen: dict[str, int] = {}
        effect = legal_effect(SDN)
        for row in rows:
            c = row.cells
            ent_num = c[0].strip()
            name = clean(c[1])
            if not name:
                raise ListFormatError(path, "SDN record has no name", row.line, len(c[0]) + 2)
            if ent_num in seen:
                raise ListFormatError(path, f"ent_num {ent_num} repeats line {seen[ent_num]}", row.line, 1)
            seen[ent_num] = row.line
            notes = [f"title: {clean(c[4])}" if clean(c[4]) else None, clean(c[11])]
            vessel = [f"{label}: {clean(c[i])}" for label, i in
                      (("call sign", 5), ("vessel type", 6), ("flag", 9), ("owner", 10)) if clean(c[i])]
            entries.append(
                ListEntry(
                    list_name=SDN,
                    entity_id=ent_num,
                    name=name,
                    entity_type=(clean(c[2]) or "entity").casefold(),
                    programs=programs_of(c[3]),
                    source=SOURCE,
                    legal_effect=effect,
                    remarks="; ".join(n for n in [*notes, *vessel] if n),
                )
            )
        return ImportResult(entries=entries, counts={SDN: len(entries)}, warnings=warnings, rows=len(rows))
