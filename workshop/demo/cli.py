"""`flask koers demo`: load the demo plan."""

import click
from flask import current_app

from workshop.core.network import configured_port, public_base_url
from workshop.demo import services
from workshop.realtime.executor import execute

ROLE_NAMES = {"facilitator": "Facilitator on the plan's team",
              "indicator_owner": "Indicator owner", "viewer": "Viewer (board member)"}


def register(group):
    @group.command("demo")
    def demo():
        """Load a demo plan of a regional development agency with four work domains."""
        result = execute(services.load_demo)  # the command is the edge: it commits
        if not result.created:
            click.echo(f"The demo plan is already there (plan {result.plan.id}).")
            return
        # Whole addresses, as a phone on the room's network opens them (the same one
        # `make run` prints): PUBLIC_URL when set, else this machine's LAN address.
        base = public_base_url(current_app.config.get("PUBLIC_URL"), configured_port())
        click.echo(
            f"Loaded the demo plan “{result.plan.title}” (plan {result.plan.id}) "
            f"with {len(result.plan.domains)} work domains."
        )
        click.echo(
            f"Workshop “{result.workshop.title}” is ready: join code {result.workshop.code} "
            f"(phones open {base}/j/{result.workshop.code})."
        )
        click.echo(f"An open review round: stakeholders open {base}/r/{result.review_token}")
        click.echo(f"Public progress page: {base}/p/{result.progress_token}")
        if result.email:
            click.echo(f"Log in as {result.email} with password: {result.password} "
                       f"(at {base}/login)")
            click.echo(f"  (administrator of “{result.plan.owner.name}”; the other roles:)")
            for role, email, password in result.people:
                click.echo(f"  {ROLE_NAMES[role]}: {email} with password: {password}")
