"""Form helpers shared by every area."""

from flask_wtf import FlaskForm
from wtforms import SelectMultipleField, widgets
from wtforms.fields.choices import SelectChoice

from workshop.core.inputs import to_id


def choices(pairs):
    """WTForms choices from (value, label) pairs."""
    return [SelectChoice(value, label) for value, label in pairs]


def optional_int(value):
    """Coerce for optional id fields: empty or missing is None, not an error."""
    return to_id(value) if value not in (None, "") else None


class CheckboxesField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


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
