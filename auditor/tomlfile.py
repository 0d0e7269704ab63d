"""The one way auditor reads a TOML file: bounded size, nesting and key length, errors with file:line:column.

Rules, waivers, cleared matches, ownership records, tariffs, facilities, advisories and the curated
list are all TOML, and all may come from someone else. `tomllib` alone is not safe on hostile text:
it recurses once per nested array or inline table (a few hundred `[[[[` exhaust the stack) and its
time grows with the square of a dotted key's parts (`a.a.a…` with 200k parts runs for hours). A
linear pre-scan refuses both before tomllib sees the text.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from auditor.errors import location
from auditor.limits import TOML_MAX_BYTES, TOML_MAX_DEPTH, TOML_MAX_KEY_PARTS, read_capped


class TomlFileError(ValueError):
    """A TOML file that cannot be read or parsed; `line`/`column` are 1-based when known."""

    def __init__(self, path: str, line: int | None, column: int | None, message: str):
        super().__init__(f"{location(path, line, column)}: {message}")
        self.path, self.line, self.column, self.message = path, line, column, message


@dataclass(frozen=True)
class TomlDocument:
    path: str
    raw: bytes
    text: str
    data: dict[str, Any]

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.raw).hexdigest()


def read_toml(path: str | Path, *, parse_float: Callable[[str], Any] = float, what: str = "TOML file") -> TomlDocument:
    """Read, decode (UTF-8, BOM allowed) and parse `path` within the limits of auditor.limits."""
    shown = str(path)
    try:
        raw = read_capped(path, TOML_MAX_BYTES, what)
    except OSError as exc:
        raise TomlFileError(shown, None, None, f"cannot read {what}: {exc.strerror or exc}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise TomlFileError(shown, line, column, f"not UTF-8 (byte 0x{raw[exc.start]:02x}); save the file as UTF-8") from None
    return TomlDocument(shown, raw, text, parse_toml(text, shown, parse_float=parse_float))


def parse_toml(text: str, path: str = "<string>", *, parse_float: Callable[[str], Any] = float) -> dict[str, Any]:
    """tomllib.loads after the pre-scan; every failure is a TomlFileError with line and column."""
    problem = _prescan(text)
    if problem is not None:
        pos, message = problem
        line, column = _line_col(text, pos)
        raise TomlFileError(path, line, column, message)
    try:
        return tomllib.loads(text, parse_float=parse_float)
    except tomllib.TOMLDecodeError as exc:
        m = _POSITION.search(str(exc))
        message = _POSITION.sub("", str(exc)).strip()
        line, column = (int(m.group(1)), int(m.group(2))) if m else (None, None)
        raise TomlFileError(path, line, column, f"invalid TOML: {message}") from None
    except RecursionError:  # the pre-scan bounds nesting; this is a second line of defence
        raise TomlFileError(path, None, None, f"nested more than {TOML_MAX_DEPTH} levels deep") from None


_POSITION = re.compile(r"\s*\(at line (\d+), column (\d+)\)")
# Characters the pre-scan acts on; everything between them is skipped by the regex engine.
_SPECIAL = re.compile(r"[\"'#\[\]{}=,.\n]")
_BASIC = re.compile(r'"(?:[^"\\\n]|\\.)*"')
_LITERAL = re.compile(r"'[^'\n]*'")


def _prescan(text: str) -> tuple[int, str] | None:
    """(offset, message) of the first nesting or dotted key beyond the limits, else None.

    Linear: strings and comments are skipped with find/regex from their opening character; an
    unterminated one ends the scan (tomllib then reports it with its position).
    """
    depth = 0
    dots = 0  # dots since the last `=`, newline, comma or bracket: the parts of one dotted key
    i = 0
    n = len(text)
    while True:
        m = _SPECIAL.search(text, i)
        if m is None:
            return None
        i = m.start()
        c = text[i]
        if c == ".":
            dots += 1
            if dots >= TOML_MAX_KEY_PARTS:
                return i, f"dotted key with more than {TOML_MAX_KEY_PARTS} parts"
            i += 1
        elif c in "[{":
            depth += 1
            dots = 0
            if depth > TOML_MAX_DEPTH:
                return i, f"arrays or inline tables nested more than {TOML_MAX_DEPTH} levels deep"
            i += 1
        elif c in "]}":
            depth = max(0, depth - 1)
            dots = 0
            i += 1
        elif c in "=,\n":
            dots = 0
            i += 1
        elif c == "#":
            j = text.find("\n", i)
            if j < 0:
                return None
            i = j
        elif text.startswith(c * 3, i):
            end = _multiline_end(text, i + 3, c)
            if end < 0:
                return None
            i = end
        else:
            s = (_BASIC if c == '"' else _LITERAL).match(text, i)
            if s is None:
                return None
            i = s.end()
        if i >= n:
            return None


def _multiline_end(text: str, start: int, quote: str) -> int:
    """Offset after the closing triple quote of a multi-line string, or -1 if there is none."""
    delim = quote * 3
    k = start
    while True:
        j = text.find(delim, k)
        if j < 0:
            return -1
        if quote == '"':
            b = j
            while b > start and text[b - 1] == "\\":
                b -= 1
            if (j - b) % 2:
                k = j + 1  # an escaped quote, not the end
                continue
        end = j + 3
        while end < len(text) and text[end] == quote and end - j < 5:
            end += 1  # up to two quotes may end the content itself: """a""""" is 'a""'
        return end


def _line_col(text: str, pos: int) -> tuple[int, int]:
    line_start = text.rfind("\n", 0, pos) + 1
    return text.count("\n", 0, pos) + 1, pos - line_start + 1
