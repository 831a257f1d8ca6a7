"""Forms for facilitator accounts."""

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, StringField
from wtforms.validators import Email, EqualTo, InputRequired, Length

from workshop.accounts.services import MIN_PASSWORD_LENGTH

_required = InputRequired(message=_l("This field is required."))
_email = Email(message=_l("Enter a valid e-mail address, like name@example.org."))


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mail address"), validators=[_required, Length(max=254)],
                       render_kw={"autocomplete": "username"})
    password = PasswordField(_l("Password"), validators=[_required, Length(max=200)],
                             render_kw={"autocomplete": "current-password"})


class NewAccountFields(FlaskForm):
    name = StringField(_l("Name"), validators=[_required, Length(max=120)],
                       render_kw={"autocomplete": "name"})
    email = EmailField(_l("E-mail address"), validators=[_required, _email, Length(max=254)],
                       render_kw={"autocomplete": "email"})
    password = PasswordField(
        _l("Password"),
        description=lazy_ngettext("At least %(num)d character.", "At least %(num)d characters.",
                                  MIN_PASSWORD_LENGTH),
        validators=[_required, Length(max=200)],
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        _l("Password again"),
        validators=[_required, EqualTo("password", message=_l("The passwords differ."))],
        render_kw={"autocomplete": "new-password"},
    )


class SetupForm(NewAccountFields):
    """First run: the first account and the organisation it administers."""

    organisation = StringField(
        _l("Your organisation"),
        description=_l("Its plans, people and figures are kept apart from any other "
                       "organisation's on this installation."),
        validators=[_required, Length(max=200)], render_kw={"autocomplete": "organization"})


class PasswordForm(FlaskForm):
    current_password = PasswordField(
        _l("Current password"), validators=[_required, Length(max=200)],
        render_kw={"autocomplete": "current-password"},
    )
    new_password = PasswordField(
        _l("New password"),
        description=lazy_ngettext("At least %(num)d character.", "At least %(num)d characters.",
                                  MIN_PASSWORD_LENGTH),
        validators=[_required, Length(max=200)],
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        _l("New password again"),
        validators=[_required, EqualTo("new_password", message=_l("The passwords differ."))],
        render_kw={"autocomplete": "new-password"},
    )
