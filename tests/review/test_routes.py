"""Review rounds through HTTP: the facilitator's pages and every access rule of a link."""

from datetime import timedelta

import pytest

from workshop.core.errors import DomainError
from workshop.core.time import utcnow
from workshop.extensions import db
from workshop.review import services as review
from workshop.review.models import Comment, ReviewRound


def _react(client, token, goal, reaction="concerns", text="<b>Te veel</b>", rewording=""):
    return client.post(f"/r/{token}/goals/{goal.id}", data={
        "reaction": reaction, "text": text, "rewording": rewording})


def test_facilitator_opens_a_round_and_sees_its_links(logged_in, review_round):
    room = review_round()
    plan = room["plan"]
    page = logged_in.get(f"/plans/{plan.id}/reviews/new").get_data(as_text=True)
    assert "Europe/Brussels" in page
    response = logged_in.post(f"/plans/{plan.id}/reviews/new", data={
        "version_id": str(room["round"].version_id), "title": "Tweede ronde",
        "opens_at": "2027-03-01T09:00", "closes_at": "2027-03-15T17:00",
        "timezone": "Europe/Brussels", "domain_ids": [str(plan.domains[0].id)],
        "levels": ["strategic_goal"], "named": "y", "shared": "y"})
    assert response.status_code == 302
    round_ = db.session.scalar(db.select(ReviewRound).where(ReviewRound.title == "Tweede ronde"))
    assert round_.opens_at.hour == 8  # 09:00 in Brussels (CET) is 08:00 UTC
    page = logged_in.get(response.headers["Location"]).get_data(as_text=True)
    assert "/r/" + review.shared_token(round_) in page
    assert logged_in.get(f"/plans/{plan.id}/reviews/{round_.id}/qr.svg").mimetype == (
        "image/svg+xml")
    logged_in.post(f"/plans/{plan.id}/reviews/{round_.id}/links",
                   data={"name": "Ine", "organisation": "Haven", "group_name": "Partners"})
    (link,) = round_.links
    assert "/r/" + review.link_token(link.nonce) in logged_in.get(
        f"/plans/{plan.id}/reviews/{round_.id}").get_data(as_text=True)


def test_a_stakeholder_reacts_edits_withdraws_and_sees_the_answers(client, review_round,
                                                                  logged_in):
    room = review_round()
    round_, token, goal = room["round"], room["token"], room["goals"][1]
    page = client.get(f"/r/{token}").get_data(as_text=True)
    assert "Your name" in page
    client.post(f"/r/{token}/register", data={"name": "Ine", "organisation": "Haven",
                                              "group_name": "Partners"})
    page = client.get(f"/r/{token}").get_data(as_text=True)
    assert "Tien terreinen" in page and "Meer ruimte" in page
    assert "Strategisch plan" in page  # the plan it belongs to
    _react(client, token, goal, rewording="Acht nieuwe terreinen")
    _react(client, token, goal, reaction="object", text="Toch niet")
    (comment,) = review.comments(round_)
    assert comment.reaction == "object" and comment.text == "Toch niet"
    client.post(f"/r/{token}/comments/{comment.id}/withdraw")
    assert review.comments(round_) == []
    _react(client, token, goal, text="<script>alert(1)</script>")
    (comment,) = review.comments(round_)
    plan = room["plan"]
    logged_in.post(f"/plans/{plan.id}/reviews/{round_.id}/comments/{comment.id}",
                   data={"disposition": "partly", "reply": "We schrappen er twee."})
    board = logged_in.get(f"/plans/{plan.id}/reviews/{round_.id}").get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in board and "<script>alert(1)" not in board
    round_.closes_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    closed = client.get(f"/r/{token}").get_data(as_text=True)
    assert "has closed" in closed and "Partly accepted" in closed
    assert "We schrappen er twee." in closed
    _react(client, token, goal, reaction="support")  # read-only now
    db.session.expire_all()
    assert review.comments(round_)[0].reaction == "concerns"


