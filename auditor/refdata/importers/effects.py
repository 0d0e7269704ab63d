"""What being on each list means (FACTS.md "Entity lists and export controls").

A screening hit is *exposure* to a listed party, not proof of illegality; findings quote
the list's legal effect so the reader knows what follows from it. The CSL names its
sections by a long title with an abbreviation in parentheses ("Entity List (EL) - Bureau
of Industry and Security"); we key on that abbreviation so a re-worded title still maps.
"""

from __future__ import annotations

import re

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


def legal_effect(section: str) -> str:
    """One-line legal effect of being on `section`; "see source" when we do not know the list."""
    code = list_code(section)
    return _EFFECTS[code] if code else UNKNOWN_EFFECT
