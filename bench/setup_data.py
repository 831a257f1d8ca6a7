"""Prepare a benchmark database: a plan, a workshop with 20 proposals, a live dot vote.

Run inside the app's environment (`python -m bench.setup_data`); prints one JSON line
with what the load generator needs, including a presenter's session cookie.
"""

import json
import sys

from workshop import create_app
from workshop.accounts import services as accounts
from workshop.extensions import db
from workshop.live import agenda, participation, running, workshops
from workshop.plans import services as plans
from workshop.realtime.executor import run_once

DOMAINS = ("Ruimte", "Logistiek", "Kennis", "Energie")


def main():
    app = create_app()
    with app.app_context():
        anna = accounts.create_facilitator("bench@example.org", "Bench", "bench-password-1")
        plan = plans.create_plan({"title": "Bench", "organisation": "Bench",
                                  "horizon_start": 2027, "horizon_end": 2032})
        for name in DOMAINS:
            plans.add_domain(plan, {"name": name, "colour": plans.next_colour(plan)})
        workshop = workshops.create_workshop(plan, {
            "title": "Bench", "groups": ["Medewerkers", "Externen"]})
        domain_ids = [d.id for d in plan.domains]
        collect = agenda.add_step(workshop, {
            "kind": "collect", "title": "Ideeën", "item_kind": "ambition", "max_length": 200,
            "max_per_participant": 40, "domain_ids": domain_ids})
        run_once("bench", None, lambda: running.start_step(workshop, collect.id))
        author, _token = participation.join(workshop, "Auteur", workshop.groups[0].id)
        proposals = {}
        for domain_id in domain_ids:
            for n in range(5):
                result, _ = run_once("bench", None, lambda d=domain_id, n=n: (
                    participation.submit_proposal(author, collect.id, d, f"Voorstel {d}-{n}")))
                proposals.setdefault(str(domain_id), []).append(result.ack["proposal"]["id"])
        vote = agenda.add_step(workshop, {
            "kind": "vote", "title": "Stemmen", "source_step_id": collect.id,
            "vote_method": "dots", "dot_budget": 20, "max_per_item": 5, "shuffle": True,
            "domain_ids": domain_ids})
        run_once("bench", None, lambda: running.start_step(workshop, vote.id))
        run_once("bench", None, lambda: running.set_reveal(workshop, vote.id, "presenter"))
        serializer = app.session_interface.get_signing_serializer(app)
        cookie = serializer.dumps({"_user_id": anna.get_id(), "_fresh": True})
        db.session.commit()  # services flush; the seed is the edge that commits
        print(json.dumps({"workshop_id": workshop.id, "code": workshop.code,
                          "group_ids": [g.id for g in workshop.groups],
                          "step_id": vote.id, "proposals": proposals,
                          "session_cookie": cookie}))
        db.session.remove()
    return 0


if __name__ == "__main__":
    sys.exit(main())