def test_before_opening_the_page_says_when_it_opens(client, review_round):
    room = review_round(opens_at=utcnow() + timedelta(days=2),
                        closes_at=utcnow() + timedelta(days=9))
    page = client.get(f"/r/{room['token']}").get_data(as_text=True)
    assert "opens on" in page and "Tien terreinen" not in page


def test_unknown_revoked_and_replaced_links_reveal_nothing(client, review_round):
    room = review_round()
    round_ = room["round"]
    link, personal = review.add_personal_link(round_, "Ine")
    assert client.get(f"/r/{personal}").status_code == 200
    review.revoke_link(round_, link.id)
    review.new_shared_link(round_)
    for token in (personal, room["token"], "x" * 43):
        response = client.get(f"/r/{token}")
        assert response.status_code == 404
        page = response.get_data(as_text=True)
        assert "does not work" in page and "Tien terreinen" not in page
        assert client.post(f"/r/{token}/register", data={"name": "X"}).status_code == 404


def test_a_link_of_round_a_gives_nothing_of_round_b(app, client, review_round, logged_in):
    a, b = review_round(), review_round()
    reviewer_b, _ = review.register(b["round"], None, {"name": "Jo"})
    comment_b = review.save_comment(reviewer_b, b["round"], b["goals"][1].id, "support").value
    client.post(f"/r/{a['token']}/register", data={"name": "Ine"})
    # A's link cannot react to B's goals or withdraw B's comments.
    _react(client, a["token"], b["goals"][1])
    client.post(f"/r/{a['token']}/comments/{comment_b.id}/withdraw")
    db.session.expire_all()
    assert review.comments(a["round"]) == []
    assert not db.session.get(Comment, comment_b.id).withdrawn
    # A's page never shows B's plan, and B's comments cannot be answered through A.
    assert b["plan"].title not in client.get(f"/r/{a['token']}").get_data(as_text=True) or (
        a["plan"].title == b["plan"].title)
    url = f"/plans/{a['plan'].id}/reviews/{a['round'].id}/comments/{comment_b.id}"
    assert logged_in.post(url, data={"disposition": "noted"}).status_code == 404
    # A review link opens no facilitator page.
    stranger = app.test_client()
    stranger.get(f"/r/{a['token']}")
    assert stranger.get(f"/plans/{a['plan'].id}/reviews/{a['round'].id}").status_code == 302


def test_wrong_links_are_rate_limited(client, review_round):
    review_round()
    for n in range(10):
        assert client.get(f"/r/{'y' * 42}{n}").status_code == 404
    assert client.get(f"/r/{'y' * 43}").status_code == 429


def test_accepting_a_wording_from_the_review_screen(logged_in, review_round, client):
    room = review_round()
    round_, plan, goal = room["round"], room["plan"], room["goals"][1]
    client.post(f"/r/{room['token']}/register", data={"name": "Ine"})
    _react(client, room["token"], goal, rewording="Acht nieuwe terreinen")
    (comment,) = review.comments(round_)
    logged_in.post(f"/plans/{plan.id}/reviews/{round_.id}/comments/{comment.id}",
                   data={"disposition": "accepted", "reply": "Overgenomen.",
                         "accept_rewording": "1"})
    db.session.expire_all()
    assert goal.text == "Acht nieuwe terreinen"
    assert comment.disposition == "accepted" and comment.reply == "Overgenomen."


def _comment(client, room, text="Te duur.", rewording=""):
    client.post(f"/r/{room['token']}/register", data={"name": "Ine"})
    _react(client, room["token"], room["goals"][1], reaction="object", text=text,
           rewording=rewording)
    return review.comments(room["round"])[-1]


def test_an_unanswered_comment_has_no_disposition_chosen(logged_in, review_round, client):
    import re

    room = review_round()
    comment = _comment(client, room)
    board = logged_in.get(f"/plans/{room['plan'].id}/reviews/{room['round'].id}")
    select = re.search(rf'<select name="disposition" id="disposition-{comment.id}".*?</select>',
                       board.get_data(as_text=True), re.S).group(0)
    assert re.findall(r"<option[^>]*selected", select) == ['<option value="" selected']


