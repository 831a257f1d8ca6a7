"""Forms for the plan tree and for promoting vote winners."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf, InputRequired, Length, NumberRange, Optional, ValidationError

from workshop.core.forms import CheckboxesField, optional_int
from workshop.core.i18n import format_number
from workshop.core.inputs import to_id
from workshop.core.labels import LEVEL_LABELS
from workshop.core.values import parse_number

_required = InputRequired(message=_l("This field is required."))


class AddItemForm(FlaskForm):
    level = HiddenField(validators=[AnyOf(["ambition", "strategic_goal", "operational_goal"])])
    domain_id = HiddenField()
    parent_id = HiddenField()
    text = StringField(_l("Text"), validators=[_required, Length(max=2000)])


class ItemForm(FlaskForm):
    text = TextAreaField(_l("Text"), validators=[_required, Length(max=2000)])
    horizon_year = IntegerField(_l("Horizon year"), validators=[Optional(),
                                                                 NumberRange(1990, 2100)])
    owner = StringField(_l("Owner"), validators=[Length(max=120)],
                        description=_l("Who answers for it: a person, team or partner."))
    deadline = StringField(_l("Deadline or quarter"), validators=[Length(max=40)],
                           description=_l("For example: 2027-06-30 or 2027 Q3"))
    note = TextAreaField(_l("Means and budget"), validators=[Optional(), Length(max=2000)])


class MoveItemForm(FlaskForm):
    target = SelectField(_l("Move to"), validate_choice=False)


class MergeItemForm(FlaskForm):
    target_id = SelectField(_l("Merge into"), coerce=optional_int, validate_choice=False)
    confirm = HiddenField()  # "yes" once the facilitator has seen what the merge does


class SplitItemForm(FlaskForm):
    parts = TextAreaField(_l("One part per line"), validators=[_required, Length(max=6000)])


class StatusForm(FlaskForm):
    status = HiddenField(validators=[AnyOf(["draft", "review", "final"])])


class PromoteForm(FlaskForm):
    mode = RadioField(_l("Which winners"), default="top", choices=[
        SelectChoice("top", _l("The top of each work domain")),
        SelectChoice("threshold", _l("Everything from a score on")),
        SelectChoice("pick", _l("The ones I tick")),
    ])
    top = IntegerField(_l("How many per domain"), default=3,
                       validators=[Optional(), NumberRange(1, 50)])
    # Text, not a DecimalField: typed and shown the way the user writes numbers ("2,5").
    threshold = StringField(_l("From this score on"), validators=[Length(max=40)],
                            render_kw={"inputmode": "decimal", "autocomplete": "off"})
    picked = CheckboxesField(_l("Items"), coerce=to_id, validate_choice=False)
    level = SelectField(_l("Put them into the plan as"), default="ambition", choices=[
        *(SelectChoice(key, label) for key, label in LEVEL_LABELS.items()),
        SelectChoice("indicator", _l("Indicators (on a goal)"))])
    parent_id = SelectField(_l("Under"), coerce=optional_int, validate_choice=False,
                            description=_l("Strategic goals go under an ambition, operational "
                                           "goals under a strategic goal, indicators on a "
                                           "goal. Proposals made for a given item go under "
                                           "it by themselves."))

    threshold_value = 0.0  # the number the typed threshold means, once validated

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_submitted():  # first showing: 1 in the reader's own notation
            self.threshold.data = format_number(1)

    def validate_threshold(self, field):
        """Keeps the typed text for the form; `threshold_value` is the number it means."""
        text = (field.data or "").strip()
        number = 0.0 if not text else parse_number(text)
        if number is not None and 0 <= number <= 100000:
            self.threshold_value = number
        elif self.mode.data != "threshold":  # not used in this mode: no reason to refuse
            self.threshold_value = 0.0
        else:
            raise ValidationError(_("Type a number from 0 on, for example %(example)s.",
                                    example=format_number(2.5)))
