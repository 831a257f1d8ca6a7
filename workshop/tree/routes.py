"""Facilitator pages for the plan tree, its items, versions, the document and promotion."""

import json

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from workshop.core.errors import DomainError
from workshop.core.forms import ActionForm, attach_error, csrf_expired
from workshop.core.pages import facilitators_only
from workshop.export.labels import VALUE_HEADINGS
from workshop.extensions import csrf
from workshop.live import agenda, workshops
from workshop.monitor import goals
from workshop.monitor import promote as indicator_promote
from workshop.plans.access import EDIT, READ, authorise_plan
from workshop.plans.forms import MoveForm
from workshop.realtime.executor import execute
from workshop.tree import services, versions
from workshop.tree.forms import (
    LEVEL_LABELS,
    AddItemForm,
    ItemForm,
    MergeItemForm,
    MoveItemForm,
    PromoteForm,
    SplitItemForm,
    StatusForm,
)
from workshop.tree.models import PARENT_LEVEL, PlanItem
from workshop.voting import promote
from workshop.voting.tally import has_results

bp = Blueprint("tree", __name__)


facilitators_only(bp)


def _all_items(plan):
    return PlanItem.query.filter_by(plan_id=plan.id).order_by(PlanItem.domain_id,
                                                              PlanItem.position).all()


def _back(plan, item=None):
    anchor = f"#item-{item.id}" if item is not None else ""
    return redirect(url_for("tree.editor", plan_id=plan.id) + anchor)


def _flash_error(error):
    flash(str(error.message), "error")


@bp.get("/plans/<int:plan_id>/tree")
def editor(plan_id):
    """The whole plan tree per work domain, editable."""
    plan = authorise_plan(current_user, plan_id, EDIT)
    fields = [{"name": name, "value": getattr(plan, name),
               "sources": promote.provenance(plan, name),
               "changes": [c for c in services.history(plan) if c.field == name
                           and c.action in ("edited", "reverted")][:5]}
              for name in ("mission", "tagline")]
    return render_template("tree/editor.html", plan=plan, tree=services.tree(plan),
                           fields=fields,
                           levels=LEVEL_LABELS, action=ActionForm(), add=AddItemForm(),
                           status=StatusForm(), child_level={
                               "ambition": "strategic_goal",
                               "strategic_goal": "operational_goal"})


@bp.post("/plans/<int:plan_id>/items")
def add_item(plan_id):
    """A facilitator writes an item into the tree by hand."""
    plan = authorise_plan(current_user, plan_id, EDIT)
    form = AddItemForm()
    if form.validate_on_submit():
        try:
            item = execute(lambda: services.add_item(
                plan, form.level.data, _int(form.domain_id.data), form.text.data,
                _int(form.parent_id.data), actor=current_user))
        except DomainError as error:
            _flash_error(error)
        else:
            return _back(plan, item)
    else:
        flash(_("Write the text of the item."), "error")
    return _back(plan)


def _int(value):
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


@bp.route("/plans/<int:plan_id>/items/<int:item_id>", methods=["GET", "POST"])
def item(plan_id, item_id):
    """One item: edit it, see where it came from and its history; move, merge, split."""
    plan = authorise_plan(current_user, plan_id, EDIT)
    item = services.get_item(plan, item_id)
    form = ItemForm(obj=item)
    if form.validate_on_submit():
        data = {"text": form.text.data, "owner": form.owner.data,
                "deadline": form.deadline.data, "note": form.note.data,
                "horizon_year": form.horizon_year.data}
        try:
            execute(lambda: services.edit_item(plan, item, data, actor=current_user))
        except DomainError as error:
            attach_error(form, error)
        else:
            flash(_("Saved."), "success")
            return redirect(url_for("tree.item", plan_id=plan.id, item_id=item.id))
    return _render_item(plan, item, form)


def _render_item(plan, item, form, status=200):
    others = _all_items(plan)
    move = MoveItemForm()
    wanted = PARENT_LEVEL[item.level]
    if wanted is None:
        move.target.choices = [(f"d{d.id}", d.name) for d in plan.domains]
    else:
        move.target.choices = [(f"i{o.id}", f"{o.domain.name} — {o.text}") for o in others
                               if o.level == wanted]
    merge = MergeItemForm()
    merge.target_id.choices = [(o.id, o.text) for o in others
                               if o.level == item.level and o.id != item.id]
    return render_template(
        "tree/item.html", plan=plan, item=item, form=form, move=move, merge=merge,
        split=SplitItemForm(), action=ActionForm(), levels=LEVEL_LABELS,
        sources=promote.provenance(item), changes=services.history(plan, item)), status


