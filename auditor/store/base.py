"""The declarative base shared by every table of the store.

Tables live in one module per concern (lists.py for reference lists, runs.py for audit
history); each registers on this metadata, and Alembic migrations under migrations/versions
are the only way the schema changes.
"""

from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    pass
