"""Seeds a revealed dot vote for the presenter tests: 4 domains × 12 long items, 3 groups
of 5 voters (the privacy threshold), group splits and divergent items.

Run against a test server's database: python -m tests.browser.presenter_seed [top]
Prints JSON: the workshop id and every item's text per domain.
`… presenter_seed wall`: the same workshop with an info step and the collect step not
yet started, and `… presenter_seed start <workshop id> <position>` makes a step live.
"""

import json
import sys

DOMAINS = [("Bedrijventerreinen en ruimte voor ondernemen", "#1f5f8b"),
           ("Logistiek", "#b5541c"), ("Kenniseconomie en innovatie", "#8a4b9c"),
           ("Energietransitie en bio-economie", "#2e7d4f")]
GROUPS = ["Medewerkers", "Externe belanghebbenden", "Bestuur en directie"]
PER_GROUP = 5
# A Dutch compound of exactly 60 letters: it cannot wrap at a space.
WORD = ("Bedrijventerreinherstructureringsprogrammaondersteuningsfonds"
        "verantwoordelijke")[:60]
PHRASES = [
    "Elk nieuw bedrijventerrein wordt klimaatneutraal aangelegd en beheerd, samen met "
    "de bedrijven die er zich vestigen",
    "Leegstaande bedrijfsgebouwen binnen twee jaar opnieuw in gebruik",
    f"Een {WORD} per regio",
    "Bedrijvencentra worden de ontmoetingsplek voor starters, groeiers en buren",
    "Slimme stadsdistributie zonder lege kilometers",
    f"{WORD}",
    "Opleidingen samen met de sector, zodat vacatures sneller ingevuld raken en "
    "werkzoekenden een echte kans krijgen",
    "Van onderzoek naar bedrijf in één loket",
    "Internationaal talent aantrekken en houden met een warm onthaal",
    f"Restwarmte delen tussen buren op elk terrein: {WORD}",
    "Biogebaseerde grondstoffen uit de haven",
    "Elk bedrijventerrein wekt zijn eigen energie op",
]


def group_dots(domain, item):
    """Dots of each group on item `item` (0–11): groups 1 and 2 like the first items,
    group 3 the last ones, so totals fall steadily and some items diverge. In the last
    domain items 5 and 6 end up equal (a tie at the cut of a top 5)."""
    third = item // 2 + (2 if domain == 3 and item == 5 else 0)
    return [12 - item, 12 - item, third]


def start(workshop_id, position):
    from workshop import create_app
    from workshop.extensions import db
    from workshop.live import running
    from workshop.live.models import Workshop
    from workshop.realtime.executor import run_once

    with create_app().app_context():
        workshop = db.session.get(Workshop, workshop_id)
        step = workshop.steps[position - 1]
        run_once("seed", None, lambda: running.start_step(workshop, step.id))


def main(top=None, wall=False):
    from workshop import create_app
    from workshop.extensions import db
    from workshop.live import agenda, participation, running, workshops
    from workshop.plans import services as plans
    from workshop.realtime.executor import run_once
    from workshop.voting import ballots

    def run(change):
        return run_once("seed", None, change)[0]

    app = create_app()
    with app.app_context():
        plan = plans.create_plan({"title": "Presenter", "organisation": "POM",
                                  "horizon_start": 2027, "horizon_end": 2032})
        for name, colour in DOMAINS:
            plans.add_domain(plan, {"name": name, "colour": colour})
        domain_ids = [d.id for d in plan.domains]
        workshop = workshops.create_workshop(plan, {"title": "Ambities", "groups": GROUPS})
        if wall:
            agenda.add_step(workshop, {"kind": "info", "title": "Welkom bij de " + WORD,
                                       "body": "Vandaag bepalen we samen de ambities. " * 12})
        collect = agenda.add_step(workshop, {
            "kind": "collect", "title": "Ambities per werkdomein", "item_kind": "ambition",
            "max_length": 200, "max_per_participant": 48, "domain_ids": domain_ids})
        run(lambda: running.start_step(workshop, collect.id))
        people = [[participation.join(workshop, f"{group[:3]} {n}", workshop.groups[g].id)[0]
                   for n in range(PER_GROUP)] for g, group in enumerate(GROUPS)]
        texts, ids = [], []
        for d, domain_id in enumerate(domain_ids):
            texts.append([f"{PHRASES[i]} ({d + 1}.{i + 1})" for i in range(12)])
            ids.append([run(lambda t=text, di=domain_id: participation.submit_proposal(
                people[0][0], collect.id, di, t)).ack["proposal"]["id"]
                for text in texts[-1]])
        if wall:  # the collect step stays live with its wall; the lobby comes first
            workshop.live_step_id = None
            db.session.commit()
            print(json.dumps({"workshop_id": workshop.id, "texts": texts}))
            return
        vote = agenda.add_step(workshop, {
            "kind": "vote", "title": "Wat weegt het zwaarst?", "source_step_id": collect.id,
            "vote_method": "dots", "dot_budget": 30, "max_per_item": 30,
            "budget_per_domain": True, "domain_ids": domain_ids, "presenter_top": top})
        run(lambda: running.start_step(workshop, vote.id))
        for d in range(len(domain_ids)):
            for i, proposal_id in enumerate(ids[d]):
                for g, dots in enumerate(group_dots(d, i)):
                    for k, person in enumerate(people[g]):
                        # spread over the group, each person starting somewhere else
                        share = dots // PER_GROUP + ((k - i) % PER_GROUP < dots % PER_GROUP)
                        for _ in range(share):
                            run(lambda p=person, pid=proposal_id: ballots.add_dots(
                                p, vote.id, pid, 1))
        run(lambda: running.set_reveal(workshop, vote.id, "presenter"))
        db.session.commit()
        print(json.dumps({"workshop_id": workshop.id, "texts": texts}))


if __name__ == "__main__":
    if sys.argv[1:2] == ["start"]:
        start(int(sys.argv[2]), int(sys.argv[3]))
    elif sys.argv[1:2] == ["wall"]:
        main(wall=True)
    else:
        main(int(sys.argv[1]) if len(sys.argv) > 1 else None)
