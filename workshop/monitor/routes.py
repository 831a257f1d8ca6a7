"""Facilitator pages for monitoring: the dashboard, indicators, measurements, the import,
the status thresholds and the public progress link."""

import dataclasses
import datetime as dt
import json

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import format_decimal, ngettext
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from workshop.core import inputs
from workshop.core.addresses import public_base
from workshop.core.errors import DomainError
from workshop.core.forms import ActionForm, attach_error
from workshop.core.i18n import plain_number
from workshop.core.labels import LEVEL_LABELS
from workshop.core.pages import facilitators_only
from workshop.monitor import chart, progress, services
from workshop.monitor.access import authorise_indicator, may_report, reported_by, reporters
from workshop.monitor.forms import (
    ACTION_LABELS,
    DIRECTION_LABELS,
    FREQUENCY_LABELS,
    PROBLEM_TEXTS,
    STATUS_LABELS,
    UNJUDGED_LABELS,
    ImportForm,
    IndicatorForm,
    MeasurementForm,
    ThresholdForm,
    file_problem_text,
)
from workshop.monitor.guard import Limits
from workshop.monitor.models import GOAL_LEVELS
from workshop.monitor.parse_worker import read_isolated
from workshop.plans.access import EDIT, READ, access_to_plan, authorise_plan
from workshop.realtime.executor import execute
from workshop.tree.models import PlanItem

bp = Blueprint("monitor", __name__)
facilitators_only(bp)


def labels():
    return {"status": STATUS_LABELS, "unjudged": UNJUDGED_LABELS, "direction": DIRECTION_LABELS,
            "frequency": FREQUENCY_LABELS, "levels": LEVEL_LABELS, "actions": ACTION_LABELS}


def _goals(plan):
    return [i for i in PlanItem.query.filter(PlanItem.plan_id == plan.id,
                                             PlanItem.level.in_(GOAL_LEVELS))
            .order_by(PlanItem.domain_id, PlanItem.id)]


def _reporter_choices(plan):
    return [SelectChoice(0, _("Nobody yet")), *(SelectChoice(account_id, name)
                                               for account_id, name in reporters(plan))]


def _goal_choices(plan):
    return [SelectChoice(g.id, f"{g.domain.name} — {g.text}") for g in _goals(plan)]


@bp.get("/indicators/mine")
def my_indicators():
    """What this person reports: each indicator with its next due date, the late first."""
    today = dt.date.today()
    rows = []
    for indicator in reported_by(current_user):
        result = services.evaluate(indicator, today, services.thresholds(indicator.plan))
        rows.append((indicator, result))
    rows.sort(key=lambda pair: (not pair[1].overdue, pair[1].next_due or dt.date.max,
                                pair[0].name))
    return render_template("monitor/mine.html", rows=rows, labels=labels(), today=today)


@bp.get("/plans/<int:plan_id>/monitor")
def dashboard(plan_id):
    plan = authorise_plan(current_user, plan_id, READ)
    settings = services.settings(plan)
    form = ThresholdForm(on_track_tolerance=plain_number(settings.on_track_tolerance),
                         off_track_tolerance=plain_number(settings.off_track_tolerance))
    token = services.public_token(plan)
    view = progress.overview(plan)
    return render_template(
        "monitor/dashboard.html", plan=plan, view=view, charts=progress.charts(view),
        reporting=progress.reporting(view),
        labels=labels(),
        settings=settings, thresholds_form=form, action=ActionForm(),
        public_url=f"{public_base()}{url_for('progress_page.page', token=token)}" if token
        else None, goals=_goals(plan))


@bp.post("/plans/<int:plan_id>/monitor/thresholds")
def set_thresholds(plan_id):
    plan = authorise_plan(current_user, plan_id, EDIT)
    form = ThresholdForm()
    if form.validate_on_submit():
        try:
            execute(lambda: services.set_thresholds(
                plan, services._number(form.on_track_tolerance.data, "on_track_tolerance"),
                services._number(form.off_track_tolerance.data, "off_track_tolerance")))
        except DomainError as error:
            flash(str(error.message), "error")
        else:
            flash(_("The thresholds are saved; every status uses them now."), "success")
    return redirect(url_for("monitor.dashboard", plan_id=plan.id) + "#rules")


@bp.post("/plans/<int:plan_id>/monitor/link")
def new_link(plan_id):
    plan = authorise_plan(current_user, plan_id, EDIT)
    if ActionForm().validate_on_submit():
        had = services.public_token(plan) is not None
        execute(lambda: services.new_public_link(plan, actor=current_user))
        flash(_("A new public link is ready; the old one no longer works.") if had
              else _("The public progress page is on."), "success")
    return redirect(url_for("monitor.dashboard", plan_id=plan.id) + "#public")


