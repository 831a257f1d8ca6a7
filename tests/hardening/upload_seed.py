"""Seeds a plan with a live collect step for the hostile-upload test.

Run against a test server's database: python -m tests.hardening.upload_seed
Prints JSON: plan_id, workshop_id, code, group_id, step_id.
"""

import json


def main():
    from workshop import create_app
    from workshop.extensions import db
    from workshop.live import agenda, running, workshops
    from workshop.plans import services as plans
    from workshop.realtime.executor import run_once

    with create_app().app_context():
        plan = plans.create_plan({"title": "Uploads", "organisation": "POM",
                                  "horizon_start": 2027, "horizon_end": 2032})
        plans.add_domain(plan, {"name": "Logistiek", "colour": "#b5541c"})
        workshop = workshops.create_workshop(plan, {"title": "Live", "groups": ["Iedereen"]})
        step = agenda.add_step(workshop, {
            "kind": "collect", "title": "Ideeën", "item_kind": "ambition",
            "max_length": 200, "max_per_participant": 100,
            "domain_ids": [plan.domains[0].id]})
        run_once("seed", None, lambda: running.start_step(workshop, step.id))
        db.session.commit()
        print(json.dumps({"plan_id": plan.id, "workshop_id": workshop.id,
                          "code": workshop.code, "group_id": workshop.groups[0].id,
                          "step_id": step.id, "domain_id": plan.domains[0].id}))


if __name__ == "__main__":
    main()
