"""List versions: when `lists update` last downloaded a version's file again and found it unchanged.

Revision ID: 0003_list_checked
Revises: 0002_runs
"""

import sqlalchemy as sa
from alembic import op

revision = "0003_list_checked"
down_revision = "0002_runs"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("list_versions", sa.Column("checked_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("list_versions") as batch:
        batch.drop_column("checked_at")
