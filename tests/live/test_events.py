"""Socket.IO events with Flask-SocketIO's test client: who receives what, and refusals."""

import logging

import pytest
from sqlalchemy import func, select

from tests.conftest import collect_step
from workshop.extensions import db
from workshop.live import agenda, running
from workshop.live.models import Proposal, Step
from workshop.realtime.executor import run_once


@pytest.fixture
def room(app, make_workshop, join, facilitator, socket_client):
    """A live collect step, a logged-in console and presenter, and two phones."""
    workshop = make_workshop()
    step = agenda.add_step(workshop, collect_step(workshop.plan))
    run_once("t", None, lambda: running.start_step(workshop, step.id))
    piet, piet_token = join(workshop, name="Piet")
    anna, anna_token = join(workshop, name="Anna", group=1)

    def staff(role):
        client = app.test_client()
        with client.session_transaction() as session:
            session["_user_id"] = facilitator.get_id()
        return socket_client(flask_test_client=client,
                             auth={"workshop": workshop.id, "role": role})

    def phone(token):
        return socket_client(auth={"workshop": workshop.id, "role": "participant",
                                   "token": token})

    sockets = {"console": staff("console"), "presenter": staff("presenter"),
               "piet": phone(piet_token), "anna": phone(anna_token)}
    for s in sockets.values():
        assert s.is_connected()
        s.get_received()  # drop the connect snapshot and presence
    return {"workshop": workshop, "step": step, "piet": piet, "anna": anna, **sockets}


def names(received):
    return [message["name"] for message in received]


def of(received, name):
    return [m["args"][0] for m in received if m["name"] == name]


def submit(socket, room, text="Meer ruimte", cid="cid-0000001", domain=0, **extra):
    payload = {"cid": cid, "step_id": room["step"].id,
               "domain_id": room["workshop"].plan.domains[domain].id, "text": text, **extra}
    return socket.emit("submit_proposal", payload, callback=True)


def count_proposals():
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(Proposal))


def test_connect_without_identity_is_refused(socket_client, room):
    workshop = room["workshop"]
    for auth in (None, {}, {"workshop": workshop.id, "role": "participant"},
                 {"workshop": workshop.id, "role": "participant", "token": "x" * 43},
                 {"workshop": 424242, "role": "participant", "token": "x" * 43},
                 {"workshop": workshop.id, "role": "console"},
                 {"workshop": workshop.id, "role": "admin"},
                 {"workshop": "1", "role": "participant"}, "nonsense"):
        client = socket_client(auth=auth)
        assert not client.is_connected(), auth


def test_snapshot_on_connect_shows_each_role_what_it_may_see(socket_client, room):
    ack = submit(room["piet"], room)
    assert ack["ok"]
    phone = socket_client(auth={"workshop": room["workshop"].id,
                                            "role": "participant", "token": None})
    assert not phone.is_connected()
    again = room["piet"].emit("request_snapshot", {}, callback=True)["snapshot"]
    assert again["role"] == "participant"
    assert [p["text"] for p in again["own_proposals"]] == ["Meer ruimte"]
    assert again["stage"]["step"]["id"] == room["step"].id
    assert "proposals" not in again  # phones do not see the whole wall
    anna = room["anna"].emit("request_snapshot", {}, callback=True)["snapshot"]
    assert anna["own_proposals"] == []
    staff = room["presenter"].emit("request_snapshot", {}, callback=True)["snapshot"]
    assert [p["text"] for p in staff["proposals"]] == ["Meer ruimte"]
    assert staff["version"] == ack_version(room)


def ack_version(room):
    db.session.expire_all()
    return room["workshop"].version


def test_a_proposal_reaches_console_and_presenter_but_not_other_phones(room):
    ack = submit(room["piet"], room, "<script>alert(1)</script>")
    assert ack["ok"] and ack["proposal"]["text"] == "<script>alert(1)</script>"
    for screen in ("console", "presenter"):
        changed = of(room[screen].get_received(), "changed")
        assert len(changed) == 1
        assert changed[0]["proposals"][0]["text"] == "<script>alert(1)</script>"
        assert changed[0]["proposals"][0]["authors"] == ["Piet"]
        assert changed[0]["version"] == ack_version(room)
    assert names(room["anna"].get_received()) == []
    assert of(room["piet"].get_received(), "own_proposal_changed")[0]["proposal"]["id"] == (
        ack["proposal"]["id"])


def test_a_retry_with_the_same_client_id_is_acknowledged_once_and_stored_once(room):
    first = submit(room["piet"], room, cid="retry-00001")
    room["console"].get_received()
    again = submit(room["piet"], room, cid="retry-00001")
    assert again["ok"] and again["replayed"] and again["proposal"] == first["proposal"]
    assert count_proposals() == 1
    assert names(room["console"].get_received()) == []  # no second broadcast


