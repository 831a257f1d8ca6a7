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
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf, InputRequired, Length, NumberRange, Optional

from workshop.core.forms import CheckboxesField, optional_int
from workshop.live.labels import ITEM_KIND_LABELS

_required = InputRequired(message=_l("This field is required."))


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
    min_group_size = IntegerField(
        _l("Show a group's vote results apart from this many voters on"), default=5,
        validators=[Optional(), NumberRange(1, 100)],
        description=_l("Below it, a group's votes only count in the total, so no one's vote "
                       "can be singled out."))

    def to_data(self):
        return {
            "title": self.title.data, "date": self.date.data,
            "groups": [line for line in (self.groups.data or "").splitlines() if line.strip()],
            "anonymous": self.anonymous.data, "joining_open": self.joining_open.data,
            "premoderation": self.premoderation.data,
            "min_group_size": self.min_group_size.data or 5,
        }


class StepForm(FlaskForm):
    kind = HiddenField(validators=[AnyOf(["info", "collect", "vote"])])
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
    limit_per_domain = BooleanField(_l("Count that limit in each work domain"),
                                    description=_l("Otherwise it counts over the whole step."))
    # "s<id>": a collect step's proposals; "l<level>": the plan's items of that level.
    source = SelectField(_l("Vote on"), validate_choice=False, validators=[Optional()])
    parent_item_ids = CheckboxesField(
        _l("Proposals are made for these plan items (optional)"), coerce=int,
        description=_l("For example strategic goals for each ambition, or indicators for "
                       "each goal: the phone shows the item, and what is proposed is attached "
                       "to it."))
    # The service checks these; a collect or info step has no value for them.
    vote_method = SelectField(_l("How people vote"), default="dots", validate_choice=False,
                              choices=[
        SelectChoice("dots", _l("Dot voting: spread a number of dots")),
        SelectChoice("score", _l("Score each item")),
        SelectChoice("rank", _l("Rank a top list")),
    ])
    dot_budget = IntegerField(_l("Dots per person"), default=5,
                              validators=[Optional(), NumberRange(1, 100)])
    budget_per_domain = BooleanField(_l("That many dots in each work domain"), default=True)
    max_per_item = IntegerField(_l("Most dots on one item"), default=3,
                                validators=[Optional(), NumberRange(1, 100)])
    score_max = SelectField(_l("Scale"), coerce=optional_int, default=5, validate_choice=False,
                            choices=[
        SelectChoice(5, _l("1 to 5")), SelectChoice(10, _l("0 to 10"))])
    score_low_label = StringField(_l("Label at the low end"), validators=[Length(max=40)],
                                  description=_l("For example: not important"))
    score_high_label = StringField(_l("Label at the high end"), validators=[Length(max=40)],
                                   description=_l("For example: very important"))
    rank_top = IntegerField(_l("Rank the top"), default=3,
                            validators=[Optional(), NumberRange(1, 20)])
    shuffle = BooleanField(_l("Show the items in a different random order to each person"),
                           default=True)
    presenter_top = IntegerField(
        _l("On the projector: only the top of each work domain"),
        validators=[Optional(), NumberRange(1, 50, message=_l(
            "Show a top of 1 to 50 items, or leave the field empty to show them all."))],
        description=_l("For example 5: the projector shows the five highest items of each "
                       "work domain and how many more there are. Leave empty to show every "
                       "item; the projector then pages through them when they do not fit."))
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
            "limit_per_domain": self.limit_per_domain.data,
            "time_limit_seconds": int(minutes * Decimal(60)) if minutes else None,
            "parent_item_ids": self.parent_item_ids.data or [],
            "vote_method": self.vote_method.data,
            "dot_budget": self.dot_budget.data or 5,
            "budget_per_domain": self.budget_per_domain.data,
            "max_per_item": self.max_per_item.data or 3, "score_max": self.score_max.data,
            "score_low_label": self.score_low_label.data,
            "score_high_label": self.score_high_label.data,
            "rank_top": self.rank_top.data or 3, "shuffle": self.shuffle.data,
            "presenter_top": self.presenter_top.data,
        }


class JoinCodeForm(FlaskForm):
    code = StringField(_l("Workshop code"), validators=[_required, Length(max=20)],
                       render_kw={"autocomplete": "off", "autocapitalize": "characters",
                                  "spellcheck": "false", "inputmode": "text"})


class JoinForm(FlaskForm):
    # A secret for this one attempt: sending the form twice joins once (see participation).
    join_key = HiddenField()
    display_name = StringField(_l("Your name"), validators=[Length(max=60)],
                               render_kw={"autocomplete": "nickname"})
    group_id = RadioField(_l("You are here as"), coerce=int,
                          validate_choice=False, validators=[Optional()])
