"""The one way auditor names a place in a file in its messages: `path:line:column`."""

from __future__ import annotations


def location(path: object, line: int | None = None, column: int | None = None) -> str:
    """`path`, `path:line` or `path:line:column` (a column only means something with a line)."""
    where = str(path)
    if line is not None:
        where += f":{line}"
        if column is not None:
            where += f":{column}"
    return where