def test_a_reply_without_a_disposition_says_so_and_saves_nothing(logged_in, review_round,
                                                                  client):
    room = review_round()
    plan, round_ = room["plan"], room["round"]
    comment = _comment(client, room)
    url = f"/plans/{plan.id}/reviews/{round_.id}/comments/{comment.id}?unanswered=1"
    for disposition in ("", "maybe", None):
        data = {"reply": "We bekijken het."}
        if disposition is not None:
            data["disposition"] = disposition
        response = logged_in.post(url, data=data)
        assert response.status_code == 422
        page = response.get_data(as_text=True)
        assert "Choose what becomes of this comment." in page
        assert "We bekijken het." in page  # what was typed stays
    logged_in.set_cookie("koers_lang", "nl")
    page = logged_in.post(url, data={"reply": "Nee"}).get_data(as_text=True)
    assert "Kies wat er met deze reactie gebeurt." in page
    db.session.expire_all()
    assert comment.disposition is None and comment.reply == ""
    unanswered = logged_in.get(f"/plans/{plan.id}/reviews/{round_.id}?unanswered=1")
    assert f'id="comment-{comment.id}"' in unanswered.get_data(as_text=True)
    # With a disposition it is saved, and the facilitator returns to the same filter.
    response = logged_in.post(url, data={"disposition": "noted", "reply": "Goed."})
    assert response.status_code == 302 and "unanswered=1" in response.headers["Location"]
    db.session.expire_all()
    assert (comment.disposition, comment.reply) == ("noted", "Goed.")
    board = logged_in.get(f"/plans/{plan.id}/reviews/{round_.id}").get_data(as_text=True)
    assert '<option value="noted" selected>' in board


def test_accepting_the_wording_keeps_the_reply_in_one_change(logged_in, review_round, client):
    room = review_round()
    plan, round_, goal = room["plan"], room["round"], room["goals"][1]
    comment = _comment(client, room, rewording="Acht nieuwe terreinen")
    # No disposition chosen: accepting the wording is the disposition.
    response = logged_in.post(f"/plans/{plan.id}/reviews/{round_.id}/comments/{comment.id}",
                              data={"disposition": "", "reply": "Overgenomen.",
                                    "accept_rewording": "1"})
    assert response.status_code == 302
    db.session.expire_all()
    assert goal.text == "Acht nieuwe terreinen"
    assert (comment.disposition, comment.reply) == ("accepted", "Overgenomen.")


def test_new_round_offers_now_in_the_rounds_time_zone(logged_in, review_round, monkeypatch):
    from datetime import datetime

    from workshop.review import routes

    monkeypatch.setattr(routes, "utcnow", lambda: datetime(2027, 7, 1, 8, 5, 33))
    room = review_round()
    page = logged_in.get(f"/plans/{room['plan'].id}/reviews/new").get_data(as_text=True)
    assert 'value="2027-07-01 10:05:00"' in page  # 08:05 UTC is 10:05 in Brussels (CEST)
    assert 'value="2027-07-15 10:05:00"' in page
    assert 'value="Europe/Brussels"' in page


def test_round_times_show_in_the_rounds_time_zone_with_its_name(logged_in, review_round):
    from datetime import datetime

    room = review_round()
    plan = room["plan"]
    round_, _token = review.open_round(plan, room["round"].version, {
        "title": "Zomer", "timezone": "Europe/Brussels",
        "opens_at": datetime(2027, 7, 1, 9, 0), "closes_at": datetime(2027, 7, 15, 17, 0)})
    page = logged_in.get(f"/plans/{plan.id}/reviews/{round_.id}").get_data(as_text=True)
    assert "Jul 1, 2027 9:00\u202fAM" in page and "Jul 15, 2027 5:00\u202fPM" in page
    assert "Europe/Brussels" in page
    listing = logged_in.get(f"/plans/{plan.id}").get_data(as_text=True)
    assert "Jul 1, 2027 9:00\u202fAM" in listing and "(Europe/Brussels)" in listing


