"""The Jinja2 environment shared by the HTML and PDF renderers (autoescaping on)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path


def templates_dir() -> Path:
    """reports/templates inside the installed wheel, or at the repository root in a checkout."""
    here = Path(__file__).resolve().parent.parent
    packaged = here / "_data" / "templates"
    return packaged if packaged.is_dir() else here.parent / "reports" / "templates"


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