@bp.post("/plans/<int:plan_id>/monitor/link/off")
def revoke_link(plan_id):
    plan = authorise_plan(current_user, plan_id, EDIT)
    if ActionForm().validate_on_submit():
        execute(lambda: services.revoke_public_link(plan, actor=current_user))
        flash(_("The public progress page is off; its link no longer works."), "success")
    return redirect(url_for("monitor.dashboard", plan_id=plan.id) + "#public")


@bp.route("/plans/<int:plan_id>/indicators/new", methods=["GET", "POST"])
def new_indicator(plan_id):
    plan = authorise_plan(current_user, plan_id, EDIT)
    form = IndicatorForm()
    form.item_id.choices = _goal_choices(plan)
    form.reporter_id.choices = _reporter_choices(plan)
    if request.method == "GET":
        form.item_id.data = request.args.get("goal", type=int)
    if form.validate_on_submit():
        try:
            indicator = execute(lambda: services.add_indicator(plan, form.item_id.data,
                                                               form.data_for_service()))
        except DomainError as error:
            attach_error(form, error)
        else:
            flash(_("Indicator added. Enter its first measurement."), "success")
            return redirect(url_for("monitor.indicator", plan_id=plan.id,
                                    indicator_id=indicator.id))
    return render_template("monitor/indicator_form.html", plan=plan, form=form,
                           indicator=None), 422 if form.errors else 200


@bp.route("/plans/<int:plan_id>/indicators/<int:indicator_id>/edit", methods=["GET", "POST"])
def edit_indicator(plan_id, indicator_id):
    plan = authorise_plan(current_user, plan_id, EDIT)
    indicator = services.get_indicator(plan, indicator_id)
    form = IndicatorForm()
    form.item_id.choices = _goal_choices(plan)
    form.reporter_id.choices = _reporter_choices(plan)
    if request.method == "GET":
        form.fill_from(indicator)
    if form.validate_on_submit():
        data = {**form.data_for_service(), "item_id": form.item_id.data}
        try:
            execute(lambda: services.edit_indicator(plan, indicator, data))
        except DomainError as error:
            attach_error(form, error)
        else:
            flash(_("Saved."), "success")
            return redirect(url_for("monitor.indicator", plan_id=plan.id,
                                    indicator_id=indicator.id))
    return render_template("monitor/indicator_form.html", plan=plan, form=form,
                           indicator=indicator), 422 if form.errors else 200


@bp.post("/plans/<int:plan_id>/indicators/<int:indicator_id>/delete")
def delete_indicator(plan_id, indicator_id):
    plan = authorise_plan(current_user, plan_id, EDIT)
    indicator = services.get_indicator(plan, indicator_id)
    if ActionForm().validate_on_submit():
        execute(lambda: services.delete_indicator(plan, indicator))
        flash(_("The indicator and its measurements are deleted."), "success")
        return redirect(url_for("monitor.dashboard", plan_id=plan.id))
    return redirect(url_for("monitor.indicator", plan_id=plan.id, indicator_id=indicator.id))


def _render_indicator(plan, indicator, form, status=200, editing=None):
    today = dt.date.today()
    access = access_to_plan(current_user, plan.id, READ)
    result = services.evaluate(indicator, today, services.thresholds(plan))
    points = [(m.date, m.value) for m in indicator.measurements]
    return render_template(
        "monitor/indicator.html", plan=plan, indicator=indicator, result=result, form=form,
        chart=chart.line_chart(services.spec(indicator), points, today), labels=labels(),
        history=services.history(indicator), action=ActionForm(), editing=editing,
        can_edit=access.may(EDIT), may_report=may_report(current_user, access, indicator),
        settings=services.settings(plan), sources=indicator.source and
        [json.loads(indicator.source.summary)]), status


@bp.get("/plans/<int:plan_id>/indicators/<int:indicator_id>")
def indicator(plan_id, indicator_id):
    plan = authorise_plan(current_user, plan_id, READ)
    indicator = services.get_indicator(plan, indicator_id)
    form = MeasurementForm(date=dt.date.today().isoformat())
    editing = request.args.get("edit", type=int)
    return _render_indicator(plan, indicator, form, editing=editing)


@bp.post("/plans/<int:plan_id>/indicators/<int:indicator_id>/measurements")
def add_measurement(plan_id, indicator_id):
    plan, indicator = authorise_indicator(current_user, plan_id, indicator_id)
    form = MeasurementForm()
    if form.validate_on_submit():
        try:
            execute(lambda: services.add_measurement(indicator, form.data, actor=current_user))
        except DomainError as error:
            attach_error(form, error)
        else:
            flash(_("Measurement saved."), "success")
            return redirect(url_for("monitor.indicator", plan_id=plan.id,
                                    indicator_id=indicator.id))
    return _render_indicator(plan, indicator, form, status=422)


