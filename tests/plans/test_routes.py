"""Plan and work-domain pages through HTTP."""

import re

from workshop.plans import services


def _names(plan_id):
    return [d.name for d in services.get_plan(plan_id).domains]


def test_empty_home_explains_what_to_do(logged_in):
    page = logged_in.get("/").get_data(as_text=True)
    assert "No plans yet" in page and "Create your first plan" in page


def test_create_plan_then_see_it(logged_in):
    response = logged_in.post("/plans/new", data={
        "title": "Strategisch plan 2027", "organisation": "POM Oost-Vlaanderen",
        "mission": "Wij versterken de regio", "tagline": "Participeert.",
        "horizon_start": "2027", "horizon_end": "2032",
    })
    assert response.status_code == 302
    page = logged_in.get(response.headers["Location"]).get_data(as_text=True)
    assert "Strategisch plan 2027" in page and "Wij versterken de regio" in page
    assert "2027–2032" in page


def test_plan_form_shows_errors_in_place_and_keeps_typed_text(logged_in):
    response = logged_in.post("/plans/new", data={
        "title": "Mijn plan", "organisation": "", "horizon_start": "2030",
        "horizon_end": "twenty",
    })
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'value="Mijn plan"' in page
    assert page.count('aria-invalid="true"') == 2
    assert services.list_plans() == []


def test_horizon_order_error_is_shown_at_the_end_year(logged_in):
    response = logged_in.post("/plans/new", data={
        "title": "Plan", "organisation": "POM", "horizon_start": "2030", "horizon_end": "2028",
    })
    page = response.get_data(as_text=True)
    assert "cannot end before it starts" in page
    assert services.list_plans() == []


def test_edit_plan(logged_in, make_plan):
    plan = make_plan()
    response = logged_in.post(f"/plans/{plan.id}/edit", data={
        "title": "Nieuwe titel", "organisation": "POM", "horizon_start": "2027",
        "horizon_end": "2030",
    })
    assert response.status_code == 302
    assert services.get_plan(plan.id).title == "Nieuwe titel"


def test_add_edit_reorder_and_remove_domains(logged_in, make_plan):
    plan = make_plan()
    for name in ("Ruimte", "Logistiek", "Kennis"):
        response = logged_in.post(f"/plans/{plan.id}/domains",
                                  data={"name": name, "colour": "#1f5f8b"})
        assert response.status_code == 302
    assert _names(plan.id) == ["Ruimte", "Logistiek", "Kennis"]
    kennis = services.get_plan(plan.id).domains[2]
    logged_in.post(f"/plans/{plan.id}/domains/{kennis.id}/move", data={"direction": "up"})
    assert _names(plan.id) == ["Ruimte", "Kennis", "Logistiek"]
    logged_in.post(f"/plans/{plan.id}/domains/{kennis.id}/edit",
                   data={"name": "Kenniseconomie", "colour": "#8a4b9c", "description": "d"})
    assert _names(plan.id) == ["Ruimte", "Kenniseconomie", "Logistiek"]
    # Removing asks first; the GET changes nothing.
    confirm = logged_in.get(f"/plans/{plan.id}/domains/{kennis.id}/remove")
    assert "Remove “Kenniseconomie”?" in confirm.get_data(as_text=True)
    assert len(_names(plan.id)) == 3
    logged_in.post(f"/plans/{plan.id}/domains/{kennis.id}/remove")
    assert _names(plan.id) == ["Ruimte", "Logistiek"]


def test_bad_move_direction_changes_nothing(logged_in, make_plan):
    plan = make_plan(domains=["A", "B"])
    b = plan.domains[1]
    logged_in.post(f"/plans/{plan.id}/domains/{b.id}/move", data={"direction": "sideways"})
    assert _names(plan.id) == ["A", "B"]


def test_duplicate_domain_name_is_shown_in_place(logged_in, make_plan):
    plan = make_plan(domains=["Logistiek"])
    response = logged_in.post(f"/plans/{plan.id}/domains",
                              data={"name": "Logistiek", "colour": "#1f5f8b"})
    assert response.status_code == 422
    assert "already has a work domain with that name" in response.get_data(as_text=True)
    assert _names(plan.id) == ["Logistiek"]


