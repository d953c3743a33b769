"""lifecycle: validators and current raw version on links, gone after repeated 404s, withdrawn reports

Revision ID: 0003_lifecycle
Revises: 0002_coverage
"""

from alembic import op
import sqlalchemy as sa

revision = "0003_lifecycle"
down_revision = "0002_coverage"
branch_labels = None
depends_on = None

_BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
# The newest raw version of each link: what was current before this migration.
_NEWEST = ("(SELECT r.{column} FROM raw_versions r WHERE r.url = links.url "
           "ORDER BY r.version DESC LIMIT 1)")


def _sqlite_foreign_keys(on: bool) -> None:
    """SQLite rebuilds `reports` to make a column nullable; its children must not block the DROP.

    `foreign_keys=OFF` takes effect only outside a transaction (pysqlite opens one at the
    first data change; an earlier migration of the same upgrade may have). Inside one,
    `defer_foreign_keys` moves the checks to the commit, when the rebuilt table holds
    every row again.
    """
    if op.get_bind().dialect.name == "sqlite":
        op.execute(f"PRAGMA foreign_keys={'ON' if on else 'OFF'}")
        if not on:
            op.execute("PRAGMA defer_foreign_keys=ON")


def upgrade() -> None:
    _sqlite_foreign_keys(False)
    with op.batch_alter_table("links") as batch:
        batch.add_column(sa.Column("etag", sa.String(length=400), nullable=True))
        batch.add_column(sa.Column("last_modified", sa.String(length=100), nullable=True))
        batch.add_column(sa.Column("current_raw_version_id", _BIG_ID, nullable=True))
        batch.add_column(sa.Column("missing_answers", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("missing_since", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("reports") as batch:
        batch.add_column(sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("discovery_key", sa.String(length=2000), nullable=True))
        batch.add_column(sa.Column("merged_into_id", _BIG_ID, nullable=True))
        batch.alter_column("report_year", existing_type=sa.Integer(), nullable=True)
        batch.create_index("ix_reports_discovery_key", ["discovery_key"])
    _sqlite_foreign_keys(True)
    # No "year 0" bucket: an unknown year is NULL. Existing reports are keyed by the
    # source of their first version (the page or document group they were found as).
    op.execute("UPDATE reports SET report_year = NULL WHERE report_year = 0")
    op.execute(
        "UPDATE reports SET discovery_key = (SELECT v.source_url FROM report_versions v "
        "WHERE v.report_id = reports.id ORDER BY v.version LIMIT 1)"
    )
    op.execute(
        "UPDATE links SET "
        f"etag = {_NEWEST.format(column='etag')}, "
        f"last_modified = {_NEWEST.format(column='last_modified')}, "
        f"current_raw_version_id = {_NEWEST.format(column='id')}"
    )
    # Links retired by a single 404 under the old rule get their chance again.
    op.execute("UPDATE links SET gone_at = NULL, gone_status = NULL")


def downgrade() -> None:
    _sqlite_foreign_keys(False)
    op.execute("UPDATE reports SET report_year = 0 WHERE report_year IS NULL")
    with op.batch_alter_table("reports") as batch:
        batch.drop_index("ix_reports_discovery_key")
        batch.alter_column("report_year", existing_type=sa.Integer(), nullable=False)
        for column in ("merged_into_id", "discovery_key", "withdrawn_at"):
            batch.drop_column(column)
    with op.batch_alter_table("links") as batch:
        for column in ("missing_since", "missing_answers", "current_raw_version_id", "last_modified", "etag"):
            batch.drop_column(column)
    _sqlite_foreign_keys(True)
