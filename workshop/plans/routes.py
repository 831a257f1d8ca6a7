"""Facilitator pages for plans and their work domains."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from workshop.core.errors import DomainError, Forbidden
from workshop.core.forms import ActionForm, attach_error, choices
from workshop.core.pages import facilitators_only
from workshop.orgs.access import CREATE_PLANS, authorise_organisation, organisations_of
from workshop.orgs.forms import ROLE_LABELS, TeamForm, role_choices
from workshop.plans import services
from workshop.plans import team as team_rules
from workshop.plans.access import EDIT, READ, access_to_plan, authorise_plan, visible_plans
from workshop.plans.forms import DeleteForm, DomainForm, MoveForm, PlanForm
from workshop.plans.models import TEAM_ROLES
from workshop.realtime.executor import execute
from workshop.tree import services as tree

bp = Blueprint("plans", __name__)


facilitators_only(bp)


@bp.get("/")
def index():
    """A member's home: the plans they may see, or how to start the first."""
    return render_template("plans/index.html", plans=visible_plans(current_user),
                           may_create=bool(organisations_of(current_user, CREATE_PLANS)))


@bp.route("/plans/new", methods=["GET", "POST"])
def new():
    """A facilitator or administrator creates a plan in one of their organisations."""
    owners = organisations_of(current_user, CREATE_PLANS)
    if not owners:
        raise Forbidden(_("Your role does not allow new plans. Ask an administrator of "
                          "your organisation."))
    form = PlanForm()
    if len(owners) == 1:
        del form.owner_id  # nothing to choose
    else:
        form.owner_id.choices = choices((o.id, o.name) for o in owners)
    if request.method == "GET":
        form.organisation.data = owners[0].name
    if form.validate_on_submit():
        owner_id = form.owner_id.data if "owner_id" in form else owners[0].id
        try:
            plan = execute(lambda: services.create_plan(
                form.to_data(), created_by=current_user,
                organisation=authorise_organisation(current_user, owner_id, CREATE_PLANS)))
        except DomainError as error:
            attach_error(form, error)
        else:
            flash(_("Plan created. Now add its work domains."), "success")
            return redirect(url_for("plans.show", plan_id=plan.id))
    return render_template("plans/edit.html", form=form, plan=None)


@bp.get("/plans/<int:plan_id>")
def show(plan_id):
    """A plan's overview: its details and its work domains (read by its whole team)."""
    access = access_to_plan(current_user, plan_id, READ)
    form = DomainForm(colour=services.next_colour(access.plan))
    return _render_show(access.plan, form, access)


def _render_show(plan, form, access=None):
    from workshop.live.labels import WORKSHOP_STATUS_LABELS
    from workshop.live.workshops import list_for_plan
    from workshop.review.services import list_rounds

    access = access or access_to_plan(current_user, plan.id, EDIT)
    return render_template("plans/show.html", plan=plan, form=form, action=ActionForm(),
                           workshops=list_for_plan(plan), status_labels=WORKSHOP_STATUS_LABELS,
                           rounds=list_rounds(plan), can_edit=access.may(EDIT),
                           role=access.role)


@bp.route("/plans/<int:plan_id>/edit", methods=["GET", "POST"])
def edit(plan_id):
    """A facilitator edits a plan's details."""
    plan = authorise_plan(current_user, plan_id, EDIT)
    form = PlanForm(obj=plan)
    del form.owner_id  # a plan stays in its organisation
    if form.validate_on_submit():
        try:
            execute(lambda: tree.update_plan(plan, form.to_data(), actor=current_user))
        except DomainError as error:
            attach_error(form, error)
        else:
            flash(_("Plan saved."), "success")
            return redirect(url_for("plans.show", plan_id=plan.id))
    return render_template("plans/edit.html", form=form, plan=plan)


@bp.post("/plans/<int:plan_id>/domains")
def add_domain(plan_id):
    """A facilitator adds a work domain to a plan."""
    plan = authorise_plan(current_user, plan_id, EDIT)
    form = DomainForm()
    if form.validate_on_submit():
        try:
            domain = execute(lambda: services.add_domain(plan, form.to_data()))
        except DomainError as error:
            attach_error(form, error)
        else:
            flash(_("Work domain “%(name)s” added.", name=domain.name), "success")
            # Keep the form open and focused: domains are usually added several at once.
            return redirect(url_for("plans.show", plan_id=plan.id, added=1) + "#add-domain")
    return _render_show(plan, form), 422


@bp.route("/plans/<int:plan_id>/domains/<int:domain_id>/edit", methods=["GET", "POST"])
def edit_domain(plan_id, domain_id):
    """A facilitator edits a work domain."""
    plan = authorise_plan(current_user, plan_id, EDIT)
    domain = services.get_domain(plan, domain_id)
    form = DomainForm(obj=domain)
    if form.validate_on_submit():
        try:
            execute(lambda: services.update_domain(domain, form.to_data()))
        except DomainError as error:
            attach_error(form, error)
        else:
            flash(_("Work domain saved."), "success")
            return redirect(url_for("plans.show", plan_id=plan.id) + "#domains")
    return render_template("plans/edit_domain.html", plan=plan, domain=domain, form=form)


