"""A plan whose every text field carries a 60-letter Dutch compound, built through the
services (fast, no clicking). Run as `python -m tests.browser.long_words` with a server's
environment: it prints, as JSON, the addresses the narrow-screen sweep visits.
"""

import datetime as dt
import json
from datetime import timedelta

# 60 letters, no hyphen, no space: what a Dutch facilitator really types.
WORD = "Bedrijventerreinenherstructureringsprogrammacoördinatieteams"
SHORT = "Klimaatadaptatiemaatregelenuitvoeringsplan"  # 42: fields of at most 40-60 chars
EMAIL = "lang@example.org"
PASSWORD = "correct horse battery"
assert len(WORD) == 60


def long(text):
    return f"{text} {WORD}"


def build():
    """Create everything; returns the ids and public tokens the sweep needs."""
    from workshop.accounts import services as accounts
    from workshop.core.time import utcnow
    from workshop.live import agenda, participation, running, workshops
    from workshop.monitor import services as monitor
    from workshop.plans import services as plans
    from workshop.realtime.executor import run_once
    from workshop.review import services as review
    from workshop.tree import services as tree
    from workshop.tree import versions
    from workshop.voting import ballots, promote

    def run(change):
        return run_once("long-words", None, change)[0]

    account = accounts.create_facilitator(EMAIL, long("Anna"), PASSWORD)
    accounts.create_facilitator("piet@example.org", WORD, PASSWORD, created_by=account)
    plan = plans.create_plan({
        "title": long("Strategisch plan"), "organisation": long("Ontwikkelingsmaatschappij"),
        "mission": long("Wij versterken de regio met een"),
        "tagline": long("Participeert."), "horizon_start": 2027, "horizon_end": 2032,
    }, created_by=account)
    for n in range(3):
        plans.add_domain(plan, {"name": long(f"Domein {n + 1}"),
                                "description": long("Samenwerking met de"),
                                "colour": ["#1f5f8b", "#b5541c", "#2e7d4f"][n]})
    domain_ids = [d.id for d in plan.domains]

    workshop = workshops.create_workshop(plan, {
        "title": long("Sessie"), "groups": [long("Medewerkers"), SHORT],
        "min_group_size": 1})
    info = agenda.add_step(workshop, {"kind": "info", "title": long("Welkom"),
                                      "body": long("Vandaag bepalen we de")})
    collect = agenda.add_step(workshop, {
        "kind": "collect", "title": long("Ambities"), "body": long("Schrijf een"),
        "item_kind": "ambition", "max_length": 500, "max_per_participant": 20,
        "domain_ids": domain_ids})
    run(lambda: running.start_step(workshop, collect.id))
    people = [participation.join(workshop, SHORT if n else WORD, workshop.groups[n % 2].id)[0]
              for n in range(4)]
    proposals = []
    for n, domain_id in enumerate(domain_ids * 2):
        text = long(f"Voorstel {n + 1}")
        result = run(lambda a=people[n % 4], d=domain_id, t=text:
                     participation.submit_proposal(a, collect.id, d, t))
        proposals.append(result.ack["proposal"]["id"])
    vote = agenda.add_step(workshop, {
        "kind": "vote", "title": long("Stemmen"), "body": long("Verdeel je"),
        "source_step_id": collect.id, "vote_method": "dots", "dot_budget": 3,
        "max_per_item": 2, "domain_ids": domain_ids})
    agenda.add_step(workshop, {
        "kind": "vote", "title": long("Scores"), "source_step_id": collect.id,
        "vote_method": "score", "score_low_label": SHORT[:40], "score_high_label": SHORT[:40],
        "domain_ids": domain_ids})
    run(lambda: running.start_step(workshop, vote.id))
    for person in people:
        for pid in proposals[:3]:
            run(lambda p=person, i=pid: ballots.add_dots(p, vote.id, i, 1))
    run(lambda: running.set_reveal(workshop, vote.id, "everyone"))

    ambitions = promote.promote(plan, vote, "top", "ambition", top=1)
    goal = operational = None
    for ambition in ambitions:
        goal = tree.add_item(plan, "strategic_goal", ambition.domain_id,
                             long("Tegen 2030 een"), ambition.id)
        tree.edit_item(plan, goal, {"horizon_year": 2030, "note": long("Budget voor het")})
        operational = tree.add_item(plan, "operational_goal", ambition.domain_id,
                                    long("Masterplan voor het"), goal.id)
        tree.edit_item(plan, operational, {"owner": long("Dienst"), "deadline": SHORT[:40],
                                           "note": long("Middelen:")})
    today = dt.date.today()
    indicator = monitor.add_indicator(plan, goal.id, {
        "name": long("Oppervlakte"), "unit": SHORT[:40], "definition": long("Bruto"),
        "owner": long("Dienst"), "data_source": long("Register"), "direction": "up",
        "baseline_value": 12, "target_value": 85, "frequency": "quarterly",
        "baseline_date": today - timedelta(days=400), "target_date": today.replace(
            year=today.year + 3)})
    monitor.import_measurements(plan, [
        (indicator.id, today - timedelta(days=300), 20.0, long("Fase 1 van het")),
        (indicator.id, today - timedelta(days=100), 31.5, long("Fase 2 van het"))])
    progress_token = monitor.new_public_link(plan)

    version = versions.set_status(plan, "review", actor=account)
    now = utcnow()
    round_, _shared = review.open_round(plan, version, {
        "title": long("Consultatie"), "invitation": long("Wat vindt u van de"),
        "timezone": "Europe/Brussels",
        "opens_at": (now - timedelta(days=1)).replace(tzinfo=None),
        "closes_at": (now + timedelta(days=13)).replace(tzinfo=None)})
    link, review_token = review.add_personal_link(round_, long("Ine"), long("Havenbedrijf"),
                                                  SHORT)
    reviewer, _ = review.register(round_, link, {})
    other, _ = review.register(round_, None, {"name": long("Jo"), "organisation": WORD,
                                              "group_name": SHORT})
    targets = [g["id"] for domain in review.goals(round_) for g in domain["goals"]]
    for n, item_id in enumerate(targets):
        review.save_comment(reviewer, round_, item_id, "concerns", long("Dit is veel voor"),
                            long("Tegen 2030 drie"))
        answered = review.save_comment(other, round_, item_id, "object", long("Eerst de")).value
        if n == 0:
            review.answer(round_, answered, "rejected", long("Dit zit al in het"))
    return {
        "email": EMAIL, "password": PASSWORD, "plan": plan.id, "domain": domain_ids[0],
        "workshop": workshop.id, "code": workshop.code, "info_step": info.id,
        "collect_step": collect.id, "vote_step": vote.id, "item": goal.id,
        "operational": operational.id, "indicator": indicator.id, "round": round_.id,
        "review_token": review_token, "progress_token": progress_token,
        "facilitator": account.id,
    }


def main():
    from workshop import create_app

    app = create_app()
    with app.test_request_context():
        seeded = build()
        from workshop.extensions import db  # noqa: PLC0415 (after create_app, like the rest)

        db.session.commit()  # services flush; the seed is the edge that commits
        print(json.dumps(seeded))


if __name__ == "__main__":
    main()
