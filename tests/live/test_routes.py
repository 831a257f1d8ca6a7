"""Workshop pages for facilitators and the join pages for phones, through HTTP."""

import re

import pytest

from tests.conftest import collect_step
from workshop.extensions import db
from workshop.live import agenda, running
from workshop.live.models import Participant, Step, Workshop
from workshop.realtime.executor import run_once


def test_create_a_workshop_with_default_groups(logged_in, make_plan):
    plan = make_plan(domains=["Ruimte"])
    page = logged_in.get(f"/plans/{plan.id}/workshops/new").get_data(as_text=True)
    assert "Employees\nExternal stakeholders" in page
    response = logged_in.post(f"/plans/{plan.id}/workshops/new", data={
        "title": "Ambities", "groups": "Medewerkers\nPartners\n", "joining_open": "y"})
    assert response.status_code == 302
    workshop = db.session.scalar(db.select(Workshop))
    assert [g.name for g in workshop.groups] == ["Medewerkers", "Partners"]
    page = logged_in.get(response.headers["Location"]).get_data(as_text=True)
    assert workshop.code in page and f"/j/{workshop.code}" in page


def test_workshop_form_errors_stay_in_place(logged_in, make_plan):
    plan = make_plan(domains=["Ruimte"])
    response = logged_in.post(f"/plans/{plan.id}/workshops/new", data={"title": "",
                                                                      "groups": ""})
    assert response.status_code == 200
    assert response.get_data(as_text=True).count('aria-invalid="true"') == 2
    assert db.session.scalar(db.select(Workshop)) is None


def test_build_an_agenda_through_the_pages(logged_in, make_workshop):
    workshop = make_workshop()
    domain_ids = [str(d.id) for d in workshop.plan.domains]
    assert logged_in.get(f"/workshops/{workshop.id}/steps/new?kind=collect").status_code == 200
    logged_in.post(f"/workshops/{workshop.id}/steps/new", data={
        "kind": "info", "title": "Welkom", "body": "Fijn dat je er bent"})
    response = logged_in.post(f"/workshops/{workshop.id}/steps/new", data={
        "kind": "collect", "title": "Ambities", "item_kind": "ambition",
        "domain_ids": domain_ids, "max_length": "200", "max_per_participant": "3",
        "time_limit_minutes": "1.5"})
    assert response.status_code == 302
    steps = Step.query.filter_by(workshop_id=workshop.id).order_by(Step.position).all()
    assert [s.title for s in steps] == ["Welkom", "Ambities"]
    assert steps[1].time_limit_seconds == 90 and len(steps[1].domains) == 2
    logged_in.post(f"/workshops/{workshop.id}/steps/{steps[1].id}/move",
                   data={"direction": "up"})
    logged_in.post(f"/workshops/{workshop.id}/steps/{steps[0].id}/duplicate")
    titles = [s.title for s in Step.query.filter_by(workshop_id=workshop.id)
              .order_by(Step.position)]
    assert titles == ["Ambities", "Welkom", "Welkom"]
    page = logged_in.get(f"/workshops/{workshop.id}").get_data(as_text=True)
    assert "1 min 30 s" in page


def test_collect_step_without_domains_is_refused_in_place(logged_in, make_workshop):
    workshop = make_workshop()
    response = logged_in.post(f"/workshops/{workshop.id}/steps/new", data={
        "kind": "collect", "title": "Ambities", "item_kind": "ambition",
        "max_length": "200", "max_per_participant": "3"})
    assert response.status_code == 200
    assert "Choose one or more work domains" in response.get_data(as_text=True)
    assert workshop.steps == []


def test_duplicate_workshop_page(logged_in, make_workshop):
    workshop = make_workshop(title="Sessie 1")
    agenda.add_step(workshop, {"kind": "info", "title": "Welkom"})
    response = logged_in.post(f"/workshops/{workshop.id}/duplicate")
    copy = db.session.get(Workshop, int(response.headers["Location"].rsplit("/", 1)[1]))
    assert copy.title == "Sessie 1 (copy)" and [s.title for s in copy.steps] == ["Welkom"]


