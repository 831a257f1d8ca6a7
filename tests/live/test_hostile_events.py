"""Hostile Socket.IO events with Flask-SocketIO's test client (issue 13, points 2-5).

Reserved event names sent by a client are ignored; unstorable text, ids beyond any
column, extra arguments and deep nesting are `bad_payload`, never `internal`.
"""

import logging

import pytest
from sqlalchemy import func, select

from tests.conftest import collect_step
from workshop.extensions import db
from workshop.live import agenda, running
from workshop.live.models import LiveConnection, Proposal
from workshop.realtime.executor import run_once


@pytest.fixture
def room(app, make_workshop, join, facilitator, socket_client):
    """A live collect step with one proposal, a logged-in console and a phone."""
    workshop = make_workshop()
    step = agenda.add_step(workshop, collect_step(workshop.plan))
    run_once("t", None, lambda: running.start_step(workshop, step.id))
    piet, token = join(workshop, name="Piet")
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = facilitator.get_id()
    console = socket_client(flask_test_client=client,
                            auth={"workshop": workshop.id, "role": "console"})
    phone = socket_client(auth={"workshop": workshop.id, "role": "participant",
                                "token": token})
    assert console.is_connected() and phone.is_connected()
    ack = phone.emit("submit_proposal", {"cid": "cid-first-1", "step_id": step.id,
                                         "domain_id": workshop.plan.domains[0].id,
                                         "text": "Meer ruimte"}, callback=True)
    assert ack["ok"], ack
    console.get_received()
    phone.get_received()
    return {"workshop": workshop, "step": step, "piet": piet, "console": console,
            "phone": phone, "proposal_id": db.session.scalar(select(Proposal.id))}


def connections(participant):
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(LiveConnection).where(
        LiveConnection.participant_id == participant.id))


def proposals():
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(Proposal))


def submit(room, text, cid="cid-hostile-1"):
    return room["phone"].emit("submit_proposal", {
        "cid": cid, "step_id": room["step"].id,
        "domain_id": room["workshop"].plan.domains[0].id, "text": text}, callback=True)


@pytest.mark.parametrize("name", ["disconnect", "connect", "connect_error",
                                  "__disconnect_final"])
def test_reserved_event_names_sent_by_a_client_are_ignored(room, name, caplog):
    caplog.set_level(logging.INFO)
    assert connections(room["piet"]) == 1
    for args in ((), ("client disconnect",), ({"workshop": room["workshop"].id,
                                                "role": "participant"},),
                 (1, {"workshop": room["workshop"].id, "role": "console"})):
        room["phone"].emit(name, *args)
    # The phone is still counted as present, and its writes still count.
    assert connections(room["piet"]) == 1
    assert room["phone"].is_connected()
    assert submit(room, "Nog steeds hier")["ok"]
    assert "Traceback" not in caplog.text and "failed" not in caplog.text
    # The console saw no presence drop and no second snapshot went to the phone.
    counts = [m["args"][0] for m in room["console"].get_received() if m["name"] == "presence"]
    assert all(c["connected_total"] == 1 for c in counts), counts
    assert not [m for m in room["phone"].get_received() if m["name"] == "snapshot"]


@pytest.mark.parametrize("text", ["a\ud800b", "\udbff", "a\x00b"])
def test_unstorable_text_is_a_bad_payload_not_an_internal_error(room, text):
    before = proposals()
    ack = submit(room, text)
    assert ack["ok"] is False and ack["code"] == "bad_payload", ack
    edit = room["console"].emit("moderate_edit", {
        "cid": "cid-hostile-2", "proposal_id": room["proposal_id"], "text": text},
        callback=True)
    assert edit["ok"] is False and edit["code"] == "bad_payload", edit
    own = room["phone"].emit("edit_proposal", {
        "cid": "cid-hostile-3", "proposal_id": room["proposal_id"], "text": text},
        callback=True)
    assert own["ok"] is False and own["code"] == "bad_payload", own
    assert proposals() == before
    texts = db.session.scalars(select(Proposal.text)).all()
    assert texts == ["Meer ruimte"]


@pytest.mark.parametrize("number", [2**31, 2**63, 2**64, -1, 0, 1.5, True])
def test_ids_beyond_any_column_are_a_bad_payload(room, number):
    ack = room["console"].emit("hide_proposal", {"cid": "cid-hostile-4",
                                                 "proposal_id": number}, callback=True)
    assert ack["ok"] is False and ack["code"] == "bad_payload", ack


def test_extra_arguments_and_deep_nesting_are_a_bad_payload(room, caplog):
    payload = {"cid": "cid-hostile-5", "step_id": room["step"].id,
               "domain_id": room["workshop"].plan.domains[0].id, "text": "Twee"}
    ack = room["phone"].emit("submit_proposal", payload, {"extra": 1}, callback=True)
    assert ack["ok"] is False and ack["code"] == "bad_payload", ack
    deep = []
    for _level in range(100):
        deep = [deep]
    ack = room["phone"].emit("submit_proposal", {**payload, "text": deep}, callback=True)
    assert ack["ok"] is False and ack["code"] == "bad_payload", ack
    assert proposals() == 1
    assert "Traceback" not in caplog.text
