"""refresh policy: when a nightly run checks each known document again

Revision ID: 0004_refresh_policy
Revises: 0003_lifecycle
"""

from alembic import op
import sqlalchemy as sa

revision = "0004_refresh_policy"
down_revision = "0003_lifecycle"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("links") as batch_op:
        batch_op.add_column(sa.Column("next_check_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("check_interval_days", sa.Float(), nullable=True))
        batch_op.create_index("ix_links_next_check_at", ["next_check_at"])


def downgrade() -> None:
    with op.batch_alter_table("links") as batch_op:
        batch_op.drop_index("ix_links_next_check_at")
        batch_op.drop_column("check_interval_days")
        batch_op.drop_column("next_check_at")
