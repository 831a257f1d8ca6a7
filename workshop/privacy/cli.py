"""`flask koers anonymise`: the retention rule, now (a served Koers also runs it daily)."""

import click

from workshop.privacy.retention import anonymise
from workshop.realtime.executor import execute


def register(group):
    @group.command("anonymise")
    def anonymise_command():
        """Remove participants' and stakeholders' names past each organisation's retention
        period (results and texts stay)."""
        changed = execute(anonymise)
        if not changed:
            click.echo("Nothing is past its retention period.")
        for organisation_id, counts in changed.items():
            click.echo(f"Organisation {organisation_id}: {counts['participants']} "
                       f"participants and {counts['stakeholders']} stakeholders anonymised.")
