"""The `flask koers …` command group."""

import click

from workshop.accounts import cli as accounts_cli
from workshop.demo import cli as demo_cli
from workshop.export import cli as export_cli


@click.group()
def koers():
    """Koers administration: accounts, demo data, exports and imports."""


accounts_cli.register(koers)
demo_cli.register(koers)
export_cli.register(koers)
