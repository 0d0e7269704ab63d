"""Entries of screening lists: ListEntry is defined in auditor.model (shared with the store and
the screener, which must not import this package) and re-exported here."""

from auditor.model import ListEntry

__all__ = ["ListEntry"]
