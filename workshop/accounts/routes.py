"""Pages for first-run set-up, logging in and out, and facilitator accounts."""

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from workshop.accounts import services, sessions
from workshop.accounts.forms import LoginForm, PasswordForm, SetupForm
from workshop.core.errors import DomainError
from workshop.core.forms import ActionForm, attach_error
from workshop.core.i18n import safe_next
from workshop.extensions import limiter, login_manager
from workshop.realtime.executor import execute

bp = Blueprint("accounts", __name__)

# Pages that work before the first account exists.
SETUP_EXEMPT = {"accounts.setup", "static", "pages.healthz", "i18n.switch_language"}


@login_manager.user_loader
def load_user(session_id):
    """Flask-Login: the logged-in facilitator from the session."""
    return services.load_by_session_id(session_id)


@bp.before_app_request
def require_setup():
    """On a fresh install every page leads to creating the first account."""
    if request.endpoint in SETUP_EXEMPT or request.endpoint is None:
        return None
    if request.blueprint in ("join", "stakeholder", "progress_page"):  # never for visitors
        return None
    if current_app.extensions.get("koers_setup_done"):
        return None
    if services.count_facilitators() > 0:
        current_app.extensions["koers_setup_done"] = True
        return None
    return redirect(url_for("accounts.setup"))


def _login(facilitator):
    # A fresh session on login: nothing from before (a fixated id) carries over.
    session.clear()
    session.permanent = True
    login_user(facilitator)
    sessions.new_login_key()


@bp.route("/setup", methods=["GET", "POST"])
def setup():
    """First visit to a fresh install: create the first facilitator account."""
    if services.count_facilitators() > 0:
        return redirect(url_for("accounts.login"))
    form = SetupForm()
    if form.validate_on_submit():
        try:
            facilitator = execute(lambda: services.create_first_facilitator(
                form.email.data, form.name.data, form.password.data, form.organisation.data
            ))
        except DomainError as error:
            attach_error(form, error)
        else:
            _login(facilitator)
            flash(_("Welcome to Koers. Start by creating your first plan."), "success")
            return redirect(url_for("plans.new"))
    return render_template("accounts/setup.html", form=form)


def _login_failed(response):
    """Only failed attempts count towards the login rate limit."""
    return response.status_code != 302


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(
    lambda: current_app.config["LOGIN_RATE_LIMIT"],
    methods=["POST"],
    deduct_when=_login_failed,
)
def login():
    """A facilitator logs in with e-mail and password."""
    if current_user.is_authenticated:
        return redirect(url_for("plans.index"))
    form = LoginForm()
    if form.validate_on_submit():
        facilitator = execute(lambda: services.authenticate(form.email.data,
                                                            form.password.data))
        if facilitator is None:
            form.form_errors.append(_("That e-mail address and password do not match."))
        else:
            target = safe_next(request.args.get("next"), url_for("plans.index"))
            _login(facilitator)
            return redirect(target)
    return render_template("accounts/login.html", form=form)


@bp.post("/logout")
def logout():
    """A facilitator logs out; the whole session is forgotten."""
    form = ActionForm()
    if form.validate_on_submit():
        sessions.end_this_login(current_user)  # open consoles end with the session
        logout_user()
        session.clear()
        flash(_("You are logged out."), "info")
    return redirect(url_for("accounts.login"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    """A facilitator changes their own password."""
    form = PasswordForm()
    if form.validate_on_submit():
        try:
            facilitator = execute(lambda: services.change_password(
                current_user, form.current_password.data, form.new_password.data
            ))
        except DomainError as error:
            attach_error(form, error)
        else:
            # Every other session ends, with its open consoles and presenters; this one
            # logs in again with the new version.
            sessions.end_every_login(facilitator)
            _login(facilitator)
            flash(_("Your password has been changed."), "success")
            return redirect(url_for("plans.index"))
    return render_template("accounts/password.html", form=form)
