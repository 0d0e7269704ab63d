"""The packages import in one direction: model <- store, screening <- refdata (the loaders).

The list store and the screener share ListEntry through auditor.model; they never import the
reference-data package, which assembles them for an audit. Every import counts, including the
ones inside functions (a lazy import is still a dependency).
"""

from __future__ import annotations

import ast

import pytest

from tests.conftest import REPO


def imports_of(package: str) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for path in sorted((REPO / "auditor" / package).rglob("*.py")):
        names: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names.update(a.name for a in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.add(node.module)
        out[str(path.relative_to(REPO))] = names
    return out


@pytest.mark.parametrize("package", ["store", "screening"])
def test_store_and_screening_never_import_refdata(package):
    offending = {f: sorted(n for n in names if n == "auditor.refdata" or n.startswith("auditor.refdata."))
                 for f, names in imports_of(package).items()}
    assert {f: n for f, n in offending.items() if n} == {}


def test_the_core_never_imports_the_command_line_or_the_run():
    for package in ("engine", "refdata", "screening", "store", "formats"):
        for f, names in imports_of(package).items():
            assert not any(n.startswith(("auditor.cli", "auditor.run")) for n in names), f
