"""crawl runs record the process that owns them

A run whose owner process is gone (killed, machine rebooted) can then be shown
and marked as interrupted instead of staying "running" for ever.

Revision ID: 0005_run_owner
Revises: 0004_refresh_policy
"""

from alembic import op
import sqlalchemy as sa


revision = '0005_run_owner'
down_revision = '0004_refresh_policy'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('crawl_runs') as batch:
        batch.add_column(sa.Column('owner', sa.String(length=200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('crawl_runs') as batch:
        batch.drop_column('owner')
