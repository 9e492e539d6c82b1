"""The presence table (who has a map open) joins the schema; a map's language is TEXT.

Before, ``cjm.presence`` created ``cjm_presence`` on first use, so a database may hold it already.
``language`` needs no change on SQLite, where VARCHAR(16) and TEXT are the same type (SQLite enforces
no length) and rebuilding ``maps`` would cascade-delete every version.
The ``schema_version`` row of ``cjm_meta`` is dropped: the Alembic revision is the schema's version now.

Revision ID: 0002_presence_language_text
Revises: 0001_first_release
"""

import sqlalchemy as sa
from alembic import op

revision = "0002_presence_language_text"
down_revision = "0001_first_release"
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        op.alter_column("maps", "language", type_=sa.Text, existing_type=sa.String(16), existing_nullable=False)
    if not sa.inspect(bind).has_table("cjm_presence"):
        op.create_table(
            "cjm_presence",
            sa.Column("map_id", sa.String(255), primary_key=True),
            sa.Column("session_id", sa.String(64), primary_key=True),
            sa.Column("user_name", sa.String(200), nullable=False),
            sa.Column("last_seen", sa.DateTime(timezone=True), nullable=False),
        )
        op.create_index("ix_cjm_presence_last_seen", "cjm_presence", ["last_seen"])
    op.execute(sa.text("DELETE FROM cjm_meta WHERE key = 'schema_version'"))


def downgrade() -> None:
    op.drop_index("ix_cjm_presence_last_seen", "cjm_presence")
    op.drop_table("cjm_presence")
    op.execute(sa.text("INSERT INTO cjm_meta (key, value) VALUES ('schema_version', '1')"))
