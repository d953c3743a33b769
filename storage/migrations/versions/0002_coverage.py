"""coverage: each site's expectations from the registry (expected_from, expected_agencies, aliases)

Revision ID: 0002_coverage
Revises: 0001
"""

from alembic import op
import sqlalchemy as sa


revision = '0002_coverage'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('sites', schema=None) as batch_op:
        batch_op.add_column(sa.Column('coverage_rules', sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('sites', schema=None) as batch_op:
        batch_op.drop_column('coverage_rules')