def test_console_and_presenter_pages_carry_their_scripts_and_no_cdn(logged_in, make_workshop):
    workshop = make_workshop()
    for page in ("console", "presenter"):
        html = logged_in.get(f"/workshops/{workshop.id}/{page}").get_data(as_text=True)
        assert f"/{page}.js" in html and "socket.io.min.js" in html
        assert "https://" not in html.replace(f"https://{workshop.code}", "")
    presenter = logged_in.get(f"/workshops/{workshop.id}/presenter").get_data(as_text=True)
    assert workshop.code in presenter and f"/j/{workshop.code}/qr.svg" in presenter


def test_a_workshop_of_an_unknown_id_is_not_found(logged_in):
    for url in ("/workshops/999", "/workshops/999/console", "/workshops/999/steps/new"):
        assert logged_in.get(url).status_code == 404


# -- phones ---------------------------------------------------------------------------


def test_join_by_typed_code_in_lower_case_with_spaces(client, make_workshop):
    workshop = make_workshop()
    typed = workshop.code[:4].lower() + " " + workshop.code[4:].lower()
    response = client.post("/j", data={"code": typed})
    assert response.headers["Location"] == f"/j/{workshop.code}"
    assert client.get(f"/j/{workshop.code.lower()}").headers["Location"] == (
        f"/j/{workshop.code}")


def test_join_with_name_and_group_then_reopen_restores_the_participant(client, make_workshop):
    workshop = make_workshop()
    page = client.get(f"/j/{workshop.code}").get_data(as_text=True)
    assert "Employees" in page and "External stakeholders" in page
    response = client.post(f"/j/{workshop.code}", data={
        "display_name": "Piet", "group_id": str(workshop.groups[1].id)})
    assert response.headers["Location"] == f"/w/{workshop.code}"
    participant = db.session.scalar(db.select(Participant))
    assert participant.display_name == "Piet" and participant.group_id == workshop.groups[1].id
    # Reopening the join link on the same phone goes straight back in.
    assert client.get(f"/j/{workshop.code}").headers["Location"] == f"/w/{workshop.code}"
    assert "participant.js" in client.get(f"/w/{workshop.code}").get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count()).select_from(Participant)) == 1


def test_join_errors_are_shown_beside_the_fields(client, make_workshop):
    workshop = make_workshop()
    page = client.post(f"/j/{workshop.code}", data={"display_name": " "}).get_data(
        as_text=True)
    assert "Fill in your name" in page
    page = client.post(f"/j/{workshop.code}", data={"display_name": "Piet"}).get_data(
        as_text=True)
    assert "Choose your group" in page
    assert db.session.scalar(db.select(Participant)) is None


def test_anonymous_workshop_asks_no_name(client, make_workshop):
    workshop = make_workshop(anonymous=True)
    page = client.get(f"/j/{workshop.code}").get_data(as_text=True)
    assert 'name="display_name"' not in page
    client.post(f"/j/{workshop.code}", data={"group_id": str(workshop.groups[0].id)})
    assert db.session.scalar(db.select(Participant)).display_name is None


def test_closed_and_finished_workshops_refuse_new_joins(client, make_workshop):
    workshop = make_workshop()
    run_once("t", None, lambda: running.set_joining(workshop, False))
    response = client.get(f"/j/{workshop.code}")
    assert response.status_code == 403 and "closed to new participants" in response.get_data(
        as_text=True)
    run_once("t", None, lambda: running.finish_workshop(workshop))
    response = client.post(f"/j/{workshop.code}", data={"display_name": "Piet"})
    assert "has finished" in response.get_data(as_text=True)
    assert db.session.scalar(db.select(Participant)) is None


def test_a_participant_page_without_a_cookie_leads_to_joining(client, make_workshop):
    workshop = make_workshop()
    assert client.get(f"/w/{workshop.code}").headers["Location"] == f"/j/{workshop.code}"
    client.set_cookie(f"koers_p{workshop.id}", "forged.value")
    assert client.get(f"/w/{workshop.code}").headers["Location"] == f"/j/{workshop.code}"


def test_one_workshops_cookie_gives_nothing_in_another(client, make_workshop):
    a, b = make_workshop(title="A"), make_workshop(title="B")
    client.post(f"/j/{a.code}", data={"display_name": "Piet", "group_id": str(a.groups[0].id)})
    cookie = client.get_cookie(f"koers_p{a.id}").value
    client.set_cookie(f"koers_p{b.id}", cookie)
    assert client.get(f"/w/{b.code}").headers["Location"] == f"/j/{b.code}"


