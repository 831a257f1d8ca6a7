"""The participant's secret token, kept in a signed cookie per workshop."""

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

SALT = "koers-participant"
MAX_AGE = 30 * 24 * 3600


def cookie_name(workshop_id):
    return f"koers_p{workshop_id}"


def _serializer():
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def set_token_cookie(response, workshop_id, token):
    """Remember on this phone who it is in this workshop."""
    response.set_cookie(
        cookie_name(workshop_id), _serializer().dumps(token), max_age=MAX_AGE, httponly=True,
        samesite="Lax", secure=current_app.config["SESSION_COOKIE_SECURE"],
    )
    return response


def token_from_cookies(cookies, workshop_id):
    """The token this phone holds for the workshop, or None (missing or tampered)."""
    raw = cookies.get(cookie_name(workshop_id))
    if not raw:
        return None
    try:
        token = _serializer().loads(raw)
    except BadSignature:
        return None
    return token if isinstance(token, str) else None