def test_domain_of_another_plan_is_not_found_through_this_plan(logged_in, make_plan):
    plan = make_plan(domains=["A"])
    other = make_plan(title="Other", domains=["X"])
    x = other.domains[0]
    assert logged_in.get(f"/plans/{plan.id}/domains/{x.id}/edit").status_code == 404
    assert logged_in.post(f"/plans/{plan.id}/domains/{x.id}/remove").status_code == 404
    assert logged_in.post(f"/plans/{plan.id}/domains/{x.id}/move",
                          data={"direction": "up"}).status_code == 404
    assert _names(other.id) == ["X"]
    assert logged_in.get("/plans/999").status_code == 404


def test_domain_colour_text_keeps_contrast(logged_in, make_plan):
    from workshop.core.colours import contrast, text_on

    for colour in ("#ffff00", "#1f5f8b", "#000000", "#ffffff", "#2e7d4f", "#b5541c"):
        assert contrast(colour, text_on(colour)) >= 4.5, colour


def test_demo_command_loads_four_domains_once(runner, app):
    result = runner.invoke(args=["koers", "demo"])
    assert result.exit_code == 0, result.output
    assert "4 work domains" in result.output
    assert "Log in as demo@koers.example" in result.output
    assert re.search(r"join code [A-Z2-9]{8}", result.output)
    again = runner.invoke(args=["koers", "demo"])
    assert "already there" in again.output
    plans = services.list_plans()
    assert len(plans) == 1
    from workshop.live.workshops import list_for_plan

    finished, workshop = list_for_plan(plans[0])  # newest first
    assert [s.kind for s in workshop.steps] == ["info", "collect", "info", "collect"]
    assert workshop.joining_open and workshop.code in result.output
    from workshop.voting.tally import compute

    assert finished.status == "finished"
    (vote,) = [s for s in finished.steps if s.kind == "vote"]
    tally = compute(vote)
    assert tally["reveal"] == "everyone"
    assert all(len(d["shown_groups"]) == 2 for d in tally["domains"])  # 6 voters per group
    assert any(row["diverges"] for d in tally["domains"] for row in d["items"])
    from workshop.tree import services as tree
    from workshop.voting import promote

    roots = [items for _domain, items in tree.tree(plans[0])]
    assert all(len(items) == 1 for items in roots)  # one ambition per domain
    assert all(promote.provenance(items[0]) for items in roots)
    assert all(items[0].children and items[0].children[0].children for items in roots)
    from workshop.review import services as review

    closed, opened = sorted(review.list_rounds(plans[0]), key=lambda r: r.id)
    assert review.phase(closed) == "closed" and review.phase(opened) == "open"
    assert [c.disposition for c in review.comments(closed)] == ["noted", "partly", "rejected"]
    assert re.search(r"/r/[\w-]{40,}", result.output)
    assert [d.name for d in plans[0].domains] == [
        "Bedrijventerreinen en ruimte voor ondernemen", "Logistiek",
        "Kenniseconomie en innovatie", "Energietransitie en bio-economie"]


def test_a_domain_with_proposals_cannot_be_removed(logged_in, make_workshop, join):
    from tests.conftest import collect_step
    from workshop.live import agenda, participation, running
    from workshop.realtime.executor import run_once

    workshop = make_workshop()
    plan = workshop.plan
    step = agenda.add_step(workshop, collect_step(plan))
    run_once("t", None, lambda: running.start_step(workshop, step.id))
    piet, _ = join(workshop)
    run_once("t", None, lambda: participation.submit_proposal(
        piet, step.id, plan.domains[0].id, "Meer ruimte"))
    url = f"/plans/{plan.id}/domains/{plan.domains[0].id}/remove"
    assert "1 × proposals" in logged_in.get(url).get_data(as_text=True)
    assert logged_in.post(url).status_code == 200
    assert len(services.get_plan(plan.id).domains) == 2
