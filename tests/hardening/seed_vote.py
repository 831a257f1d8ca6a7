"""Seed a server's database with a live dot vote and N joined participants.

Run in the server's environment (`python -m tests.hardening.seed_vote N BUDGET`); prints
one JSON line: workshop and step ids, the proposal ids and each participant's id/token.
"""

import json
import sys

from workshop import create_app
from workshop.extensions import db
from workshop.live import agenda, participation, running, workshops
from workshop.plans import services as plans
from workshop.realtime.executor import run_once


def main(people, budget):
    app = create_app()
    with app.app_context():
        plan = plans.create_plan({"title": "Crash", "organisation": "Crash",
                                  "horizon_start": 2027, "horizon_end": 2032})
        plans.add_domain(plan, {"name": "Ruimte", "colour": plans.next_colour(plan)})
        workshop = workshops.create_workshop(plan, {"title": "Crash", "groups": ["Alle"]})
        domain_id = plan.domains[0].id
        collect = agenda.add_step(workshop, {
            "kind": "collect", "title": "Ideeën", "item_kind": "ambition", "max_length": 200,
            "max_per_participant": 10, "domain_ids": [domain_id]})
        run_once("seed", None, lambda: running.start_step(workshop, collect.id))
        author, _token = participation.join(workshop, "Auteur", workshop.groups[0].id)
        proposals = []
        for n in range(3):
            result, _ = run_once("seed", None, lambda n=n: participation.submit_proposal(
                author, collect.id, domain_id, f"Voorstel {n}"))
            proposals.append(result.ack["proposal"]["id"])
        vote = agenda.add_step(workshop, {
            "kind": "vote", "title": "Stemmen", "source_step_id": collect.id,
            "vote_method": "dots", "dot_budget": budget, "max_per_item": budget,
            "domain_ids": [domain_id]})
        run_once("seed", None, lambda: running.start_step(workshop, vote.id))
        phones = []
        for n in range(people):
            person, token = participation.join(workshop, f"P{n}", workshop.groups[0].id)
            phones.append({"id": person.id, "token": token})
        db.session.commit()  # services flush; the seed is the edge that commits
        print(json.dumps({"workshop_id": workshop.id, "step_id": vote.id,
                          "proposals": proposals, "phones": phones}))
        db.session.remove()


if __name__ == "__main__":
    main(int(sys.argv[1]), int(sys.argv[2]))
