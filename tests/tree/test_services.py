"""The plan tree without HTTP: promote, edit with history, move, merge, split, versions."""

import pytest
from sqlalchemy import func, select

from workshop.core.errors import Conflict, DomainError
from workshop.extensions import db
from workshop.realtime.executor import run_once
from workshop.tree import services, versions
from workshop.tree.models import ItemSource, PlanItem
from workshop.voting import ballots, promote


def run(change):
    return run_once("t", None, change)[0]


@pytest.fixture
def voted(voting_room):
    """A finished dot vote: A 3 dots, B 2, C 1 in domain 0; D 1 in domain 1."""
    room = voting_room(people=3, dot_budget=5, max_per_item=3)
    a, b, c, d = room["proposals"]
    piet, anna, jan = room["people"]
    for person, item in [(piet, a), (piet, a), (anna, a), (anna, b), (jan, b), (jan, c),
                         (jan, d)]:
        run(lambda p=person, i=item: ballots.add_dots(p, room["vote"].id, i.id, 1))
    room["plan"] = room["workshop"].plan
    return room


def count(model):
    return db.session.scalar(select(func.count()).select_from(model))


def test_top_n_per_domain_with_provenance(voted):
    plan, vote = voted["plan"], voted["vote"]
    made = promote.promote(plan, vote, "top", "ambition", top=2)
    assert [i.text for i in made] == ["A", "B", "D"]  # top 2 of domain 0, top 1 of domain 1
    source = promote.provenance(made[0])[0]
    assert source["result"] == 3 and source["votes"] == 2
    assert source["authors"] == ["Author"] and source["workshop"] == "Workshop"
    assert source["vote_step"] == "Stem"


def test_threshold_and_promoting_twice_adds_nothing(voted):
    plan, vote = voted["plan"], voted["vote"]
    assert [i.text for i in promote.promote(plan, vote, "threshold", "ambition",
                                            threshold=2)] == ["A", "B"]
    assert promote.promote(plan, vote, "threshold", "ambition", threshold=2) == []
    assert [i.text for i in promote.promote(plan, vote, "top", "ambition", top=5)] == [
        "C", "D"]
    assert count(PlanItem) == 4 and count(ItemSource) == 4


def test_hand_picked_under_a_parent_and_merged_authors(voted):
    plan, vote, workshop = voted["plan"], voted["vote"], voted["workshop"]
    a, b, c, _d = voted["proposals"]
    from workshop.voting import moderation

    run(lambda: moderation.merge_proposals(workshop, b.id, [c.id]))
    (ambition,) = promote.promote(plan, vote, "pick", "ambition", picked=[a.id])
    (goal,) = promote.promote(plan, vote, "pick", "strategic_goal", parent_id=ambition.id,
                              picked=[b.id])
    assert goal.parent_id == ambition.id
    assert promote.provenance(goal)[0]["merged_texts"] == ["C"]
    with pytest.raises(DomainError):  # a strategic goal needs an ambition above it
        promote.promote(plan, vote, "top", "strategic_goal", top=5)


def test_the_tagline_can_come_from_a_vote(voted):
    plan, vote = voted["plan"], voted["vote"]
    assert promote.promote(plan, vote, "top", "tagline", top=1) == ["tagline"]
    assert plan.tagline == "A"
    assert promote.provenance(plan, "tagline")[0]["text"] == "A"
    assert services.history(plan)[0].field == "tagline"


def _tree(plan, domain):
    amb = services.add_item(plan, "ambition", domain.id, "Meer ruimte")
    goal = services.add_item(plan, "strategic_goal", domain.id, "Tien nieuwe terreinen",
                             amb.id)
    op = services.add_item(plan, "operational_goal", domain.id, "Terrein Noord", goal.id)
    return amb, goal, op


def test_edit_keeps_history_and_can_be_reverted(make_plan, facilitator):
    plan = make_plan(domains=["Ruimte"])
    amb, goal, op = _tree(plan, plan.domains[0])
    services.edit_item(plan, op, {"text": "Terrein Noord in 2027", "owner": "Dienst Ruimte",
                                  "deadline": "2027 Q4"}, actor=facilitator)
    changes = services.history(plan, op)
    assert [(c.field, c.old_value, c.new_value) for c in changes[:3]] == [
        ("deadline", "", "2027 Q4"), ("owner", "", "Dienst Ruimte"),
        ("text", "Terrein Noord", "Terrein Noord in 2027")]
    assert changes[0].actor == facilitator
    services.revert(plan, changes[2].id)
    assert op.text == "Terrein Noord"
    assert services.history(plan, op)[0].action == "reverted"