def test_an_unknown_time_zone_is_refused_in_place(logged_in, review_round):
    room = review_round()
    plan = room["plan"]
    response = logged_in.post(f"/plans/{plan.id}/reviews/new", data={
        "version_id": str(room["round"].version_id), "title": "Ronde",
        "opens_at": "2027-03-01T09:00", "closes_at": "2027-03-15T17:00",
        "timezone": "localtime", "levels": ["strategic_goal"]})
    assert response.status_code == 200 and "Unknown time zone." in response.get_data(as_text=True)
    assert len(review.list_rounds(plan)) == 1


def test_new_round_without_a_version_offers_to_save_one(logged_in, make_plan):
    from workshop.tree import versions

    plan = make_plan(domains=["Ruimte"])
    page = logged_in.get(f"/plans/{plan.id}/reviews/new").get_data(as_text=True)
    assert "saved version of the plan" in page and 'name="version_id"' not in page
    assert f'action="/plans/{plan.id}/reviews/new/version"' in page
    assert logged_in.post(f"/plans/{plan.id}/reviews/new", data={
        "title": "X", "opens_at": "2027-03-01T09:00", "closes_at": "2027-03-15T17:00",
        "timezone": "UTC"}).status_code == 200  # nothing to open it on: nothing happens
    response = logged_in.post(f"/plans/{plan.id}/reviews/new/version")
    assert response.headers["Location"].endswith(f"/plans/{plan.id}/reviews/new")
    db.session.expire_all()
    assert [v.number for v in versions.list_versions(plan)] == [1] and plan.status == "review"
    logged_in.post(f"/plans/{plan.id}/reviews/new/version")  # twice: still one version
    assert len(versions.list_versions(plan)) == 1
    page = logged_in.get(f"/plans/{plan.id}/reviews/new").get_data(as_text=True)
    assert 'name="version_id"' in page and "Version 1" in page


def test_saving_one_goal_by_script_answers_json(client, review_round):
    room = review_round()
    token, goal = room["token"], room["goals"][1]
    client.post(f"/r/{token}/register", data={"name": "Ine"})
    headers = {"X-Requested-With": "fetch"}
    saved = client.post(f"/r/{token}/goals/{goal.id}", headers=headers,
                        data={"reaction": "support", "text": "Goed"})
    assert saved.status_code == 200 and saved.json["ok"]
    (comment,) = review.comments(room["round"])
    assert saved.json["comment_id"] == comment.id and comment.text == "Goed"
    assert saved.json["withdraw"].endswith(f"/comments/{comment.id}/withdraw")
    assert saved.json["csrf"]
    client.set_cookie("koers_lang", "nl")
    refused = client.post(f"/r/{token}/goals/{goal.id}", headers=headers,
                          data={"text": "Zonder reactie"})
    assert refused.status_code == 400 and refused.json == {
        "ok": False, "error": "Kies uw reactie.", "csrf": refused.json["csrf"],
        "expired": False}
    gone = client.post(f"/r/{'z' * 43}/goals/{goal.id}", headers=headers,
                       data={"reaction": "support"})
    assert gone.status_code == 404 and gone.json["ok"] is False
    assert review.comments(room["round"])[0].text == "Goed"


