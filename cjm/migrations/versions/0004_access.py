"""Access control: roles per map, read-only share links, the trash and the activity log (``cjm.access``).

Revision ID: 0004_access
Revises: 0003_notify_map_changes
"""

import sqlalchemy as sa
from alembic import op

revision = "0004_access"
down_revision = "0003_notify_map_changes"
branch_labels = None
depends_on = None


def _map_fk():
    return sa.ForeignKey("maps.map_id", ondelete="CASCADE")


def upgrade() -> None:
    op.create_table(
        "cjm_map_roles",
        sa.Column("map_id", sa.String(255), _map_fk(), primary_key=True),
        sa.Column("email", sa.String(320), primary_key=True),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("granted_by", sa.Text, nullable=False),
        sa.Column("granted_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "cjm_share_links",
        sa.Column("token_hash", sa.String(64), primary_key=True),
        sa.Column("map_id", sa.String(255), _map_fk(), nullable=False),
        sa.Column("created_by", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_cjm_share_links_map_id", "cjm_share_links", ["map_id"])
    op.create_table(
        "cjm_trash",
        sa.Column("map_id", sa.String(255), _map_fk(), primary_key=True),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("deleted_by", sa.Text, nullable=False),
    )
    op.create_table(
        "cjm_activity",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("map_id", sa.String(255), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.Text, nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("detail", sa.Text, nullable=False),
    )
    op.create_index("ix_cjm_activity_map_id", "cjm_activity", ["map_id"])


def downgrade() -> None:
    op.drop_index("ix_cjm_activity_map_id", "cjm_activity")
    op.drop_table("cjm_activity")
    op.drop_table("cjm_trash")
    op.drop_index("ix_cjm_share_links_map_id", "cjm_share_links")
    op.drop_table("cjm_share_links")
    op.drop_table("cjm_map_roles")
