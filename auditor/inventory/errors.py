"""Errors that stop reading an inventory file altogether (exit 2: nothing evaluated)."""

from auditor.errors import location


class InventoryError(Exception):
    def __init__(self, path: str, message: str, line: int | None = None, column: int | None = None):
        self.path, self.line, self.column, self.message = path, line, column, message
        super().__init__(f"{location(path, line, column)}: {message}")
