"""Casting votes, without HTTP or sockets: budgets, limits, refusals, merges."""


import pytest
from sqlalchemy import func, select

from tests.conftest import run_in_threads
from workshop.core.errors import Conflict, DomainError, NotFound
from workshop.extensions import db
from workshop.live import agenda, running
from workshop.realtime.executor import run_once
from workshop.voting import ballots, moderation
from workshop.voting.models import DotBudget, Vote


def run(change, actor="t", cid=None):
    result, _ = run_once(actor, cid, change)
    return result


def dots(room, person, proposal, delta=1, cid=None):
    return run(lambda: ballots.add_dots(person, room["vote"].id, proposal.id, delta),
               actor=f"p{person.id}", cid=cid).ack


def stored(room, person):
    db.session.expire_all()
    return {v.proposal_id: v.value for v in db.session.scalars(
        select(Vote).where(Vote.participant_id == person.id, Vote.value > 0))}


def test_dots_are_added_moved_and_removed_within_the_budget(voting_room):
    room = voting_room(dot_budget=5, max_per_item=3)
    piet = room["people"][0]
    a, b, c, d = room["proposals"]
    assert dots(room, piet, a)["left"] == 4
    dots(room, piet, a)
    dots(room, piet, a)
    with pytest.raises(Conflict):  # at most 3 per item
        dots(room, piet, a)
    dots(room, piet, b)
    ack = dots(room, piet, c)
    assert ack["left"] == 0
    with pytest.raises(Conflict):  # budget of 5 spent in this domain
        dots(room, piet, b)
    assert dots(room, piet, d)["left"] == 4  # another domain has its own budget
    run(lambda: ballots.move_dot(piet, room["vote"].id, a.id, b.id))
    dots(room, piet, c, -1)
    with pytest.raises(Conflict):
        dots(room, piet, c, -1)  # nothing left on c
    assert stored(room, piet) == {a.id: 2, b.id: 2, d.id: 1}


def test_one_budget_for_the_whole_step_when_chosen(voting_room):
    room = voting_room(dot_budget=2, max_per_item=2, budget_per_domain=False)
    piet = room["people"][0]
    a, _b, _c, d = room["proposals"]
    dots(room, piet, a)
    dots(room, piet, d)
    with pytest.raises(Conflict):
        dots(room, piet, a)


def test_votes_on_hidden_merged_foreign_or_closed_items_are_refused(voting_room,
                                                                    make_workshop):
    room = voting_room()
    piet = room["people"][0]
    workshop, vote = room["workshop"], room["vote"]
    a, b, c, _d = room["proposals"]
    run(lambda: moderation.hide_proposal(workshop, c.id))
    with pytest.raises(Conflict):
        dots(room, piet, c)
    other = voting_room()
    with pytest.raises(NotFound):
        run(lambda: ballots.add_dots(piet, vote.id, other["proposals"][0].id, 1))
    with pytest.raises(Conflict):  # the other workshop's live vote step is not piet's
        run(lambda: ballots.add_dots(piet, other["vote"].id, a.id, 1))
    run(lambda: running.close_step(workshop))
    with pytest.raises(Conflict):
        dots(room, piet, a)
    with pytest.raises(DomainError):
        run(lambda: ballots.add_dots(piet, vote.id, a.id, 2))
    assert stored(room, piet) == {}
    assert b  # untouched


def test_score_within_scale_and_cleared(voting_room):
    room = voting_room(method="score", score_max=10)
    piet = room["people"][0]
    a = room["proposals"][0]
    for bad in (-1, 11, "7"):
        with pytest.raises(DomainError):
            run(lambda s=bad: ballots.set_score(piet, room["vote"].id, a.id, s))
    run(lambda: ballots.set_score(piet, room["vote"].id, a.id, 0))
    run(lambda: ballots.set_score(piet, room["vote"].id, a.id, 7))
    db.session.expire_all()
    assert db.session.scalar(select(Vote.value).where(Vote.participant_id == piet.id)) == 7
    run(lambda: ballots.set_score(piet, room["vote"].id, a.id, None))
    assert db.session.scalar(select(func.count()).select_from(Vote)) == 0


def test_ranking_replaces_the_earlier_order(voting_room):
    room = voting_room(method="rank", rank_top=2)
    piet = room["people"][0]
    a, b, c, d = room["proposals"]
    scope = a.domain_id
    run(lambda: ballots.set_ranking(piet, room["vote"].id, scope, [a.id, b.id]))
    run(lambda: ballots.set_ranking(piet, room["vote"].id, scope, [c.id, a.id]))
    assert stored(room, piet) == {c.id: 1, a.id: 2}
    for bad in ([a.id, b.id, c.id], [a.id, a.id], [d.id]):
        with pytest.raises(DomainError):
            run(lambda ids=bad: ballots.set_ranking(piet, room["vote"].id, scope, ids))
    assert stored(room, piet) == {c.id: 1, a.id: 2}


def test_each_person_sees_a_stable_order_of_their_own(voting_room):
    room = voting_room(proposals=[(0, f"Item {n}") for n in range(12)], people=2)
    step = room["vote"]
    first = [p.id for p in ballots.ballot_items(step, room["people"][0])]
    assert first == [p.id for p in ballots.ballot_items(step, room["people"][0])]
    assert first != [p.id for p in ballots.ballot_items(step, room["people"][1])]
    assert sorted(first) == sorted(p.id for p in room["proposals"])


