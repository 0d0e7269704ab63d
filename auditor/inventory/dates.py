"""Dates as officers write them: ISO, D/M/YYYY or M/D/YYYY, Excel serial numbers, timestamps.

`9/4/2024` is 9 April in London and 4 September in Houston. The order is either given
(`--date-format DD/MM/YYYY`) or decided per file from a value that only one order can read
(`25/4/2024`). When every slashed date of a file could be read both ways, the reader stops
and asks for the format, naming the file, the line and an example: it never guesses.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Callable, Iterable

from auditor.inventory.errors import InventoryError
from auditor.inventory.fields import FieldError

ORDERS = {"YMD": "YYYY-MM-DD", "DMY": "DD/MM/YYYY", "MDY": "MM/DD/YYYY"}
_FORMAT_NAMES = {
    "YYYYMMDD": "YMD", "YMD": "YMD", "ISO": "YMD",
    "DDMMYYYY": "DMY", "DMYYYY": "DMY", "DMY": "DMY",
    "MMDDYYYY": "MDY", "MDYYYY": "MDY", "MDY": "MDY",
}
_TIME = r"(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:\s?[AaPp][Mm])?(?:Z|[+-]\d{2}:?\d{2})?)?"
_ISO = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})" + _TIME + "$")
_SLASHED = re.compile(r"^(\d{1,2})([/.-])(\d{1,2})\2(\d{4}|\d{2})" + _TIME + "$")
_SERIAL = re.compile(r"^(\d{5})(?:\.\d+)?$")
# Excel's day 0 is 1899-12-30 (its 1900 leap-year bug makes serials from March 1900 line up).
_EXCEL_EPOCH = date(1899, 12, 30)
_SERIAL_RANGE = (20000, 80000)  # 1954-10-03 .. 2119-01-10: anything else is not a plausible date


def parse_date_format(text: str) -> str:
    """'DD/MM/YYYY', 'd.m.yyyy', '%m/%d/%Y', 'MDY' … -> 'DMY' | 'MDY' | 'YMD'."""
    key = re.sub(r"[^A-Z]", "", text.upper().replace("%D", "DD").replace("%M", "MM").replace("%Y", "YYYY"))
    order = _FORMAT_NAMES.get(key)
    if order is None:
        raise ValueError(
            f"--date-format {text!r}: expected DD/MM/YYYY, MM/DD/YYYY or YYYY-MM-DD (any separator)"
        )
    return order


def excel_serial(n: float) -> date | None:
    if _SERIAL_RANGE[0] <= n <= _SERIAL_RANGE[1]:
        return _EXCEL_EPOCH + timedelta(days=int(n))
    return None


def _order_of(a: int, b: int) -> str | None:
    """The only order that can read day/month parts a, b; None when both (or neither) can."""
    if a > 12 and 1 <= b <= 12:
        return "DMY"
    if b > 12 and 1 <= a <= 12:
        return "MDY"
    return None


class DateColumns:
    """Parses the date cells of one file, holding the day/month order once decided."""

    def __init__(self, path: str, date_format: str | None, columns: Iterable[str] = (), headers: Iterable[str] = ()):
        self.path = path
        self.order = parse_date_format(date_format) if date_format else None
        self.given = self.order is not None
        self.basis: str = f"--date-format {ORDERS[self.order]}" if self.order else ""
        self.headers = dict(zip(columns, headers))

    def parse(self, column: str, text: str, line: int, scan: Callable[[], Iterable[tuple[int, str]]] | None) -> date:
        m = _ISO.match(text)
        if m:
            return self._make(column, text, int(m.group(1)), int(m.group(2)), int(m.group(3)))
        m = _SERIAL.match(text)
        if m:
            d = excel_serial(float(text))
            if d is None:
                raise FieldError(column, f"invalid date {text!r} (a number, but not a plausible Excel date serial)")
            return d
        m = _SLASHED.match(text)
        if not m:
            raise FieldError(column, f"invalid date {text!r} (expected YYYY-MM-DD, DD/MM/YYYY or MM/DD/YYYY)")
        a, b, year = int(m.group(1)), int(m.group(3)), m.group(4)
        if a > 12 and b > 12 or not a or not b:
            raise FieldError(column, f"invalid date {text!r} (no month {a} or {b})")
        if len(year) == 2:
            raise FieldError(column, f"invalid date {text!r}: two-digit year; write the year in full")
        if self.order is None or self.order == "YMD":
            if self.order is None:
                order = _order_of(a, b)
                if order is not None:
                    self.order, self.basis = order, f"line {line} ({text!r})"
                elif a == b:
                    return self._make(column, text, int(year), a, a)  # 5/5/2024 reads the same both ways
                else:
                    self._decide(column, text, line, scan)
            else:
                raise FieldError(column, f"invalid date {text!r} (--date-format is YYYY-MM-DD)")
        day, month = (a, b) if self.order == "DMY" else (b, a)
        return self._make(column, text, int(year), month, day)

    def _make(self, column: str, text: str, y: int, mo: int, d: int) -> date:
        try:
            return date(y, mo, d)
        except ValueError as exc:
            why = f"read as {ORDERS[self.order]}, decided by {self.basis}" if self.order and self.order != "YMD" else str(exc)
            raise FieldError(column, f"invalid date {text!r} ({exc}; {why})" if self.order else f"invalid date {text!r} ({exc})") from None

    def _decide(self, column: str, text: str, line: int, scan) -> None:
        """Every slashed date so far reads both ways: look through the whole file once."""
        found: dict[str, tuple[int, str]] = {}
        for other_line, other in scan() if scan is not None else ():
            m = _SLASHED.match(str(other).strip())
            if m:
                order = _order_of(int(m.group(1)), int(m.group(3)))
                if order is not None and order not in found:
                    found[order] = (other_line, other.strip())
                    if len(found) == 2:
                        break
        if len(found) == 2:
            (l1, t1), (l2, t2) = found["DMY"], found["MDY"]
            raise InventoryError(
                self.path,
                f"dates are written both ways: {t1!r} (line {l1}) is day/month, {t2!r} (line {l2}) is month/day; "
                "correct the file or give --date-format DD/MM/YYYY or MM/DD/YYYY",
                min(l1, l2),
            )
        if not found:
            header = self.headers.get(column, column)
            raise InventoryError(
                self.path,
                f"column {header!r}: date {text!r} could be day/month or month/day, and no date in the file "
                "decides; give --date-format DD/MM/YYYY or --date-format MM/DD/YYYY",
                line,
            )
        self.order, (found_line, found_text) = next(iter(found.items()))
        self.basis = f"line {found_line} ({found_text!r})"
