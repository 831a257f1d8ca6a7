"""Forms for indicators, measurements, the import and the status thresholds.

Numbers and dates are taken as text and checked by the services, which explain a wrong
value beside its field in the user's language.
"""

from flask_babel import format_decimal
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length

from workshop.core.forms import optional_int
from workshop.core.i18n import plain_number

DIRECTION_LABELS = {"up": _l("Higher is better"), "down": _l("Lower is better"),
                    "range": _l("Stay within a range")}
FREQUENCY_LABELS = {"monthly": _l("Monthly"), "quarterly": _l("Quarterly"),
                    "yearly": _l("Yearly")}
STATUS_LABELS = {"on_track": _l("On track"), "at_risk": _l("At risk"),
                 "off_track": _l("Off track"), "no_data": _l("No data yet")}
# "No data yet" beside a measured value reads as a contradiction: when there is a value
# but nothing to judge it against, the badge says what is missing instead.
UNJUDGED_LABELS = {"no_target": _l("No target set"), "no_range": _l("No range set"),
                   "no_baseline_one_value": _l("Waiting for a second measurement")}
ACTION_LABELS = {"added": _l("added"), "edited": _l("changed"), "deleted": _l("deleted"),
                 "imported": _l("imported")}

_required = InputRequired(message=_l("This field is required."))
NUMBER = {"inputmode": "decimal", "autocomplete": "off"}
DATE = {"type": "date"}


class IndicatorForm(FlaskForm):
    item_id = SelectField(_l("Goal it measures"), coerce=optional_int, validate_choice=False)
    name = StringField(_l("Name"), validators=[_required, Length(max=200)],
                       description=_l("For example: Hectares of climate-neutral business park"))
    definition = TextAreaField(_l("Definition"), validators=[Length(max=2000)],
                               description=_l("What exactly is counted, and how."))
    unit = StringField(_l("Unit"), validators=[Length(max=40)],
                       description=_l("For example: ha, %, companies"))
    direction = SelectField(_l("Direction"),
                            choices=[SelectChoice(k, v) for k, v in DIRECTION_LABELS.items()],
                            default="up")
    baseline_value = StringField(_l("Baseline value"), render_kw=NUMBER)
    baseline_date = StringField(_l("Baseline date"), render_kw=DATE)
    target_value = StringField(_l("Target value"), render_kw=NUMBER)
    target_date = StringField(_l("Target date"), render_kw=DATE)
    range_low = StringField(_l("Lowest acceptable value"), render_kw=NUMBER,
                            description=_l("Only for “stay within a range”."))
    range_high = StringField(_l("Highest acceptable value"), render_kw=NUMBER,
                             description=_l("Only for “stay within a range”."))
    frequency = SelectField(_l("Measured"),
                            choices=[SelectChoice(k, v) for k, v in FREQUENCY_LABELS.items()],
                            default="quarterly")
    owner = StringField(_l("Owner"), validators=[Length(max=120)],
                        description=_l("Who measures it and answers for it."))
    data_source = StringField(_l("Data source"), validators=[Length(max=300)])
    reporter_id = SelectField(_l("Reported by"), coerce=int, default=0,
                              description=_l("The account that enters its figures: an "
                                             "indicator owner on the plan's team, or a "
                                             "facilitator."))

    FIELDS = ("name", "definition", "unit", "direction", "baseline_value", "baseline_date",
              "target_value", "target_date", "range_low", "range_high", "frequency", "owner",
              "data_source", "reporter_id")

    def data_for_service(self):
        return {name: getattr(self, name).data for name in self.FIELDS}

    def fill_from(self, indicator):
        for name in self.FIELDS:
            value = getattr(indicator, name)
            if name.endswith("_date") and value:
                value = value.isoformat()
            elif name in ("baseline_value", "target_value", "range_low", "range_high"):
                value = plain_number(value)
            elif name == "reporter_id":
                value = value or 0
            getattr(self, name).data = value
        self.item_id.data = indicator.item_id


