"""Facilitator pages: workshops on a plan, their agenda, the console and presenter."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from workshop.core.addresses import join_url, public_base
from workshop.core.errors import DomainError
from workshop.core.forms import ActionForm, attach_error, choices
from workshop.core.pages import facilitators_only
from workshop.live import agenda, workshops
from workshop.live.forms import StepForm, WorkshopForm
from workshop.live.labels import (
    ITEM_KIND_LABELS,
    STEP_KIND_LABELS,
    STEP_STATE_LABELS,
    VOTE_METHOD_LABELS,
)
from workshop.live.strings import staff_strings
from workshop.plans.access import EDIT, authorise_plan
from workshop.plans.forms import DeleteForm, MoveForm
from workshop.realtime.executor import execute
from workshop.voting.tally import steps_with_results

bp = Blueprint("live", __name__)


facilitators_only(bp)


def _labels():
    return {"item_kinds": ITEM_KIND_LABELS, "step_kinds": STEP_KIND_LABELS,
            "step_states": STEP_STATE_LABELS, "vote_methods": VOTE_METHOD_LABELS}


@bp.route("/plans/<int:plan_id>/workshops/new", methods=["GET", "POST"])
def new_workshop(plan_id):
    """A facilitator creates a workshop on a plan."""
    plan = authorise_plan(current_user, plan_id, EDIT)
    form = WorkshopForm()
    if request.method == "GET":
        form.groups.data = "\n".join([_("Employees"), _("External stakeholders")])
    if form.validate_on_submit():
        try:
            workshop = execute(lambda: workshops.create_workshop(plan, form.to_data(),
                                                                actor=current_user))
        except DomainError as error:
            attach_error(form, error)
        else:
            flash(_("Workshop created. Now build its agenda."), "success")
            return redirect(url_for("live.workshop", workshop_id=workshop.id))
    return render_template("live/workshop_form.html", form=form, plan=plan, workshop=None)


@bp.get("/workshops/<int:workshop_id>")
def workshop(workshop_id):
    """A workshop's settings and agenda, ready to edit before and during the session."""
    workshop = workshops.authorise_workshop(current_user, workshop_id, EDIT)
    voted = steps_with_results([s.id for s in workshop.steps if s.kind == "vote"])
    return render_template("live/workshop.html", workshop=workshop, action=ActionForm(),
                           join_url=join_url(workshop), voted=voted, **_labels())


@bp.route("/workshops/<int:workshop_id>/edit", methods=["GET", "POST"])
def edit_workshop(workshop_id):
    """A facilitator changes a workshop's settings or groups."""
    workshop = workshops.authorise_workshop(current_user, workshop_id, EDIT)
    form = WorkshopForm(obj=workshop)
    if request.method == "GET":
        form.groups.data = "\n".join(g.name for g in workshop.groups)
    if form.validate_on_submit():
        try:
            execute(lambda: workshops.update_workshop(workshop, form.to_data()))
        except DomainError as error:
            attach_error(form, error)
        else:
            flash(_("Workshop saved."), "success")
            return redirect(url_for("live.workshop", workshop_id=workshop.id))
    return render_template("live/workshop_form.html", form=form, plan=workshop.plan,
                           workshop=workshop)


@bp.route("/workshops/<int:workshop_id>/delete", methods=["GET", "POST"])
def delete_workshop(workshop_id):
    """Delete a workshop and everything of it; confirmed by typing its title."""
    workshop = workshops.authorise_workshop(current_user, workshop_id, EDIT)
    form = DeleteForm()
    if form.validate_on_submit():
        title = workshop.title
        try:
            plan = execute(lambda: workshops.delete_workshop(current_user, workshop_id,
                                                             form.confirm.data))
        except DomainError as error:
            attach_error(form, error)
        else:
            flash(_("“%(title)s” is deleted; its join code no longer works.", title=title),
                  "success")
            return redirect(url_for("plans.show", plan_id=plan.id) + "#workshops")
    return render_template("live/delete_workshop.html", workshop=workshop, form=form), \
        422 if form.errors else 200


@bp.post("/workshops/<int:workshop_id>/duplicate")
def duplicate_workshop(workshop_id):
    """A facilitator copies a workshop as the template for the next one."""
    workshop = workshops.authorise_workshop(current_user, workshop_id, EDIT)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        copy = execute(lambda: workshops.duplicate_workshop(workshop))
    except DomainError as error:
        flash(str(error.message), "error")
        return redirect(url_for("live.workshop", workshop_id=workshop.id))
    flash(_("Copied. This is the new workshop, with its own join code."), "success")
    return redirect(url_for("live.workshop", workshop_id=copy.id))


def _step_form(workshop, step=None):
    form = StepForm(obj=step)
    form.domain_ids.choices = choices((d.id, d.name) for d in workshop.plan.domains)
    from workshop.core.labels import LEVEL_LABELS
    from workshop.tree.models import LEVELS, PlanItem

    form.source.choices = choices(
        [(f"s{s.id}", _("Proposals of “%(title)s”", title=s.title))
         for s in workshop.steps if s.kind == "collect"]
        + [(f"l{level}", _("The plan's %(level)s", level=str(LEVEL_LABELS[level]).lower()))
           for level in LEVELS])
    items = PlanItem.query.filter(PlanItem.plan_id == workshop.plan_id).order_by(
        PlanItem.domain_id, PlanItem.position).all()
    form.parent_item_ids.choices = choices(
        (i.id, f"{LEVEL_LABELS[i.level]}: {i.text}") for i in items)
    if request.method == "GET" and step is not None:
        form.parent_item_ids.data = [p.id for p in step.parent_items]
        if step.source_step_id:
            form.source.data = f"s{step.source_step_id}"
    if request.method == "GET":
        if step is None:
            form.kind.data = request.args.get("kind", "collect")
            form.domain_ids.data = [d.id for d in workshop.plan.domains]
        else:
            form.domain_ids.data = [d.id for d in step.domains]
            if step.time_limit_seconds:
                form.time_limit_minutes.data = round(step.time_limit_seconds / 60, 1)
    return form