def test_wrong_codes_are_rate_limited_after_ten_a_minute(client, make_workshop):
    workshop = make_workshop()
    for n in range(10):
        assert client.post("/j", data={"code": f"WRONGCD{n}"}).status_code == 404
    blocked = client.post("/j", data={"code": workshop.code})
    assert blocked.status_code == 429
    assert "Too many attempts" in blocked.get_data(as_text=True)
    assert client.get(f"/j/{workshop.code}").status_code == 429


def test_right_codes_do_not_count_towards_the_limit(client, make_workshop):
    workshop = make_workshop()
    for _ in range(15):
        assert client.post("/j", data={"code": workshop.code}).status_code == 302


def test_unknown_code_page_offers_to_type_it_again(client):
    response = client.get("/j/ABCDEFGH")
    assert response.status_code == 404
    assert "There is no workshop with this code" in response.get_data(as_text=True)


def test_qr_code_is_an_svg_of_the_join_address(client, make_workshop, app):
    app.config["PUBLIC_URL"] = "https://koers.example.org"
    workshop = make_workshop()
    response = client.get(f"/j/{workshop.code}/qr.svg")
    assert response.mimetype == "image/svg+xml"
    svg = response.get_data(as_text=True)
    assert 'xmlns="http://www.w3.org/2000/svg"' in svg
    assert f"https://koers.example.org/j/{workshop.code}" in svg
    assert client.get("/j/ABCDEFGH/qr.svg").status_code == 404


def test_api_join_returns_a_token_for_the_socket(client, make_workshop):
    workshop = make_workshop()
    response = client.post("/api/join", json={"code": workshop.code.lower(),
                                              "display_name": "Bot",
                                              "group_id": workshop.groups[0].id})
    assert response.status_code == 200 and response.json["ok"]
    assert len(response.json["token"]) >= 40
    assert response.json["workshop_id"] == workshop.id


@pytest.mark.parametrize(("body", "status", "code"), [
    (None, 400, "bad_payload"), ({"code": 5}, 400, "bad_payload"),
    ({"code": "ABCDEFGH"}, 404, "unknown_code"),
])
def test_api_join_refuses_bad_requests_clearly(client, make_workshop, body, status, code):
    make_workshop()
    response = client.post("/api/join", json=body)
    assert response.status_code == status and response.json["code"] == code
    assert db.session.scalar(db.select(Participant)) is None


def test_api_join_explains_a_missing_group(client, make_workshop):
    workshop = make_workshop()
    response = client.post("/api/join", json={"code": workshop.code, "display_name": "Bot"})
    assert response.status_code == 422 and response.json["field"] == "group_id"
    assert response.json["code"] == "invalid"


def test_privacy_threshold_is_a_workshop_setting(logged_in, make_workshop):
    workshop = make_workshop()
    logged_in.post(f"/workshops/{workshop.id}/edit", data={
        "title": "W", "groups": "A\nB", "joining_open": "y", "min_group_size": "8"})
    db.session.expire_all()
    assert workshop.min_group_size == 8
    page = logged_in.post(f"/workshops/{workshop.id}/edit", data={
        "title": "W", "groups": "A\nB", "min_group_size": "0"}).get_data(as_text=True)
    assert 'aria-invalid="true"' in page
    db.session.expire_all()
    assert workshop.min_group_size == 8


def test_live_step_edit_reaches_phones(logged_in, make_workshop, socket_client, join):
    workshop = make_workshop()
    step = agenda.add_step(workshop, collect_step(workshop.plan))
    run_once("t", None, lambda: running.start_step(workshop, step.id))
    _piet, token = join(workshop)
    phone = socket_client(auth={"workshop": workshop.id, "role": "participant",
                                "token": token})
    phone.get_received()
    logged_in.post(f"/workshops/{workshop.id}/steps/{step.id}/edit", data={
        "kind": "collect", "title": "Nieuwe vraag", "item_kind": "ambition",
        "domain_ids": [str(workshop.plan.domains[0].id)], "max_length": "100",
        "max_per_participant": "2"})
    stages = [m["args"][0] for m in phone.get_received() if m["name"] == "stage_changed"]
    assert stages[-1]["stage"]["step"]["title"] == "Nieuwe vraag"
    assert len(stages[-1]["stage"]["step"]["domains"]) == 1


