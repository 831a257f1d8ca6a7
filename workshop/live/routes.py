"""Facilitator pages: workshops on a plan, their agenda, the console and presenter."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from workshop.core.errors import DomainError, NotFound
from workshop.core.forms import ActionForm, attach_error
from workshop.live import agenda, workshops
from workshop.live.broadcast import announce_agenda
from workshop.live.forms import StepForm, WorkshopForm, choices
from workshop.live.labels import (
    ITEM_KIND_LABELS,
    STEP_KIND_LABELS,
    STEP_STATE_LABELS,
    VOTE_METHOD_LABELS,
)
from workshop.live.links import join_url, public_base
from workshop.live.strings import staff_strings
from workshop.plans import services as plans
from workshop.plans.forms import MoveForm

bp = Blueprint("live", __name__)


@bp.before_request
@login_required
def require_login():
    """Every page here is for logged-in facilitators only."""


def _workshop_or_404(workshop_id):
    try:
        return workshops.get_workshop(workshop_id)
    except NotFound:
        abort(404)


def _step_or_404(workshop, step_id):
    try:
        return agenda.get_step(workshop, step_id)
    except NotFound:
        abort(404)


def _labels():
    return {"item_kinds": ITEM_KIND_LABELS, "step_kinds": STEP_KIND_LABELS,
            "step_states": STEP_STATE_LABELS, "vote_methods": VOTE_METHOD_LABELS}


@bp.route("/plans/<int:plan_id>/workshops/new", methods=["GET", "POST"])
def new_workshop(plan_id):
    """A facilitator creates a workshop on a plan."""
    try:
        plan = plans.get_plan(plan_id)
    except NotFound:
        abort(404)
    form = WorkshopForm()
    if request.method == "GET":
        form.groups.data = "\n".join([_("Employees"), _("External stakeholders")])
    if form.validate_on_submit():
        try:
            workshop = workshops.create_workshop(plan, form.to_data())
        except DomainError as error:
            attach_error(form, error)
        else:
            flash(_("Workshop created. Now build its agenda."), "success")
            return redirect(url_for("live.workshop", workshop_id=workshop.id))
    return render_template("live/workshop_form.html", form=form, plan=plan, workshop=None)


@bp.get("/workshops/<int:workshop_id>")
def workshop(workshop_id):
    """A workshop's settings and agenda, ready to edit before and during the session."""
    workshop = _workshop_or_404(workshop_id)
    return render_template("live/workshop.html", workshop=workshop, action=ActionForm(),
                           join_url=join_url(workshop), **_labels())


@bp.route("/workshops/<int:workshop_id>/edit", methods=["GET", "POST"])
def edit_workshop(workshop_id):
    """A facilitator changes a workshop's settings or groups."""
    workshop = _workshop_or_404(workshop_id)
    form = WorkshopForm(obj=workshop)
    if request.method == "GET":
        form.groups.data = "\n".join(g.name for g in workshop.groups)
    if form.validate_on_submit():
        try:
            workshops.update_workshop(workshop, form.to_data())
        except DomainError as error:
            attach_error(form, error)
        else:
            announce_agenda(workshop.id)
            flash(_("Workshop saved."), "success")
            return redirect(url_for("live.workshop", workshop_id=workshop.id))
    return render_template("live/workshop_form.html", form=form, plan=workshop.plan,
                           workshop=workshop)


