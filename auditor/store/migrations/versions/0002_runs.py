"""Audit history: runs, finding groups, findings, assets seen, waivers applied.

Revision ID: 0002_runs
Revises: 0001_lists
"""

import sqlalchemy as sa
from alembic import op

revision = "0002_runs"
down_revision = "0001_lists"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "runs",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("as_of", sa.Date, nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("tool_version", sa.String(64), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("input_hash", sa.String(64), nullable=False),
        sa.Column("rules_hash", sa.String(64), nullable=False),
        sa.Column("inputs_json", sa.Text, nullable=False),
        sa.Column("rules_json", sa.Text, nullable=False),
        sa.Column("lists_json", sa.Text, nullable=False),
        sa.Column("summary_json", sa.Text, nullable=False),
        sa.Column("incomplete_json", sa.Text, nullable=False),
        sa.Column("findings_count", sa.Integer, nullable=False),
        sa.Column("assets_count", sa.Integer, nullable=False),
    )
    op.create_table(
        "run_groups",
        sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("group_no", sa.Integer, primary_key=True),
        sa.Column("rule_id", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("severity", sa.String(16), nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("message", sa.Text, nullable=False),
        sa.Column("evidence_json", sa.Text, nullable=False),
    )
    op.create_table(
        "run_findings",
        sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("finding_no", sa.Integer, primary_key=True),
        sa.Column("group_no", sa.Integer, nullable=False),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("asset_key", sa.Text, nullable=False),
        sa.Column("serial", sa.Text),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("line", sa.Integer, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("waiver_id", sa.String(200)),
        sa.Column("row_evidence_json", sa.Text),
        sa.ForeignKeyConstraint(
            ["run_id", "group_no"], ["run_groups.run_id", "run_groups.group_no"], ondelete="CASCADE"
        ),
        sqlite_with_rowid=False,  # clustered on the primary key: one b-tree, not two
    )
    op.create_table(
        "run_assets",
        sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("asset_no", sa.Integer, primary_key=True),
        sa.Column("asset_key", sa.Text, nullable=False),
        sa.Column("supplier", sa.Text),
        sa.Column("model", sa.Text),
        sa.Column("rows", sa.Integer, nullable=False),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "run_waivers",
        sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("waiver_id", sa.String(200), primary_key=True),
        sa.Column("decision", sa.String(16), nullable=False),
        sa.Column("rule_id", sa.String(200), nullable=False),
        sa.Column("expires", sa.Date, nullable=False),
        sa.Column("approver", sa.Text, nullable=False),
        sa.Column("findings", sa.Integer, nullable=False),
        sa.Column("waiver_json", sa.Text, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("run_waivers")
    op.drop_table("run_assets")
    op.drop_table("run_findings")
    op.drop_table("run_groups")
    op.drop_table("runs")
