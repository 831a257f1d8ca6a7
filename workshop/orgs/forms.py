"""Forms for organisations, members, invitations and plan teams."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    ColorField,
    EmailField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange

from workshop.core.forms import choices
from workshop.orgs.models import ROLES

_required = InputRequired(message=_l("This field is required."))

ROLE_LABELS = {
    "administrator": _l("Administrator"),
    "facilitator": _l("Facilitator"),
    "indicator_owner": _l("Indicator owner"),
    "viewer": _l("Viewer"),
}
ROLE_HINTS = {
    "administrator": _l("Members and roles, the organisation's settings, and every plan."),
    "facilitator": _l("Creates and runs plans, workshops, review rounds and indicators of "
                      "the plans they are on."),
    "indicator_owner": _l("Reports the figures of their indicators; reads their plans' "
                          "dashboards."),
    "viewer": _l("Reads the plans, documents and dashboards they are given."),
}


def role_choices(roles=ROLES):
    return choices((role, ROLE_LABELS[role]) for role in roles)


class OrganisationForm(FlaskForm):
    name = StringField(_l("Name"), validators=[_required, Length(max=200)])
    admin_email = EmailField(
        _l("E-mail address of its first administrator"),
        description=_l("They get a one-time link to set up their account (valid 7 days)."),
        validators=[_required, Length(max=254)])


class InviteForm(FlaskForm):
    email = EmailField(_l("E-mail address"), validators=[_required, Length(max=254)])
    role = SelectField(_l("Role"), choices=role_choices(), default="facilitator")


class RoleForm(FlaskForm):
    role = SelectField(_l("Role"), choices=role_choices())


class TeamForm(FlaskForm):
    member = SelectField(_l("Member"), coerce=int)
    role = SelectField(_l("Role on this plan"), default="facilitator")


class SettingsForm(FlaskForm):
    name = StringField(_l("Name"), validators=[_required, Length(max=200)])
    privacy_text = TextAreaField(
        _l("Privacy notice"), validators=[Length(max=20000)],
        description=_l("Shown to participants and stakeholders from the join and review "
                       "pages. Leave empty for Koers' default notice."))
    retention_days = IntegerField(
        _l("Keep names for (days)"), validators=[_required, NumberRange(
            30, 3650, message=_l("Choose a period from %(min)d to %(max)d (in days)."))],
        description=_l("After a workshop ends or a review round closes, participants' and "
                       "stakeholders' names are removed after this many days; results "
                       "and texts stay."))
    colour = ColorField(_l("Colour"), description=_l(
        "On the pages participants and stakeholders see: join, review and privacy."))
    logo = FileField(_l("Logo"), description=_l("A PNG or JPEG image, at most 256 KB."),
                     render_kw={"accept": "image/png,image/jpeg"})
    remove_logo = BooleanField(_l("Remove the logo"))
