"""The stakeholder's pages, reached by link: no account, phone or laptop."""

from flask import (
    Blueprint,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_wtf.csrf import generate_csrf
from itsdangerous import BadSignature, URLSafeSerializer

from workshop.core.errors import Conflict, DomainError, NotFound
from workshop.core.forms import ActionForm, csrf_expired
from workshop.core.labels import LEVEL_LABELS
from workshop.extensions import db, limiter
from workshop.plans.models import Plan
from workshop.realtime.executor import execute
from workshop.review import services as review
from workshop.review.forms import (
    DISPOSITION_LABELS,
    REACTION_LABELS,
    ReactionForm,
    RegisterForm,
)

bp = Blueprint("stakeholder", __name__)

# Unknown links count per address (10 a minute); every link's own writes are capped too.
wrong_links = limiter.shared_limit("10 per minute", scope="review-link",
                                   deduct_when=lambda response: response.status_code == 404)
writes = limiter.limit("60 per minute", key_func=lambda: (
    f"{request.remote_addr}:{(request.view_args or {}).get('token', '')[:12]}"))


def _cookie(round_id):
    return f"koers_r{round_id}"


def _serializer():
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="koers-reviewer")


def _context(token):
    """(round, link, reviewer) for a link, or a 404 page."""
    round_, link = review.resolve(token)
    browser = None
    raw = request.cookies.get(_cookie(round_.id))
    if raw:
        try:
            browser = _serializer().loads(raw)
        except BadSignature:
            browser = None
    return round_, link, review.reviewer_for(round_, link, browser)


def _gone():
    return render_template("errors/link_gone.html"), 404


def _wants_json():
    """The page's script saves one goal without reloading and asks for JSON."""
    return request.headers.get("X-Requested-With") == "fetch"


def _page(token, round_, link, reviewer, failed=None, status=200):
    phase = review.phase(round_)
    mine = {c.item_id: c for c in review.comments(round_) if reviewer
            and c.reviewer_id == reviewer.id}
    everything = review.comments(round_) if phase == "closed" else []
    return render_template(
        "review/stakeholder.html", round=round_, token=token, phase=phase, link=link,
        reviewer=reviewer, goals=review.goals(round_), mine=mine, everything=everything,
        document=review.document(round_), failed=failed,
        register=RegisterForm(formdata=None), reaction=ReactionForm(formdata=None),
        action=ActionForm(formdata=None), reactions=REACTION_LABELS,
        dispositions=DISPOSITION_LABELS, levels=LEVEL_LABELS,
        organisation=db.session.get(Plan, round_.plan_id).owner), status


@bp.get("/r/<token>")
@wrong_links
def page(token):
    """Read the draft plan and react per goal; before opening or after closing, say so."""
    try:
        round_, link, reviewer = _context(token)
    except NotFound:
        return _gone()
    return _page(token, round_, link, reviewer)


@bp.post("/r/<token>/register")
@wrong_links
@writes
def register(token):
    """A stakeholder says who they are (or, anonymously, just starts)."""
    try:
        round_, link, reviewer = _context(token)
    except NotFound:
        return _gone()
    form = RegisterForm()
    response = redirect(url_for("stakeholder.page", token=token))
    if reviewer is None and form.validate_on_submit():
        try:
            _reviewer, browser = execute(lambda: review.register(round_, link, {
                "name": form.name.data, "organisation": form.organisation.data,
                "group_name": form.group_name.data}))
        except DomainError as error:
            flash(str(error.message), "error")
        else:
            if browser:
                response.set_cookie(_cookie(round_.id), _serializer().dumps(browser),
                                    max_age=120 * 24 * 3600, httponly=True, samesite="Lax",
                                    secure=current_app.config["SESSION_COOKIE_SECURE"])
    return response


@bp.post("/r/<token>/goals/<int:item_id>")
@wrong_links
@writes
def react(token, item_id):
    """A stakeholder saves (or changes) their reaction to one goal: from the page's script
    (JSON, no reload, so nothing typed elsewhere on the page is touched) or as a plain
    form post. A problem comes back beside the goal with what was typed; nothing saved."""
    try:
        round_, _link, reviewer = _context(token)
    except NotFound:
        if _wants_json():
            return jsonify(ok=False, error=_("This link does not work (any more).")), 404
        return _gone()
    form = ReactionForm()
    status, comment = 400, None
    valid = form.validate_on_submit()
    if csrf_expired(form):
        problem = _("This page was open for a long time. Your text is still here: "
                    "send it again.")
    elif not valid:
        problem = (_("Choose your reaction.") if form.reaction.errors
                   else next(iter(form.errors.values()))[0])
    else:
        try:
            comment = execute(lambda: review.save_comment(
                reviewer, round_, item_id, form.reaction.data, form.text.data,
                form.rewording.data))
        except DomainError as error:
            problem, status = str(error.message), 409 if isinstance(error, Conflict) else 400
    if comment is not None:
        message = _("Thank you, your reaction is saved.")
        if _wants_json():
            return jsonify(ok=True, message=message, comment_id=comment.id,
                           button=_("Update my reaction"), csrf=generate_csrf(),
                           withdraw=url_for("stakeholder.withdraw", token=token,
                                            comment_id=comment.id))
        flash(message, "success")
        return redirect(url_for("stakeholder.page", token=token) + f"#goal-{item_id}")
    if _wants_json():
        return jsonify(ok=False, error=problem, csrf=generate_csrf(),
                       expired=csrf_expired(form)), status
    failed = {"item_id": item_id, "error": problem,
              "reaction": request.form.get("reaction", ""),
              "text": request.form.get("text", "")[:4000],
              "rewording": request.form.get("rewording", "")[:4000]}
    return _page(token, round_, _link, reviewer, failed=failed, status=status)


@bp.post("/r/<token>/comments/<int:comment_id>/withdraw")
@wrong_links
@writes
def withdraw(token, comment_id):
    """A stakeholder takes back their reaction while the round is open."""
    try:
        round_, _link, reviewer = _context(token)
    except NotFound:
        return _gone()
    if ActionForm().validate_on_submit():
        try:
            execute(lambda: review.withdraw_comment(reviewer, round_, comment_id))
        except DomainError as error:
            flash(str(error.message), "error")
        else:
            flash(_("Your reaction is withdrawn."), "success")
    return redirect(url_for("stakeholder.page", token=token))
