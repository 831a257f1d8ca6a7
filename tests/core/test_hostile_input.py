"""Hostile HTTP input is refused cleanly: unstorable text, deep JSON, huge ids (issue 13)."""

import json

import pytest
from sqlalchemy import func, select

from workshop.extensions import db
from workshop.live.models import Participant

# Escaped in JSON as a client would send them: json.dumps keeps "\ud800" as an escape.
UNSTORABLE = ["a\ud800b", "\udfff", "a\x00b"]
HUGE = [2**31, 2**63, 2**64, 99999999999999999999]


def participants():
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(Participant))


def post_json(client, path, body):
    data = body if isinstance(body, str) else json.dumps(body)
    return client.post(path, data=data, content_type="application/json")


@pytest.mark.parametrize("text", UNSTORABLE)
@pytest.mark.parametrize("field", ["display_name", "join_key", "code"])
def test_api_join_refuses_text_no_database_can_store(client, make_workshop, field, text):
    workshop = make_workshop()
    body = {"code": workshop.code, "display_name": "Piet", "group_id": workshop.groups[0].id,
            "join_key": "k" * 20}
    body[field] = (body[field] + text) if field != "join_key" else "k" * 20 + text
    response = post_json(client, "/api/join", body)
    assert response.status_code == 400
    assert response.get_json()["code"] == "bad_payload"
    assert participants() == 0


def test_api_join_refuses_deeply_nested_json(client, make_workshop):
    make_workshop()
    for body in ("[" * 50_000, '{"a":' * 50_000, "[" * 33 + "]" * 33):
        response = post_json(client, "/api/join", body)
        assert response.status_code == 400
        assert response.get_json()["code"] == "bad_payload"
    assert participants() == 0


def test_api_join_still_takes_ordinary_json_with_brackets_in_strings(client, make_workshop):
    workshop = make_workshop()
    response = post_json(client, "/api/join", {
        "code": workshop.code, "display_name": "[[[[" * 10 + "{{" * 10,
        "group_id": workshop.groups[0].id})
    assert response.status_code == 200, response.get_json()
    assert participants() == 1


@pytest.mark.parametrize("body", ["[" * 50_000, "[1, 2]", '"index"', "3", "null"])
def test_drag_and_drop_answers_any_json_body_without_an_error(logged_in, make_plan, body):
    from workshop.tree import services

    plan = make_plan(domains=["Ruimte"])
    item = services.add_item(plan, "ambition", plan.domains[0].id, "Meer groen")
    response = post_json(logged_in, f"/plans/{plan.id}/items/{item.id}/place", body)
    assert response.status_code in (400, 409)
    assert response.get_json()["ok"] is False


def test_nul_characters_in_forms_never_reach_the_database(client, make_workshop):
    workshop = make_workshop()
    response = client.post(f"/j/{workshop.code}", data={
        "display_name": "Pi\x00et", "group_id": workshop.groups[0].id,
        "join_key": "k\x00" * 20})
    assert response.status_code == 302
    assert db.session.scalars(select(Participant.display_name)).all() == ["Piet"]
    # A field used as it is (here the log-in e-mail) no longer carries one either:
    # PostgreSQL would refuse the query.
    assert client.post("/login", data={"email": "anna\x00@example.org",
                                       "password": "x"}).status_code < 500


def test_join_form_with_invalid_utf8_never_stores_a_surrogate(client, make_workshop):
    workshop = make_workshop()
    group = workshop.groups[0].id
    for raw in (b"%ED%A0%80", b"%FF%FE", b"Piet%C3"):
        response = client.post(
            f"/j/{workshop.code}", data=b"display_name=" + raw + f"&group_id={group}".encode()
            + b"&join_key=" + b"k" * 32, content_type="application/x-www-form-urlencoded")
        assert response.status_code < 500
        client.delete_cookie(f"koers_p{workshop.id}")
    names = db.session.scalars(select(Participant.display_name)).all()
    assert all("\x00" not in n and not any("\ud800" <= c <= "\udfff" for c in n)
               for n in names)


def test_query_arguments_and_url_parts_with_nul_are_refused(logged_in, client, make_workshop):
    workshop = make_workshop()
    assert client.get(f"/j/{workshop.code}%00").status_code == 404
    assert client.get("/r/abc%00def").status_code == 404
    assert logged_in.get("/plans?next=%00").status_code == 400


def _int_rules(app):
    for rule in app.url_map.iter_rules():
        ints = [name for name, conv in rule._converters.items()
                if type(conv).__name__ in ("IntegerConverter", "IdConverter")]
        if ints:
            yield rule, ints


def _url(rule, ints, number):
    values = {name: number if name in ints else "x" for name in rule.arguments}
    # Build by hand: url_for would refuse an out-of-range number with the fix in place.
    parts = []
    for is_dynamic, part in _rule_parts(rule):
        parts.append(str(values[part]) if is_dynamic else part)
    return "".join(parts)


def _rule_parts(rule):
    import re

    for match in re.finditer(r"<(?:[^:<>]+:)?([^<>]+)>|[^<]+", rule.rule):
        if match.group(1):
            yield True, match.group(1)
        else:
            yield False, match.group(0)


def test_every_int_url_answers_404_for_ids_beyond_the_database(app, client, logged_in,
                                                                caplog):
    rules = list(_int_rules(app))
    assert len(rules) > 30  # plans, items, workshops, steps, rounds, comments, …
    anonymous = app.test_client()
    seen = []
    for rule, ints in rules:
        for number in HUGE:
            url = _url(rule, ints, number)
            for method in sorted(rule.methods & {"GET", "POST"}):
                for who in (anonymous, logged_in):
                    response = who.open(url, method=method)
                    seen.append((url, method, response.status_code))
                    assert response.status_code == 404, (url, method, response.status_code)
    assert any("/r/x/comments/" in url and url.endswith("/withdraw") for url, _m, _s in seen)
    assert "Unhandled error" not in caplog.text


def test_ids_beyond_the_database_in_queries_and_forms_are_not_errors(logged_in, make_plan,
                                                                     caplog):
    from workshop.tree import services

    plan = make_plan(domains=["Ruimte"])
    item = services.add_item(plan, "ambition", plan.domains[0].id, "Meer groen")
    huge = "99999999999999999999"
    answers = {
        "export": logged_in.get(f"/plans/{plan.id}/export?version={huge}&format=pdf"),
        "move to domain": logged_in.post(f"/plans/{plan.id}/items/{item.id}/move",
                                         data={"target": "d" + huge}),
        "move under item": logged_in.post(f"/plans/{plan.id}/items/{item.id}/move",
                                          data={"target": "i" + huge}),
        "merge": logged_in.post(f"/plans/{plan.id}/items/{item.id}/merge",
                                data={"target_id": huge}),
        "import rows": logged_in.post(f"/plans/{plan.id}/monitor/import/confirm",
                                      data={"rows": "[" * 50_000}),
    }
    assert {name: r.status_code for name, r in answers.items() if r.status_code >= 500} == {}
    assert "Unhandled error" not in caplog.text
    assert db.session.get(type(item), item.id).domain_id == plan.domains[0].id
