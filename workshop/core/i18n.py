"""Language choice: the user's pick (a cookie), else the browser's, else the default."""

import datetime as dt
from urllib.parse import urlsplit

from babel.numbers import get_decimal_symbol
from flask import Blueprint, current_app, has_request_context, redirect, request, url_for
from flask_babel import format_date, format_decimal, get_locale
from flask_babel import gettext as _

LANGUAGE_COOKIE = "koers_lang"
LANGUAGE_NAMES = {"nl": "Nederlands", "en": "English"}

bp = Blueprint("i18n", __name__)


def select_locale():
    """Flask-Babel locale selector."""
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # shell commands, background work
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    chosen = request.cookies.get(LANGUAGE_COOKIE)
    if chosen in languages:
        return chosen
    return request.accept_languages.best_match(
        languages, default=current_app.config["BABEL_DEFAULT_LOCALE"]
    )


def safe_next(target, fallback="/"):
    """Only same-site relative paths are followed after a redirect."""
    if not target:
        return fallback
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return fallback
    if "\\" in target:
        return fallback
    return target


@bp.get("/language/<code>")
def switch_language(code):
    """Any visitor picks a language; it is remembered in a cookie for a year."""
    target = safe_next(request.args.get("next"), url_for("plans.index"))
    response = redirect(target)
    if code in current_app.config["LANGUAGES"]:
        response.set_cookie(
            LANGUAGE_COOKIE, code, max_age=365 * 24 * 3600, samesite="Lax", httponly=True
        )
    return response


def template_globals():
    """Values every template uses to draw the language switch."""
    return {
        "current_language": str(get_locale()),
        "language_names": LANGUAGE_NAMES,
    }


def format_duration(seconds):
    """5 min, 1 min 30 s, 45 s: how long a time box lasts."""
    seconds = int(seconds or 0)
    minutes, rest = divmod(seconds, 60)
    if minutes and rest:
        return _("%(m)d min %(s)d s", m=minutes, s=rest)
    if minutes:
        return _("%(m)d min", m=minutes)
    return _("%(s)d s", s=rest)


def format_iso_date(text):
    """“2026-03-31” (as stored in a history entry) in the reader's date format."""
    try:
        return format_date(dt.date.fromisoformat(text))
    except (TypeError, ValueError):
        return text or ""


def plain_number(value):
    """A number as typed back into a form: every significant digit, no exponent for
    everyday sizes, no trailing “.0”, no thousands separator, and the reader's decimal
    sign (1234567.0 → “1234567”; 12345.678 → “12345.678”, in Dutch “12345,678”).
    The forms read both signs back (core.values.parse_number)."""
    if value is None:
        return ""
    text = f"{value:.15g}"
    if "e" in text:
        return text
    text = text.rstrip("0").rstrip(".") if "." in text else text
    if has_request_context():
        text = text.replace(".", get_decimal_symbol(get_locale()))
    return text


def format_number(value):
    """12.5 → “12,5” in Dutch, “12.5” in English; at most two decimals; – for none."""
    if value is None:
        return "–"
    try:
        return format_decimal(value, format="#,##0.##")
    except (ArithmeticError, ValueError, TypeError):  # astronomically large: as it is
        return str(value)
