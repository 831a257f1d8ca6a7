"""Forms for workshops, their steps, and joining from a phone."""

from decimal import Decimal

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    widgets,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf, InputRequired, Length, NumberRange, Optional

from workshop.live.labels import ITEM_KIND_LABELS

_required = InputRequired(message=_l("This field is required."))


class CheckboxesField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class WorkshopForm(FlaskForm):
    title = StringField(_l("Title"), validators=[_required, Length(max=200)],
                        description=_l("For example: Ambitions per work domain"))
    date = DateField(_l("Date"), validators=[Optional()])
    groups = TextAreaField(
        _l("Participant groups"),
        description=_l("One group per line. Participants pick theirs when they join."),
        validators=[_required, Length(max=1000)],
    )
    anonymous = BooleanField(_l("Anonymous: participants give no name"))
    joining_open = BooleanField(_l("Joining is open"), default=True)
    premoderation = BooleanField(
        _l("Pre-moderation: proposals reach the presenter screen only once I approve them"))

    def to_data(self):
        return {
            "title": self.title.data, "date": self.date.data,
            "groups": [line for line in (self.groups.data or "").splitlines() if line.strip()],
            "anonymous": self.anonymous.data, "joining_open": self.joining_open.data,
            "premoderation": self.premoderation.data,
        }


class StepForm(FlaskForm):
    kind = HiddenField(validators=[AnyOf(["info", "collect"])])
    title = StringField(_l("Title"), validators=[_required, Length(max=200)])
    body = TextAreaField(
        _l("Text on every screen"), validators=[Optional(), Length(max=2000)],
        description=_l("An instruction or question, shown on phones and the projector."))
    item_kind = SelectField(_l("Participants propose"),
                            choices=[SelectChoice(k, v) for k, v in ITEM_KIND_LABELS.items()],
                            default="ambition")
    domain_ids = CheckboxesField(
        _l("For the work domains"), coerce=int,
        description=_l("Mission statements and taglines are for the whole plan."))
    max_length = IntegerField(_l("Maximum length (characters)"), default=280,
                              validators=[Optional(), NumberRange(10, 2000)])
    max_per_participant = IntegerField(_l("Proposals per participant"), default=5,
                                       validators=[Optional(), NumberRange(1, 100)])
    time_limit_minutes = DecimalField(
        _l("Time box (minutes)"), places=1, validators=[Optional(), NumberRange(0.5, 240)],
        description=_l("Leave empty for no timer. You can extend it during the step."))

    def to_data(self):
        minutes = self.time_limit_minutes.data
        return {
            "kind": self.kind.data, "title": self.title.data, "body": self.body.data,
            "item_kind": self.item_kind.data, "domain_ids": self.domain_ids.data or [],
            "max_length": self.max_length.data or 280,
            "max_per_participant": self.max_per_participant.data or 5,
            "time_limit_seconds": int(minutes * Decimal(60)) if minutes else None,
        }


class JoinCodeForm(FlaskForm):
    code = StringField(_l("Workshop code"), validators=[_required, Length(max=20)],
                       render_kw={"autocomplete": "off", "autocapitalize": "characters",
                                  "spellcheck": "false", "inputmode": "text"})


def choices(pairs):
    """WTForms choices from (value, label) pairs."""
    return [SelectChoice(value, label) for value, label in pairs]


class JoinForm(FlaskForm):
    display_name = StringField(_l("Your name"), validators=[Length(max=60)],
                               render_kw={"autocomplete": "nickname"})
    group_id = RadioField(_l("You are here as"), coerce=int,
                          validate_choice=False, validators=[Optional()])
