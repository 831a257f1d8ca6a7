"""`flask koers create-facilitator`: the first (or another) account from a shell."""

import click
from flask_babel import force_locale

from workshop.accounts import services
from workshop.core.errors import DomainError
from workshop.realtime.executor import execute


def register(group):
    @group.command("create-facilitator")
    @click.option("--email", prompt=True, help="E-mail address to log in with.")
    @click.option("--name", prompt=True, help="Name shown to colleagues.")
    @click.password_option(help="At least 10 characters; asked twice when not given.")
    def create_facilitator(email, name, password):
        """Create a facilitator account (also completes the first-run set-up)."""
        with force_locale("en"):
            try:
                facilitator = execute(lambda: services.create_facilitator(email, name, password))
            except DomainError as error:
                raise click.ClickException(str(error.message)) from None
        click.echo(f"Created facilitator {facilitator.name} <{facilitator.email}>.")