def test_levels_must_nest(make_plan):
    plan = make_plan(domains=["Ruimte", "Logistiek"])
    ruimte, logistiek = plan.domains
    amb = services.add_item(plan, "ambition", ruimte.id, "A")
    with pytest.raises(DomainError):
        services.add_item(plan, "operational_goal", ruimte.id, "X", amb.id)
    with pytest.raises(DomainError):
        services.add_item(plan, "strategic_goal", logistiek.id, "X", amb.id)
    with pytest.raises(DomainError):
        services.add_item(plan, "ambition", ruimte.id, "  ")


def test_move_to_another_domain_takes_the_children_along(make_plan):
    plan = make_plan(domains=["Ruimte", "Logistiek"])
    ruimte, logistiek = plan.domains
    amb, goal, op = _tree(plan, ruimte)
    other = services.add_item(plan, "ambition", logistiek.id, "Slimme hubs")
    services.move(plan, goal, logistiek.id, other.id)
    assert (goal.parent_id, goal.domain_id, op.domain_id) == (other.id, logistiek.id,
                                                             logistiek.id)
    with pytest.raises(DomainError):
        services.move(plan, amb, ruimte.id, goal.id)  # wrong level under a goal


def test_reorder_and_place_at(make_plan):
    plan = make_plan(domains=["Ruimte"])
    d = plan.domains[0]
    a, b, c = (services.add_item(plan, "ambition", d.id, t) for t in "ABC")
    services.reorder(plan, c, -1)
    services.place_at(plan, a, 2)
    assert [i.text for _, items in services.tree(plan) for i in items] == ["C", "B", "A"]


def test_merge_moves_children_and_provenance(voted):
    plan, vote = voted["plan"], voted["vote"]
    a, b, *_ = promote.promote(plan, vote, "top", "ambition", top=2)
    goal = services.add_item(plan, "strategic_goal", b.domain_id, "Doel", b.id)
    services.merge(plan, a, b)
    assert goal.parent_id == a.id
    assert sorted(s["text"] for s in promote.provenance(a)) == ["A", "B"]
    assert db.session.get(PlanItem, b.id) is None


def test_split_makes_siblings(make_plan):
    plan = make_plan(domains=["Ruimte"])
    amb, goal, _op = _tree(plan, plan.domains[0])
    parts = services.split(plan, goal, ["Vijf terreinen", "", "Vijf centra"])
    assert [p.text for p in parts] == ["Vijf terreinen", "Vijf centra"]
    assert all(p.parent_id == amb.id and p.level == "strategic_goal" for p in parts)
    with pytest.raises(DomainError):
        services.split(plan, goal, ["Eén"])


def test_versions_snapshot_and_compare_word_by_word(make_plan):
    plan = make_plan(domains=["Ruimte"], mission="Wij versterken de regio")
    amb, goal, op = _tree(plan, plan.domains[0])
    first = versions.set_status(plan, "review")
    with pytest.raises(Conflict):
        versions.set_status(plan, "review")
    versions.set_status(plan, "draft")
    services.edit_item(plan, goal, {"text": "Twaalf nieuwe terreinen"})
    services.delete(plan, op)
    services.add_item(plan, "ambition", plan.domains[0].id, "Zuinig ruimtegebruik")
    second = versions.set_status(plan, "final")
    assert (first.number, second.number) == (1, 2)
    with pytest.raises(Conflict):  # final is read-only until reopened
        services.edit_item(plan, goal, {"text": "Nog eens"})
    import json

    diff = versions.compare(json.loads(first.content), json.loads(second.content))
    assert [i["text"] for i in diff["added"]] == ["Zuinig ruimtegebruik"]
    assert [i["text"] for i in diff["removed"]] == ["Terrein Noord"]
    (change,) = diff["changed"]
    assert ("removed", "Tien") in change["diff"] and ("added", "Twaalf") in change["diff"]
    versions.set_status(plan, "draft")  # reopened
    services.edit_item(plan, goal, {"text": "Nog eens"})


