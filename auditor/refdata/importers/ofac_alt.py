"""OFAC SDN alternate names, legacy `alt.csv` (no header: ent_num, alt_num, alt_type, alt_name, alt_remarks).

alt.csv only adds names to SDN entries. We store them as one entry per ent_num whose name
is the first alternate name and whose aliases are the rest; when the SDN list itself is
loaded, `auditor.store.lists.merge_alternate_names` folds them into the SDN entry of the
same ent_num at read time. Keeping the join at read time means the two files can be
imported (and updated) in either order, each atomically, and an alt.csv imported alone
still screens every name it carries.
"""

from __future__ import annotations

from pathlib import Path

from auditor.refdata.entities import ListEntry
from auditor.refdata.importers.base import FileHead, ImportResult, ListFormatError, clean
from auditor.refdata.importers.effects import SDN, SDN_ALT_NAMES, legal_effect
from auditor.refdata.importers.ofac_common import legacy_records, read_rows

WIDTH = 5
SOURCE = "OFAC SDN alternate names (alt.csv), https://www.treasury.gov/ofac/downloads/alt.csv"
ALT_ONLY_REMARK = "alternate names only (OFAC alt.csv); the primary SDN record is not loaded"


class OfacAltImporter:
    name = "ofac-alt"
    slot = "ofac-alt"
    description = "OFAC SDN alternate names, legacy alt.csv"

    def sniff(self, head: FileHead) -> bool:
        # ent_num, alt_num, alt_type (aka, fka, nka), alt_name, remarks
        return legacy_records(head, WIDTH) and all(
            r[2].strip().casefold() in ("aka", "fka", "nka") for r in head.rows if r[0].strip().isdigit())

    def parse(self, path: Path) -> ImportResult:
        rows, warnings = read_rows(path, WIDTH, "ent_num", "OFAC alt.csv")
        names: dict[str, dict[str, None]] = {}
        types: dict[str, set[str]] = {}
        for row in rows:
            c = row.cells
            alt_name = clean(c[3])
            if not alt_name:
                raise ListFormatError(path, "alternate-name record has no alt_name", row.line,
                                      sum(len(x) + 1 for x in c[:3]) + 1)
            ent_num = c[0].strip()
            names.setdefault(ent_num, {}).setdefault(alt_name, None)
            types.setdefault(ent_num, set()).add((clean(c[2]) or "aka").casefold())
        effect = legal_effect(SDN)
        entries = []
        for ent_num in sorted(names, key=int):
            alts = list(names[ent_num])
            entries.append(
                ListEntry(
                    list_name=SDN,
                    entity_id=ent_num,
                    name=alts[0],
                    aliases=tuple(alts[1:]),
                    source=SOURCE,
                    legal_effect=effect,
                    remarks=f"{ALT_ONLY_REMARK} ({', '.join(sorted(types[ent_num]))})",
                )
            )
        return ImportResult(
            entries=entries,
            counts={SDN_ALT_NAMES: len(entries)},
            warnings=warnings,
            rows=len(rows),
            notes={"alternate names": sum(len(v) for v in names.values())},
        )
