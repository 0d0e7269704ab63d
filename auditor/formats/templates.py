"""The Jinja2 environment shared by the HTML and PDF renderers (autoescaping on)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from auditor.shipped import shipped_dir


def templates_dir() -> Path:
    """reports/templates inside the installed wheel, or at the repository root in a checkout."""
    return shipped_dir("reports/templates", "templates")


@lru_cache(maxsize=1)
def environment():
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir())),
        autoescape=jinja2.select_autoescape(["html", "j2", "xml"], default=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env
