"""The `flask koers …` command group."""

import click

from workshop.accounts import cli as accounts_cli
from workshop.demo import cli as demo_cli


@click.group()
def koers():
    """Koers administration: accounts and demo data."""


accounts_cli.register(koers)
demo_cli.register(koers)
