"""Seeds a server's database for the hardening tests: a facilitator, a workshop whose
live step is a dot vote on four proposals (a collect step before it), two participants.

Run against a test server's database: python -m tests.hardening.seed EMAIL PASSWORD
Prints JSON: ids of the workshop, its steps, groups, domains and proposals, and the
participants' tokens.
"""

import json
import sys


def main(email, password):
    from workshop import create_app
    from workshop.accounts.services import create_facilitator
    from workshop.live import agenda, participation, running, workshops
    from workshop.plans import services as plans
    from workshop.realtime.executor import run_once

    with create_app().app_context():
        create_facilitator(email, "Anna", password)
        plan = plans.create_plan({"title": "Plan", "organisation": "POM",
                                  "horizon_start": 2027, "horizon_end": 2032})
        for name in ("Ruimte", "Logistiek"):
            plans.add_domain(plan, {"name": name, "colour": plans.next_colour(plan)})
        workshop = workshops.create_workshop(plan, {"title": "Fuzz",
                                                    "groups": ["Employees", "Guests"]})
        domains = [d.id for d in plan.domains]
        collect = agenda.add_step(workshop, {
            "kind": "collect", "title": "Ambities", "item_kind": "ambition",
            "max_length": 200, "max_per_participant": 20, "domain_ids": domains})
        run_once("seed", None, lambda: running.start_step(workshop, collect.id))
        author, _ = participation.join(workshop, "Author", workshop.groups[0].id)
        proposals = []
        for n, domain in enumerate((0, 0, 1, 1)):
            result, _ = run_once("seed", None, lambda n=n, d=domain: participation.submit_proposal(
                author, collect.id, domains[d], f"Voorstel {n}"))
            proposals.append(result.ack["proposal"]["id"])
        vote = agenda.add_step(workshop, {
            "kind": "vote", "title": "Stem", "source_step_id": collect.id,
            "vote_method": "dots", "domain_ids": domains, "dot_budget": 5,
            "max_per_item": 3})
        run_once("seed", None, lambda: running.start_step(workshop, vote.id))
        people = [participation.join(workshop, f"P{n}", workshop.groups[n % 2].id)
                  for n in range(2)]
        from workshop.extensions import db

        db.session.commit()  # services flush; the seed is the edge that commits
        print(json.dumps({
            "workshop": workshop.id, "collect": collect.id, "vote": vote.id,
            "groups": [g.id for g in workshop.groups], "domains": domains,
            "proposals": proposals, "participants": [p.id for p, _t in people],
            "tokens": [t for _p, t in people]}))


if __name__ == "__main__":
    main(*sys.argv[1:3])
