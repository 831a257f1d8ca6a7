"""Pages for organisations: the installation's list, one organisation's members and
invitations, and taking up an invitation."""

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user

from workshop.accounts import services as accounts
from workshop.accounts import sessions
from workshop.accounts.forms import NewAccountFields
from workshop.core.addresses import public_base
from workshop.core.errors import DomainError, Forbidden, NotFound
from workshop.core.forms import ActionForm, attach_error
from workshop.orgs import audit, services
from workshop.orgs.access import MANAGE, READ, authorise_organisation, organisations_of, role_in
from workshop.orgs.forms import ROLE_HINTS, ROLE_LABELS, InviteForm, OrganisationForm, RoleForm
from workshop.orgs.models import Organisation
from workshop.realtime.executor import execute

bp = Blueprint("orgs", __name__)


def _invite_link(token):
    return f"{public_base()}{url_for('orgs.invitation', token=token)}"


@bp.get("/organisations")
@login_required
def index():
    """The organisations one belongs to; the installation administrator sees them all."""
    if current_user.is_install_admin:
        from sqlalchemy import select

        from workshop.extensions import db

        listed = db.session.scalars(select(Organisation).order_by(Organisation.name)).all()
    else:
        listed = organisations_of(current_user, READ)
    return render_template("orgs/index.html", organisations=listed, form=OrganisationForm(),
                           roles={o.id: role_in(current_user, o.id) for o in listed},
                           role_labels=ROLE_LABELS)


@bp.post("/organisations")
@login_required
def create():
    """The installation administrator creates an organisation and invites its first
    administrator."""
    if not current_user.is_install_admin:
        raise Forbidden(_("Only the installation's administrator creates organisations."))
    form = OrganisationForm()
    if form.validate_on_submit():
        def change():
            organisation = services.create_organisation(form.name.data, actor=current_user)
            return services.invite_first_administrator(current_user, organisation,
                                                       form.admin_email.data)
        try:
            _invitation, token = execute(change)
        except DomainError as error:
            attach_error(form, error)
        else:
            flash(_("Organisation created. Send this one-time link to its first "
                    "administrator: %(link)s", link=_invite_link(token)), "success")
            return redirect(url_for("orgs.index"))
    listed = organisations_of(current_user, READ)
    return render_template("orgs/index.html", organisations=listed, form=form,
                           roles={}, role_labels=ROLE_LABELS), 422


def _members_page(organisation, invite_form=None, status=200):
    manage = role_in(current_user, organisation.id) == "administrator"
    return render_template(
        "orgs/show.html", organisation=organisation, manage=manage,
        members=services.list_members(organisation),
        invitations=services.open_invitations(organisation) if manage else [],
        invite_link=lambda i: _invite_link(services.invitation_token(i)),
        invite_form=invite_form or InviteForm(), role_labels=ROLE_LABELS,
        role_hints=ROLE_HINTS, action=ActionForm()), status


@bp.get("/organisations/<int:organisation_id>")
@login_required
def show(organisation_id):
    """An organisation's members and roles (administrators manage them here)."""
    return _members_page(authorise_organisation(current_user, organisation_id, READ))


@bp.post("/organisations/<int:organisation_id>/invitations")
@login_required
def invite(organisation_id):
    organisation = authorise_organisation(current_user, organisation_id, MANAGE)
    form = InviteForm()
    if form.validate_on_submit():
        try:
            _invitation, token = execute(lambda: services.invite(
                current_user, organisation.id, form.email.data, form.role.data))
        except DomainError as error:
            attach_error(form, error)
        else:
            flash(_("Invitation made. Send this one-time link to %(email)s: %(link)s",
                    email=form.email.data.strip().lower(), link=_invite_link(token)),
                  "success")
            return redirect(url_for("orgs.show", organisation_id=organisation.id))
    return _members_page(organisation, form, 422)


@bp.post("/organisations/<int:organisation_id>/invitations/<int:invitation_id>/revoke")
@login_required
def revoke_invitation(organisation_id, invitation_id):
    organisation = authorise_organisation(current_user, organisation_id, MANAGE)
    if ActionForm().validate_on_submit():
        execute(lambda: services.revoke_invitation(current_user, organisation.id,
                                                   invitation_id))
        flash(_("Invitation withdrawn: its link no longer works."), "success")
    return redirect(url_for("orgs.show", organisation_id=organisation.id))


