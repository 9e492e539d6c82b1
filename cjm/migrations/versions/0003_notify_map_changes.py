"""PostgreSQL tells every listening app process when a map changes (``NOTIFY cjm_maps``).

A trigger on ``maps`` sends ``{"map_id": …, "version": …}`` (version null when the map was deleted) on
the channel ``cjm_maps`` whenever a map is created, saved or deleted, by any writer. Notifications are
delivered when the writing transaction commits, never for a rolled-back save. ``cjm.live`` listens.
SQLite has no such thing: there the app checks the version (one indexed query) instead.

Revision ID: 0003_notify_map_changes
Revises: 0002_presence_language_text
"""

from alembic import op

revision = "0003_notify_map_changes"
down_revision = "0002_presence_language_text"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(
        """
        CREATE OR REPLACE FUNCTION cjm_notify_map_change() RETURNS trigger AS $$
        BEGIN
            IF TG_OP = 'DELETE' THEN
                PERFORM pg_notify('cjm_maps', json_build_object('map_id', OLD.map_id, 'version', NULL)::text);
                RETURN OLD;
            END IF;
            PERFORM pg_notify('cjm_maps', json_build_object('map_id', NEW.map_id, 'version', NEW.current_version)::text);
            RETURN NEW;
        END;
        $$ LANGUAGE plpgsql
        """
    )
    op.execute(
        """
        CREATE TRIGGER cjm_maps_notify AFTER INSERT OR UPDATE OR DELETE ON maps
        FOR EACH ROW EXECUTE FUNCTION cjm_notify_map_change()
        """
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP TRIGGER IF EXISTS cjm_maps_notify ON maps")
    op.execute("DROP FUNCTION IF EXISTS cjm_notify_map_change()")