def test_step_changes_reach_every_phone_with_a_stage_version(room):
    ack = room["console"].emit("pause_step", {"cid": "pause-00001"}, callback=True)
    assert ack["ok"]
    for phone in ("piet", "anna"):
        stage = of(room[phone].get_received(), "stage_changed")
        assert len(stage) == 1
        assert stage[0]["stage"]["step"]["state"] == "paused"
        assert stage[0]["stage_version"] == ack["stage_version"]
    assert not submit(room["piet"], room)["ok"]
    assert count_proposals() == 0


@pytest.mark.parametrize("payload", [
    None, "text", 42, [], {},
    {"cid": "short", "step_id": 1, "text": "x"},
    {"cid": "cid-0000001", "step_id": "1", "text": "x"},
    {"cid": "cid-0000001", "step_id": True, "text": "x"},
    {"cid": "cid-0000001", "step_id": 1, "text": None},
    {"cid": "cid-0000001", "step_id": 1, "text": ["x"]},
    {"cid": "cid-0000001", "step_id": 1, "text": "x" * 5001},
    {"cid": "cid 0000001<", "step_id": 1, "text": "x"},
    {"cid": "cid-0000001", "step_id": 1, "text": "x", "extra": 1},
    {"cid": "cid-0000001", "step_id": -1, "text": "x"},
    {"cid": "cid-0000001", "step_id": 2**40, "text": "x"},
])
def test_bad_payloads_are_refused_quietly_and_change_nothing(room, caplog, payload):
    caplog.set_level(logging.WARNING)
    ack = room["piet"].emit("submit_proposal", payload, callback=True)
    assert ack["ok"] is False and ack["code"] == "bad_payload" and ack["error"]
    assert count_proposals() == 0
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]


def test_presenter_and_phones_cannot_use_console_commands(room):
    for screen in ("presenter", "piet"):
        ack = room[screen].emit("close_step", {"cid": "close-00001"}, callback=True)
        assert ack == {"ok": False, "error": ack["error"], "code": "forbidden", "field": None}
    db.session.expire_all()
    assert room["step"].state == "open"
    ack = room["console"].emit("submit_proposal", {"cid": "c-000000001", "step_id": 1,
                                                   "text": "x"}, callback=True)
    assert ack["code"] == "forbidden"


def test_nothing_of_another_workshop_can_be_read_or_changed(socket_client, room, make_workshop,
                                                           join):
    other = make_workshop(plan=room["workshop"].plan, title="B")
    foreign_step = agenda.add_step(other, collect_step(other.plan))
    run_once("t", None, lambda: running.start_step(other, foreign_step.id))
    stranger, token = join(other, name="Stranger")
    phone_b = socket_client(auth={"workshop": other.id, "role": "participant",
                                              "token": token})
    foreign = submit(phone_b, {"step": foreign_step, "workshop": other}, "Van B")
    assert foreign["ok"]
    foreign_id = foreign["proposal"]["id"]
    # A's phone token does not open B, and B's proposal never reaches A's screens.
    assert not socket_client(auth={"workshop": other.id, "role": "participant",
                                               "token": "x" * 43}).is_connected()
    assert names(room["console"].get_received()) == []
    assert names(room["piet"].get_received()) == []
    # A's phone cannot submit into B's step or touch B's proposal.
    ack = room["piet"].emit("submit_proposal", {"cid": "cross-00001", "step_id": foreign_step.id,
                                                "text": "Inbraak"}, callback=True)
    assert not ack["ok"]
    for event in ("edit_proposal", "withdraw_proposal"):
        payload = {"cid": f"cross-{event}", "proposal_id": foreign_id}
        if event == "edit_proposal":
            payload["text"] = "Gekaapt"
        assert not room["piet"].emit(event, payload, callback=True)["ok"]
    # A's console cannot moderate B's proposals or start B's steps.
    for event in ("hide_proposal", "unhide_proposal", "approve_proposal", "unmerge_proposal"):
        ack = room["console"].emit(event, {"cid": f"x-{event}", "proposal_id": foreign_id},
                                   callback=True)
        assert ack["ok"] is False and ack["code"] in ("not_found", "conflict")
    assert not room["console"].emit("moderate_edit", {"cid": "x-moderate", "proposal_id":
                                     foreign_id, "text": "Gekaapt"}, callback=True)["ok"]
    assert not room["console"].emit("start_step", {"cid": "x-start-001", "step_id":
                                    foreign_step.id}, callback=True)["ok"]
    mine = submit(room["piet"], room, "Van A")["proposal"]["id"]
    assert not room["console"].emit("merge_proposals", {"cid": "x-merge-001", "target_id": mine,
                                    "source_ids": [foreign_id]}, callback=True)["ok"]
    db.session.expire_all()
    assert db.session.get(Proposal, foreign_id).text == "Van B"
    assert db.session.get(Proposal, foreign_id).status == "visible"
    phone_b.disconnect()


