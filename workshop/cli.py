"""The `flask koers …` command group."""

import click
from flask import current_app
from sqlalchemy.exc import SQLAlchemyError

from workshop.accounts import cli as accounts_cli
from workshop.core.database import SCHEMA_MESSAGES, schema_state
from workshop.demo import cli as demo_cli
from workshop.export import cli as export_cli
from workshop.privacy import cli as privacy_cli


class DatabaseCommands(click.Group):
    """Commands that work on the database: before one runs (and before it asks anything),
    a database that is missing or not migrated is named with the command that fixes it,
    instead of a traceback."""

    def resolve_command(self, ctx, args):
        name, command, rest = super().resolve_command(ctx, args)
        asks_help = set(rest) & set(ctx.help_option_names)
        if command is not None and not ctx.resilient_parsing and not asks_help:
            _require_current_schema()
        return name, command, rest


def _require_current_schema():
    from workshop.extensions import db

    migrate = current_app.extensions["migrate"]
    try:
        state = schema_state(db.engine, db.metadata, migrate.migrate.get_config())
    except SQLAlchemyError as error:
        raise click.ClickException(
            f"The database does not answer ({error.__class__.__name__}): check DATABASE_URL."
        ) from None
    if state != "current":
        raise click.ClickException(SCHEMA_MESSAGES[state])


@click.group(cls=DatabaseCommands)
def koers():
    """Koers administration: accounts, demo data, exports and imports."""


accounts_cli.register(koers)
demo_cli.register(koers)
export_cli.register(koers)
privacy_cli.register(koers)
