"""The privacy notice (public: linked from the join and stakeholder pages) and the
organisation's privacy and retention settings (administrators)."""

from flask import Blueprint, Response, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.datastructures import FileStorage

from workshop.core.errors import DomainError, NotFound
from workshop.core.forms import attach_error
from workshop.extensions import db
from workshop.orgs import services as orgs
from workshop.orgs.access import MANAGE, authorise_organisation
from workshop.orgs.forms import SettingsForm
from workshop.orgs.models import Organisation
from workshop.realtime.executor import execute

bp = Blueprint("privacy", __name__)


@bp.get("/privacy/<int:organisation_id>")
def notice(organisation_id):
    """The organisation's privacy notice, or the default one, for anyone."""
    organisation = db.session.get(Organisation, organisation_id)
    if organisation is None:
        raise NotFound(_("This organisation does not exist."))
    return render_template("privacy/notice.html", organisation=organisation)


@bp.get("/logo/<int:organisation_id>")
def logo(organisation_id):
    """The organisation's logo (public: the join and stakeholder pages show it)."""
    organisation = db.session.get(Organisation, organisation_id)
    if organisation is None or not organisation.logo:
        raise NotFound(_("This organisation has no logo."))
    return Response(organisation.logo, mimetype=organisation.logo_type, headers={
        "Cache-Control": "public, max-age=300", "X-Content-Type-Options": "nosniff"})


@bp.route("/organisations/<int:organisation_id>/settings", methods=["GET", "POST"])
@login_required
def settings(organisation_id):
    """Administrators: the organisation's name, privacy notice and retention period."""
    organisation = authorise_organisation(current_user, organisation_id, MANAGE)
    form = SettingsForm(obj=organisation)
    if form.validate_on_submit():
        upload = form.logo.data  # the stored bytes (from obj) unless a file was sent
        logo = (upload.read(orgs.LOGO_MAX_BYTES + 1)
                if isinstance(upload, FileStorage) and upload.filename else None)
        try:
            execute(lambda: orgs.update_settings(current_user, organisation.id, {
                "name": form.name.data, "privacy_text": form.privacy_text.data,
                "retention_days": form.retention_days.data, "colour": form.colour.data,
                "logo": logo, "remove_logo": form.remove_logo.data}))
        except DomainError as error:
            attach_error(form, error)
        else:
            flash(_("Settings saved."), "success")
            return redirect(url_for("orgs.show", organisation_id=organisation.id))
    return render_template("privacy/settings.html", organisation=organisation, form=form), \
        422 if form.errors else 200
