"""Facilitator pages for plans and their work domains."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from workshop.core.errors import DomainError
from workshop.core.forms import ActionForm, attach_error
from workshop.core.pages import facilitators_only
from workshop.plans import services
from workshop.plans.forms import DomainForm, MoveForm, PlanForm
from workshop.realtime.executor import execute
from workshop.tree import services as tree

bp = Blueprint("plans", __name__)


facilitators_only(bp)


@bp.get("/")
def index():
    """A facilitator's home: every plan, or how to start the first."""
    return render_template("plans/index.html", plans=services.list_plans())


@bp.route("/plans/new", methods=["GET", "POST"])
def new():
    """A facilitator creates a plan."""
    form = PlanForm()
    if form.validate_on_submit():
        try:
            plan = execute(lambda: services.create_plan(form.to_data(), created_by=current_user))
        except DomainError as error:
            attach_error(form, error)
        else:
            flash(_("Plan created. Now add its work domains."), "success")
            return redirect(url_for("plans.show", plan_id=plan.id))
    return render_template("plans/edit.html", form=form, plan=None)


@bp.get("/plans/<int:plan_id>")
def show(plan_id):
    """A plan's overview: its details and its work domains."""
    plan = services.get_plan(plan_id)
    form = DomainForm(colour=services.next_colour(plan))
    return _render_show(plan, form)


def _render_show(plan, form):
    from workshop.live.labels import WORKSHOP_STATUS_LABELS
    from workshop.live.workshops import list_for_plan
    from workshop.review.services import list_rounds

    return render_template("plans/show.html", plan=plan, form=form, action=ActionForm(),
                           workshops=list_for_plan(plan), status_labels=WORKSHOP_STATUS_LABELS,
                           rounds=list_rounds(plan))


@bp.route("/plans/<int:plan_id>/edit", methods=["GET", "POST"])
def edit(plan_id):
    """A facilitator edits a plan's details."""
    plan = services.get_plan(plan_id)
    form = PlanForm(obj=plan)
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
    plan = services.get_plan(plan_id)
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
    plan = services.get_plan(plan_id)
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
    plan = services.get_plan(plan_id)
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
    plan = services.get_plan(plan_id)
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
