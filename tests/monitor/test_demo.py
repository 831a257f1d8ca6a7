"""The demo plan shows monitoring: indicators in every status, and a public progress page."""

import re

import pytest

from workshop.demo.services import load_demo
from workshop.monitor import services
from workshop.monitor.status import STATUSES


@pytest.fixture
def demo(app):
    with app.test_request_context():
        result = load_demo()
    indicators = services.indicators(result.plan)
    return result, {i.id: services.evaluate(i) for i in indicators}, indicators


def test_demo_indicators_show_every_status(demo):
    _result, evaluated, indicators = demo
    assert 6 <= len(indicators) <= 8
    assert {r.status for r in evaluated.values()} == set(STATUSES)
    assert any(r.overdue for r in evaluated.values())
    assert {"range", "down"} <= {i.direction for i in indicators}
    assert {i.item.level for i in indicators} == {"strategic_goal", "operational_goal"}
    assert len({i.item.domain_id for i in indicators}) == 4


def test_demo_indicators_have_a_year_of_measurements(demo):
    _result, _evaluated, indicators = demo
    measured = [i for i in indicators if i.measurements]
    assert len(measured) >= len(indicators) - 1
    for indicator in measured:
        dates = [m.date for m in indicator.measurements]
        assert len(dates) >= 4, indicator.name
        assert (max(dates) - min(dates)).days >= 300, indicator.name
    assert any(m.note for i in measured for m in i.measurements)


def test_demo_progress_page_is_public(demo, client):
    result, _evaluated, indicators = demo
    assert result.progress_token
    response = client.get(f"/p/{result.progress_token}")
    assert response.status_code == 200
    assert indicators[0].name in response.get_data(as_text=True)


def test_demo_twice_keeps_one_set_of_indicators(demo, app):
    result, _evaluated, indicators = demo
    with app.test_request_context():
        again = load_demo()
    assert not again.created
    assert len(services.indicators(result.plan)) == len(indicators)


def test_demo_command_prints_the_progress_link(runner, client):
    result = runner.invoke(args=["koers", "demo"])
    assert result.exit_code == 0, result.output
    token = re.search(r"Public progress page: \S+/p/([\w-]+)", result.output).group(1)
    assert client.get(f"/p/{token}").status_code == 200
