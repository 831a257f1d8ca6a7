"""`flask koers export` and `flask koers import`: the plan to a file and back."""

import json
import sys

import click
from flask import current_app

from workshop.core.errors import DomainError
from workshop.export import archive, services
from workshop.extensions import db
from workshop.plans.models import Plan
from workshop.realtime.executor import execute


def register(group):
    @group.command("export")
    @click.argument("plan_id", type=int)
    @click.option("--format", "fmt", required=True, type=click.Choice(services.FORMATS),
                  help="docx, pdf, md, xlsx, csv (a zip of CSV files) or json (everything).")
    @click.option("-o", "--output", required=True, type=click.Path(dir_okay=False),
                  help="The file to write; '-' writes to standard output.")
    @click.option("--version", "number", type=int, help="A saved version instead of now.")
    @click.option("--lang", type=click.Choice(services.LANGUAGES),
                  help="Language of the document's fixed texts (default: the server's "
                       "DEFAULT_LANGUAGE, as for a visitor whose browser asks for neither).")
    def export_command(plan_id, fmt, output, number, lang):
        """Export plan PLAN_ID as a document or data file."""
        plan = db.session.get(Plan, plan_id)
        if plan is None:
            raise click.ClickException(f"There is no plan {plan_id}. "
                                       "See the plan's address: /plans/<id>.")
        # No browser to ask: the language the web pages fall back to.
        lang = lang or current_app.config["BABEL_DEFAULT_LOCALE"]
        try:
            data, _name, _type = services.export(plan, fmt, number=number, lang=lang)
        except DomainError as error:
            raise click.ClickException(str(error.message)) from None
        if output == "-":
            sys.stdout.buffer.write(data)
            return
        try:
            services.write_file(output, data)
        except OSError as error:
            raise click.ClickException(f"Could not write {output}: {error.strerror}") from None
        click.echo(f"Wrote {output} ({len(data):,} bytes).", err=True)

    @group.command("import")
    @click.argument("file", type=click.File("rb"))
    def import_command(file):
        """Restore a plan from a JSON export (`flask koers export … --format json`)."""
        try:
            data = json.loads(file.read().decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise click.ClickException(f"This is not a JSON file: {error}") from None
        try:
            plan = execute(lambda: archive.load(data))
        except DomainError as error:
            raise click.ClickException(str(error.message)) from None
        click.echo(f"Restored “{plan.title}” as plan {plan.id}. Join codes and links are new.")