@bp.post("/workshops/<int:workshop_id>/duplicate")
def duplicate_workshop(workshop_id):
    """A facilitator copies a workshop as the template for the next one."""
    workshop = _workshop_or_404(workshop_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    copy = workshops.duplicate_workshop(workshop)
    flash(_("Copied. This is the new workshop, with its own join code."), "success")
    return redirect(url_for("live.workshop", workshop_id=copy.id))


def _step_form(workshop, step=None):
    form = StepForm(obj=step)
    form.domain_ids.choices = choices((d.id, d.name) for d in workshop.plan.domains)
    form.source_step_id.choices = choices(
        (s.id, s.title) for s in workshop.steps if s.kind == "collect")
    if request.method == "GET":
        if step is None:
            form.kind.data = request.args.get("kind", "collect")
            form.domain_ids.data = [d.id for d in workshop.plan.domains]
        else:
            form.domain_ids.data = [d.id for d in step.domains]
            if step.time_limit_seconds:
                form.time_limit_minutes.data = round(step.time_limit_seconds / 60, 1)
    return form


@bp.route("/workshops/<int:workshop_id>/steps/new", methods=["GET", "POST"])
def new_step(workshop_id):
    """A facilitator adds a step to the agenda."""
    workshop = _workshop_or_404(workshop_id)
    form = _step_form(workshop)
    if form.kind.data not in ("info", "collect", "vote"):
        form.kind.data = "collect"
    if form.validate_on_submit():
        try:
            agenda.add_step(workshop, form.to_data())
        except DomainError as error:
            attach_error(form, error)
        else:
            announce_agenda(workshop.id)
            flash(_("Step added."), "success")
            return redirect(url_for("live.workshop", workshop_id=workshop.id) + "#agenda")
    return render_template("live/step_form.html", form=form, workshop=workshop, step=None,
                           **_labels())


@bp.route("/workshops/<int:workshop_id>/steps/<int:step_id>/edit", methods=["GET", "POST"])
def edit_step(workshop_id, step_id):
    """A facilitator edits a step; when it is live, phones follow at once."""
    workshop = _workshop_or_404(workshop_id)
    step = _step_or_404(workshop, step_id)
    form = _step_form(workshop, step)
    if form.validate_on_submit():
        try:
            agenda.update_step(step, form.to_data())
        except DomainError as error:
            attach_error(form, error)
        else:
            announce_agenda(workshop.id)
            flash(_("Step saved."), "success")
            return redirect(url_for("live.workshop", workshop_id=workshop.id) + "#agenda")
    return render_template("live/step_form.html", form=form, workshop=workshop, step=step,
                           **_labels())


@bp.post("/workshops/<int:workshop_id>/steps/<int:step_id>/move")
def move_step(workshop_id, step_id):
    """A facilitator moves a step up or down the agenda."""
    workshop = _workshop_or_404(workshop_id)
    step = _step_or_404(workshop, step_id)
    form = MoveForm()
    if form.validate_on_submit():
        agenda.move_step(step, -1 if form.direction.data == "up" else 1)
        announce_agenda(workshop.id)
    return redirect(url_for("live.workshop", workshop_id=workshop.id, moved=step.id,
                            dir=form.direction.data))


@bp.post("/workshops/<int:workshop_id>/steps/<int:step_id>/duplicate")
def duplicate_step(workshop_id, step_id):
    """A facilitator copies a step right below it."""
    workshop = _workshop_or_404(workshop_id)
    step = _step_or_404(workshop, step_id)
    if ActionForm().validate_on_submit():
        try:
            agenda.duplicate_step(step)
        except DomainError as error:
            flash(str(error.message), "error")
        else:
            announce_agenda(workshop.id)
            flash(_("Step copied."), "success")
    return redirect(url_for("live.workshop", workshop_id=workshop.id) + "#agenda")


@bp.route("/workshops/<int:workshop_id>/steps/<int:step_id>/delete", methods=["GET", "POST"])
def delete_step(workshop_id, step_id):
    """A facilitator confirms, then removes a step."""
    workshop = _workshop_or_404(workshop_id)
    step = _step_or_404(workshop, step_id)
    form = ActionForm()
    if form.validate_on_submit():
        try:
            agenda.delete_step(step)
        except DomainError as error:
            flash(str(error.message), "error")
        else:
            announce_agenda(workshop.id)
            flash(_("Step removed."), "success")
        return redirect(url_for("live.workshop", workshop_id=workshop.id) + "#agenda")
    return render_template("live/step_delete.html", workshop=workshop, step=step, form=form)


@bp.get("/workshops/<int:workshop_id>/console")
def console(workshop_id):
    """The facilitator's live console (laptop)."""
    workshop = _workshop_or_404(workshop_id)
    return render_template("live/console.html", workshop=workshop, join_url=join_url(workshop),
                           strings=staff_strings())


@bp.get("/workshops/<int:workshop_id>/presenter")
def presenter(workshop_id):
    """The presenter screen for the projector: no controls, follows the console."""
    workshop = _workshop_or_404(workshop_id)
    return render_template("live/presenter.html", workshop=workshop,
                           join_url=join_url(workshop), join_base=public_base(),
                           strings=staff_strings())
