"""Participants propose indicators for a goal, vote, and the winners become indicators."""

from sqlalchemy import select

from tests.conftest import collect_step
from workshop.extensions import db
from workshop.live import agenda, participation, running
from workshop.live.models import Proposal
from workshop.monitor import promote, services
from workshop.tree.models import ItemSource
from workshop.voting import ballots


def test_indicators_proposed_for_a_goal_are_voted_and_promoted(
        goal_plan, make_workshop, join):
    plan, ambition, strategic, operational = goal_plan
    workshop = make_workshop(plan=plan, steps=[{
        **collect_step(plan), "title": "Indicatoren", "item_kind": "indicator",
        "parent_item_ids": [strategic.id, operational.id]}])
    collect = workshop.steps[0]
    assert {i.id for i in collect.parent_items} == {strategic.id, operational.id}
    running.start_step(workshop, collect.id)
    people = [join(workshop, name)[0] for name in ("An", "Bo", "Cas")]
    texts = {}
    for person, (parent, text) in zip(people, [(strategic.id, "Aantal jobs"),
                                               (operational.id, "Aantal starters"),
                                               (strategic.id, "Tevredenheid")], strict=True):
        participation.submit_proposal(person, collect.id, plan.domains[0].id, text,
                                      parent_item_id=parent)
        db.session.commit()
        texts[db.session.scalar(select(Proposal.id).where(Proposal.text == text))] = text
    vote = agenda.add_step(workshop, {"kind": "vote", "title": "Kies",
                                      "source_step_id": collect.id, "vote_method": "dots",
                                      "domain_ids": [plan.domains[0].id],
                                      "dot_budget": 3, "max_per_item": 3})
    running.start_step(workshop, vote.id)
    ids = {text: pid for pid, text in texts.items()}
    for person in people:
        for text in ("Aantal jobs", "Aantal jobs", "Aantal starters"):
            ballots.add_dots(person, vote.id, ids[text], 1)
            db.session.commit()
    made = promote.promote(plan, vote, "top", top=2)
    assert sorted((i.name, i.item_id) for i in made) == [("Aantal jobs", strategic.id),
                                                         ("Aantal starters", operational.id)]
    source = made[0].source
    assert source.field == "indicator" and "Indicatoren" in source.summary
    assert promote.promote(plan, vote, "top", top=2) == []  # twice adds nothing
    assert len(services.indicators(plan)) == 2
    assert len(ItemSource.query.filter_by(field="indicator").all()) == 2
