"""Errors that stop reading an inventory file altogether (exit 2: nothing evaluated)."""

from auditor.errors import location


def check_input(path: str, what: str) -> None:
    """The same first words for every reader: a missing file or a directory is not an inventory."""
    from pathlib import Path

    p = Path(path)
    if not p.exists():
        raise InventoryError(path, "no such file")
    if p.is_dir():
        raise InventoryError(path, f"is a directory, not {what}")


class InventoryError(Exception):
    def __init__(self, path: str, message: str, line: int | None = None, column: int | None = None):
        self.path, self.line, self.column, self.message = path, line, column, message
        super().__init__(f"{location(path, line, column)}: {message}")