def test_moderation_reaches_staff_and_the_author(room):
    pid = submit(room["piet"], room)["proposal"]["id"]
    for s in ("console", "presenter", "piet"):
        room[s].get_received()
    ack = room["console"].emit("hide_proposal", {"cid": "hide-000001", "proposal_id": pid},
                               callback=True)
    assert ack["ok"]
    assert of(room["presenter"].get_received(), "changed")[0]["proposals"][0]["status"] == (
        "hidden")
    assert of(room["piet"].get_received(), "own_proposal_changed")[0]["proposal"]["status"] == (
        "hidden")


def test_presence_counts_connected_phones_per_group(app, room):
    room["console"].get_received()
    room["anna"].disconnect()
    presence = of(room["console"].get_received(), "presence")[-1]
    group_piet = str(room["workshop"].groups[0].id)
    assert presence["connected_total"] == 1
    assert presence["connected"] == {group_piet: 1}
    assert presence["joined_total"] == 2


def test_a_limit_per_domain_reaches_phones_and_is_counted_per_domain(room):
    from workshop.realtime.executor import execute

    # As the step form's route does: one commit, then the edit's WorkshopChanged.
    execute(lambda: agenda.update_step(room["step"], collect_step(
        room["workshop"].plan, max_per_participant=1, limit_per_domain=True)))
    stage = of(room["piet"].get_received(), "stage_changed")[0]["stage"]
    assert stage["step"]["limit_per_domain"] is True
    assert stage["step"]["max_per_participant"] == 1
    assert submit(room["piet"], room, cid="dom-0000001")["ok"]
    refused = submit(room["piet"], room, cid="dom-0000002")
    domain = room["workshop"].plan.domains[0].name
    assert refused["ok"] is False and refused["code"] == "conflict"
    assert domain in refused["error"] and "1" in refused["error"]
    assert submit(room["piet"], room, cid="dom-0000003", domain=1)["ok"]
    assert count_proposals() == 2


def _versions(room):
    db.session.expire_all()
    return room["workshop"].version, room["workshop"].stage_version


def test_page_edits_reach_staff_with_the_agenda_and_the_committed_versions(room, logged_in):
    """Each page edit sends the agenda of its own commit; phones hear only of what they
    see (the settings, the live step), and a refused edit sends nothing."""
    url = f"/workshops/{room['workshop'].id}"
    live = room["step"]

    def sent(screen, name):
        return of(room[screen].get_received(), name)

    assert logged_in.post(f"{url}/steps/new", data={
        "kind": "info", "title": "Pauze"}).status_code == 302
    changed = sent("console", "changed")
    assert len(changed) == 1 and "stage" not in changed[0]
    assert [s["title"] for s in changed[0]["agenda"]] == [live.title, "Pauze"]
    assert changed[0]["version"] == _versions(room)[0]
    assert sent("presenter", "changed") == changed
    assert names(room["piet"].get_received()) == []  # not on the phones' stage

    pause = db.session.scalar(select(Step).where(Step.title == "Pauze"))
    logged_in.post(f"{url}/steps/{pause.id}/move", data={"direction": "up"})
    changed = sent("console", "changed")
    assert [s["title"] for s in changed[-1]["agenda"]] == ["Pauze", live.title]
    assert changed[-1]["version"] == _versions(room)[0]

    logged_in.post(f"{url}/steps/{pause.id}/duplicate")
    assert len(sent("console", "changed")[-1]["agenda"]) == 3
    logged_in.post(f"{url}/steps/{pause.id}/delete")
    assert [s["title"] for s in sent("console", "changed")[-1]["agenda"]] == [
        "Pauze", live.title]

    # The live step cannot go: nothing is stored, nothing is sent.
    before = _versions(room)
    logged_in.post(f"{url}/steps/{live.id}/delete")
    assert _versions(room) == before
    assert names(room["console"].get_received()) == []

    # Settings are on every phone's stage.
    groups = "\n".join(g.name for g in room["workshop"].groups)
    assert logged_in.post(f"{url}/edit", data={
        "title": "Nieuwe titel", "groups": groups, "joining_open": "y",
        "min_group_size": "5"}).status_code == 302
    version, stage_version = _versions(room)
    changed = sent("console", "changed")[-1]
    assert (changed["version"], changed["stage_version"]) == (version, stage_version)
    assert changed["stage"]["workshop"]["title"] == "Nieuwe titel"
    stage = sent("piet", "stage_changed")
    assert len(stage) == 1 and stage[0]["stage_version"] == stage_version
    assert stage[0]["stage"]["workshop"]["title"] == "Nieuwe titel"
