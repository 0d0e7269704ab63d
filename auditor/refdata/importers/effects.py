"""What being on each list means, and how severe a match is because of it.

A screening hit is *exposure* to a listed party, not proof of illegality; findings quote
the list's legal effect so the reader knows what follows from it, and take their severity
from that effect (`list_severity`): dealings prohibited (SDN) are critical; export licence
requirements and denials (Entity List, MEU, Denied Persons) high; DoD procurement (1260H)
medium; FCC equipment authorisation (site gear, not rigs) low. The CSL names its
sections by a long title with an abbreviation in parentheses ("Entity List (EL) - Bureau
of Industry and Security"); we key on that abbreviation so a re-worded title still maps.
"""

from __future__ import annotations

import re

from auditor.model import Severity

# Section names used by importers whose files have no section column.
SDN = "Specially Designated Nationals (SDN) - Treasury Department"
# Section under which alt.csv imports count their entities (the entries themselves are SDN entries).
SDN_ALT_NAMES = "Specially Designated Nationals (SDN) alternate names (alt.csv) - Treasury Department"
ENTITY_LIST = "Entity List (EL) - Bureau of Industry and Security"
DOD_1260H = "DoD Section 1260H Chinese Military Companies (1260H) - Department of Defense"
FCC_COVERED = "FCC Covered List (FCC) - Federal Communications Commission"

UNKNOWN_EFFECT = "see source"

_EFFECTS: dict[str, str] = {
    "EL": (
        "Export-control exposure: a licence is required to export, re-export or transfer (in-country) "
        "items subject to the EAR to this party (15 CFR 744.11); it does not ban importing or operating "
        "the party's products."
    ),
    "SDN": (
        "Sanctions: property is blocked and US persons are prohibited from dealings with this party (OFAC)."
    ),
    "DPL": (
        "Export privileges denied: no one may take part in an export or transaction involving items "
        "subject to the EAR with this party (BIS denial order)."
    ),
    "UVL": (
        "Unverified end user: exports of items subject to the EAR need a UVL statement from the party "
        "and cannot use licence exceptions (15 CFR 744.15)."
    ),
    "MEU": (
        "Military end user: a licence is required to export, re-export or transfer the items in "
        "Supplement No. 2 to Part 744 to this party (15 CFR 744.21)."
    ),
    "SSI": (
        "Sectoral sanctions: US persons may not engage in the transactions prohibited by the directive "
        "named in the programs (new debt, equity …) with this party; other dealings are not blocked."
    ),
    "ISN": (
        "State Department nonproliferation sanctions: US government procurement, assistance and export "
        "licences for this party are restricted; see the cited notice for the measures imposed."
    ),
    "DTC": (
        "ITAR debarment: the party may not take part, directly or indirectly, in exports of defence "
        "articles or services (22 CFR 127.7)."
    ),
    "CMIC": (
        "US persons are prohibited from purchasing or selling publicly traded securities of this "
        "company (EO 13959 as amended by EO 14032); other dealings are not blocked."
    ),
    "FSE": "US persons are prohibited from transactions with this foreign sanctions evader (OFAC, EO 13608).",
    "PLC": "OFAC non-SDN list: the party is identified by OFAC; its property is not blocked (see source).",
    "NS-MBS": "OFAC menu-based sanctions: the specific measures selected for this party apply (see source).",
    "CAP": (
        "US financial institutions may not open or maintain correspondent or payable-through accounts "
        "for this party (OFAC CAPTA list)."
    ),
    "CAPTA": (
        "US financial institutions may not open or maintain correspondent or payable-through accounts "
        "for this party (OFAC CAPTA list)."
    ),
    "1260H": (
        "Restricts DoD procurement from this company (US Department of Defense, Section 1260H list); "
        "it is not an export or import ban."
    ),
    "FCC": (
        "FCC Covered List (47 CFR 1.50002): covered equipment and services of this party cannot get new "
        "FCC equipment authorisation; relevant to site equipment (routers, cameras), not to mining rigs."
    ),
}

