"""Indicators and measurements as services: rules, history, import, roll-ups, the link."""

import datetime as dt

import pytest
from sqlalchemy import func, select

from tests.conftest import run_in_threads
from tests.monitor.conftest import TODAY
from workshop.core.errors import Conflict, DomainError, NotFound
from workshop.extensions import db
from workshop.monitor import progress, services
from workshop.monitor.models import Measurement, MeasurementChange
from workshop.realtime.executor import execute


def test_an_indicator_belongs_to_a_goal_with_consistent_numbers(goal_plan):
    plan, ambition, strategic, operational = goal_plan
    with pytest.raises(DomainError) as error:
        services.add_indicator(plan, ambition.id, {"name": "X"})
    assert "strategic or operational goals" in str(error.value.message)
    with pytest.raises(DomainError) as error:
        services.add_indicator(plan, strategic.id, {"name": " "})
    assert error.value.field == "name"
    with pytest.raises(DomainError) as error:
        services.add_indicator(plan, strategic.id, {"name": "X", "direction": "up",
                                                    "baseline_value": "10",
                                                    "target_value": "5"})
    assert error.value.field == "target_value"
    with pytest.raises(DomainError) as error:
        services.add_indicator(plan, strategic.id, {"name": "X", "direction": "down",
                                                    "baseline_value": "10",
                                                    "target_value": "15"})
    assert error.value.field == "target_value"
    with pytest.raises(DomainError) as error:
        services.add_indicator(plan, operational.id, {"name": "X", "direction": "range"})
    assert error.value.field == "range_low"
    with pytest.raises(DomainError) as error:
        services.add_indicator(plan, operational.id, {"name": "X", "baseline_value": "abc"})
    assert error.value.field == "baseline_value"
    with pytest.raises(DomainError):
        services.add_indicator(plan, operational.id, {"name": "X", "direction": "sideways"})
    made = services.add_indicator(plan, operational.id, {
        "name": "Starters", "direction": "range", "range_low": "8", "range_high": "12,5"})
    assert made.range_high == 12.5  # a Dutch decimal comma is understood
    assert len(services.indicators(plan)) == 1


def test_measurements_keep_their_history(indicator, facilitator):
    first = services.add_measurement(indicator, {"date": "2025-07-01", "value": "1200"},
                                     actor=facilitator, today=TODAY)
    services.edit_measurement(indicator, first, {"date": "2025-07-01", "value": "1250",
                                                 "note": "gecorrigeerd"}, actor=facilitator,
                              today=TODAY)
    services.delete_measurement(indicator, first, actor=facilitator)
    changes = services.history(indicator)
    assert [c.action for c in changes] == ["deleted", "edited", "added"]
    assert '"value": 1250.0' in changes[0].old_value and changes[0].new_value is None
    assert '"value": 1200.0' in changes[1].old_value and '"value": 1250.0' in changes[1].new_value
    assert all(c.actor_id == facilitator.id for c in changes)
    assert db.session.scalar(select(func.count(Measurement.id))) == 0


@pytest.mark.parametrize("data, field", [
    ({"date": "2025-07-01", "value": ""}, "value"),
    ({"date": "2025-07-01", "value": "veel"}, "value"),
    ({"date": "2025-07-01", "value": "nan"}, "value"),
    ({"date": "", "value": "3"}, "date"),
    ({"date": "1-7-2025", "value": "3"}, "date"),
    ({"date": "2026-02-01", "value": "3"}, "date"),  # after "today"
    ({"date": "2025-07-01", "value": "3", "note": "x" * 501}, "note"),
])
def test_a_wrong_measurement_is_refused_with_its_field(indicator, data, field):
    with pytest.raises(DomainError) as error:
        services.add_measurement(indicator, data, today=TODAY)
    assert error.value.field == field
    assert db.session.scalar(select(func.count(Measurement.id))) == 0
    assert db.session.scalar(select(func.count(MeasurementChange.id))) == 0


def test_one_measurement_per_date_even_when_sent_at_once(app, indicator):
    indicator_id = indicator.id

    def add(_):
        with app.app_context():
            from workshop.monitor.models import Indicator
            target = db.session.get(Indicator, indicator_id)
            try:
                execute(lambda: services.add_measurement(  # as the page does
                    target, {"date": "2025-07-01", "value": "1"}, today=TODAY))
                return "ok"
            except Conflict:
                return "duplicate"

    outcomes = run_in_threads(8, add)
    assert len(outcomes) == 8 and sorted(outcomes).count("ok") == 1
    assert db.session.scalar(select(func.count(Measurement.id))) == 1
    assert db.session.scalar(select(func.count(MeasurementChange.id))) == 1


def test_import_stores_all_rows_or_none(goal_plan, indicator):
    plan = goal_plan[0]
    services.add_measurement(indicator, {"date": "2025-04-01", "value": "1100"}, today=TODAY)
    rows = [(indicator.id, dt.date(2025, 7, 1), 1200.0, ""),
            (indicator.id, dt.date(2025, 4, 1), 1150.0, "already measured")]
    with pytest.raises(Conflict):
        services.import_measurements(plan, rows)
    assert db.session.scalar(select(func.count(Measurement.id))) == 1
    with pytest.raises(DomainError):  # an indicator of another plan (or none)
        services.import_measurements(plan, [(999, dt.date(2025, 7, 1), 1.0, "")])
    made = services.import_measurements(plan, rows[:1])
    assert len(made) == 1
    assert [c.action for c in services.history(indicator)] == ["imported", "added"]


