"""Form helpers shared by every area."""

from flask_wtf import FlaskForm


class ActionForm(FlaskForm):
    """A form with nothing but its CSRF token: for buttons that change something."""


def attach_error(form, error):
    """Show a DomainError beside its field, or above the form when it has none."""
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = [*field.errors, error.message]
    else:
        form.form_errors.append(error.message)


def csrf_expired(form):
    """True when the only thing wrong with a submitted form is its CSRF token."""
    token = getattr(form, "csrf_token", None)
    return bool(token is not None and token.errors)