@bp.post("/plans/<int:plan_id>/items/<int:item_id>/reorder")
def reorder(plan_id, item_id):
    """Up or down one place among its siblings (keyboard and buttons)."""
    plan = authorise_plan(current_user, plan_id, EDIT)
    item = services.get_item(plan, item_id)
    form = MoveForm()
    if form.validate_on_submit():
        try:
            execute(lambda: services.reorder(
                plan, item, -1 if form.direction.data == "up" else 1, actor=current_user))
        except DomainError as error:
            _flash_error(error)
    return redirect(url_for("tree.editor", plan_id=plan.id, moved=item.id,
                            dir=form.direction.data))


@bp.post("/plans/<int:plan_id>/items/<int:item_id>/place")
@csrf.exempt  # checked just below, from the X-CSRFToken header the script sends
def place(plan_id, item_id):
    """Drag and drop: put an item at a position among its siblings (JSON)."""
    if current_app.config.get("WTF_CSRF_ENABLED", True):  # as FlaskForm does
        csrf.protect()
    plan = authorise_plan(current_user, plan_id, EDIT)
    item = services.get_item(plan, item_id)
    body = request.get_json(silent=True)  # None for invalid or too deeply nested JSON
    try:
        index = body.get("index") if isinstance(body, dict) else None
        execute(lambda: services.place_at(plan, item, index, actor=current_user))
    except DomainError as error:
        return jsonify(ok=False, error=str(error.message)), 409
    return jsonify(ok=True)


@bp.post("/plans/<int:plan_id>/items/<int:item_id>/move")
def move(plan_id, item_id):
    """Move an item under another parent or into another work domain."""
    plan = authorise_plan(current_user, plan_id, EDIT)
    item = services.get_item(plan, item_id)
    form = MoveItemForm()
    target = form.target.data or ""
    if (form.validate_on_submit() and target[:1] in ("d", "i") and target[1:].isdigit()
            and len(target) <= 11):  # an id column holds 10 digits at most
        try:
            if target[0] == "d":
                execute(lambda: services.move(plan, item, int(target[1:]), None,
                                              actor=current_user))
            else:
                parent = services.get_item(plan, int(target[1:]))
                execute(lambda: services.move(plan, item, parent.domain_id, parent.id,
                                              actor=current_user))
        except DomainError as error:
            _flash_error(error)
        else:
            flash(_("Moved."), "success")
    return redirect(url_for("tree.item", plan_id=plan.id, item_id=item.id))


@bp.post("/plans/<int:plan_id>/items/<int:item_id>/merge")
def merge(plan_id, item_id):
    """Merge this item into another of the same level, after one confirmation."""
    plan = authorise_plan(current_user, plan_id, EDIT)
    item = services.get_item(plan, item_id)
    form = MergeItemForm()
    if not form.validate_on_submit() or not form.target_id.data:
        flash(_("This form was open for a long time and expired for your safety. Check what "
                "you typed and send it again.") if csrf_expired(form)
              else _("Choose the item to merge this one into."), "error")
        return redirect(url_for("tree.item", plan_id=plan.id, item_id=item.id))
    target = services.get_item(plan, form.target_id.data)
    if form.confirm.data != "yes":
        return render_template("tree/merge.html", plan=plan, item=item, target=target,
                               form=form, levels=LEVEL_LABELS)
    try:
        execute(lambda: goals.merge(plan, target, item, actor=current_user))
    except DomainError as error:
        _flash_error(error)
        return redirect(url_for("tree.item", plan_id=plan.id, item_id=item.id))
    flash(_("Merged."), "success")
    return redirect(url_for("tree.item", plan_id=plan.id, item_id=target.id))


@bp.post("/plans/<int:plan_id>/items/<int:item_id>/split")
def split(plan_id, item_id):
    """Split an item into several of the same level."""
    plan = authorise_plan(current_user, plan_id, EDIT)
    item = services.get_item(plan, item_id)
    form = SplitItemForm()
    if form.validate_on_submit():
        try:
            execute(lambda: services.split(plan, item, form.parts.data.splitlines(),
                                           actor=current_user))
        except DomainError as error:
            _flash_error(error)
        else:
            flash(_("Split."), "success")
            return _back(plan, item)
    return redirect(url_for("tree.item", plan_id=plan.id, item_id=item.id))