@bp.post("/plans/<int:plan_id>/domains/<int:domain_id>/move")
def move_domain(plan_id, domain_id):
    """A facilitator moves a work domain one place up or down."""
    plan = authorise_plan(current_user, plan_id, EDIT)
    domain = services.get_domain(plan, domain_id)
    form = MoveForm()
    if form.validate_on_submit():
        offset = -1 if form.direction.data == "up" else 1
        execute(lambda: services.move_domain(domain, offset))
    else:
        flash(_("That did not work: reload the page and try again."), "error")
    # No #fragment here: the page script puts focus back on the button instead.
    return redirect(
        url_for("plans.show", plan_id=plan.id, moved=domain.id, dir=form.direction.data)
    )


@bp.route("/plans/<int:plan_id>/domains/<int:domain_id>/remove", methods=["GET", "POST"])
def remove_domain(plan_id, domain_id):
    """A facilitator confirms, then removes an empty work domain."""
    plan = authorise_plan(current_user, plan_id, EDIT)
    domain = services.get_domain(plan, domain_id)
    form = ActionForm()
    content = services.domain_content(domain)
    if form.validate_on_submit():
        try:
            execute(lambda: services.remove_domain(domain))
        except DomainError as error:
            flash(str(error.message), "error")
        else:
            flash(_("Work domain “%(name)s” removed.", name=domain.name), "success")
            return redirect(url_for("plans.show", plan_id=plan.id) + "#domains")
    return render_template(
        "plans/remove_domain.html", plan=plan, domain=domain, form=form, content=content
    )


@bp.route("/plans/<int:plan_id>/team", methods=["GET", "POST"])
def team(plan_id):
    """Who works on the plan: co-facilitators, indicator owners and viewers (a POST adds
    one, for those who may edit the plan)."""
    if request.method == "POST":
        return _add_to_team(plan_id)
    access = access_to_plan(current_user, plan_id, READ)
    return _team_page(access)


def _team_page(access, form=None, status=200):
    plan = access.plan
    form = form or TeamForm()
    form.member.choices = choices((m.id, f"{m.account.name} ({m.account.email})")
                                  for m in team_rules.candidates(plan))
    form.role.choices = role_choices(TEAM_ROLES)
    return render_template("plans/team.html", plan=plan, can_edit=access.may(EDIT), form=form,
                           team=team_rules.list_team(plan), action=ActionForm(),
                           role_labels=ROLE_LABELS, team_roles=TEAM_ROLES), status


def _add_to_team(plan_id):
    access = access_to_plan(current_user, plan_id, EDIT)
    form = TeamForm()
    form.member.choices = choices((m.id, "") for m in team_rules.candidates(access.plan))
    form.role.choices = role_choices(TEAM_ROLES)
    if form.validate_on_submit():
        try:
            member = execute(lambda: team_rules.add_to_team(
                current_user, plan_id, form.member.data, form.role.data))
        except DomainError as error:
            attach_error(form, error)
        else:
            flash(_("%(name)s is on the team as %(role)s.", name=member.membership.account.name,
                    role=str(ROLE_LABELS[member.role]).lower()), "success")
            return redirect(url_for("plans.team", plan_id=plan_id))
    return _team_page(access, form, 422)


@bp.post("/plans/<int:plan_id>/team/<int:team_member_id>/role")
def change_team_role(plan_id, team_member_id):
    authorise_plan(current_user, plan_id, EDIT)
    role = request.form.get("role", "")
    if ActionForm().validate_on_submit():
        try:
            execute(lambda: team_rules.change_team_role(current_user, plan_id, team_member_id,
                                                        role))
        except DomainError as error:
            flash(str(error.message), "error")
        else:
            flash(_("Role changed."), "success")
    return redirect(url_for("plans.team", plan_id=plan_id))


@bp.post("/plans/<int:plan_id>/team/<int:team_member_id>/remove")
def remove_from_team(plan_id, team_member_id):
    authorise_plan(current_user, plan_id, EDIT)
    if ActionForm().validate_on_submit():
        account = execute(lambda: team_rules.remove_from_team(current_user, plan_id,
                                                              team_member_id))
        flash(_("%(name)s is no longer on this plan's team.", name=account.name), "success")
    return redirect(url_for("plans.team", plan_id=plan_id))


@bp.route("/plans/<int:plan_id>/delete", methods=["GET", "POST"])
def delete(plan_id):
    """Delete a whole plan, after offering its export; confirmed by typing its title."""
    plan = authorise_plan(current_user, plan_id, EDIT)
    form = DeleteForm()
    if form.validate_on_submit():
        title = plan.title
        try:
            execute(lambda: services.delete_plan(current_user, plan_id, form.confirm.data))
        except DomainError as error:
            attach_error(form, error)
        else:
            flash(_("“%(title)s” and everything in it are deleted; its links no longer "
                    "work.", title=title), "success")
            return redirect(url_for("plans.index"))
    return render_template("plans/delete.html", plan=plan, form=form), \
        422 if form.errors else 200