def test_the_cascade_proposes_children_of_plan_items(voted, join):
    """Strategic goals proposed for a promoted ambition are attached to it."""
    from workshop.live import agenda, participation, running

    plan, vote, workshop = voted["plan"], voted["vote"], voted["workshop"]
    (ambition,) = promote.promote(plan, vote, "top", "ambition", top=1)[:1]
    step = agenda.add_step(workshop, {
        "kind": "collect", "title": "Doelen", "item_kind": "strategic_goal",
        "max_length": 200, "max_per_participant": 3, "parent_item_ids": [ambition.id]})
    assert step.domains == [ambition.domain] and step.parent_items == [ambition]
    run(lambda: running.start_step(workshop, step.id))
    piet, _ = join(workshop, name="Piet2")
    with pytest.raises(DomainError):
        run(lambda: participation.submit_proposal(piet, step.id, None, "Zonder ouder"))
    result = run(lambda: participation.submit_proposal(piet, step.id, None, "Tien terreinen",
                                                       ambition.id))
    assert result.ack["proposal"]["parent_item_id"] == ambition.id
    with pytest.raises(DomainError):  # operational goals cannot hang under an ambition
        agenda.add_step(workshop, {
            "kind": "collect", "title": "X", "item_kind": "operational_goal",
            "max_length": 200, "max_per_participant": 3, "parent_item_ids": [ambition.id]})


def test_a_vote_on_plan_items_ranks_them_without_copying_them(voted):
    from workshop.live import agenda, running

    plan, vote, workshop = voted["plan"], voted["vote"], voted["workshop"]
    promote.promote(plan, vote, "top", "ambition", top=5)
    seed = promote.seed_vote_source(workshop, "ambition", [d.id for d in plan.domains],
                                    "Ambities")
    second = agenda.add_step(workshop, {
        "kind": "vote", "title": "Prioriteiten", "source_step_id": seed.id,
        "vote_method": "dots", "dot_budget": 3, "max_per_item": 3,
        "domain_ids": [d.id for d in plan.domains]})
    run(lambda: running.start_step(workshop, second.id))
    from workshop.voting import tally

    assert sum(len(d["items"]) for d in tally.compute(second)["domains"]) == 4
    from workshop.live.models import Proposal

    ranked = db.session.scalars(select(Proposal).where(Proposal.step_id == seed.id)).first()
    run(lambda: ballots.add_dots(voted["people"][0], second.id, ranked.id, 1))
    assert promote.promote(plan, second, "top", "ambition", top=5) == []  # already in
    assert count(PlanItem) == 4


def test_promoting_on_two_screens_at_once_adds_each_winner_once(app, voted, monkeypatch):
    """Screen B checks what is already in the plan, screen A promotes and commits, then B
    promotes the same winners: the unique key refuses B's copies inside a savepoint, so
    B's change commits cleanly with nothing added."""
    import threading

    from workshop.live.models import Step
    from workshop.plans.models import Plan
    from workshop.realtime.executor import execute

    plan_id, vote_id = voted["plan"].id, voted["vote"].id
    db.session.commit()
    b_has_read, a_is_done = threading.Event(), threading.Event()
    original = promote.promoted_ids

    def promoted_ids(plan):
        done = original(plan)
        if threading.current_thread().name == "screen-b":
            b_has_read.set()
            a_is_done.wait(10)
        return done

    monkeypatch.setattr(promote, "promoted_ids", promoted_ids)
    outcome = []

    def screen_b():
        with app.app_context():
            try:
                plan, vote = db.session.get(Plan, plan_id), db.session.get(Step, vote_id)
                outcome.append(execute(lambda: promote.promote(plan, vote, "top", "ambition",
                                                               top=2)))
            except Exception as error:  # noqa: BLE001 — the test reports it
                outcome.append(error)
            finally:
                db.session.remove()

    thread = threading.Thread(target=screen_b, name="screen-b")
    thread.start()
    assert b_has_read.wait(10)
    made = execute(lambda: promote.promote(voted["plan"], voted["vote"], "top", "ambition",
                                           top=2))
    a_is_done.set()
    thread.join(20)
    assert [i.text for i in made] == ["A", "B", "D"]
    assert outcome == [[]]
    db.session.expire_all()
    texts = db.session.scalars(select(PlanItem.text).where(PlanItem.plan_id == plan_id))
    assert sorted(texts) == ["A", "B", "D"]
    assert count(ItemSource) == 3
