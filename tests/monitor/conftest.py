import datetime as dt

import pytest

from workshop.extensions import db
from workshop.monitor import services
from workshop.tree import services as tree


@pytest.fixture
def goal_plan(make_plan):
    """A plan with one ambition → strategic goal → operational goal."""
    plan = make_plan(domains=["Economie", "Ruimte"])
    domain = plan.domains[0].id
    ambition = tree.add_item(plan, "ambition", domain, "Een sterke regio")
    strategic = tree.add_item(plan, "strategic_goal", domain, "Meer jobs", ambition.id)
    operational = tree.add_item(plan, "operational_goal", domain, "Tien starters per jaar",
                                strategic.id)
    db.session.commit()  # services flush; the fixture is the edge that commits
    return plan, ambition, strategic, operational


@pytest.fixture
def indicator(goal_plan):
    plan, _ambition, strategic, _operational = goal_plan
    made = services.add_indicator(plan, strategic.id, {
        "name": "Jobs in de regio", "unit": "jobs", "direction": "up",
        "baseline_value": "1000", "baseline_date": "2025-01-01",
        "target_value": "2000", "target_date": "2027-01-01", "frequency": "quarterly"})
    db.session.commit()
    return made


TODAY = dt.date(2026, 1, 1)
