"""Vote events with Flask-SocketIO's test client: acks, and who receives which tally."""

import pytest
from sqlalchemy import func, select

from workshop.extensions import db
from workshop.voting.models import Vote


@pytest.fixture
def sockets(app, voting_room, facilitator, socket_client):
    room = voting_room(people=2)
    workshop = room["workshop"]
    from workshop.live import participation

    def staff(role):
        client = app.test_client()
        with client.session_transaction() as session:
            session["_user_id"] = facilitator.get_id()
        return socket_client(flask_test_client=client,
                             auth={"workshop": workshop.id, "role": role})

    def phone():
        _person, token = participation.join(workshop, "Phone", workshop.groups[0].id)
        return socket_client(auth={"workshop": workshop.id, "role": "participant",
                                   "token": token})

    clients = {"console": staff("console"), "presenter": staff("presenter"),
               "phone": phone(), "other": phone()}
    connect = {name: c.get_received() for name, c in clients.items()}
    return {**room, **clients, "connect": connect}


def tallies(client):
    return [m["args"][0] for m in client.get_received() if m["name"] == "tally_updated"]


def vote(s, cid="vote-0000001", item=0, delta=1):
    return s["phone"].emit("add_dot", {"cid": cid, "step_id": s["vote"].id,
                                       "proposal_id": s["proposals"][item].id,
                                       "delta": delta}, callback=True)


def test_the_ballot_arrives_with_the_snapshot(sockets):
    snapshot = [m["args"][0] for m in sockets["connect"]["phone"] if m["name"] == "snapshot"][0]
    ballot = snapshot["ballot"]
    assert sorted(i["id"] for i in ballot["items"]) == sorted(p.id for p in sockets["proposals"])
    assert set(ballot["left"].values()) == {5}
    assert "tally" not in snapshot  # hidden results stay off the phone
    console = [m["args"][0] for m in sockets["connect"]["console"]
               if m["name"] == "snapshot"][0]
    assert "tally" in console
    presenter = [m["args"][0] for m in sockets["connect"]["presenter"]
                 if m["name"] == "snapshot"][0]
    assert "tally" not in presenter


def test_hidden_results_reach_only_the_console(sockets):
    ack = vote(sockets)
    assert ack["ok"] and ack["dots"] == 1 and ack["left"] == 4
    assert tallies(sockets["console"])[-1]["domains"][0]["items"][0]["value"] == 1
    assert tallies(sockets["presenter"]) == []
    assert tallies(sockets["phone"]) == [] and tallies(sockets["other"]) == []


def test_presenter_reveal_reaches_the_projector_but_no_phone(sockets):
    ack = sockets["console"].emit("set_reveal", {"cid": "reveal-0001", "step_id":
                                  sockets["vote"].id, "reveal": "presenter"}, callback=True)
    assert ack["ok"]
    vote(sockets)
    assert tallies(sockets["presenter"])
    assert tallies(sockets["phone"]) == [] and tallies(sockets["other"]) == []


def test_revealed_to_everyone_every_phone_gets_the_tally(sockets):
    sockets["console"].emit("set_reveal", {"cid": "reveal-0002", "step_id": sockets["vote"].id,
                                           "reveal": "everyone"}, callback=True)
    stage = [m["args"][0] for m in sockets["other"].get_received()
             if m["name"] == "stage_changed"]
    assert stage[-1]["stage"]["step"]["vote"]["reveal"] == "everyone"
    vote(sockets)
    for name in ("phone", "other", "presenter", "console"):
        assert tallies(sockets[name])[-1]["domains"][0]["voters"]["total"] == 1, name


def test_a_retried_vote_counts_once(sockets):
    first = vote(sockets, cid="same-vote-01")
    again = vote(sockets, cid="same-vote-01")
    assert again["replayed"] and again["seq"] == first["seq"]
    db.session.expire_all()
    assert db.session.scalar(select(func.sum(Vote.value))) == 1


@pytest.mark.parametrize("payload", [
    {"cid": "bad-0000001", "step_id": 1, "proposal_id": 1, "delta": 2},
    {"cid": "bad-0000001", "step_id": 1, "proposal_id": 1, "delta": "1"},
    {"cid": "bad-0000001", "step_id": 1, "proposal_id": 1},
    {"cid": "bad-0000001", "step_id": 1, "proposal_id": [1], "delta": 1},
])
def test_bad_vote_payloads_change_nothing(sockets, payload):
    ack = sockets["phone"].emit("add_dot", payload, callback=True)
    assert ack["ok"] is False and ack["code"] == "bad_payload"
    assert db.session.scalar(select(func.count()).select_from(Vote)) == 0


def test_only_the_console_can_reveal(sockets):
    for name in ("presenter", "phone"):
        ack = sockets[name].emit("set_reveal", {"cid": "reveal-0003", "step_id":
                                 sockets["vote"].id, "reveal": "everyone"}, callback=True)
        assert ack["code"] == "forbidden"
    ack = sockets["console"].emit("set_reveal", {"cid": "reveal-0004", "step_id":
                                  sockets["vote"].id, "reveal": "nobody"}, callback=True)
    assert ack["ok"] is False and ack["code"] == "invalid"


def test_hiding_an_item_during_the_vote_tells_phones_to_fetch_their_ballot(sockets):
    ack = sockets["console"].emit("hide_proposal", {"cid": "hide-000001", "proposal_id":
                                  sockets["proposals"][0].id}, callback=True)
    assert ack["ok"]
    hints = [m for m in sockets["phone"].get_received() if m["name"] == "ballot_changed"]
    assert hints and hints[0]["args"][0]["step_id"] == sockets["vote"].id
    snapshot = sockets["phone"].emit("request_snapshot", None, callback=True)["snapshot"]
    assert sockets["proposals"][0].id not in {i["id"] for i in snapshot["ballot"]["items"]}


def test_nothing_of_another_workshops_vote_can_be_touched(sockets, voting_room):
    other = voting_room(people=1)
    foreign_item = other["proposals"][0].id
    for payload in ({"cid": "x-dot-00001", "step_id": other["vote"].id,
                     "proposal_id": foreign_item, "delta": 1},
                    {"cid": "x-dot-00002", "step_id": sockets["vote"].id,
                     "proposal_id": foreign_item, "delta": 1}):
        assert sockets["phone"].emit("add_dot", payload, callback=True)["ok"] is False
    assert sockets["phone"].emit("set_score", {
        "cid": "x-score-001", "step_id": other["vote"].id, "proposal_id": foreign_item,
        "score": 3}, callback=True)["ok"] is False
    ack = sockets["console"].emit("set_reveal", {"cid": "x-reveal-01", "step_id":
                                  other["vote"].id, "reveal": "everyone"}, callback=True)
    assert ack["ok"] is False and ack["code"] == "not_found"
    db.session.expire_all()
    assert other["vote"].reveal == "hidden"
    assert db.session.scalar(select(func.count()).select_from(Vote)) == 0
