"""Registry of output formats: `--format NAME` selects one. One line per format."""

from __future__ import annotations

import importlib

from auditor.formats.base import Format  # noqa: F401

_REGISTRY: dict[str, str] = {
    "json": "auditor.formats.json_format:FORMAT",
    "html": "auditor.formats.html_format:FORMAT",
    "pdf": "auditor.formats.pdf_format:FORMAT",
    "csv": "auditor.formats.csv_format:FORMAT",
    "sarif": "auditor.formats.sarif_format:FORMAT",
    "junit": "auditor.formats.junit_format:FORMAT",
    "md": "auditor.formats.markdown_format:FORMAT",
    "parquet": "auditor.formats.parquet_format:FORMAT",
}

# Formats whose library is an optional extra: checked before anything is evaluated.
_OPTIONAL: dict[str, str] = {
    "parquet": "auditor.formats.parquet_format",
}

DEFAULT = ("json", "html")


def names() -> list[str]:
    return sorted(_REGISTRY)


def missing_dependency(name: str) -> str | None:
    """Why format `name` cannot be written on this installation (None when it can)."""
    module = _OPTIONAL.get(name)
    if module is None:
        return None
    mod = importlib.import_module(module)
    return None if mod.available() else mod.MISSING_HINT


def filenames(name: str) -> tuple[str, ...]:
    """Every file format `name` writes into --out (most write one)."""
    fmt = get(name)
    return (fmt.filename, *getattr(fmt, "extra_filenames", ()))


def get(name: str):
    target = _REGISTRY.get(name)
    if target is None:
        return None
    module, attr = target.split(":")
    return getattr(importlib.import_module(module), attr)
