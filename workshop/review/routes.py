"""Facilitator pages for review rounds: open one, hand out links, answer every comment."""

import io

import segno
from babel.dates import format_date, format_time
from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from workshop.core.addresses import public_base
from workshop.core.errors import DomainError
from workshop.core.forms import ActionForm, attach_error, choices, csrf_expired
from workshop.core.labels import LEVEL_LABELS
from workshop.core.pages import facilitators_only
from workshop.core.time import utcnow
from workshop.plans.access import EDIT, authorise_plan
from workshop.realtime.executor import execute
from workshop.review import clock
from workshop.review import services as review
from workshop.review.forms import (
    DISPOSITION_LABELS,
    REACTION_LABELS,
    AnswerForm,
    LinkForm,
    RoundForm,
)
from workshop.tree import versions

bp = Blueprint("review", __name__)


facilitators_only(bp)


def link_url(token):
    return f"{public_base()}/r/{token}"


@bp.app_template_global("round_time")
def round_time(round_, value):
    """A stored (UTC) time of a round as its wall-clock time in the round's time zone."""
    local = clock.in_zone(value, round_.timezone)
    locale = get_locale()
    return (f"{format_date(local, 'medium', locale=locale)} "
            f"{format_time(local, 'short', locale=locale)}")


@bp.route("/plans/<int:plan_id>/reviews/new", methods=["GET", "POST"])
def new_round(plan_id):
    """A facilitator opens a stakeholder review round on a version of the plan."""
    plan = authorise_plan(current_user, plan_id, EDIT)
    all_versions = versions.list_versions(plan)
    form = RoundForm()
    if not all_versions:
        return render_template("review/new.html", plan=plan, form=form, versions=[],
                               action=ActionForm())
    form.version_id.choices = choices(
        (v.id, _("Version %(n)d", n=v.number)) for v in reversed(all_versions))
    form.domain_ids.choices = choices((d.id, d.name) for d in plan.domains)
    if request.method == "GET":
        form.timezone.data = current_app.config.get("BABEL_DEFAULT_TIMEZONE") or "UTC"
        if form.timezone.data not in clock.time_zones():
            form.timezone.data = "UTC"
        form.opens_at.data, form.closes_at.data = clock.default_times(form.timezone.data,
                                                                       utcnow())
        form.domain_ids.data = [d.id for d in plan.domains]
        form.levels.data = ["strategic_goal", "operational_goal"]
    if form.validate_on_submit():
        version = next((v for v in all_versions if v.id == form.version_id.data), None)
        try:
            round_, _token = execute(lambda: review.open_round(plan, version, {
                "title": form.title.data, "invitation": form.invitation.data,
                "opens_at": form.opens_at.data, "closes_at": form.closes_at.data,
                "timezone": form.timezone.data, "domain_ids": form.domain_ids.data,
                "levels": form.levels.data, "named": form.named.data,
                "shared": form.shared.data}, actor=current_user))
        except DomainError as error:
            attach_error(form, error)
        else:
            flash(_("The review round is ready. Share its link."), "success")
            return redirect(url_for("review.round_page", plan_id=plan.id, round_id=round_.id))
    return render_template("review/new.html", plan=plan, form=form, versions=all_versions,
                           zones=clock.time_zones())


@bp.post("/plans/<int:plan_id>/reviews/new/version")
def save_version(plan_id):
    """From "new review round" with no version yet: send the plan to review (which saves
    version 1) and come back to open the round on it."""
    plan = authorise_plan(current_user, plan_id, EDIT)
    if ActionForm().validate_on_submit() and not versions.list_versions(plan):
        try:
            version = execute(lambda: versions.set_status(plan, "review", actor=current_user))
        except DomainError as error:
            flash(str(error.message), "error")
        else:
            flash(_("Version %(n)d saved.", n=version.number), "success")
    return redirect(url_for("review.new_round", plan_id=plan.id))


FILTERS = ("unanswered", "group", "domain")


def filters():
    """The review screen's filters, to carry through an answer and back."""
    return {key: request.args[key][:200] for key in FILTERS if request.args.get(key)}


def _filtered(round_):
    goals = review.goals(round_)
    wanted_domain = request.args.get("domain", type=int)
    wanted_group = request.args.get("group")
    unanswered = request.args.get("unanswered") == "1"
    by_goal = {}
    for comment in review.comments(round_):
        if unanswered and comment.disposition is not None:
            continue
        if wanted_group and comment.reviewer.group_name != wanted_group:
            continue
        by_goal.setdefault(comment.item_id, []).append(comment)
    sections = []
    for domain in goals:
        if wanted_domain and domain["domain"]["id"] != wanted_domain:
            continue
        sections.append({"domain": domain["domain"], "goals": [
            {"goal": g, "comments": by_goal.get(g["id"], [])} for g in domain["goals"]]})
    return sections


def _round_context(plan, round_):
    shared = review.shared_token(round_)
    groups = sorted({c.reviewer.group_name for c in review.comments(round_)} - {""})
    return dict(
        plan=plan, round=round_, phase=review.phase(round_), sections=_filtered(round_),
        summary=review.summary(round_), shared_url=link_url(shared) if shared else None,
        links=[(link, link_url(review.link_token(link.nonce))) for link in round_.links],
        groups=groups, reactions=REACTION_LABELS, dispositions=DISPOSITION_LABELS,
        levels=LEVEL_LABELS, action=ActionForm(), answer=AnswerForm(formdata=None),
        link_form=LinkForm(formdata=None), failed=None, filters=filters())