def test_a_plain_post_with_a_problem_keeps_what_was_typed(client, review_round):
    room = review_round()
    token, goal = room["token"], room["goals"][1]
    client.post(f"/r/{token}/register", data={"name": "Ine"})
    response = client.post(f"/r/{token}/goals/{goal.id}",
                           data={"text": "Mijn lange opmerking", "rewording": "Negen"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Choose your reaction." in page
    assert ">Mijn lange opmerking</textarea>" in page and ">Negen</textarea>" in page
    assert review.comments(room["round"]) == []


def test_stakeholder_pages_address_people_formally_in_dutch(client, review_round):
    import re

    room = review_round()
    token = room["token"]
    client.set_cookie("koers_lang", "nl")
    pages = [client.get(f"/r/{token}").get_data(as_text=True)]
    client.post(f"/r/{token}/register", data={"name": "Ine"})
    pages.append(client.get(f"/r/{token}").get_data(as_text=True))
    pages.append(client.post(f"/r/{token}/goals/{room['goals'][1].id}",
                             data={"text": "x"}).get_data(as_text=True))
    _react(client, token, room["goals"][1])
    pages.append(client.get(f"/r/{token}").get_data(as_text=True))  # with its flash
    pages.append(client.get(f"/r/{'q' * 43}").get_data(as_text=True))
    room["round"].closes_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    pages.append(client.get(f"/r/{token}").get_data(as_text=True))
    informal = re.compile(r"\b(je|jij|jou|jouw|jullie)\b", re.I)
    for page in pages:
        text = re.sub(r"<script.*?</script>|<[^>]+>", " ", page, flags=re.S)
        assert not informal.search(text), informal.search(text).group(0)
    assert "Uw naam" in pages[0] and "Bedankt, uw reactie is opgeslagen." in pages[3]


def test_hostile_reactions_and_answers_change_nothing_and_never_fail(client, logged_in,
                                                                    review_round):
    room = review_round()
    token, goal, plan, round_ = room["token"], room["goals"][1], room["plan"], room["round"]
    client.post(f"/r/{token}/register", data={"name": "Ine"})
    for headers in ({}, {"X-Requested-With": "fetch"}):
        for item, data in ((goal.id, {"reaction": "love"}),
                           (goal.id, {"reaction": "support", "text": "x" * 2001}),
                           (99999999, {"reaction": "support"}),
                           (room["goals"][0].id + 10**6, {"reaction": "object"})):
            response = client.post(f"/r/{token}/goals/{item}", data=data, headers=headers)
            assert response.status_code == 400, response.status_code
    assert review.comments(round_) == []
    # Two reactions at once: the first counts, control characters are dropped.
    client.post(f"/r/{token}/goals/{goal.id}",
                data={"reaction": ["support", "object"], "text": "a\x00b"})
    assert [(c.reaction, c.text) for c in review.comments(round_)] == [("support", "ab")]
    comment = _comment(client, room)
    url = f"/plans/{plan.id}/reviews/{round_.id}/comments/{comment.id}"
    for data in ({"disposition": "accepted' OR 1=1", "reply": "x"},
                 {"disposition": "noted", "reply": "y" * 5000},
                 {"accept_rewording": "1", "reply": "Geen voorstel"}):
        assert logged_in.post(url, data=data).status_code == 422
    db.session.expire_all()
    assert comment.disposition is None and comment.reply == "" and goal.text == "Tien terreinen"


def test_a_refused_reply_leaves_the_wording_unaccepted(logged_in, review_round, client):
    room = review_round()
    plan, round_, goal = room["plan"], room["round"], room["goals"][1]
    before = goal.text
    comment = _comment(client, room, rewording="Acht nieuwe terreinen")
    response = logged_in.post(f"/plans/{plan.id}/reviews/{round_.id}/comments/{comment.id}",
                              data={"reply": "x" * 2001, "accept_rewording": "1"})
    assert response.status_code == 422
    db.session.expire_all()
    assert goal.text == before
    assert (comment.disposition, comment.reply) == (None, "")
    # The service refuses it too, before it touches the goal.
    with pytest.raises(DomainError):
        review.accept_rewording(round_, comment, reply="x" * 2001)
    assert goal.text == before and comment.disposition is None
    db.session.rollback()


def test_closing_a_round_now_ends_commenting(logged_in, review_round, client):
    room = review_round()
    plan, round_ = room["plan"], room["round"]
    url = f"/plans/{plan.id}/reviews/{round_.id}/close"
    response = logged_in.post(url, follow_redirects=True)
    assert "The round is closed." in response.get_data(as_text=True)
    db.session.expire_all()
    assert review.phase(round_) == "closed"
    closes_at = round_.closes_at
    again = logged_in.post(url, follow_redirects=True).get_data(as_text=True)
    assert "The round is closed." not in again  # closing a closed round changes nothing
    db.session.expire_all()
    assert round_.closes_at == closes_at
    page = client.get(f"/r/{room['token']}").get_data(as_text=True)
    assert "has closed" in page