@bp.post("/plans/<int:plan_id>/indicators/<int:indicator_id>/measurements/<int:measurement_id>")
def edit_measurement(plan_id, indicator_id, measurement_id):
    plan, indicator = authorise_indicator(current_user, plan_id, indicator_id)
    measurement = services.get_measurement(indicator, measurement_id)
    form = MeasurementForm()
    if form.validate_on_submit():
        try:
            execute(lambda: services.edit_measurement(indicator, measurement, form.data,
                                                      actor=current_user))
        except DomainError as error:
            flash(str(error.message), "error")
        else:
            flash(_("Measurement changed."), "success")
    else:
        flash(_("Enter a date and a value."), "error")
    return redirect(url_for("monitor.indicator", plan_id=plan.id, indicator_id=indicator.id))


@bp.post("/plans/<int:plan_id>/indicators/<int:indicator_id>/measurements/"
         "<int:measurement_id>/delete")
def delete_measurement(plan_id, indicator_id, measurement_id):
    plan, indicator = authorise_indicator(current_user, plan_id, indicator_id)
    measurement = services.get_measurement(indicator, measurement_id)
    if ActionForm().validate_on_submit():
        execute(lambda: services.delete_measurement(indicator, measurement,
                                                    actor=current_user))
        flash(_("Measurement deleted; it stays in the history."), "success")
    return redirect(url_for("monitor.indicator", plan_id=plan.id, indicator_id=indicator.id))


@bp.route("/plans/<int:plan_id>/monitor/import", methods=["GET", "POST"])
def import_file(plan_id):
    """Upload → a preview of every row and its problems; nothing is stored yet."""
    plan = authorise_plan(current_user, plan_id, EDIT)
    form = ImportForm()
    preview = None
    limits = Limits.from_config(current_app.config)
    if form.validate_on_submit():
        upload = form.file.data
        data = upload.read(limits.max_upload_bytes + 1) if upload else b""
        if len(data) > limits.max_upload_bytes:
            form.file.errors = [_("The file is larger than %(mb)s MB.",
                                  mb=format_decimal(limits.max_upload_bytes / 1024 / 1024,
                                                    format="#,##0.#"))]
        else:
            preview = _preview(plan, data, upload.filename or "", limits)
    indicators = services.indicators(plan)
    names = {i.id: i.name for i in indicators}
    rows = preview and json.dumps([[r.indicator_id, r.date.isoformat(), r.value, r.note]
                                   for r in preview.good])
    return render_template("monitor/import.html", plan=plan, form=form, preview=preview,
                           rows=rows, names=names, indicators=indicators,
                           action=ActionForm(), problems=PROBLEM_TEXTS,
                           file_problem=preview and preview.file_problem
                           and file_problem_text(preview.file_problem, limits),
                           ), 422 if form.errors else 200


AMBIGUOUS = -1


def _preview(plan, data, filename, limits):
    """The import preview, parsed in a child process with the limits; a name two
    indicators share is flagged, never guessed."""
    names, seen = {}, {}
    for indicator in services.indicators(plan):
        key = " ".join(indicator.name.lower().split())
        names[indicator.name] = AMBIGUOUS if key in seen else indicator.id
        seen.setdefault(key, indicator.name)
        if names[indicator.name] == AMBIGUOUS:
            names[seen[key]] = AMBIGUOUS
        names[str(indicator.id)] = indicator.id
    preview = read_isolated(data, filename, names, services.existing_dates(plan), limits)
    rows = tuple(
        dataclasses.replace(row, indicator_id=None,
                            problems=("ambiguous_indicator",) + tuple(
                                p for p in row.problems if p != "duplicate_in_file"))
        if row.indicator_id == AMBIGUOUS else row for row in preview.rows)
    return dataclasses.replace(preview, rows=rows)


@bp.post("/plans/<int:plan_id>/monitor/import/confirm")
def confirm_import(plan_id):
    plan = authorise_plan(current_user, plan_id, EDIT)
    if not ActionForm().validate_on_submit():
        flash(_("This form had expired. Upload the file again."), "error")
        return redirect(url_for("monitor.import_file", plan_id=plan.id))
    try:
        raw = inputs.loads(request.form.get("rows") or "[]")  # depth-bounded: ValueError
        rows = [(int(i), dt.date.fromisoformat(d), float(v), str(n)) for i, d, v, n in raw]
        made = execute(lambda: services.import_measurements(plan, rows, actor=current_user))
    except (ValueError, TypeError):
        flash(_("The file changed since the preview. Upload it again."), "error")
        return redirect(url_for("monitor.import_file", plan_id=plan.id))
    except DomainError as error:
        flash(str(error.message), "error")
        return redirect(url_for("monitor.import_file", plan_id=plan.id))
    flash(ngettext("%(num)d measurement imported.", "%(num)d measurements imported.",
                   len(made)), "success")
    return redirect(url_for("monitor.dashboard", plan_id=plan.id))

