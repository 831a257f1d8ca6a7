"""Account-less links stay inside their organisation: a phone's token or a stakeholder's
link of organisation A never reaches anything of organisation B."""

from tests.conftest import PASSWORD
from workshop.accounts import services as accounts
from workshop.extensions import db
from workshop.live import participation, workshops
from workshop.orgs import services as orgs
from workshop.plans import services as plans
from workshop.review.models import Comment
from workshop.tree import services as tree


def _other_organisation():
    other = orgs.create_organisation("Other")
    accounts.create_facilitator("b@example.org", "B", PASSWORD, organisation=other)
    plan = plans.create_plan({"title": "Plan B", "organisation": "Other",
                              "horizon_start": 2027, "horizon_end": 2032}, organisation=other)
    plans.add_domain(plan, {"name": "Haven", "colour": "#1f5f8b"})
    ambition = tree.add_item(plan, "ambition", plan.domains[0].id, "B's ambition")
    goal = tree.add_item(plan, "strategic_goal", plan.domains[0].id, "B's goal", ambition.id)
    workshop = workshops.create_workshop(plan, {"title": "W B", "groups": ["G"]})
    db.session.commit()
    return plan, goal, workshop


def test_a_phone_token_of_a_opens_no_workshop_of_b(app, make_workshop, socket_client):
    mine = make_workshop()
    _participant, token = participation.join(mine, "Piet", mine.groups[0].id)
    _plan, _goal, theirs = _other_organisation()
    phone = socket_client(auth={"workshop": theirs.id, "role": "participant",
                                "token": token})
    assert not phone.is_connected()
    own = socket_client(auth={"workshop": mine.id, "role": "participant", "token": token})
    assert own.is_connected()


def test_a_stakeholder_link_of_a_reaches_no_goal_of_b(app, client, review_round):
    room = review_round()
    _plan, their_goal, _workshop = _other_organisation()
    token = room["token"]
    client.post(f"/r/{token}/register", data={"name": "Ine"})
    response = client.post(f"/r/{token}/goals/{their_goal.id}",
                           data={"reaction": "object", "text": "Nee"})
    assert response.status_code in (400, 404)  # refused as a goal not in this round
    assert "B's goal" not in response.get_data(as_text=True)
    assert db.session.scalars(db.select(Comment)).all() == []
    page = client.get(f"/r/{token}").get_data(as_text=True)
    assert "B's goal" not in page