@bp.get("/plans/<int:plan_id>/reviews/<int:round_id>")
def round_page(plan_id, round_id):
    """The facilitator's review screen: links, and every comment per goal, live."""
    plan = authorise_plan(current_user, plan_id, EDIT)
    round_ = review.get_round(plan, round_id)
    context = _round_context(plan, round_)
    if request.args.get("fragment") == "comments":
        return render_template("review/_comments.html", **context)
    return render_template("review/round.html", **context)


@bp.get("/plans/<int:plan_id>/reviews/<int:round_id>/qr.svg")
def qr(plan_id, round_id):
    """A QR code of the shared link, to show on a screen or print on an invitation."""
    round_ = review.get_round(authorise_plan(current_user, plan_id, EDIT), round_id)
    token = review.shared_token(round_)
    if token is None:
        abort(404)
    buffer = io.BytesIO()
    segno.make(link_url(token), error="m").save(buffer, kind="svg", scale=8, border=2)
    return Response(buffer.getvalue(), mimetype="image/svg+xml")


def _back(plan, round_):
    return redirect(url_for("review.round_page", plan_id=plan.id, round_id=round_.id))


@bp.post("/plans/<int:plan_id>/reviews/<int:round_id>/links")
def add_link(plan_id, round_id):
    """A personal link for one named stakeholder."""
    plan = authorise_plan(current_user, plan_id, EDIT)
    round_ = review.get_round(plan, round_id)
    form = LinkForm()
    if form.validate_on_submit():
        try:
            execute(lambda: review.add_personal_link(
                round_, form.name.data, form.organisation.data, form.group_name.data,
                actor=current_user))
        except DomainError as error:
            flash(str(error.message), "error")
    return _back(plan, round_)


@bp.post("/plans/<int:plan_id>/reviews/<int:round_id>/links/<int:link_id>/revoke")
def revoke_link(plan_id, round_id, link_id):
    """Stop a personal link from working."""
    plan = authorise_plan(current_user, plan_id, EDIT)
    round_ = review.get_round(plan, round_id)
    if ActionForm().validate_on_submit():
        execute(lambda: review.revoke_link(round_, link_id, actor=current_user))
        flash(_("That link no longer works."), "success")
    return _back(plan, round_)


@bp.post("/plans/<int:plan_id>/reviews/<int:round_id>/shared")
def shared_link(plan_id, round_id):
    """Make a new shared link (the old one stops working), or switch it off."""
    plan = authorise_plan(current_user, plan_id, EDIT)
    round_ = review.get_round(plan, round_id)
    if ActionForm().validate_on_submit():
        if request.form.get("what") == "revoke":
            execute(lambda: review.revoke_shared_link(round_, actor=current_user))
            flash(_("The shared link no longer works."), "success")
        else:
            execute(lambda: review.new_shared_link(round_, actor=current_user))
            flash(_("A new shared link is ready; the old one no longer works."), "success")
    return _back(plan, round_)


@bp.post("/plans/<int:plan_id>/reviews/<int:round_id>/close")
def close_now(plan_id, round_id):
    """End the round now: comments become read-only, "you said, we did" opens."""
    plan = authorise_plan(current_user, plan_id, EDIT)
    round_ = review.get_round(plan, round_id)
    if ActionForm().validate_on_submit() and execute(
            lambda: review.close_now(round_, actor=current_user)):
        flash(_("The round is closed."), "success")
    return _back(plan, round_)


@bp.post("/plans/<int:plan_id>/reviews/<int:round_id>/comments/<int:comment_id>")
def answer(plan_id, round_id, comment_id):
    """Answer a comment: a disposition and a reply (or accept its rewording, with the
    reply, as one change). Nothing missing is guessed: the page comes back with what was
    typed and says what is missing."""
    plan = authorise_plan(current_user, plan_id, EDIT)
    round_ = review.get_round(plan, round_id)
    comment = review.get_comment(round_, comment_id)
    form = AnswerForm()
    if form.validate_on_submit():
        try:
            if request.form.get("accept_rewording") == "1":
                execute(lambda: review.accept_rewording(round_, comment, reply=form.reply.data,
                                                        actor=current_user))
            else:
                execute(lambda: review.answer(round_, comment, form.disposition.data,
                                              form.reply.data, actor=current_user))
        except DomainError as error:
            problem = str(error.message)
        else:
            flash(_("Answer saved."), "success")
            return redirect(url_for("review.round_page", plan_id=plan.id,
                                    round_id=round_.id, **filters()) + f"#goal-{comment.item_id}")
    elif csrf_expired(form):
        problem = _("This page was open for a long time. Check your answer and save again.")
    else:
        problem = next(iter(form.errors.values()))[0]
    # Say what is wrong beside the answer, keeping what was typed; nothing is saved.
    failed = {"id": comment.id, "disposition": request.form.get("disposition", ""),
              "reply": request.form.get("reply", "")[:4000], "error": problem}
    context = {**_round_context(plan, round_), "failed": failed}
    return render_template("review/round.html", **context), 422
