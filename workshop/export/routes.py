"""Download buttons: the plan (or one of its versions) in any export format."""

from flask import Blueprint, Response, request
from flask_babel import get_locale
from flask_login import current_user

from workshop.core.errors import DomainError, NotFound
from workshop.core.pages import facilitators_only, render_error
from workshop.export import services
from workshop.plans.access import READ, authorise_plan
from workshop.realtime.executor import execute

bp = Blueprint("export", __name__)
facilitators_only(bp)


@bp.app_template_global()
def interface_language():
    """The language the page is shown in: the download form's default document language.

    A global rather than a context value, because the download macro is imported into
    other templates, and imported macros do not see the page's context."""
    return str(get_locale() or "")


@bp.get("/plans/<int:plan_id>/export")
def download(plan_id):
    """?format=docx|pdf|md|xlsx|csv|json, optionally &version=N and &lang=nl|en (without
    a language, the document is in the language of the interface)."""
    plan = authorise_plan(current_user, plan_id, READ)
    number = request.args.get("version", type=int)
    lang = request.args.get("lang") or None
    try:
        data, name, media_type = services.export(plan, request.args.get("format", ""),
                                                 number=number, lang=lang)
    except NotFound as error:  # no such version
        return render_error(404, error.message)
    except DomainError as error:
        return render_error(400, error.message)
    execute(lambda: services.note_export(plan, request.args.get("format"), number,
                                         current_user))
    return Response(data, mimetype=media_type, headers={
        "Content-Disposition": f'attachment; filename="{name}"',
        "Cache-Control": "no-store",
    })
