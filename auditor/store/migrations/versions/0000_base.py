"""Empty base revision: every later migration hangs off this one.

Revision ID: 0000_base
"""

revision = "0000_base"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
