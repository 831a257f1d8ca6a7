"""Joining on flaky Wi-Fi: a retry or a form sent twice joins once."""

import re

from sqlalchemy import func, select

from tests.conftest import run_in_threads
from workshop.extensions import db
from workshop.live import participation
from workshop.live.models import Participant, Workshop

KEY = "k" * 8 + "attempt-0001"


def _count():
    return db.session.scalar(select(func.count(Participant.id)))


def test_the_same_attempt_returns_the_same_participant_and_token(make_workshop):
    workshop = make_workshop()
    group = workshop.groups[0].id
    first, token = participation.join(workshop, "Piet", group, KEY)
    again, same = participation.join(workshop, "Piet", group, KEY)
    assert (again.id, same) == (first.id, token)
    other, other_token = participation.join(workshop, "Piet", group, KEY + "-2")
    assert other.id != first.id and other_token != token
    without, _t = participation.join(workshop, "Piet", group)  # no key: always new
    assert without.id not in (first.id, other.id)
    assert _count() == 3


def test_the_same_attempt_sent_at_once_joins_once(app, make_workshop):
    workshop_id = make_workshop().id

    def attempt(_):
        with app.app_context():
            workshop = db.session.get(Workshop, workshop_id)
            participant, token = participation.join(workshop, "Piet", workshop.groups[0].id,
                                                    KEY)
            return participant.id, token

    outcomes = run_in_threads(8, attempt)
    assert len(outcomes) == 8  # every attempt answered (none raised)
    assert len(set(outcomes)) == 1
    assert _count() == 1


def test_the_join_form_sent_twice_joins_once(app, make_workshop):
    workshop = make_workshop()
    phone = app.test_client()
    page = phone.get(f"/j/{workshop.code}").get_data(as_text=True)
    key = re.search(r'name="join_key" type="hidden" value="([^"]+)"', page).group(1)
    data = {"join_key": key, "display_name": "Piet", "group_id": workshop.groups[0].id}
    # The first answer is lost on the venue Wi-Fi: the phone has no cookie and sends again.
    second_phone = app.test_client()
    assert phone.post(f"/j/{workshop.code}", data=data).status_code == 302
    assert second_phone.post(f"/j/{workshop.code}", data=data).status_code == 302
    assert _count() == 1
    assert second_phone.get(f"/w/{workshop.code}").status_code == 200  # it is in


def test_api_join_with_a_key_is_idempotent(client, make_workshop):
    workshop = make_workshop()
    body = {"code": workshop.code, "display_name": "Piet",
            "group_id": workshop.groups[0].id, "join_key": KEY}
    first = client.post("/api/join", json=body).get_json()
    again = client.post("/api/join", json=body).get_json()
    assert (again["participant_id"], again["token"]) == (first["participant_id"],
                                                         first["token"])
    assert _count() == 1
    short = client.post("/api/join", json={**body, "join_key": "short"})
    assert short.status_code == 400 and short.get_json()["code"] == "bad_payload"
    assert _count() == 1


def test_a_resend_after_joining_closed_still_gets_in(app, make_workshop):
    workshop = make_workshop()
    first, token = participation.join(workshop, "Piet", workshop.groups[0].id, KEY)
    workshop.joining_open = False  # the facilitator closes joining: everyone seems in
    db.session.commit()
    assert participation.join(workshop, "Piet", workshop.groups[0].id, KEY) == (first, token)
    phone = app.test_client()
    response = phone.post(f"/j/{workshop.code}", data={
        "join_key": KEY, "display_name": "Piet", "group_id": workshop.groups[0].id})
    assert response.status_code == 302 and "/w/" in response.headers["Location"]
    assert phone.get(f"/w/{workshop.code}").status_code == 200
    assert _count() == 1


def test_an_old_join_page_cannot_be_replayed(app, make_workshop):
    from datetime import timedelta

    from workshop.core.time import utcnow
    workshop = make_workshop()
    first, _token = participation.join(workshop, "Piet", workshop.groups[0].id, KEY)
    first.joined_at = utcnow() - timedelta(minutes=11)
    db.session.commit()
    stranger = app.test_client()
    page = stranger.post(f"/j/{workshop.code}", data={
        "join_key": KEY, "display_name": "Kim", "group_id": workshop.groups[0].id})
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "This join page is old. Reload it to join." in text
    assert KEY not in text  # the next try is a new attempt
    assert stranger.get(f"/w/{workshop.code}").status_code == 302  # not in as Piet
    assert _count() == 1


def test_the_join_page_is_never_cached(client, make_workshop):
    workshop = make_workshop()
    assert client.get(f"/j/{workshop.code}").headers["Cache-Control"] == "no-store"