class MeasurementForm(FlaskForm):
    date = StringField(_l("Date"), validators=[_required], render_kw=DATE)
    value = StringField(_l("Value"), validators=[_required], render_kw=NUMBER)
    note = StringField(_l("Note"), validators=[Length(max=500)])


class ThresholdForm(FlaskForm):
    on_track_tolerance = StringField(
        _l("On track up to"), render_kw=NUMBER,
        description=_l("Percentage points behind the straight path from baseline to target "
                       "that still count as on track."))
    off_track_tolerance = StringField(
        _l("At risk up to"), render_kw=NUMBER,
        description=_l("Further behind is off track. For a range: how far outside it, as a "
                       "percentage of its width, still counts as at risk."))


class ImportForm(FlaskForm):
    file = FileField(_l("CSV or Excel file"), validators=[_required],
                     description=_l("Columns: indicator (name or number), date, value, and "
                                    "optionally note. Dutch headings work too."))

PROBLEM_TEXTS = {
    "unsupported_type": _l("Only .csv and .xlsx files can be read."),
    "unreadable": _l("This file cannot be read as CSV or Excel."),
    "empty": _l("The file has no rows with measurements."),
    "missing_columns": _l("The file needs the columns indicator, date and value "
                          "(or indicator, datum and waarde)."),
    "too_many_rows": _l("The file has more than %(rows)s rows with measurements. Split it up."),
    "too_large": _l("This file is too large to read: at most %(upload_mb)s MB, and a workbook "
                    "at most %(part_mb)s MB per part once unpacked. Save only the measurements "
                    "in a new file."),
    "too_many_lines": _l("The file has more than %(lines)s rows, empty rows included. Delete "
                         "the empty rows below the table, or save the measurements in a new "
                         "file."),
    "too_many_cells": _l("The sheet has more than %(cells)s cells. Keep only the columns "
                         "indicator, date, value and note."),
    "text_too_long": _l("A cell holds more than %(text)s characters."),
    "line_too_long": _l("A line of the file is longer than %(line)s characters."),
    "too_slow": _l("Reading the file took longer than %(seconds)s seconds and was stopped. "
                   "Save only the measurements in a new file."),
    "busy": _l("Other files are being read right now. Try again in a minute."),
    "too_much_memory": _l("Reading the file needed more than %(memory)s MB of memory and was "
                          "stopped. Save only the measurements in a new file."),
    "missing_indicator": _l("no indicator"),
    "unknown_indicator": _l("unknown indicator"),
    "ambiguous_indicator": _l("two indicators have this name: use its number"),
    "missing_date": _l("no date"),
    "bad_date": _l("not a date (use 2026-03-31 or 31-03-2026)"),
    "future_date": _l("date in the future"),
    "missing_value": _l("no value"),
    "bad_number": _l("not a number"),
    "ambiguous_number": _l("thousands or decimals? Write 1234 (no thousands separator) or a "
                           "decimal such as 1.25"),
    "duplicate_date": _l("this date is already measured"),
    "duplicate_in_file": _l("this date is twice in the file"),
    "note_too_long": _l("note longer than 500 characters"),
}


def file_problem_text(code, limits):
    """The sentence for a whole-file problem, naming the limit the file ran into."""
    mb = 1024 * 1024
    numbers = {"rows": limits.max_rows, "lines": limits.max_lines, "cells": limits.max_cells,
               "text": limits.max_text, "line": limits.max_line,
               "upload_mb": limits.max_upload_bytes / mb, "part_mb": limits.max_part_bytes / mb,
               "seconds": limits.timeout_seconds, "memory": limits.memory_mb}
    text = PROBLEM_TEXTS.get(code)
    if text is None:
        return code
    return str(text) % {name: format_decimal(value, format="#,##0.#")
                        for name, value in numbers.items()}
