"""Joining from a phone: by code or QR, no account; plus the JSON join for other clients."""

import io
import secrets

import segno
from flask import (
    Blueprint,
    Response,
    current_app,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)

from workshop.core.addresses import join_url
from workshop.core.errors import DomainError, NotFound
from workshop.core.forms import choices
from workshop.core.payloads import Int, PayloadError, Str, parse
from workshop.extensions import csrf, limiter
from workshop.live import participation, workshops
from workshop.live.cookies import set_token_cookie, token_from_cookies
from workshop.live.forms import JoinCodeForm, JoinForm
from workshop.live.strings import participant_strings
from workshop.realtime.executor import execute

bp = Blueprint("join", __name__)

# Wrong codes count per client address: 10 a minute, then 429 with a clear page.
wrong_codes = limiter.shared_limit(
    lambda: current_app.config.get("JOIN_CODE_RATE_LIMIT", "10 per minute"),
    scope="join-code",
    deduct_when=lambda response: response.status_code == 404,
)


def _current_participant(workshop):
    token = token_from_cookies(request.cookies, workshop.id)
    return participation.participant_for_token(workshop, token) if token else None


@bp.route("/j", methods=["GET", "POST"])
@wrong_codes
def enter_code():
    """A participant types the code shown on the screen."""
    form = JoinCodeForm()
    if form.validate_on_submit():
        try:
            workshop = workshops.get_by_code(form.code.data)
        except NotFound as error:
            form.code.errors = [str(error.message)]
            return render_template("live/join_code.html", form=form), 404
        return redirect(url_for("join.join", code=workshop.code))
    return render_template("live/join_code.html", form=form)


@bp.route("/j/<code>", methods=["GET", "POST"])
@wrong_codes
def join(code):
    """A participant gives a name (unless anonymous) and a group, and is in."""
    try:
        workshop = workshops.get_by_code(code)
    except NotFound as error:
        form = JoinCodeForm(code=code)
        form.code.errors = [str(error.message)]
        return render_template("live/join_code.html", form=form), 404
    if workshop.code != code:  # typed in lower case or with spaces: one canonical address
        return redirect(url_for("join.join", code=workshop.code))
    if _current_participant(workshop):
        return redirect(url_for("join.participate", code=workshop.code))
    if request.method == "POST" and (again := _retry(workshop)) is not None:
        return again  # a resend of an attempt that already joined (also if joining closed)
    if workshop.status == "finished" or not workshop.joining_open:
        return render_template("live/join_closed.html", workshop=workshop), 403
    form = JoinForm()
    form.group_id.choices = choices((g.id, g.name) for g in workshop.groups)
    if request.method == "GET" and len(workshop.groups) == 1:
        form.group_id.data = workshop.groups[0].id  # nothing to choose: one tap less
    if not form.join_key.data:
        form.join_key.data = secrets.token_urlsafe(24)
    if form.validate_on_submit():
        try:
            participant, token = execute(lambda: participation.join(
                workshop, form.display_name.data, form.group_id.data, form.join_key.data))
        except DomainError as error:
            field = getattr(form, error.field, None) if error.field else None
            (field.errors if field is not None else form.form_errors).append(
                str(error.message))
            if field is None:  # e.g. an old page's key: the next try is a new attempt
                form.join_key.data = secrets.token_urlsafe(24)
        else:
            response = redirect(url_for("join.participate", code=workshop.code))
            return set_token_cookie(response, workshop.id, token)
    # The page holds this attempt's secret key: never kept by a browser or proxy cache.
    return render_template("live/join.html", workshop=workshop, form=form), 200, {
        "Cache-Control": "no-store"}


def _retry(workshop):
    """The answer to a resent join form whose first send already joined, or None."""
    key = request.form.get("join_key")
    try:
        found = participation.rejoin(workshop, key) if key else None
    except DomainError:
        return None  # an old or odd key: the form handles it with a message
    if found is None:
        return None
    response = redirect(url_for("join.participate", code=workshop.code))
    return set_token_cookie(response, workshop.id, found[1])


@bp.get("/w/<code>")
def participate(code):
    """The participant's live page on their phone."""
    try:
        workshop = workshops.get_by_code(code)
    except NotFound:
        return redirect(url_for("join.enter_code"))
    participant = _current_participant(workshop)
    if participant is None:
        return redirect(url_for("join.join", code=workshop.code))
    return render_template("live/participant.html", workshop=workshop, participant=participant,
                           strings=participant_strings())


@bp.get("/j/<code>/qr.svg")
def qr_code(code):
    """The QR code that opens this workshop's join page (shown on the projector)."""
    try:
        workshop = workshops.get_by_code(code)
    except NotFound:
        return Response(status=404)
    qr = segno.make(join_url(workshop), error="m")
    buffer = io.BytesIO()
    qr.save(buffer, kind="svg", scale=10, border=2, dark="#111111", light="#ffffff",
            title=join_url(workshop))
    return Response(buffer.getvalue(), mimetype="image/svg+xml",
                    headers={"Cache-Control": "private, max-age=300"})


@bp.post("/api/join")
@csrf.exempt
@wrong_codes
def api_join():
    """Third-party clients join with JSON and get the token for the Socket.IO connection."""
    try:
        values = parse(request.get_json(silent=True), code=Str(max_length=20),
                       display_name=Str(max_length=60, required=False),
                       group_id=Int(required=False),
                       join_key=Str(min_length=16, max_length=64, required=False))
        workshop = workshops.get_by_code(values["code"])
        participant, token = execute(lambda: participation.join(
            workshop, values["display_name"], values["group_id"], values["join_key"]))
    except PayloadError as error:
        return jsonify(ok=False, code="bad_payload", error=str(error.message)), 400
    except NotFound as error:
        return jsonify(ok=False, code="unknown_code", error=str(error.message)), 404
    except DomainError as error:
        return jsonify(ok=False, code=error.code, field=error.field,
                       error=str(error.message)), 409 if error.field is None else 422
    response = jsonify(ok=True, token=token, participant_id=participant.id,
                       workshop_id=workshop.id, group_id=participant.group_id)
    return set_token_cookie(response, workshop.id, token)

