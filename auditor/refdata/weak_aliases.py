"""OFAC's weak aliases: names OFAC lists for an SDN but does not expect anyone to screen.

OFAC marks some aliases of an SDN "weak": nicknames, noms de guerre and unusually common
acronyms, which "may generate a large volume of false hits" (OFAC FAQ 122). It does not
expect persons to screen for them, only to use them to confirm a hit found otherwise (FAQ
124). In the CSV formats (sdn.csv) they are not in the alias file but in the primary
record's Remarks, in quotation marks: "a.k.a. 'HUA'; a.k.a. 'HUM'." (FAQ 123,
https://ofac.treasury.gov/faqs/123). The SDN importer keeps the Remarks and makes no
aliases of them.

The Consolidated Screening List (trade.gov) copies every alias of an SDN into its
``alt_names`` and does not say which are weak: "HUA" of HARAKAT UL-MUJAHIDEEN (ent_num
4696) is there among the strong ones, and "Hua Hong Semiconductor" then meets a terrorist
group. Where the SDN file is imported beside the CSL, its Remarks say which of the CSL's
aliases of the same entity (OFAC's ``ent_num`` is the CSL's id for OFAC's sections) are
weak: those are set aside from screening and named in the entry's remarks, where an
officer reviewing a match on the entity still sees them. With the CSL alone they cannot be
told apart and are screened.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Iterable

from auditor.refdata.entities import ListEntry
from auditor.refdata.importers.effects import SDN, id_authority

# One Remarks item: "a.k.a. 'HUA'", "f.k.a. 'ANSAR INSTITUTE'", "a.k.a. 'ABU-'UMAR'." (the
# name may hold apostrophes: the quotes are the item's first and last).
_WEAK_RE = re.compile(r"^[afn]\.k\.a\.\s+'(.+)'\.?$")


def weak_aliases(remarks: str) -> list[str]:
    """The weak aliases an SDN record's Remarks name, in order."""
    found = []
    for item in remarks.split(";"):
        match = _WEAK_RE.match(item.strip())
        if match:
            found.append(match.group(1).strip())
    return found


def without_weak_aliases(entries: Iterable[ListEntry]) -> list[ListEntry]:
    """``entries`` with the aliases that the SDN entries among them mark weak set aside from
    the OFAC entries of the same ``ent_num`` (the CSL's copies; module docstring)."""
    entries = list(entries)
    weak: dict[str, set[str]] = {}
    for entry in entries:
        if entry.list_name == SDN and entry.remarks:
            names = weak_aliases(entry.remarks)
            if names:
                weak.setdefault(entry.entity_id, set()).update(n.casefold() for n in names)
    if not weak:
        return entries
    out = []
    for entry in entries:
        marked = weak.get(entry.entity_id) if id_authority(entry.list_name) == "OFAC" else None
        dropped = [a for a in entry.aliases if marked and a.strip().casefold() in marked]
        if not dropped:
            out.append(entry)
            continue
        note = "weak a.k.a. per OFAC's SDN Remarks, not screened (OFAC FAQ 124): " + "; ".join(dropped)
        out.append(replace(
            entry,
            aliases=tuple(a for a in entry.aliases if a not in dropped),
            remarks="; ".join(r for r in (entry.remarks, note) if r),
        ))
    return out
