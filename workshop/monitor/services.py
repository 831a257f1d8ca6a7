"""Rules for indicators and measurements, and the plan's progress as seen from them.

The services flush and never commit: the page commits each change once. Measurements
are unique per indicator and date in the database; every add, edit, delete and import is
written to `measurement_changes` in the same transaction.
"""

import datetime as dt
import json
import math

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from workshop.core import links
from workshop.core.errors import Conflict, DomainError, NotFound
from workshop.core.text import plain_text
from workshop.core.values import EARLIEST, LATEST, parse_number
from workshop.extensions import db
from workshop.monitor import status as rules
from workshop.monitor.access import checked_reporter
from workshop.monitor.models import (
    DIRECTIONS,
    FREQUENCIES,
    GOAL_LEVELS,
    Indicator,
    Measurement,
    MeasurementChange,
    MonitorSettings,
)
from workshop.orgs import audit
from workshop.tree.models import PlanItem

LINK_PURPOSE = "progress"
TEXT_LIMITS = {"name": 200, "definition": 2000, "unit": 40, "owner": 120, "data_source": 300}
NUMBER_FIELDS = ("baseline_value", "target_value", "range_low", "range_high")
DATE_FIELDS = ("baseline_date", "target_date")


# ---------------------------------------------------------------- settings and link


def settings(plan, store=False):
    """The plan's monitoring settings: the stored row, or the defaults (added to the
    session when `store`, so a change to them is saved)."""
    row = db.session.get(MonitorSettings, plan.id)
    if row is None:
        row = MonitorSettings(plan_id=plan.id, on_track_tolerance=10.0,
                              off_track_tolerance=25.0)
        if store:
            db.session.add(row)
    return row


def thresholds(plan):
    row = settings(plan)
    return rules.Thresholds(on_track_tolerance=row.on_track_tolerance,
                            off_track_tolerance=row.off_track_tolerance)


def set_thresholds(plan, on_track, off_track):
    for value in (on_track, off_track):
        if not isinstance(value, int | float) or not math.isfinite(value) \
                or not 0 <= value <= 100:
            raise DomainError(_l("A tolerance is a number of percentage points from 0 to 100."))
    if off_track < on_track:
        raise DomainError(_l("“At risk up to” must be at least “on track up to”."),
                          field="off_track_tolerance")
    def change(row):
        row.on_track_tolerance, row.off_track_tolerance = float(on_track), float(off_track)
        return row

    return _save_settings(plan, change)


def public_token(plan):
    row = db.session.get(MonitorSettings, plan.id)
    return links.link_token(LINK_PURPOSE, row.public_nonce) if row and row.public_nonce else None


def _save_settings(plan, change):
    """Apply `change(row)` to the plan's settings row. When two first changes race to
    create the row, the loser's flush fails on its key and the executor runs that change
    again in a new transaction, where it finds and changes the winner's row."""
    result = change(settings(plan, store=True))
    db.session.flush()
    return result


def new_public_link(plan, actor=None):
    """Switch the public progress page on (or replace its link: the old one stops)."""
    def change(row):
        row.public_nonce, token, row.public_token_hash = links.new_link_secret(LINK_PURPOSE)
        return token

    audit.record(plan.organisation_id, "link_created", f"progress page: {plan.title}", actor)
    return _save_settings(plan, change)


def revoke_public_link(plan, actor=None):
    def change(row):
        row.public_nonce = row.public_token_hash = None

    audit.record(plan.organisation_id, "link_revoked", f"progress page: {plan.title}", actor)
    _save_settings(plan, change)


def plan_for_token(token):
    """The plan whose public progress link this is; NotFound otherwise."""
    from workshop.plans.models import Plan

    row = links.plausible(token) and db.session.scalar(select(MonitorSettings).where(
        MonitorSettings.public_token_hash == links.token_hash(token)))
    if not row:
        raise NotFound(_l("This link does not work (any more)."))
    return db.session.get(Plan, row.plan_id)


# ---------------------------------------------------------------- indicators


def get_indicator(plan, indicator_id):
    indicator = db.session.get(Indicator, indicator_id) if isinstance(indicator_id, int) else None
    if indicator is None or indicator.plan_id != plan.id:
        raise NotFound(_l("This indicator does not exist."))
    return indicator


def indicators(plan):
    return db.session.scalars(select(Indicator).where(Indicator.plan_id == plan.id)
                              .order_by(Indicator.item_id, Indicator.position,
                                        Indicator.id)).all()


def _goal(plan, item_id):
    item = db.session.get(PlanItem, item_id) if isinstance(item_id, int) else None
    if item is None or item.plan_id != plan.id:
        raise NotFound(_l("This goal does not exist."))
    if item.level not in GOAL_LEVELS:
        raise DomainError(_l("Indicators belong to strategic or operational goals."))
    return item