_ABBREV = re.compile(r"\(([A-Z0-9][A-Z0-9 .\-]*?)(?: List)?\)")


def list_code(section: str) -> str | None:
    """The abbreviation a section name carries, e.g. "EL" for the Entity List."""
    for match in _ABBREV.finditer(section):
        code = match.group(1).strip()
        if code in _EFFECTS:
            return code
    return None


# OFAC's lists: the SDN list and the Consolidated (non-SDN) lists number their entities with one
# sequence, OFAC's `ent_num` (the CSL's `_id` for these sections): the same number on two of them
# is one entity listed twice (Sberbank, ent_num 17018, is on the SDN and the SSI list). Other
# authorities' ids (BIS, State, DoD, FCC) are their own, or hashes the CSL makes: never compared.
_OFAC_CODES = frozenset({"SDN", "FSE", "SSI", "CMIC", "NS-MBS", "PLC", "CAP", "CAPTA"})


def id_authority(section: str) -> str | None:
    """The authority whose entity numbering `section` shares with its other lists, or None."""
    return "OFAC" if list_code(section) in _OFAC_CODES else None


def legal_effect(section: str) -> str:
    """One-line legal effect of being on `section`; "see source" when we do not know the list."""
    code = list_code(section)
    return _EFFECTS[code] if code else UNKNOWN_EFFECT


# Severity by the legal effect of the list, with the reason stated in each finding.
_SEVERITY: dict[str, tuple[Severity, str]] = {
    "SDN": (Severity.CRITICAL, "OFAC SDN: dealings are prohibited for US persons"),
    "FSE": (Severity.CRITICAL, "OFAC Foreign Sanctions Evaders: transactions are prohibited for US persons"),
    "EL": (Severity.HIGH, "BIS Entity List: a licence is required to export, re-export or transfer EAR items to the party"),
    "MEU": (Severity.HIGH, "BIS Military End-User List: a licence is required for the listed items"),
    "DPL": (Severity.HIGH, "BIS Denied Persons List: export privileges denied"),
    "DTC": (Severity.HIGH, "ITAR debarment: no part in exports of defence articles or services"),
    "ISN": (Severity.HIGH, "State Department nonproliferation sanctions: procurement and export licences restricted"),
    "NS-MBS": (Severity.HIGH, "OFAC menu-based sanctions: the measures selected for the party apply"),
    "SSI": (Severity.MEDIUM, "OFAC sectoral sanctions: only the transactions named in the directive are prohibited"),
    "CMIC": (Severity.MEDIUM, "OFAC CMIC list: purchases of the company's public securities are prohibited; other dealings are not"),
    "CAP": (Severity.MEDIUM, "OFAC CAPTA list: restrictions on correspondent accounts at US financial institutions"),
    "CAPTA": (Severity.MEDIUM, "OFAC CAPTA list: restrictions on correspondent accounts at US financial institutions"),
    "UVL": (Severity.MEDIUM, "BIS Unverified List: exports need a UVL statement and no licence exception"),
    "1260H": (Severity.MEDIUM, "DoD Section 1260H list: restricts DoD procurement only"),
    "PLC": (Severity.LOW, "OFAC non-SDN PLC list: identified, property not blocked"),
    "FCC": (Severity.LOW, "FCC Covered List: equipment authorisation of site gear (routers, cameras), not mining rigs"),
}
UNKNOWN_SEVERITY = (
    Severity.CRITICAL,
    "legal effect of this list unknown: treated as the most severe until a reviewer states its effect",
)


def list_severity(section: str) -> tuple[Severity, str]:
    """(severity, why) of a match on `section`, by the list's legal effect."""
    code = list_code(section)
    return _SEVERITY.get(code, UNKNOWN_SEVERITY) if code else UNKNOWN_SEVERITY
