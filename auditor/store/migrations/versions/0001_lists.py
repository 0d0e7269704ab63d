"""Reference lists: imported list versions and their entries.

Revision ID: 0001_lists
Revises: 0000_base
"""

import sqlalchemy as sa
from alembic import op

revision = "0001_lists"
down_revision = "0000_base"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "list_versions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("slot", sa.String(32), nullable=False),
        sa.Column("format", sa.String(32), nullable=False),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("retrieved", sa.Date, nullable=True),
        sa.Column("rows", sa.Integer, nullable=False),
        sa.Column("entries", sa.Integer, nullable=False),
        sa.Column("counts", sa.JSON, nullable=False),
        sa.Column("notes", sa.JSON, nullable=False),
        sa.Column("warnings", sa.JSON, nullable=False),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.Column("superseded_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_list_versions_slot", "list_versions", ["slot"])
    op.create_index("ix_list_versions_active", "list_versions", ["active"])
    # At most one active version per slot, even if two imports race on a shared server.
    op.create_index(
        "uq_list_versions_active_slot",
        "list_versions",
        ["slot"],
        unique=True,
        sqlite_where=sa.text("active"),
        postgresql_where=sa.text("active"),
    )
    op.create_table(
        "list_entries",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "version_id", sa.Integer, sa.ForeignKey("list_versions.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("list_name", sa.Text, nullable=False),
        sa.Column("entity_id", sa.Text, nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("aliases", sa.JSON, nullable=False),
        sa.Column("entity_type", sa.String(32), nullable=True),
        sa.Column("country", sa.String(64), nullable=True),
        sa.Column("programs", sa.JSON, nullable=False),
        sa.Column("start_date", sa.Date, nullable=True),
        sa.Column("end_date", sa.Date, nullable=True),
        sa.Column("citation", sa.Text, nullable=False),
        sa.Column("legal_effect", sa.Text, nullable=False),
        sa.Column("addresses", sa.JSON, nullable=False),
        sa.Column("remarks", sa.Text, nullable=False),
    )
    op.create_index("ix_list_entries_version_id", "list_entries", ["version_id"])


def downgrade() -> None:
    op.drop_index("ix_list_entries_version_id", "list_entries")
    op.drop_table("list_entries")
    op.drop_index("uq_list_versions_active_slot", "list_versions")
    op.drop_index("ix_list_versions_active", "list_versions")
    op.drop_index("ix_list_versions_slot", "list_versions")
    op.drop_table("list_versions")