def _number(value, field):
    """A number as typed (values.parse_number: "12,5", "1.234,5", …); None when empty."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    number = parse_number(value)
    if number is None:
        raise DomainError(_l("Enter a number."), field=field)
    return number


def _date(value, field):
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, dt.date | dt.datetime):
        day = value.date() if isinstance(value, dt.datetime) else value
    else:
        try:
            day = dt.date.fromisoformat(str(value))
        except ValueError:
            raise DomainError(_l("Enter a date."), field=field) from None
    if not EARLIEST <= day <= LATEST:
        raise DomainError(_l("Enter a date between 1900 and 2200."), field=field)
    return day


def _clean(data):
    """Checked indicator fields from a form or a promote; DomainError names the field."""
    out = {}
    for field, limit in TEXT_LIMITS.items():
        if field in data:
            text = plain_text(data[field], keep_newlines=field == "definition")
            if len(text) > limit:
                raise DomainError(lazy_ngettext("At most %(num)d character.",
                                                "At most %(num)d characters.", limit),
                                  field=field)
            out[field] = text
    if "name" in out and not out["name"]:
        raise DomainError(_l("Give the indicator a name."), field="name")
    if "direction" in data:
        if data["direction"] not in DIRECTIONS:
            raise DomainError(_l("Choose a direction."), field="direction")
        out["direction"] = data["direction"]
    if "frequency" in data:
        if data["frequency"] not in FREQUENCIES:
            raise DomainError(_l("Choose how often it is measured."), field="frequency")
        out["frequency"] = data["frequency"]
    for field in NUMBER_FIELDS:
        if field in data:
            out[field] = _number(data[field], field)
    for field in DATE_FIELDS:
        if field in data:
            out[field] = _date(data[field], field)
    return out


def _check_consistent(indicator):
    if indicator.direction != "range":  # bounds mean nothing here: never store stale ones
        indicator.range_low = indicator.range_high = None
    if indicator.direction == "range":
        low, high = indicator.range_low, indicator.range_high
        if low is None and high is None:
            raise DomainError(_l("Give the range at least a lowest or a highest value."),
                              field="range_low")
        if low is not None and high is not None and low > high:
            raise DomainError(_l("The lowest value cannot be above the highest."),
                              field="range_low")
        return
    base, target = indicator.baseline_value, indicator.target_value
    if base is not None and target is not None:
        if indicator.direction == "up" and target < base:
            raise DomainError(_l("Higher is better, so the target cannot be below the "
                                 "baseline."), field="target_value")
        if indicator.direction == "down" and target > base:
            raise DomainError(_l("Lower is better, so the target cannot be above the "
                                 "baseline."), field="target_value")
    if indicator.baseline_date and indicator.target_date and \
            indicator.target_date <= indicator.baseline_date:
        raise DomainError(_l("The target date must come after the baseline date."),
                          field="target_date")


def add_indicator(plan, item_id, data, source_id=None):
    goal = _goal(plan, item_id)
    fields = _clean(data)
    if "reporter_id" in data:
        fields["reporter_id"] = checked_reporter(plan, data.get("reporter_id"))
    if "name" not in fields:
        raise DomainError(_l("Give the indicator a name."), field="name")
    position = db.session.scalar(select(func.count(Indicator.id)).where(
        Indicator.item_id == goal.id))
    indicator = Indicator(plan_id=plan.id, item_id=goal.id, position=position,
                          source_id=source_id, **{"direction": "up",
                                                  "frequency": "quarterly", **fields})
    _check_consistent(indicator)
    db.session.add(indicator)
    db.session.flush()
    return indicator


def edit_indicator(plan, indicator, data):
    fields = _clean(data)
    if "reporter_id" in data:
        fields["reporter_id"] = checked_reporter(plan, data.get("reporter_id"))
    # In a savepoint: an inconsistent result (a range that excludes the target, …) is
    # refused and the indicator reads as it was.
    with db.session.begin_nested():
        for name, value in fields.items():
            setattr(indicator, name, value)
        if "item_id" in data and data["item_id"] != indicator.item_id:
            indicator.item_id = _goal(plan, data["item_id"]).id
        _check_consistent(indicator)
    return indicator


def delete_indicator(plan, indicator):
    db.session.delete(indicator)
    db.session.flush()


# ---------------------------------------------------------------- measurements


def _as_json(measurement):
    return json.dumps({"date": measurement.date.isoformat(), "value": measurement.value,
                       "note": measurement.note})


def _log(indicator_id, measurement_id, action, old, new, actor):
    db.session.add(MeasurementChange(indicator_id=indicator_id, measurement_id=measurement_id,
                                     action=action, old_value=old, new_value=new,
                                     actor_id=actor.id if actor else None))


def _measurement_fields(data, today):
    value = _number(data.get("value"), "value")
    if value is None:
        raise DomainError(_l("Enter the measured value."), field="value")
    day = _date(data.get("date"), "date")
    if day is None:
        raise DomainError(_l("Enter the date of the measurement."), field="date")
    if day > today:
        raise DomainError(_l("A measurement cannot be dated in the future."), field="date")
    note = plain_text(data.get("note"))
    if len(note) > 500:
        raise DomainError(lazy_ngettext("At most %(num)d character.", "At most %(num)d characters.",
                                        500), field="note")
    return day, value, note


def _duplicate(day):
    return Conflict(_l("There is already a measurement on %(date)s. Change that one instead.",
                       date=day.isoformat()))


def add_measurement(indicator, data, actor=None, today=None):
    day, value, note = _measurement_fields(data, today or dt.date.today())
    measurement = Measurement(indicator_id=indicator.id, date=day, value=value, note=note,
                              entered_by_id=actor.id if actor else None)
    try:
        with db.session.begin_nested():  # the unique (indicator, date) key decides
            db.session.add(measurement)
    except IntegrityError:
        raise _duplicate(day) from None
    _log(indicator.id, measurement.id, "added", None, _as_json(measurement), actor)
    db.session.flush()
    return measurement


def get_measurement(indicator, measurement_id):
    row = db.session.get(Measurement, measurement_id) if isinstance(measurement_id, int) else None
    if row is None or row.indicator_id != indicator.id:
        raise NotFound(_l("This measurement does not exist."))
    return row


def edit_measurement(indicator, measurement, data, actor=None, today=None):
    day, value, note = _measurement_fields(data, today or dt.date.today())
    old = _as_json(measurement)
    try:
        with db.session.begin_nested():
            measurement.date, measurement.value, measurement.note = day, value, note
    except IntegrityError:
        raise _duplicate(day) from None
    if _as_json(measurement) != old:
        _log(indicator.id, measurement.id, "edited", old, _as_json(measurement), actor)
    db.session.flush()
    return measurement


def delete_measurement(indicator, measurement, actor=None):
    _log(indicator.id, measurement.id, "deleted", _as_json(measurement), None, actor)
    db.session.delete(measurement)
    db.session.flush()


def import_measurements(plan, rows, actor=None):
    """Store checked rows [(indicator_id, date, value, note)] all at once, or none.

    The rows come from a preview the user confirmed; they are checked again here (the
    indicator belongs to the plan, no date twice, none already measured)."""
    known = {i.id: i for i in indicators(plan)}
    seen = set()
    today = dt.date.today()
    for indicator_id, day, value, note in rows:
        if indicator_id not in known or (indicator_id, day) in seen or day > today \
                or not math.isfinite(value) or len(note) > 500:
            raise DomainError(_l("The file changed since the preview. Upload it again."))
        seen.add((indicator_id, day))
    made = []
    try:
        with db.session.begin_nested():
            for indicator_id, day, value, note in rows:
                measurement = Measurement(indicator_id=indicator_id, date=day, value=value,
                                          note=note, entered_by_id=actor.id if actor else None)
                db.session.add(measurement)
                made.append(measurement)
    except IntegrityError:
        raise Conflict(_l("Some of these dates were measured in the meantime. Upload the "
                          "file again to see which.")) from None
    for measurement in made:
        _log(measurement.indicator_id, measurement.id, "imported", None,
             _as_json(measurement), actor)
    db.session.flush()
    return made


def existing_dates(plan):
    return set(db.session.execute(
        select(Measurement.indicator_id, Measurement.date).join(Indicator)
        .where(Indicator.plan_id == plan.id)).all())


def history(indicator):
    return db.session.scalars(select(MeasurementChange).where(
        MeasurementChange.indicator_id == indicator.id)
        .order_by(MeasurementChange.id.desc())).all()


# ---------------------------------------------------------------- status


def spec(indicator):
    return rules.Spec(
        direction=indicator.direction, baseline_value=indicator.baseline_value,
        baseline_date=indicator.baseline_date, target_value=indicator.target_value,
        target_date=indicator.target_date, range_low=indicator.range_low,
        range_high=indicator.range_high, frequency=indicator.frequency,
        created=indicator.created_at.date())


def evaluate(indicator, today=None, limits=None, points=None):
    points = points if points is not None else [(m.date, m.value)
                                                for m in indicator.measurements]
    return rules.evaluate(spec(indicator), points, today or dt.date.today(),
                          limits or rules.Thresholds())
