"""Forms for plans and work domains."""

from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import ColorField, HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import AnyOf, InputRequired, Length, NumberRange, Optional

from workshop.plans.services import MAX_YEAR, MIN_YEAR

_required = InputRequired(message=_l("This field is required."))
_year = NumberRange(
    MIN_YEAR, MAX_YEAR,
    message=_l("Enter a year between %(a)d and %(b)d.", a=MIN_YEAR, b=MAX_YEAR),
)


class PlanForm(FlaskForm):
    title = StringField(
        _l("Title"),
        description=_l("For example: Strategic plan 2027–2032"),
        validators=[_required, Length(max=200)],
    )
    owner_id = SelectField(_l("Organisation"), coerce=int,
                           description=_l("Who the plan belongs to: its administrators and "
                                          "the people on the plan's team see it."))
    organisation = StringField(
        _l("Organisation name in the documents"),
        description=_l("As the plan's documents print it, e.g. with a department."),
        validators=[_required, Length(max=200)])
    mission = TextAreaField(
        _l("Mission statement"),
        description=_l("Optional now: it can also come out of a workshop."),
        validators=[Optional(), Length(max=5000)],
    )
    tagline = StringField(_l("Tagline"), validators=[Optional(), Length(max=300)])
    horizon_start = IntegerField(
        _l("Horizon from (year)"),
        default=lambda: date.today().year + 1,
        validators=[_required, _year],
    )
    horizon_end = IntegerField(
        _l("Horizon to (year)"),
        default=lambda: date.today().year + 6,
        validators=[_required, _year],
    )

    def to_data(self):
        return {name: self[name].data for name in (
            "title", "organisation", "mission", "tagline", "horizon_start", "horizon_end")}


class DomainForm(FlaskForm):
    name = StringField(_l("Name"), validators=[_required, Length(max=120)])
    description = TextAreaField(
        _l("Description"), validators=[Optional(), Length(max=2000)]
    )
    colour = ColorField(_l("Colour"), validators=[_required, Length(min=7, max=7)])

    def to_data(self):
        return {"name": self.name.data, "description": self.description.data,
                "colour": self.colour.data}


class MoveForm(FlaskForm):
    direction = HiddenField(validators=[AnyOf(["up", "down"])])


class DeleteForm(FlaskForm):
    """Deleting a plan or a workshop: its title typed as the confirmation."""

    confirm = StringField(_l("Type the title to confirm"), validators=[Length(max=300)],
                          render_kw={"autocomplete": "off", "spellcheck": "false"})