def _with_source(workshop, form):
    """The step data, with a vote's source resolved: a collect step, or plan items (then a
    closed collect step holding them is made, so the vote works the same way)."""
    data = form.to_data()
    source = form.source.data or ""
    if data["kind"] == "vote" and source.startswith("l"):
        from workshop.core.labels import LEVEL_LABELS
        from workshop.voting.promote import seed_vote_source

        level = source[1:]
        if level not in LEVEL_LABELS:
            raise DomainError(_("Choose what is voted on."), field="source")
        seed = seed_vote_source(workshop, level, data["domain_ids"],
                                _("Plan items: %(level)s", level=LEVEL_LABELS[level]))
        data["source_step_id"] = seed.id
    elif source.startswith("s") and source[1:].isdigit():
        data["source_step_id"] = int(source[1:])
    return data


@bp.route("/workshops/<int:workshop_id>/steps/new", methods=["GET", "POST"])
def new_step(workshop_id):
    """A facilitator adds a step to the agenda."""
    workshop = workshops.authorise_workshop(current_user, workshop_id, EDIT)
    form = _step_form(workshop)
    if form.kind.data not in ("info", "collect", "vote"):
        form.kind.data = "collect"
    if form.validate_on_submit():
        try:
            # One transaction: a refused step leaves no seeded source step behind.
            execute(lambda: agenda.new_step(workshop, _with_source(workshop, form)))
        except DomainError as error:
            attach_error(form, error)
        else:
            flash(_("Step added."), "success")
            return redirect(url_for("live.workshop", workshop_id=workshop.id) + "#agenda")
    return render_template("live/step_form.html", form=form, workshop=workshop, step=None,
                           **_labels())


@bp.route("/workshops/<int:workshop_id>/steps/<int:step_id>/edit", methods=["GET", "POST"])
def edit_step(workshop_id, step_id):
    """A facilitator edits a step; when it is live, phones follow at once."""
    workshop = workshops.authorise_workshop(current_user, workshop_id, EDIT)
    step = agenda.get_step(workshop, step_id)
    form = _step_form(workshop, step)
    if form.validate_on_submit():
        try:
            execute(lambda: agenda.update_step(step, _with_source(workshop, form)))
        except DomainError as error:
            attach_error(form, error)
        else:
            flash(_("Step saved."), "success")
            return redirect(url_for("live.workshop", workshop_id=workshop.id) + "#agenda")
    return render_template("live/step_form.html", form=form, workshop=workshop, step=step,
                           **_labels())


@bp.post("/workshops/<int:workshop_id>/steps/<int:step_id>/move")
def move_step(workshop_id, step_id):
    """A facilitator moves a step up or down the agenda."""
    workshop = workshops.authorise_workshop(current_user, workshop_id, EDIT)
    step = agenda.get_step(workshop, step_id)
    form = MoveForm()
    if form.validate_on_submit():
        execute(lambda: agenda.move_step(step, -1 if form.direction.data == "up" else 1))
    return redirect(url_for("live.workshop", workshop_id=workshop.id, moved=step.id,
                            dir=form.direction.data))


@bp.post("/workshops/<int:workshop_id>/steps/<int:step_id>/duplicate")
def duplicate_step(workshop_id, step_id):
    """A facilitator copies a step right below it."""
    workshop = workshops.authorise_workshop(current_user, workshop_id, EDIT)
    step = agenda.get_step(workshop, step_id)
    if ActionForm().validate_on_submit():
        try:
            execute(lambda: agenda.duplicate_step(step))
        except DomainError as error:
            flash(str(error.message), "error")
        else:
            flash(_("Step copied."), "success")
    return redirect(url_for("live.workshop", workshop_id=workshop.id) + "#agenda")


@bp.route("/workshops/<int:workshop_id>/steps/<int:step_id>/delete", methods=["GET", "POST"])
def delete_step(workshop_id, step_id):
    """A facilitator confirms, then removes a step."""
    workshop = workshops.authorise_workshop(current_user, workshop_id, EDIT)
    step = agenda.get_step(workshop, step_id)
    form = ActionForm()
    if form.validate_on_submit():
        try:
            execute(lambda: agenda.delete_step(step))
        except DomainError as error:
            flash(str(error.message), "error")
        else:
            flash(_("Step removed."), "success")
        return redirect(url_for("live.workshop", workshop_id=workshop.id) + "#agenda")
    return render_template("live/step_delete.html", workshop=workshop, step=step, form=form)


@bp.get("/workshops/<int:workshop_id>/console")
def console(workshop_id):
    """The facilitator's live console (laptop)."""
    workshop = workshops.authorise_workshop(current_user, workshop_id, EDIT)
    return render_template("live/console.html", workshop=workshop, join_url=join_url(workshop),
                           strings=staff_strings())


@bp.get("/workshops/<int:workshop_id>/presenter")
def presenter(workshop_id):
    """The presenter screen for the projector: no controls, follows the console."""
    workshop = workshops.authorise_workshop(current_user, workshop_id, EDIT)
    # Seconds per page when results or proposals do not fit one screen: by default the
    # screen decides (all pages within 30 s); tests may go faster.
    seconds = request.args.get("page_seconds", type=int)
    return render_template("live/presenter.html", workshop=workshop,
                           join_url=join_url(workshop), join_base=public_base(),
                           strings=staff_strings(),
                           page_seconds=min(max(seconds, 2), 60) if seconds else None)
