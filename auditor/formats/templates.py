"""The Jinja2 environment shared by the HTML and PDF renderers (autoescaping on)."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from markupsafe import Markup, escape

from auditor.shipped import shipped_dir

# Where a long name may break: after a path separator, underscore, hyphen or dot.
_BREAK_AFTER = re.compile(r"([/\\_.\-])(?=.)")


def templates_dir() -> Path:
    """reports/templates inside the installed wheel, or at the repository root in a checkout."""
    return shipped_dir("reports/templates", "templates")


def breakable(text: object) -> Markup:
    """`text` escaped, with line-break opportunities (<wbr>) after / _ . - only.

    File names, list names and URLs then wrap between their parts ("fleet2" / ".csv") rather
    than at an arbitrary letter ("fleet2.cs" / "v") when a table column is narrow.
    """
    return Markup(_BREAK_AFTER.sub(r"\1<wbr>", str(escape("" if text is None else text))))


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
    env.filters["breakable"] = breakable
    return env
