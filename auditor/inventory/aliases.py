"""Header aliases: the many ways spreadsheets name the canonical columns.

Headers are compared after case-folding and removing everything but letters and digits,
so "Serial Number", "serial_no" and "SERIAL-NUMBER" are the same header. An officer's own
names are mapped explicitly (`--map "Miner Type=model"`, or `[columns]` in auditor.toml);
a header that maps to nothing but resembles an alias gets a suggestion.
"""

from __future__ import annotations

import re
from typing import Iterable, Mapping

ALIASES: dict[str, tuple[str, ...]] = {
    "serial": ("serial", "serialnumber", "serialno", "sn", "minerserial", "deviceserial", "devicesn", "assetserial",
               "serialnum", "sno", "unitserial"),
    "manufacturer": ("manufacturer", "make", "brand", "mfr", "mfg", "oem", "maker"),
    "model": ("model", "minermodel", "modelname", "devicemodel", "product", "minertype", "machinetype", "machinemodel",
              "hardwaremodel", "asicmodel"),
    "firmware": ("firmware", "fw", "firmwarename", "firmwarefamily", "fwname", "firmwaretype"),
    "firmware_version": ("firmwareversion", "fwversion", "fwver", "firmwarever"),
    "assembly_country": (
        "assemblycountry", "countryofassembly", "assemblycountrycode", "countryoforigin", "origincountry",
        "origin", "coo", "madein", "claimedorigin", "claimedassemblycountry", "country", "countryofmanufacture",
        "manufacturingcountry", "madeincountry",
    ),
    "assembly_site": ("assemblysite", "assemblyplant", "factory", "plant", "claimedassemblysite"),
    "manufacture_date": (
        "manufacturedate", "manufacturingdate", "mfgdate", "mfddate", "productiondate", "dateofmanufacture",
        "builddate",
    ),
    "chip_vendor": ("chipvendor", "asicvendor", "chipmaker", "chipmanufacturer", "chipsupplier"),
    "mac": ("mac", "macaddress", "ethernetmac", "hwaddr", "hardwareaddress"),
    "supplier": ("supplier", "seller", "reseller", "distributor", "suppliername", "vendor", "vendorname"),
    # Purchase-order lines (procurement lists: serials are not known before delivery).
    "po_number": ("ponumber", "po", "pono", "purchaseorder", "purchaseordernumber", "ponum", "purchaseorderno"),
    "po_line": ("poline", "polinenumber", "lineno", "linenumber", "poitem", "polineno", "line", "lineitem"),
    "quantity": ("quantity", "qty", "units", "qtyordered", "orderqty", "orderedquantity", "quantityordered"),
    "unit_price_usd": ("unitpriceusd", "unitprice", "priceperunit", "unitcost", "unitcostusd", "unitpriceus", "purchaseprice",
        "purchasepriceusd", "price", "priceusd", "cost", "costusd", "purchasecost"),
    # Shipping is not origin: goods assembled in one country often ship from a hub in another.
    "ship_from_country": (
        "shipfromcountry", "shipfrom", "shippedfrom", "shipfromcountrycode", "countryofshipment",
        "shippingcountry", "exportcountry", "countryofexport", "countryofexportation",
    ),
    "import_date": (
        "importdate", "dateofimport", "entrydate", "expectedimportdate", "customsentrydate",
        "estimatedimportdate", "expectedentrydate", "dateimported", "importeddate", "datereceived", "receiveddate",
        "receivedon", "dateofentry",
    ),
    "declared_value_usd": (
        "declaredvalueusd", "declaredvalue", "valueusd", "customsvalue", "declaredvalueus", "value",
    ),
    "hts_code": ("htscode", "hts", "htsus", "htsnumber", "tariffcode", "hscode"),
    "site": ("site", "location", "facility", "datacenter", "hostingsite", "minesite", "hostinglocation",
             "hostingfacility", "sitename", "farm"),
}

_LOOKUP = {alias: canonical for canonical, aliases in ALIASES.items() for alias in aliases}


def header_key(header: str) -> str:
    return re.sub(r"[^0-9a-z]", "", header.casefold())


def canonical_column(header: str) -> str | None:
    """The canonical column a header names, or None when it names none."""
    return _LOOKUP.get(header_key(header))


def accepted_headers(column: str) -> str:
    """The headers read as `column`, for error messages."""
    return ", ".join(ALIASES.get(column, (column,)))


def suggest_column(header: str) -> str | None:
    """The canonical column an unknown header most resembles ("Serail No" -> serial), if any."""
    from rapidfuzz import fuzz, process

    key = header_key(header)
    if len(key) < 3:
        return None
    hit = process.extractOne(key, list(_LOOKUP), scorer=fuzz.ratio, score_cutoff=80)
    if hit is None:
        for alias, canonical in _LOOKUP.items():
            # "Country of Origin (ISO)", "Serial # (sticker)": an alias inside a longer header.
            if len(alias) >= 5 and alias in key:
                return canonical
        return None
    return _LOOKUP[hit[0]]


class HeaderMap:
    """Header -> canonical column: the officer's explicit map first, then the aliases."""

    def __init__(self, explicit: Mapping[str, str] | None = None):
        from auditor.model import CANONICAL_COLUMNS

        self.explicit: dict[str, str] = {}
        self.spelled: dict[str, str] = {}  # header key -> header as the officer wrote it
        for header, column in (explicit or {}).items():
            if column not in CANONICAL_COLUMNS:
                raise ValueError(
                    f"--map {header}={column}: unknown field {column!r} (expected one of: {', '.join(CANONICAL_COLUMNS)})"
                )
            key = header_key(header)
            if not key:
                raise ValueError(f"--map {header}={column}: the header has no letters or digits")
            self.explicit[key] = column
            self.spelled[key] = header
        self.mapped_fields = frozenset(self.explicit.values())

    def column(self, header: str) -> str | None:
        key = header_key(header)
        if key in self.explicit:
            return self.explicit[key]
        column = _LOOKUP.get(key)
        if column in self.mapped_fields:
            return None  # the officer chose another header for this field
        return column

    def unused(self, headers: Iterable[str]) -> list[str]:
        """Explicitly mapped headers that a file does not have (likely a typo)."""
        have = {header_key(h) for h in headers}
        return [self.spelled[k] for k in self.explicit if k not in have]

    def describe_ignored(self, ignored: list[str]) -> str:
        """'Hosting Loc' (looks like site: --map "Hosting Loc=site"), 'Notes' — the first few only,
        so a header of 100,000 junk columns stays one short line."""
        from auditor.limits import NAMES_SHOWN

        parts = []
        for name in ignored[:NAMES_SHOWN]:
            guess = suggest_column(name)
            parts.append(f'{name!r} (looks like {guess}: --map "{name}={guess}")' if guess else repr(name))
        more = f" and {len(ignored) - NAMES_SHOWN:,} more" if len(ignored) > NAMES_SHOWN else ""
        return ", ".join(parts) + more


def parse_map(items: Iterable[str]) -> dict[str, str]:
    """["Miner Type=model", …] -> {"Miner Type": "model"}; the last '=' splits (headers may hold '=')."""
    out: dict[str, str] = {}
    for item in items:
        header, sep, column = str(item).rpartition("=")
        if not sep or not header.strip() or not column.strip():
            raise ValueError(f'--map {item!r}: expected "Header=field", e.g. --map "Miner Type=model"')
        out[header.strip()] = column.strip()
    return out
