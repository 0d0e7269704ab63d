"""Message templates and JSON-safe evidence values."""

from __future__ import annotations

import string
from datetime import date
from decimal import Decimal
from typing import Any, Mapping, Sequence

MISSING = "(missing)"


class Part(str):
    """A piece of sentence a check builds itself (" and 2 more listed entries"): empty means
    there is nothing to add, never a missing inventory value, so it renders as nothing."""


def json_value(v: Any) -> Any:
    """Evidence values as JSON scalars: dates ISO, decimals as strings (exact)."""
    if isinstance(v, date):
        return v.isoformat()
    if isinstance(v, Decimal):
        return format(v, "f")
    if isinstance(v, (list, tuple)):
        return [json_value(x) for x in v]
    if isinstance(v, dict):
        return {str(k): json_value(x) for k, x in v.items()}
    return v


class _Formatter(string.Formatter):
    def get_value(self, key: int | str, args: Sequence[Any], kwargs: Mapping[str, Any]) -> Any:
        v = kwargs.get(str(key))
        if isinstance(v, Part):
            return str(v)
        return MISSING if v is None or v == "" else v

    def format_field(self, value: Any, format_spec: str) -> Any:
        if isinstance(value, date):
            value = value.isoformat()
        return super().format_field(value, format_spec)


_FORMATTER = _Formatter()


def placeholders(template: str) -> set[str]:
    """Names used as {name} in a template. Raises ValueError on a malformed template."""
    names = set()
    for _, name, _, _ in _FORMATTER.parse(template):
        if name is not None:
            if not name.isidentifier():
                raise ValueError(f"placeholder {{{name}}} is not a plain name")
            names.add(name)
    return names


def render(template: str, values: Mapping[str, Any]) -> str:
    return _FORMATTER.format(template, **values)