@bp.route("/plans/<int:plan_id>/items/<int:item_id>/delete", methods=["GET", "POST"])
def delete(plan_id, item_id):
    """Confirm, then remove an item and what hangs under it."""
    plan = authorise_plan(current_user, plan_id, EDIT)
    item = services.get_item(plan, item_id)
    form = ActionForm()
    if form.validate_on_submit():
        try:
            execute(lambda: services.delete(plan, item, actor=current_user))
        except DomainError as error:
            _flash_error(error)
            return redirect(url_for("tree.item", plan_id=plan.id, item_id=item.id))
        flash(_("Removed."), "success")
        return _back(plan)
    return render_template("tree/delete.html", plan=plan, item=item, form=form,
                           levels=LEVEL_LABELS, indicators=goals.indicators_under(item))


@bp.post("/plans/<int:plan_id>/changes/<int:change_id>/revert")
def revert(plan_id, change_id):
    """Undo one edit from the history."""
    plan = authorise_plan(current_user, plan_id, EDIT)
    if ActionForm().validate_on_submit():
        try:
            execute(lambda: services.revert(plan, change_id, actor=current_user))
        except DomainError as error:
            _flash_error(error)
        else:
            flash(_("The old text is back."), "success")
    return redirect(request.referrer if (request.referrer or "").startswith(request.host_url)
                    else url_for("tree.editor", plan_id=plan.id))


@bp.post("/plans/<int:plan_id>/status")
def status(plan_id):
    """Draft → review → final (each snapshots a version), or back to draft."""
    plan = authorise_plan(current_user, plan_id, EDIT)
    form = StatusForm()
    if form.validate_on_submit():
        try:
            version = execute(lambda: versions.set_status(plan, form.status.data,
                                                          actor=current_user))
        except DomainError as error:
            _flash_error(error)
        else:
            flash(_("Version %(n)d saved.", n=version.number) if version
                  else _("The plan is a draft again."), "success")
    return redirect(url_for("tree.editor", plan_id=plan.id))


@bp.get("/plans/<int:plan_id>/versions")
def version_list(plan_id):
    """The plan's versions, and any two compared."""
    plan = authorise_plan(current_user, plan_id, READ)
    all_versions = versions.list_versions(plan)
    diff = old = new = None
    a, b = request.args.get("a", type=int), request.args.get("b", type=int)
    if a and b:
        old, new = versions.get_version(plan, a), versions.get_version(plan, b)
        diff = versions.compare(json.loads(old.content), json.loads(new.content))
    return render_template("tree/versions.html", plan=plan, versions=all_versions, diff=diff,
                           old=old, new=new, levels=LEVEL_LABELS)


@bp.get("/plans/<int:plan_id>/document")
def document(plan_id):
    """The draft plan as a clean, printable document (now, or as version N)."""
    plan = authorise_plan(current_user, plan_id, READ)
    number = request.args.get("version", type=int)
    if number:
        doc = json.loads(versions.get_version(plan, number).content)
    else:
        doc = versions.content(plan)
    return render_template("tree/document.html", plan=plan, doc=doc, number=number,
                           levels=LEVEL_LABELS)


@bp.route("/workshops/<int:workshop_id>/steps/<int:step_id>/promote",
          methods=["GET", "POST"])
def promote_step(workshop_id, step_id):
    """After a vote: put the winners into the plan."""
    workshop = workshops.authorise_workshop(current_user, workshop_id, EDIT)
    step = agenda.get_step(workshop, step_id)
    if step.kind != "vote":
        abort(404)
    plan = workshop.plan
    form = PromoteForm()
    form.parent_id.choices = [("", "—")] + [
        (i.id, f"{LEVEL_LABELS[i.level]}: {i.text}") for i in _all_items(plan)]
    tally = promote.candidates(step)
    done = promote.promoted_ids(plan)
    voted = has_results(step)
    if form.validate_on_submit():
        options = {"top": form.top.data or 3, "threshold": form.threshold_value,
                   "picked": form.picked.data or [], "actor": current_user}
        def promote_winners():
            promote.require_results(step)
            if form.level.data == "indicator":
                return indicator_promote.promote(plan, step, form.mode.data,
                                                 form.parent_id.data, **options)
            return promote.promote(plan, step, form.mode.data, form.level.data,
                                   form.parent_id.data, **options)

        try:
            made = execute(promote_winners)
        except DomainError as error:
            attach_error(form, error)
        else:
            flash(ngettext("%(num)d item added to the plan.", "%(num)d items added to the plan.",
                           len(made)) if made
                  else _("Nothing new: these are already in the plan."), "success")
            if form.level.data == "indicator":
                return redirect(url_for("monitor.dashboard", plan_id=plan.id))
            return redirect(url_for("tree.editor", plan_id=plan.id))
    return render_template("tree/promote.html", workshop=workshop, step=step, plan=plan,
                           form=form, tally=tally, done=done, voted=voted,
                           levels=LEVEL_LABELS, value_headings=VALUE_HEADINGS)