def test_merged_votes_follow_keeping_the_larger_and_refunding_dots(voting_room):
    room = voting_room(dot_budget=5, max_per_item=3)
    piet, anna = room["people"][:2]
    a, b, _c, _d = room["proposals"]
    for _ in range(2):
        dots(room, piet, a)
    dots(room, piet, b)
    for _ in range(3):
        dots(room, anna, b)
    run(lambda: moderation.merge_proposals(room["workshop"], a.id, [b.id]))
    assert stored(room, piet) == {a.id: 2}  # kept the larger of 2 and 1
    assert stored(room, anna) == {a.id: 3}  # moved over
    spent = db.session.scalar(select(DotBudget.spent).where(
        DotBudget.participant_id == piet.id))
    assert spent == 2  # the dot on b came back


@pytest.mark.parametrize("attempt", range(3))
def test_fifty_simultaneous_dots_on_a_budget_of_five_store_exactly_five(app, voting_room,
                                                                       attempt):
    from workshop.live.models import Participant
    from workshop.realtime.executor import run_command

    room = voting_room(dot_budget=5, max_per_item=5)
    piet = room["people"][0]
    items = room["proposals"][:3]
    identity = {"actor": f"p{piet.id}", "workshop_id": room["workshop"].id}

    def spend(i):
        with app.app_context():
            try:
                me = db.session.get(Participant, piet.id)
                return run_command(identity, f"dot-{attempt}-{i:04d}", lambda: ballots.add_dots(
                    me, room["vote"].id, items[i % 3].id, 1))["ok"]
            except Conflict:
                return False
            finally:
                db.session.remove()

    results = run_in_threads(50, spend)
    db.session.expire_all()
    assert results.count(True) == 5
    assert sum(stored(room, piet).values()) == 5
    assert db.session.scalar(select(DotBudget.spent).where(
        DotBudget.participant_id == piet.id)) == 5


@pytest.mark.parametrize("attempt", range(3))
def test_fifty_simultaneous_retries_of_one_vote_store_one(app, voting_room, attempt):
    from workshop.live.models import Participant
    from workshop.realtime.executor import run_command

    room = voting_room()
    piet = room["people"][0]
    a = room["proposals"][0]
    identity = {"actor": f"p{piet.id}", "workshop_id": room["workshop"].id}

    def retry(_i):
        with app.app_context():
            try:
                me = db.session.get(Participant, piet.id)
                return run_command(identity, "the-same-vote", lambda: ballots.add_dots(
                    me, room["vote"].id, a.id, 1))
            finally:
                db.session.remove()

    results = run_in_threads(50, retry)
    assert all(r["ok"] for r in results)
    assert {r["dots"] for r in results} == {1}
    assert stored(room, piet) == {a.id: 1}


def test_vote_settings_are_fixed_once_someone_voted(voting_room):
    room = voting_room(dot_budget=5)
    vote = room["vote"]
    data = {"kind": "vote", "title": "Stem", "source_step_id": room["collect"].id,
            "vote_method": "dots", "dot_budget": 9, "max_per_item": 3,
            "domain_ids": [d.id for d in room["workshop"].plan.domains]}
    agenda.update_step(vote, data)  # no votes yet: fine
    dots(room, room["people"][0], room["proposals"][0])
    with pytest.raises(Conflict):
        agenda.update_step(vote, {**data, "dot_budget": 3})
    agenda.update_step(vote, {**data, "title": "Stem nu"})  # the title may still change
    db.session.expire_all()
    assert (vote.dot_budget, vote.title) == (9, "Stem nu")


@pytest.mark.parametrize(("limit", "language", "text"), [
    (1, "nl", "Maximaal 1 stip per item."), (3, "nl", "Maximaal 3 stippen per item."),
    (1, "en", "At most 1 dot per item."), (3, "en", "At most 3 dots per item."),
])
def test_the_per_item_limit_reads_as_a_plural_in_both_languages(voting_room, limit, language,
                                                                 text):
    from flask_babel import force_locale

    room = voting_room(dot_budget=5, max_per_item=limit)
    piet = room["people"][0]
    a = room["proposals"][0]
    for _ in range(limit):
        dots(room, piet, a)
    with force_locale(language), pytest.raises(Conflict) as error:
        dots(room, piet, a)
    assert str(error.value.message) == text


@pytest.mark.parametrize(("language", "one", "three"), [
    ("nl", ["1 stip", "Maximaal 1 stip per item."], ["3 stippen", "Maximaal 3 stippen per item."]),
    ("en", ["1 dot", "At most 1 dot per item."], ["3 dots", "At most 3 dots per item."]),
])
def test_the_phone_gets_both_plural_forms_for_its_script(app, language, one, three):
    from flask_babel import force_locale

    from workshop.live.strings import participant_strings

    with app.test_request_context(), force_locale(language):
        strings = participant_strings()
    for n, (dots_text, limit_text) in ((1, one), (3, three)):
        form = 0 if n == 1 else 1  # what Koers.tn picks
        assert strings["%(num)s dot"][form].replace("%(num)s", str(n)) == dots_text
        assert strings["At most %(num)s dot per item."][form].replace(
            "%(num)s", str(n)) == limit_text
