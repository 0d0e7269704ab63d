"""The project config file: `auditor.toml`, or `[tool.auditor]` in `pyproject.toml`.

Found in the working directory, or named with `--config FILE`. It holds what a team wants
every audit of its repository to use (column map, date format, formats, fail-on level,
lists database, waiver, cleared and ownership files …), so CI and officers run the same
audit. Command-line flags override it; `auditor config show` prints the merged settings and
where each came from.

To add a setting, add one `Key` to KEYS: the name in the file, the click
parameter of `auditor audit` it feeds, and its kind. Relative paths are relative to the
config file, not to the directory the command runs in.

    # auditor.toml
    format = ["json", "html", "sarif"]
    fail_on = "medium"
    date_format = "MM/DD/YYYY"
    waivers = "compliance/waivers.toml"
    allow_missing = ["mac"]

    [map]
    "Miner Type" = "model"
    "Rig Tag" = "serial"
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from auditor.errors import location

FILE_NAMES = ("auditor.toml", "pyproject.toml")


@dataclass(frozen=True)
class Key:
    name: str  # as written in the config file
    param: str  # click parameter name of `auditor audit`
    kind: str  # str | url | path | paths | strs | bool | int | map | formats
    help: str


KEYS: dict[str, Key] = {k.name: k for k in (
    Key("map", "column_map", "map", 'header -> field, like --map "Header=field"'),
    Key("date_format", "date_format", "str", "DD/MM/YYYY or MM/DD/YYYY (--date-format)"),
    Key("sheet", "sheet", "str", "workbook sheet to read (--sheet)"),
    Key("encoding", "encoding", "str", "legacy CSV encoding (--encoding)"),
    Key("format", "formats", "formats", "output formats (--format)"),
    Key("fail_on", "fail_on", "str", "gate severity (--fail-on)"),
    Key("out", "out_dir", "path", "report directory (--out)"),
    Key("rules", "rule_dirs", "paths", "rule directories (--rules)"),
    Key("db", "db_url", "str", "lists and history database URL (--db)"),
    Key("waivers", "waivers_path", "path", "waiver file (--waivers)"),
    Key("cleared", "cleared", "path", "cleared screening matches (--cleared)"),
    Key("ownership", "ownership", "path", "ownership records (--ownership)"),
    Key("approved_firmware", "approved_firmware", "path", "approved-firmware list (--approved-firmware)"),
    Key("tariffs", "tariffs", "path", "tariff schedule (--tariffs)"),
    Key("facilities", "facilities", "path", "facility registry (--facilities)"),
    Key("advisories", "advisories", "path", "firmware advisories (--advisories)"),
    Key("allow_missing", "allow_missing", "strs", "fields acknowledged as missing (--allow-missing)"),
    Key("strict", "strict", "bool", "rejected rows make the audit incomplete (--strict)"),
    Key("org", "organisation", "str", "organisation name on the report (--org)"),
    Key("max_list_age", "max_list_age", "int", "days before an imported list is stale (--max-list-age)"),
    # Signing settings apply to `auditor sign` and to `auditor audit --sign`; an unsigned audit ignores them.
    Key("tsa", "tsa_url", "url", "RFC 3161 time-stamping authority for signatures (--tsa)"),
    Key("long_term", "long_term", "bool", "PAdES B-LTA when signing with a TSA (--long-term)"),
)}


class ConfigError(ValueError):
    def __init__(self, path: str, line: int | None, message: str):
        self.path, self.line, self.message = path, line, message
        super().__init__(f"{location(path, line)}: {message}")


@dataclass
class Config:
    """Settings read from one file: audit parameter -> value, and where each was written."""

    path: Path | None = None
    values: dict[str, Any] = field(default_factory=dict)  # click parameter name -> value
    origins: dict[str, str] = field(default_factory=dict)  # click parameter name -> "file:line"

    def default_map(self) -> dict[str, Any]:
        """For click: config values become the defaults that command-line flags override."""
        return dict(self.values)


def find(explicit: str | Path | None, cwd: Path | None = None) -> Path | None:
    """--config FILE, else auditor.toml, else a pyproject.toml with [tool.auditor], in `cwd`."""
    if explicit:
        p = Path(explicit)
        if not p.is_file():
            raise ConfigError(str(p), None, "no such config file")
        return p
    base = cwd or Path.cwd()
    if (base / "auditor.toml").is_file():
        return base / "auditor.toml"
    py = base / "pyproject.toml"
    if py.is_file():
        try:
            if "auditor" in tomllib.loads(py.read_text(encoding="utf-8")).get("tool", {}):
                return py
        except (tomllib.TOMLDecodeError, UnicodeDecodeError):
            return None  # someone else's broken pyproject is not our configuration
    return None


def load(explicit: str | Path | None = None, cwd: Path | None = None) -> Config:
    path = find(explicit, cwd)
    if path is None:
        return Config()
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(str(path), None, f"cannot read: {exc}") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"\(at line (\d+)", str(exc))
        raise ConfigError(str(path), int(m.group(1)) if m else None, f"invalid TOML: {exc}") from None
    section = None
    if path.name == "pyproject.toml":
        data = data.get("tool", {}).get("auditor", {})
        section = "tool.auditor"
        if not isinstance(data, dict):
            raise ConfigError(str(path), _line(text, "auditor", None), "[tool.auditor] must be a table")
    cfg = Config(path=path)
    base = path.parent
    for name, value in data.items():
        key = KEYS.get(name)
        line = _line(text, name, section)
        if key is None:
            raise ConfigError(str(path), line, f"unknown setting {name!r} (known: {', '.join(sorted(KEYS))})")
        cfg.values[key.param] = _convert(key, value, base, str(path), line)
        cfg.origins[key.param] = location(str(path), line)
    return cfg


def _convert(key: Key, value: Any, base: Path, path: str, line: int | None) -> Any:
    def bad(expected: str) -> ConfigError:
        return ConfigError(path, line, f"{key.name} must be {expected}, not {type(value).__name__}")

    kind = key.kind
    if kind == "str":
        if not isinstance(value, str):
            raise bad("a string")
        return value
    if kind == "url":
        if not isinstance(value, str) or not re.match(r"https?://[^\s/]+", value):
            raise ConfigError(path, line, f"{key.name} must be an http:// or https:// URL, not {value!r}")
        return value
    if kind == "int":
        if not isinstance(value, int) or isinstance(value, bool):
            raise bad("a whole number")
        return value
    if kind == "bool":
        if not isinstance(value, bool):
            raise bad("true or false")
        return value
    if kind == "path":
        if not isinstance(value, str):
            raise bad("a path")
        return str(_relative(base, value))
    if kind == "paths":
        items = [value] if isinstance(value, str) else value
        if not isinstance(items, list) or not all(isinstance(v, str) for v in items):
            raise bad("a list of paths")
        return [str(_relative(base, v)) for v in items]
    if kind == "strs":
        items = [value] if isinstance(value, str) else value
        if not isinstance(items, list) or not all(isinstance(v, str) for v in items):
            raise bad("a list of strings")
        return list(items)
    if kind == "formats":
        items = value.split(",") if isinstance(value, str) else value
        if not isinstance(items, list) or not all(isinstance(v, str) for v in items):
            raise bad('a list of format names, e.g. ["json", "html"]')
        return ",".join(v.strip() for v in items)
    if kind == "map":
        if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
            raise bad('a table of "Header" = "field"')
        return [f"{h}={f}" for h, f in value.items()]
    raise AssertionError(kind)


def _relative(base: Path, value: str) -> Path:
    p = Path(value).expanduser()
    if p.is_absolute() or "://" in value:
        return p
    try:
        return (base / p).relative_to(Path.cwd())
    except ValueError:
        return base / p


def _line(text: str, key: str, section: str | None) -> int | None:
    """Line of `key = …` or `[key]` (inside [section] for pyproject.toml); tomllib keeps none."""
    lines = text.splitlines()
    start = 0
    if section:
        pat = re.compile(r"^\s*\[\s*" + re.escape(section) + r"\s*\]")
        start = next((i for i, ln in enumerate(lines) if pat.match(ln)), 0)
    prefix = re.escape(section + ".") if section else ""
    pat = re.compile(r"^\s*(?:[\"']?" + re.escape(key) + r"[\"']?\s*=|\[\s*" + prefix + re.escape(key) + r"\s*\])")
    for i in range(start, len(lines)):
        if pat.match(lines[i]):
            return i + 1
    return None