def test_into_the_plan_appears_on_a_vote_once_someone_has_voted(logged_in, voting_room):
    from workshop.voting import ballots

    room = voting_room(people=1)
    url = f"/workshops/{room['workshop'].id}"
    promote = f"/workshops/{room['workshop'].id}/steps/{room['vote'].id}/promote"
    page = logged_in.get(url).get_data(as_text=True)
    assert promote not in page and "no votes yet" in page
    run_once("t", None, lambda: ballots.add_dots(room["people"][0], room["vote"].id,
                                                 room["proposals"][0].id, 1))
    page = logged_in.get(url).get_data(as_text=True)
    assert promote in page and "no votes yet" not in page
    # Taking the only dot back leaves no results again.
    run_once("t", None, lambda: ballots.add_dots(room["people"][0], room["vote"].id,
                                                 room["proposals"][0].id, -1))
    assert promote not in logged_in.get(url).get_data(as_text=True)
def test_a_single_group_is_chosen_already_and_the_name_is_remembered(client, make_workshop):
    one = make_workshop(groups=("Employees",))
    page = client.get(f"/j/{one.code}").get_data(as_text=True)
    assert re.search(r'<input checked[^>]*name="group_id"|name="group_id"[^>]*checked', page)
    assert "join.js" in page  # fills in the name typed last time on this phone
    two = make_workshop()
    assert "checked" not in client.get(f"/j/{two.code}").get_data(as_text=True)


@pytest.mark.parametrize("data", [
    {"display_name": "Piet", "group_id": "abc"},
    {"display_name": "Piet", "group_id": "99999999999999999999999"},
    {"display_name": "x" * 61, "group_id": "{group}"},
    {"display_name": "Piet", "group_id": "{group}", "join_key": "short"},
])
def test_hostile_join_forms_change_nothing_and_say_why(client, make_workshop, data):
    workshop = make_workshop()
    group = str(workshop.groups[0].id)
    data = {k: v.replace("{group}", group) for k, v in data.items()}
    response = client.post(f"/j/{workshop.code}", data=data)
    assert response.status_code == 200
    assert 'class="error"' in response.get_data(as_text=True) or "form-error" in (
        response.get_data(as_text=True))
    assert db.session.scalar(db.select(Participant)) is None


def test_the_step_form_sets_what_the_proposal_limit_counts(logged_in, make_workshop):
    workshop = make_workshop()
    page = logged_in.get(f"/workshops/{workshop.id}/steps/new?kind=collect")
    assert "Count that limit in each work domain" in page.get_data(as_text=True)
    response = logged_in.post(f"/workshops/{workshop.id}/steps/new", data={
        "kind": "collect", "title": "Ambities",
        "item_kind": "ambition", "domain_ids": [str(d.id) for d in workshop.plan.domains],
        "max_length": "200", "max_per_participant": "2", "limit_per_domain": "y"})
    assert response.status_code == 302
    db.session.expire_all()
    assert workshop.steps[0].limit_per_domain is True
    listing = logged_in.get(f"/workshops/{workshop.id}").get_data(as_text=True)
    assert "2 proposals per person in each work domain" in listing


def test_refused_vote_on_plan_items_leaves_no_seeded_step(logged_in, make_workshop):
    """Voting on plan items seeds a closed collect step holding them: when the vote step
    itself is refused, that seed goes too (one transaction for the whole page)."""
    from workshop.tree import services as tree

    workshop = make_workshop()
    domain = workshop.plan.domains[0]
    tree.add_item(workshop.plan, "ambition", domain.id, "Meer ruimte voor bedrijven")
    db.session.commit()
    page = {"kind": "vote", "title": "Prioriteiten", "source": "lambition",
            "domain_ids": [str(domain.id)], "vote_method": "dots", "dot_budget": "3",
            "max_per_item": "9"}  # more per item than the whole budget: refused
    response = logged_in.post(f"/workshops/{workshop.id}/steps/new", data=page)
    assert response.status_code == 200
    assert "up to the whole budget" in response.get_data(as_text=True)
    db.session.expire_all()
    assert Step.query.filter_by(workshop_id=workshop.id).count() == 0

    response = logged_in.post(f"/workshops/{workshop.id}/steps/new",
                              data={**page, "max_per_item": "2"})
    assert response.status_code == 302
    kinds = [s.kind for s in Step.query.filter_by(workshop_id=workshop.id)]
    assert sorted(kinds) == ["collect", "vote"]
