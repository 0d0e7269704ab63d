"""Header aliases: the many ways spreadsheets name the canonical columns.

Headers are compared after case-folding and removing everything but letters and digits,
so "Serial Number", "serial_no" and "SERIAL-NUMBER" are the same header.
"""

from __future__ import annotations

import re

ALIASES: dict[str, tuple[str, ...]] = {
    "serial": ("serial", "serialnumber", "serialno", "sn", "minerserial", "deviceserial", "devicesn", "assetserial"),
    "manufacturer": ("manufacturer", "make", "brand", "mfr", "mfg", "oem", "maker"),
    "model": ("model", "minermodel", "modelname", "devicemodel", "product"),
    "firmware": ("firmware", "fw", "firmwarename", "firmwarefamily", "fwname", "firmwaretype"),
    "firmware_version": ("firmwareversion", "fwversion", "fwver", "firmwarever"),
    "assembly_country": (
        "assemblycountry", "countryofassembly", "assemblycountrycode", "countryoforigin", "origincountry",
        "origin", "coo", "madein", "claimedorigin", "claimedassemblycountry",
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
    "unit_price_usd": ("unitpriceusd", "unitprice", "priceperunit", "unitcost", "unitcostusd", "unitpriceus"),
    # Shipping is not origin: goods assembled in one country often ship from a hub in another.
    "ship_from_country": (
        "shipfromcountry", "shipfrom", "shippedfrom", "shipfromcountrycode", "countryofshipment",
        "shippingcountry", "exportcountry", "countryofexport", "countryofexportation",
    ),
    "import_date": (
        "importdate", "dateofimport", "entrydate", "expectedimportdate", "customsentrydate",
        "estimatedimportdate", "expectedentrydate",
    ),
    "declared_value_usd": (
        "declaredvalueusd", "declaredvalue", "valueusd", "customsvalue", "declaredvalueus", "value",
    ),
    "hts_code": ("htscode", "hts", "htsus", "htsnumber", "tariffcode", "hscode"),
    "site": ("site", "location", "facility", "datacenter", "hostingsite", "minesite"),
}

_LOOKUP = {alias: canonical for canonical, aliases in ALIASES.items() for alias in aliases}


def header_key(header: str) -> str:
    return re.sub(r"[^0-9a-z]", "", header.casefold())


def canonical_column(header: str) -> str | None:
    """The canonical column a header names, or None when it names none."""
    return _LOOKUP.get(header_key(header))
