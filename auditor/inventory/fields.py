"""Per-field validation: raw cell text -> typed value, or a FieldError naming the problem.

Codes stay strings: HTS `8543.70` is not a float and country `NO` (Norway) is not false.
Some defects are findings rather than rejections: a malformed MAC or a future manufacture
date is kept so that data-quality rules can report it on the rig.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

from auditor.model import CANONICAL_COLUMNS

MAX_LEN = {"serial": 128, "firmware_version": 64, "mac": 64, "hts_code": 32, "po_number": 64}
DEFAULT_MAX_LEN = 256
# Codes and identifiers never span lines; free-text columns (site, supplier) may.
SINGLE_LINE = frozenset({"serial", "model", "mac", "po_number", "po_line", "hts_code", "firmware_version",
                         "assembly_country", "ship_from_country", "manufacture_date", "import_date",
                         "quantity"})
COUNTRY_COLUMNS = frozenset({"assembly_country", "ship_from_country"})
# Ranges that keep every later computation exact (docs/security.md): a customs value below a
# trillion dollars in at most micro-dollars, a purchase-order line of at most a million units.
MONEY_MAX_WHOLE_DIGITS = 12
MONEY_MAX_DECIMALS = 6
INT_MAX = {"quantity": 1_000_000, "po_line": 1_000_000_000}


class FieldError(ValueError):
    def __init__(self, column: str, message: str):
        self.column = column
        super().__init__(f"{column}: {message}")
        self.reason = message


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_MAC_SEP = re.compile(r"^([0-9a-f]{2})[:-]([0-9a-f]{2})[:-]([0-9a-f]{2})[:-]([0-9a-f]{2})[:-]([0-9a-f]{2})[:-]([0-9a-f]{2})$")
_MAC_DOT = re.compile(r"^([0-9a-f]{4})\.([0-9a-f]{4})\.([0-9a-f]{4})$")
_MAC_BARE = re.compile(r"^[0-9a-f]{12}$")
_HTS = re.compile(r"^\d{4}(\d{2}){0,3}$")
_MONEY = re.compile(r"^(?:USD|US\$|\$)?\s*([0-9][0-9,]*(?:\.[0-9]+)?|\.[0-9]+)\s*(?:USD)?$", re.IGNORECASE)
_DATE = re.compile(r"^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$")


def clean_text(column: str, raw: str) -> str | None:
    """The stripped cell text (None when empty), or a FieldError for what no column may hold."""
    value = raw.strip()
    if not value:
        return None
    limit = MAX_LEN.get(column, DEFAULT_MAX_LEN)
    if len(value) > limit:
        raise FieldError(column, f"value is {len(value):,} characters long (limit {limit})")
    if _CONTROL.search(value):
        raise FieldError(column, "contains control characters")
    if column in SINGLE_LINE and ("\n" in value or "\r" in value):
        raise FieldError(column, "contains a line break")
    return value


def normalise_mac(text: str) -> str:
    """Canonical lower-case colon form when well-formed; the text unchanged otherwise."""
    t = text.lower()
    m = _MAC_SEP.match(t)
    if m:
        return ":".join(m.groups())
    m = _MAC_DOT.match(t)
    if m:
        t = "".join(m.groups())
    if _MAC_BARE.match(t):
        return ":".join(t[i : i + 2] for i in range(0, 12, 2))
    return text


# Common ways people write countries that ISO names do not cover. Keys are compared after
# case-folding and reducing punctuation to spaces. Hong Kong and Macau stay their own
# origins (HK, MO): US law names them separately (15 CFR 791.4; country-of-origin marking).
_COUNTRY_FORMS = {
    "prc": "CN", "p r c": "CN", "p r china": "CN", "pr china": "CN", "peoples republic of china": "CN",
    "people s republic of china": "CN", "mainland china": "CN", "china mainland": "CN", "chinese mainland": "CN",
    "china": "CN",
    "hong kong": "HK", "hong kong sar": "HK", "hksar": "HK", "hong kong china": "HK", "hong kong sar china": "HK",
    "hong kong special administrative region": "HK",
    "macau": "MO", "macao": "MO", "macau sar": "MO", "macao sar": "MO", "macau china": "MO", "macao china": "MO",
    "macao sar china": "MO", "macau sar china": "MO",
    "usa": "US", "u s a": "US", "u s": "US", "us": "US", "united states": "US", "united states of america": "US",
    "america": "US",
    "uk": "GB", "u k": "GB", "great britain": "GB", "britain": "GB", "united kingdom": "GB",
    "taiwan": "TW", "south korea": "KR", "korea": "KR", "republic of korea": "KR", "north korea": "KP",
    "russia": "RU", "vietnam": "VN", "viet nam": "VN", "uae": "AE", "turkey": "TR", "turkiye": "TR",
    "iran": "IR", "laos": "LA", "czech republic": "CZ", "czechia": "CZ",
}
# A US state that is also a country's name: after a city it names the state.
_US_STATE_NAMES = frozenset({"georgia"})
_MADE_IN = re.compile(r"^(?:made|assembled|manufactured|produced)\s+in\s+(?:the\s+)?", re.IGNORECASE)


def _country_key(text: str) -> str:
    import unicodedata

    t = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().casefold()
    return " ".join(re.sub(r"[^0-9a-z]+", " ", t).split())


@lru_cache(maxsize=4096)
def parse_country(text: str, column: str = "assembly_country") -> str:
    code = _country_code(text)
    if code is None:
        # A place written with its country, as shipping documents and ERP exports have it:
        # "Shenzhen, China", "Penang, Malaysia", "China (Shenzhen)": the one country named.
        # Names only, not codes, in such a text: "Atlanta, GA" is in Georgia, not Gabon, and
        # "Atlanta, Georgia" not in the country Georgia either.
        parts = [p.strip() for p in re.split(r"[,;()]", text) if p.strip()]
        names = [p for p in parts if len(p) > 3 and _country_key(p) not in _US_STATE_NAMES]
        codes = {c for c in map(_country_code, names) if c} if len(parts) > 1 else set()
        code = codes.pop() if len(codes) == 1 else None
    if code is None:
        raise FieldError(column, f"unknown country {text!r} (expected an ISO 3166-1 code such as CN, MY, US)")
    return code


def _country_code(text: str) -> str | None:
    import pycountry

    t = _MADE_IN.sub("", text.strip()).strip().rstrip(".")
    if t.lower().startswith("the "):
        t = t[4:]
    known = _COUNTRY_FORMS.get(_country_key(t))
    if known is not None:
        return known
    if len(t) == 2 and t.isalpha():
        c = pycountry.countries.get(alpha_2=t.upper())
    elif len(t) == 3 and t.isalpha():
        c = pycountry.countries.get(alpha_3=t.upper())
    else:
        try:
            c = pycountry.countries.lookup(t)
        except LookupError:
            c = None
    return c.alpha_2 if c is not None else None


@lru_cache(maxsize=65536)
def parse_date(column: str, text: str) -> date:
    """ISO dates and timestamps. Spreadsheet readers also read D/M/Y forms (inventory/dates.py)."""
    from auditor.inventory.dates import _ISO

    m = _DATE.match(text.strip()) or _ISO.match(text.strip())
    if not m:
        raise FieldError(column, f"invalid date {text!r} (expected YYYY-MM-DD)")
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError as exc:
        raise FieldError(column, f"invalid date {text!r} ({exc})") from None


@lru_cache(maxsize=65536)
def parse_money(column: str, text: str) -> Decimal:
    m = _MONEY.match(text.strip())
    if not m:
        raise FieldError(column, f"invalid amount {text!r} (expected a non-negative number of US dollars)")
    digits = m.group(1).replace(",", "")
    whole, _, fraction = digits.partition(".")
    # Bounded at the reader so that one absurd value is one rejected row: duty arithmetic on a
    # 26-digit amount exceeds decimal precision and would fail the tariff rules for every rig.
    if len(whole.lstrip("0")) > MONEY_MAX_WHOLE_DIGITS or len(fraction) > MONEY_MAX_DECIMALS:
        raise FieldError(column, f"amount {text!r} is out of range (at most {MONEY_MAX_WHOLE_DIGITS} digits "
                                 f"before the decimal point and {MONEY_MAX_DECIMALS} after)")
    try:
        return Decimal(digits)
    except InvalidOperation:
        raise FieldError(column, f"invalid amount {text!r}") from None


def parse_hts(text: str) -> str:
    digits = text.strip().replace(".", "").replace(" ", "")
    if not _HTS.match(digits):
        raise FieldError("hts_code", f"invalid HTS code {text!r} (expected e.g. 8543.70.9960)")
    parts = [digits[:4]] + [digits[i : i + 2] for i in range(4, min(len(digits), 8), 2)]
    if len(digits) == 10:
        parts = [digits[:4], digits[4:6], digits[6:10]]
    return ".".join(parts)


def parse_int(column: str, text: str) -> int:
    t = text.strip().replace(",", "")
    # ASCII digits only: str.isdigit() accepts "²" and other digits int() refuses.
    if not (t.isascii() and t.isdigit()):
        raise FieldError(column, f"invalid whole number {text!r}")
    if len(t.lstrip("0")) > len(str(INT_MAX[column])) or int(t) > INT_MAX[column]:
        raise FieldError(column, f"{text!r} is out of range (at most {INT_MAX[column]:,})")
    n = int(t)
    if column == "quantity" and n < 1:
        raise FieldError(column, "quantity must be at least 1")
    return n


def parse_field(column: str, raw: str) -> Any:
    """Parse one cell of a canonical column. Empty cells are None."""
    if column not in CANONICAL_COLUMNS:
        raise FieldError(column, "not an inventory column")
    value = clean_text(column, raw)
    if value is None:
        return None
    if column in COUNTRY_COLUMNS:
        return parse_country(value, column)
    if column in ("manufacture_date", "import_date"):
        return parse_date(column, value)
    if column in ("declared_value_usd", "unit_price_usd"):
        return parse_money(column, value)
    if column == "hts_code":
        return parse_hts(value)
    if column in ("quantity", "po_line"):
        return parse_int(column, value)
    if column == "mac":
        return normalise_mac(value)
    return value
