"""Forms for review rounds: opening one, links, answers, and the stakeholder's reaction."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    HiddenField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional

from workshop.core.forms import CheckboxesField, optional_int

_required = InputRequired(message=_l("This field is required."))

REACTION_LABELS = {"support": _l("I support this"),
                   "concerns": _l("I support it, with concerns"),
                   "object": _l("I object")}
DISPOSITION_LABELS = {"accepted": _l("Accepted"), "partly": _l("Partly accepted"),
                      "rejected": _l("Not taken over"), "noted": _l("Noted")}


class RoundForm(FlaskForm):
    version_id = SelectField(_l("On version"), coerce=optional_int, validate_choice=False)
    title = StringField(_l("Title"), validators=[_required, Length(max=200)],
                        description=_l("For example: Consultation on the draft plan"))
    invitation = TextAreaField(_l("Invitation"), validators=[Optional(), Length(max=2000)],
                               description=_l("What stakeholders read first: why, what, "
                                              "until when."))
    opens_at = DateTimeLocalField(_l("Opens"), validators=[_required])
    closes_at = DateTimeLocalField(_l("Closes"), validators=[_required])
    timezone = StringField(_l("Time zone"), default="Europe/Brussels",
                           validators=[_required, Length(max=64)],
                           description=_l("Opening and closing times are in this time "
                                          "zone, for example Europe/Brussels."),
                           render_kw={"list": "time-zones", "autocomplete": "off",
                                      "spellcheck": "false"})
    domain_ids = CheckboxesField(_l("Work domains open for comments"), coerce=int)
    levels = CheckboxesField(_l("Levels open for comments"), choices=[
        SelectChoice("ambition", _l("Ambitions")),
        SelectChoice("strategic_goal", _l("Strategic goals")),
        SelectChoice("operational_goal", _l("Operational goals"))])
    named = BooleanField(_l("Named: stakeholders give name, organisation and group"),
                         default=True)
    shared = BooleanField(_l("One shared link for everyone"), default=True)


class LinkForm(FlaskForm):
    name = StringField(_l("Name"), validators=[_required, Length(max=120)])
    organisation = StringField(_l("Organisation"), validators=[Length(max=200)])
    group_name = StringField(_l("Group"), validators=[Length(max=80)])


class AnswerForm(FlaskForm):
    # No default: an unanswered comment has no disposition until the facilitator picks
    # one (the service says so when it is missing; "accept the wording" needs none).
    disposition = SelectField(_l("What becomes of it"), choices=[
        SelectChoice("", _l("Choose…")), *(SelectChoice(k, v)
                                           for k, v in DISPOSITION_LABELS.items())],
        validate_choice=False)
    reply = TextAreaField(_l("Reply"), validators=[Optional(), Length(max=2000)])


class RegisterForm(FlaskForm):
    name = StringField(_l("Your name"), validators=[Length(max=120)])
    organisation = StringField(_l("Organisation"), validators=[Length(max=200)])
    group_name = StringField(_l("You respond as"), validators=[Length(max=80)],
                             description=_l("For example: partner, resident, company"))


class ReactionForm(FlaskForm):
    reaction = RadioField(_l("Your reaction"), choices=[
        SelectChoice(k, v) for k, v in REACTION_LABELS.items()], validators=[_required])
    text = TextAreaField(_l("Comment"), validators=[Optional(), Length(max=2000)])
    rewording = TextAreaField(_l("Suggested wording (optional)"),
                              validators=[Optional(), Length(max=2000)])
    item_id = HiddenField()
