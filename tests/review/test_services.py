"""Review rounds without HTTP: links, deadlines, comments, answers, rewordings."""

from datetime import datetime, timedelta

import pytest

from workshop.core.errors import Conflict, DomainError, NotFound
from workshop.core.time import utcnow
from workshop.extensions import db
from workshop.review import clock
from workshop.review import services as review


def test_times_are_entered_in_brussels_and_kept_in_utc(review_round):
    room = review_round()
    plan, version = room["plan"], room["round"].version
    round_, token = review.open_round(plan, version, {
        "title": "Zomer", "opens_at": datetime(2027, 7, 1, 9, 0),
        "closes_at": datetime(2027, 7, 15, 17, 0)})
    assert round_.opens_at == datetime(2027, 7, 1, 7, 0)  # CEST is UTC+2
    assert round_.closes_at == datetime(2027, 7, 15, 15, 0)
    assert len(token) >= 43  # 256 bits
    with pytest.raises(DomainError):
        review.open_round(plan, version, {"title": "X", "opens_at": datetime(2027, 7, 2),
                                          "closes_at": datetime(2027, 7, 1)})


def test_the_deadline_edges(review_round):
    closes = utcnow() + timedelta(days=1)
    round_ = review_round(closes_at=closes)["round"]
    assert review.phase(round_, round_.opens_at - timedelta(seconds=1)) == "upcoming"
    assert review.phase(round_, round_.closes_at - timedelta(seconds=1)) == "open"
    assert review.phase(round_, round_.closes_at) == "closed"
    assert review.phase(round_, round_.closes_at + timedelta(seconds=1)) == "closed"


def test_shared_and_personal_links_resolve_and_can_be_revoked(review_round):
    room = review_round()
    round_ = room["round"]
    assert review.resolve(room["token"]) == (round_, None)
    link, token = review.add_personal_link(round_, "Ine", "Haven", "Partners")
    assert review.resolve(token) == (round_, link)
    review.revoke_link(round_, link.id)
    with pytest.raises(NotFound):
        review.resolve(token)
    fresh = review.new_shared_link(round_)
    with pytest.raises(NotFound):
        review.resolve(room["token"])
    assert review.resolve(fresh) == (round_, None)
    for bad in ("", "x" * 10, "x" * 43, None):
        with pytest.raises(NotFound):
            review.resolve(bad)


def test_comment_edit_and_withdraw_until_closing(review_round):
    room = review_round()
    round_, (ambition, goal) = room["round"], room["goals"]
    reviewer, browser = review.register(round_, None, {"name": "Ine", "group_name": "Partners"})
    assert browser and review.reviewer_for(round_, None, browser) == reviewer
    first = review.save_comment(reviewer, round_, goal.id, "concerns", "Te veel",
                                "Acht nieuwe terreinen").value
    again = review.save_comment(reviewer, round_, goal.id, "support", "Goed zo").value
    assert first.id == again.id and again.reaction == "support" and again.rewording == ""
    review.withdraw_comment(reviewer, round_, again.id)
    assert review.comments(round_) == []
    with pytest.raises(DomainError):
        review.save_comment(reviewer, round_, goal.id, "love")
    with pytest.raises(NotFound):
        review.save_comment(reviewer, round_, 999999, "support")
    round_.closes_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    with pytest.raises(Conflict):
        review.save_comment(reviewer, round_, ambition.id, "support")


def test_named_rounds_ask_a_name_and_anonymous_ones_keep_none(review_round):
    named = review_round()["round"]
    with pytest.raises(DomainError):
        review.register(named, None, {"name": " "})
    anonymous = review_round(named=False)["round"]
    reviewer, _ = review.register(anonymous, None, {"name": "Ine", "organisation": "X"})
    assert reviewer.name == "" and reviewer.organisation == ""


def test_answers_and_summary_per_goal(review_round, facilitator):
    room = review_round()
    round_, (_ambition, goal) = room["round"], room["goals"]
    people = [review.register(round_, None, {"name": n, "group_name": g})[0]
              for n, g in (("Ine", "Partners"), ("Jo", "Partners"), ("An", "Burgers"))]
    comments = [review.save_comment(p, round_, goal.id, r).value for p, r in
                zip(people, ("support", "object", "support"), strict=True)]
    review.answer(round_, comments[1], "noted", "We nemen het mee.", actor=facilitator)
    entry = review.summary(round_)[goal.id]
    assert entry["total"] == 3 and entry["open"] == 2
    assert dict(entry["reactions"]["Partners"]) == {"support": 1, "object": 1}
    with pytest.raises(DomainError):
        review.answer(round_, comments[0], "maybe", "")


