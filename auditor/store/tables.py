"""Imports every table module so that Base.metadata knows the whole schema."""

import auditor.store.lists  # noqa: F401  (list_versions, list_entries)
import auditor.store.runs  # noqa: F401,E402  (audit history)
from auditor.store.base import Base  # noqa: F401
