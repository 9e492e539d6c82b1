"""The schema of cjm's first release: maps, their versions, and facts about the database.

Databases made before cjm used Alembic hold exactly these tables (``language`` was VARCHAR(16) then);
``cjm.migrations.upgrade`` marks such a database as being at this revision and upgrades it from here.

Revision ID: 0001_first_release
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001_first_release"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "maps",
        sa.Column("map_id", sa.String(255), primary_key=True),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("map_type", sa.String(40), nullable=False),
        sa.Column("persona", sa.Text, nullable=False),
        sa.Column("segment", sa.Text, nullable=False),
        sa.Column("touchpoints", sa.Integer, nullable=False),
        sa.Column("baseline_id", sa.String(255), nullable=True),
        sa.Column("language", sa.String(16), nullable=False),
        sa.Column("current_version", sa.Integer, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.Text, nullable=False),
    )
    op.create_table(
        "map_versions",
        sa.Column("map_id", sa.String(255), sa.ForeignKey("maps.map_id", ondelete="CASCADE"), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("data", sa.Text, nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("touchpoints", sa.Integer, nullable=False),
        sa.Column("author", sa.Text, nullable=False),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("saved_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("map_id", "version", name="uq_map_versions_map_id_version"),
    )
    op.create_table(
        "cjm_meta",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("map_versions")
    op.drop_table("maps")
    op.drop_table("cjm_meta")
