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
}

DEFAULT = ("json", "html")


def names() -> list[str]:
    return sorted(_REGISTRY)


def get(name: str):
    target = _REGISTRY.get(name)
    if target is None:
        return None
    module, attr = target.split(":")
    return getattr(importlib.import_module(module), attr)
