"""The facilitator's review screen hears about new comments live; nobody else can listen."""

from workshop.review import services as review


def test_review_screen_hears_a_new_comment(app, review_round, facilitator, socket_client,
                                           client):
    room = review_round()
    browser = app.test_client()
    with browser.session_transaction() as session:
        session["_user_id"] = facilitator.get_id()
    screen = socket_client(flask_test_client=browser,
                           auth={"review": room["round"].id, "role": "review"})
    assert screen.is_connected()
    screen.get_received()
    client.post(f"/r/{room['token']}/register", data={"name": "Ine"})
    client.post(f"/r/{room['token']}/goals/{room['goals'][1].id}", data={
        "reaction": "support", "text": "Goed"})
    events = [m for m in screen.get_received() if m["name"] == "review_changed"]
    assert events == [{"name": "review_changed", "args": [{"round_id": room["round"].id}],
                       "namespace": "/"}]
    assert len(review.comments(room["round"])) == 1


def test_only_logged_in_facilitators_may_listen(review_round, socket_client):
    room = review_round()
    for auth in ({"review": room["round"].id, "role": "review"},
                 {"review": room["round"].id, "role": "participant"},
                 {"review": 999999, "role": "review"}, {"review": "1", "role": "review"}):
        assert not socket_client(auth=auth).is_connected()
