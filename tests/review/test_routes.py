"""Review rounds through HTTP: the facilitator's pages and every access rule of a link."""

from datetime import timedelta

from workshop.accounts.models import utcnow
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
    review.revoke_link(link)
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
    comment_b = review.save_comment(reviewer_b, b["round"], b["goals"][1].id, "support")
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
