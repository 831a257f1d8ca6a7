"""Plan and work-domain rules, without HTTP."""

import pytest

from workshop.core.errors import Conflict, DomainError, NotFound
from workshop.plans import services
from workshop.plans.models import Domain


def _names(plan):
    return [d.name for d in services.get_plan(plan.id).domains]


def test_create_plan_keeps_every_field(app):
    plan = services.create_plan({
        "title": " Strategisch plan ", "organisation": "POM", "mission": "Wij versterken",
        "tagline": "Participeert.", "horizon_start": 2027, "horizon_end": 2032,
    })
    stored = services.get_plan(plan.id)
    assert (stored.title, stored.organisation, stored.mission, stored.tagline) == (
        "Strategisch plan", "POM", "Wij versterken", "Participeert.")
    assert (stored.horizon_start, stored.horizon_end, stored.status) == (2027, 2032, "draft")


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": ""}, "title"),
        ({"organisation": "  "}, "organisation"),
        ({"horizon_start": 1800}, "horizon_start"),
        ({"horizon_end": None}, "horizon_end"),
        ({"horizon_start": 2030, "horizon_end": 2028}, "horizon_end"),
    ],
)
def test_bad_plan_data_is_refused_and_stores_nothing(app, changes, field):
    data = {"title": "Plan", "organisation": "POM", "horizon_start": 2027,
            "horizon_end": 2032, **changes}
    with pytest.raises(DomainError) as error:
        services.create_plan(data)
    assert error.value.field == field
    assert services.list_plans() == []


def test_domains_are_added_in_order_and_names_are_unique_per_plan(make_plan):
    plan = make_plan(domains=["Ruimte", "Logistiek"])
    other = make_plan(title="Ander plan", domains=["Logistiek"])
    with pytest.raises(Conflict):
        services.add_domain(plan, {"name": "Logistiek", "colour": "#123456"})
    assert _names(plan) == ["Ruimte", "Logistiek"]
    assert _names(other) == ["Logistiek"]


@pytest.mark.parametrize("colour", ["", "red", "#12345", "#GGGGGG", "#1234567"])
def test_domain_needs_a_real_colour(make_plan, colour):
    plan = make_plan()
    with pytest.raises(DomainError) as error:
        services.add_domain(plan, {"name": "Ruimte", "colour": colour})
    assert error.value.field == "colour"
    assert _names(plan) == []


def test_move_and_reorder_domains(make_plan):
    plan = make_plan(domains=["A", "B", "C", "D"])
    d = {x.name: x for x in plan.domains}
    services.move_domain(d["C"], -1)
    assert _names(plan) == ["A", "C", "B", "D"]
    services.move_domain(d["A"], -1)  # already first: nothing changes
    services.move_domain(d["D"], +1)  # already last
    assert _names(plan) == ["A", "C", "B", "D"]
    services.reorder_domains(plan, [d["D"].id, d["C"].id, d["B"].id, d["A"].id])
    assert _names(plan) == ["D", "C", "B", "A"]


def test_reorder_must_name_each_domain_once(make_plan):
    plan = make_plan(domains=["A", "B"])
    other = make_plan(title="Other", domains=["X"])
    a, b = plan.domains
    for ids in ([a.id], [a.id, a.id], [a.id, b.id, other.domains[0].id]):
        with pytest.raises(DomainError):
            services.reorder_domains(plan, ids)
    assert _names(plan) == ["A", "B"]


def test_remove_domain_closes_the_gap(make_plan, app):
    plan = make_plan(domains=["A", "B", "C"])
    services.remove_domain(plan.domains[1])
    assert _names(plan) == ["A", "C"]
    assert [d.position for d in services.get_plan(plan.id).domains] == [1, 2]


def test_domain_holding_content_cannot_be_removed(make_plan, monkeypatch):
    plan = make_plan(domains=["A"])
    monkeypatch.setattr(
        services, "DOMAIN_CONTENT_COUNTERS", [lambda domain: [("proposals", 3)]]
    )
    with pytest.raises(Conflict):
        services.remove_domain(plan.domains[0])
    assert _names(plan) == ["A"]


def test_another_plans_domain_is_not_found(make_plan):
    plan = make_plan(domains=["A"])
    other = make_plan(title="Other", domains=["X"])
    with pytest.raises(NotFound):
        services.get_domain(plan, other.domains[0].id)
    with pytest.raises(NotFound):
        services.get_plan(9999)


def test_plan_has_at_most_twelve_domains(make_plan):
    plan = make_plan(domains=[f"D{n}" for n in range(services.MAX_DOMAINS)])
    with pytest.raises(DomainError):
        services.add_domain(plan, {"name": "One too many", "colour": "#123456"})
    assert Domain.query.filter_by(plan_id=plan.id).count() == services.MAX_DOMAINS


def test_next_colour_avoids_colours_in_use(make_plan):
    plan = make_plan(domains=["A", "B"])
    used = {d.colour for d in plan.domains}
    assert services.next_colour(plan) not in used
