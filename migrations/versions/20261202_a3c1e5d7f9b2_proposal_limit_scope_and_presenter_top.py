"""proposal limit scope and presenter top N

Revision ID: a3c1e5d7f9b2
Revises: 6e10b19ee3c7
Create Date: 2026-12-02 12:20:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a3c1e5d7f9b2'
down_revision = '6e10b19ee3c7'
branch_labels = None
depends_on = None


def upgrade():
    # Existing collect steps keep counting over the whole step, as they always did.
    with op.batch_alter_table('steps', schema=None) as batch_op:
        batch_op.add_column(sa.Column('limit_per_domain', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
        batch_op.add_column(sa.Column('presenter_top', sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table('steps', schema=None) as batch_op:
        batch_op.drop_column('presenter_top')
        batch_op.drop_column('limit_per_domain')