def test_status_rolls_up_to_goal_ambition_and_domain(goal_plan, indicator):
    plan, ambition, strategic, operational = goal_plan
    # Halfway in time (2026-01-01) the path expects 50 %; 1100 is 10 % of the way.
    services.add_measurement(indicator, {"date": "2026-01-01", "value": "1100"}, today=TODAY)
    lagging = services.add_indicator(plan, operational.id, {
        "name": "Starters", "direction": "range", "range_low": "8", "range_high": "12"})
    services.add_measurement(lagging, {"date": "2025-12-01", "value": "10"}, today=TODAY)
    view = progress.overview(plan, TODAY)
    (domain, rollup, nodes), (other, other_rollup, other_nodes) = view["domains"]
    assert rollup["status"] == "off_track"
    assert rollup["counts"] == {"on_track": 1, "at_risk": 0, "off_track": 1, "no_data": 0}
    node = nodes[0]
    assert node.item.id == ambition.id and node.rollup["status"] == "off_track"
    assert node.children[0].rollup["status"] == "off_track"
    assert node.children[0].children[0].rollup["status"] == "on_track"
    assert other_rollup["status"] == "no_data" and other_nodes == []
    # Quarterly: after 2025-12-01 the next value is due 2026-03-01.
    late = progress.overview(plan, dt.date(2026, 3, 2))
    assert [i.name for i, _r in late["overdue"]] == ["Starters"]


def test_thresholds_are_per_plan_and_change_the_status(goal_plan, indicator):
    plan = goal_plan[0]
    services.add_measurement(indicator, {"date": "2026-01-01", "value": "1350"}, today=TODAY)
    # 35 % of the way where 50 % is expected: 15 points behind → at risk by default.
    assert services.evaluate(indicator, TODAY, services.thresholds(plan)).status == "at_risk"
    services.set_thresholds(plan, 20, 40)
    assert services.evaluate(indicator, TODAY, services.thresholds(plan)).status == "on_track"
    with pytest.raises(DomainError):
        services.set_thresholds(plan, 30, 20)
    with pytest.raises(DomainError):
        services.set_thresholds(plan, -1, 20)


def test_the_public_link_can_be_replaced_and_switched_off(goal_plan):
    plan = goal_plan[0]
    first = services.new_public_link(plan)
    assert services.plan_for_token(first).id == plan.id
    second = services.new_public_link(plan)
    assert services.plan_for_token(second).id == plan.id
    with pytest.raises(NotFound):
        services.plan_for_token(first)
    services.revoke_public_link(plan)
    for token in (first, second, "", "x" * 300, None):
        with pytest.raises(NotFound):
            services.plan_for_token(token)


def test_merging_goals_keeps_their_indicators(goal_plan, indicator):
    from workshop.monitor import goals
    from workshop.tree import services as tree
    plan, ambition, strategic, _operational = goal_plan
    other = tree.add_item(plan, "strategic_goal", plan.domains[0].id, "Meer banen", ambition.id)
    services.add_measurement(indicator, {"date": "2025-07-01", "value": "1200"}, today=TODAY)
    goals.merge(plan, other, strategic)
    db.session.expire_all()
    assert [i.item_id for i in services.indicators(plan)] == [other.id]
    assert db.session.scalar(select(func.count(Measurement.id))) == 1
    assert db.session.scalar(select(func.count(MeasurementChange.id))) == 1


@pytest.mark.parametrize("field", ["baseline_date", "target_date"])
def test_dates_outside_1900_to_2200_are_refused(goal_plan, field):
    plan, _a, strategic, _o = goal_plan
    with pytest.raises(DomainError) as error:
        services.add_indicator(plan, strategic.id, {"name": "X", field: "9999-12-01"})
    assert error.value.field == field and "1900" in str(error.value.message)


def test_range_bounds_are_dropped_for_up_and_down(goal_plan):
    plan, _a, strategic, _o = goal_plan
    made = services.add_indicator(plan, strategic.id, {
        "name": "X", "direction": "up", "range_low": "10", "range_high": "5"})
    assert (made.range_low, made.range_high) == (None, None)


def test_a_first_measurement_past_the_target_counts_as_reached(goal_plan):
    plan, _a, strategic, _o = goal_plan
    made = services.add_indicator(plan, strategic.id, {
        "name": "X", "direction": "up", "target_value": "50", "target_date": "2030-01-01"})
    for day, value in (("2025-01-01", 60), ("2025-07-01", 70)):
        services.add_measurement(made, {"date": day, "value": value}, today=TODAY)
    result = services.evaluate(made, TODAY)
    assert (result.status, result.progress) == ("on_track", 100.0)


def test_switching_the_public_link_on_twice_at_once_makes_one_row(app, goal_plan):
    from workshop.monitor.models import MonitorSettings
    plan_id = goal_plan[0].id

    def switch_on(_):
        with app.app_context():
            from workshop.plans.models import Plan
            return execute(lambda: services.new_public_link(db.session.get(Plan, plan_id)))

    tokens = run_in_threads(8, switch_on)
    assert len(tokens) == 8 and all(tokens)  # every attempt succeeded
    rows = db.session.scalars(select(MonitorSettings)).all()
    assert len(rows) == 1
    assert services.plan_for_token(services.public_token(goal_plan[0])).id == plan_id


def test_a_refused_merge_moves_no_indicator(goal_plan, indicator):
    from workshop.monitor import goals

    plan, _ambition, strategic, operational = goal_plan
    with pytest.raises(DomainError):  # a strategic goal cannot merge into an operational one
        goals.merge(plan, operational, strategic)
    assert [i.item_id for i in services.indicators(plan)] == [strategic.id]
