"""Where the files that ship beside the code are: inside the wheel, or in a checkout.

`rules/` and `reports/templates/` live at the repository root (reviewable, editable by
compliance staff); the wheel copies them to `auditor/_data/` (pyproject.toml).
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def shipped_dir(repo_path: str, packaged_name: str) -> Path:
    """`auditor/_data/<packaged_name>` when installed, else `<repository>/<repo_path>`."""
    packaged = _PACKAGE / "_data" / packaged_name
    return packaged if packaged.is_dir() else _PACKAGE.parent / repo_path