def test_accepting_a_rewording_changes_the_plan_with_history_and_provenance(review_round,
                                                                           facilitator):
    from workshop.tree import services as tree
    from workshop.tree import versions
    from workshop.voting import promote

    room = review_round()
    round_, plan, (_ambition, goal) = room["round"], room["plan"], room["goals"]
    reviewer, _ = review.register(round_, None, {"name": "Ine", "organisation": "Haven"})
    comment = review.save_comment(reviewer, round_, goal.id, "concerns", "Realistischer",
                                  "Acht nieuwe terreinen").value
    review.accept_rewording(round_, comment, actor=facilitator)  # in review: still editable
    assert goal.text == "Acht nieuwe terreinen" and comment.disposition == "accepted"
    change = tree.history(plan, goal)[0]
    assert (change.old_value, change.new_value) == ("Tien terreinen", "Acht nieuwe terreinen")
    assert promote.provenance(goal)[-1]["review_comment"] == comment.id
    versions.set_status(plan, "final")
    other, _ = review.register(round_, None, {"name": "Jo"})
    late = review.save_comment(other, round_, goal.id, "concerns", "", "Negen terreinen").value
    with pytest.raises(Conflict):  # a final plan is read-only
        review.accept_rewording(round_, late, actor=facilitator)


def test_default_times_are_now_in_the_rounds_time_zone():
    winter = datetime(2027, 1, 15, 11, 0, 42)  # UTC; Brussels is UTC+1
    assert clock.default_times("Europe/Brussels", winter) == (
        datetime(2027, 1, 15, 12, 0), datetime(2027, 1, 29, 12, 0))
    assert clock.default_times("UTC", winter)[0] == datetime(2027, 1, 15, 11, 0)
    assert clock.default_times("America/New_York", winter)[0] == datetime(2027, 1, 15, 6, 0)
    # Across the switch to summer time the closing time stays at the same wall-clock time.
    spring = datetime(2027, 3, 20, 11, 0)
    assert clock.default_times("Europe/Brussels", spring) == (
        datetime(2027, 3, 20, 12, 0), datetime(2027, 4, 3, 12, 0))


def test_a_round_opened_at_the_offered_times_opens_now(review_round):
    room = review_round()
    now = datetime(2027, 1, 15, 11, 0)
    opens, closes = clock.default_times("Europe/Brussels", now)
    round_, _token = review.open_round(room["plan"], room["round"].version, {
        "title": "Nu", "opens_at": opens, "closes_at": closes,
        "timezone": "Europe/Brussels"})
    assert round_.opens_at == now  # not an hour before it was made
    assert round_.closes_at == datetime(2027, 1, 29, 11, 0)
    assert clock.in_zone(round_.opens_at, round_.timezone).hour == 12


@pytest.mark.parametrize("zone", ["", "localtime", "../../etc/passwd", "Mars/Olympus",
                                  "Europe/Brussels\x00", "x" * 500, "America"])
def test_unknown_time_zones_open_no_round(review_round, zone):
    room = review_round()
    with pytest.raises(DomainError) as caught:
        review.open_round(room["plan"], room["round"].version, {
            "title": "X", "opens_at": datetime(2027, 1, 1), "closes_at": datetime(2027, 1, 2),
            "timezone": zone or " "})
    assert caught.value.field == "timezone"
    assert len(review.list_rounds(room["plan"])) == 1


def test_a_reply_without_a_disposition_saves_nothing(review_round, facilitator):
    room = review_round()
    round_, goal = room["round"], room["goals"][1]
    reviewer, _ = review.register(round_, None, {"name": "Ine"})
    comment = review.save_comment(reviewer, round_, goal.id, "object", "Te duur").value
    for missing in ("", None, "maybe"):
        with pytest.raises(DomainError) as caught:
            review.answer(round_, comment, missing, "We nemen het mee.", actor=facilitator)
        assert caught.value.field == "disposition"
    db.session.expire_all()
    assert comment.disposition is None and comment.reply == "" and comment.answered_at is None
    assert review.summary(round_)[goal.id]["open"] == 1


def test_accepting_a_wording_with_a_reply_is_one_change(review_round, facilitator):
    from workshop.tree import services as tree

    room = review_round()
    round_, plan, goal = room["round"], room["plan"], room["goals"][1]
    reviewer, _ = review.register(round_, None, {"name": "Ine"})
    comment = review.save_comment(reviewer, round_, goal.id, "concerns", "", "Acht terreinen").value
    with pytest.raises(DomainError):  # a reply that is too long changes nothing at all
        review.accept_rewording(round_, comment, reply="x" * 2001, actor=facilitator)
    db.session.expire_all()
    assert goal.text == "Tien terreinen" and comment.disposition is None
    assert [c.action for c in tree.history(plan, goal)] == ["created"]
    review.accept_rewording(round_, comment, reply="Overgenomen, dank u.", actor=facilitator)
    db.session.expire_all()
    assert goal.text == "Acht terreinen"
    assert (comment.disposition, comment.reply) == ("accepted", "Overgenomen, dank u.")