@bp.post("/organisations/<int:organisation_id>/members/<int:membership_id>/role")
@login_required
def change_role(organisation_id, membership_id):
    organisation = authorise_organisation(current_user, organisation_id, MANAGE)
    form = RoleForm()
    if form.validate_on_submit():
        try:
            membership = execute(lambda: services.change_role(
                current_user, organisation.id, membership_id, form.role.data))
        except DomainError as error:
            flash(str(error.message), "error")
        else:
            flash(_("%(name)s is now %(role)s.", name=membership.account.name,
                    role=str(ROLE_LABELS[membership.role]).lower()), "success")
    else:
        flash(_("Choose a role."), "error")
    return redirect(url_for("orgs.show", organisation_id=organisation.id))


@bp.post("/organisations/<int:organisation_id>/members/<int:membership_id>/remove")
@login_required
def remove_member(organisation_id, membership_id):
    organisation = authorise_organisation(current_user, organisation_id, MANAGE)
    if ActionForm().validate_on_submit():
        try:
            account = execute(lambda: services.remove_member(
                current_user, organisation.id, membership_id))
        except DomainError as error:
            flash(str(error.message), "error")
        else:
            # Their open consoles and presenters end now, in every process.
            sessions.end_every_login(account)
            flash(_("%(name)s is no longer a member.", name=account.name), "success")
    return redirect(url_for("orgs.show", organisation_id=organisation.id))


class _AcceptForm(NewAccountFields):
    """Someone without an account accepts: name and password (the e-mail is invited)."""


@bp.route("/invite/<token>", methods=["GET", "POST"])
def invitation(token):
    """Take up an invitation: with the account one is logged in with, or a new one."""
    try:
        invitation = services.invitation_for(token)
    except NotFound:
        return render_template("orgs/invitation_gone.html"), 404
    if current_user.is_authenticated:
        form = ActionForm()
        if form.validate_on_submit():
            try:
                execute(lambda: services.accept(token, current_user))
            except NotFound:
                return render_template("orgs/invitation_gone.html"), 404
            flash(_("You are now a member of %(name)s.",
                    name=invitation.organisation.name), "success")
            return redirect(url_for("plans.index"))
        return render_template("orgs/invitation.html", invitation=invitation, form=form)
    form = _AcceptForm()
    if request.method == "GET":
        form.email.data = invitation.email
    if form.validate_on_submit():
        def change():
            account = accounts.create_invited_account(
                invitation.email, form.name.data, form.password.data)
            services.accept(token, account)
            return account
        try:
            account = execute(change)
        except NotFound:
            return render_template("orgs/invitation_gone.html"), 404
        except DomainError as error:
            attach_error(form, error)
        else:
            login_user(account)
            sessions.new_login_key()
            flash(_("Welcome to Koers. You are a member of %(name)s.",
                    name=invitation.organisation.name), "success")
            return redirect(url_for("plans.index"))
    return render_template("orgs/invitation.html", invitation=invitation, form=form)


@bp.get("/organisations/<int:organisation_id>/audit")
@login_required
def audit_log(organisation_id):
    """Administrators read the organisation's audit log, filtered by action and text."""
    organisation = authorise_organisation(current_user, organisation_id, MANAGE)
    action = request.args.get("action") or None
    text = (request.args.get("q") or "").strip()[:100] or None
    return render_template("orgs/audit.html", organisation=organisation,
                           entries=audit.entries(organisation, action, text),
                           actions=audit.ACTIONS, action=action, text=text or "",
                           limit=audit.PAGE_SIZE)


@bp.get("/organisations/<int:organisation_id>/audit.csv")
@login_required
def audit_csv(organisation_id):
    """The whole log (or the filtered part) as CSV."""
    organisation = authorise_organisation(current_user, organisation_id, MANAGE)
    rows = audit.entries(organisation, request.args.get("action") or None,
                         (request.args.get("q") or "").strip()[:100] or None, limit=None)
    return Response(audit.as_csv(rows), mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="audit-{organisation.id}.csv"',
        "Cache-Control": "no-store"})
