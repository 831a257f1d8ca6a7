"""Error pages (both languages, HTML or JSON) and the health check."""

from flask import Blueprint, jsonify, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from sqlalchemy import text
from werkzeug.exceptions import HTTPException, InternalServerError

from workshop.extensions import db

bp = Blueprint("pages", __name__)

ERROR_TEXTS = {
    400: (_l("We could not use that request"),
          _l("What was sent is incomplete or invalid. Go back and try again.")),
    403: (_l("Not for you, sorry"),
          _l("You do not have access to this page. Log in with another account, "
             "or ask the facilitator for the right link.")),
    404: (_l("Page not found"),
          _l("This page does not exist (any more). Check the address, or start from the "
             "home page.")),
    405: (_l("That does not work here"),
          _l("This page cannot be used this way. Go back and use the buttons on the page.")),
    413: (_l("Too much at once"),
          _l("What you sent is too large. Send something smaller.")),
    429: (_l("Slow down a little"),
          _l("Too many attempts in a short time. Wait a minute and try again.")),
    500: (_l("Something went wrong on our side"),
          _l("The error has been logged. Try again in a moment; what you saved before "
             "is safe.")),
}


def _wants_json():
    if request.path.startswith("/api/") or request.path == "/healthz":
        return True
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json" and not request.accept_mimetypes["text/html"]


def render_error(code, description=None):
    """A friendly page for HTTP error `code`, in the visitor's language."""
    title, message = ERROR_TEXTS.get(code, ERROR_TEXTS[500])
    if _wants_json():
        return jsonify(error=str(title), message=str(description or message)), code
    return render_template(
        "errors/error.html", code=code, title=title, message=description or message
    ), code


def handle_http_error(error):
    """Werkzeug's HTTP errors become our own pages."""
    if isinstance(error, CSRFError):
        return render_error(
            400,
            _l("This form had expired for your safety. Go back, reload the page "
               "and send it again."),
        )
    return render_error(error.code or 500)


def handle_unexpected_error(error):
    """Anything unhandled: log it, show the 500 page, keep the details out of view."""
    if isinstance(error, HTTPException):
        return handle_http_error(error)
    db.session.rollback()
    from flask import current_app

    current_app.logger.exception("Unhandled error on %s %s", request.method, request.path)
    return render_error(InternalServerError.code)


@bp.get("/healthz")
def healthz():
    """Load balancers and operators: 200 when the database answers, else 503."""
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # any database failure means "not healthy"
        db.session.rollback()
        return jsonify(status="error", database="unavailable"), 503
    return jsonify(status="ok", database="ok")


def handle_not_found(error):
    """A service said "no such thing (for you)": the friendly 404 page."""
    return render_error(404)


def handle_forbidden(error):
    """A service said "you may see this, but your role does not allow that": 403."""
    return render_error(403, error.message)


def facilitators_only(blueprint):
    """Every page of `blueprint` is for logged-in facilitators only."""
    from flask_login import login_required

    @blueprint.before_request
    @login_required
    def require_login():
        """Flask-Login sends anonymous visitors to the log-in page."""
