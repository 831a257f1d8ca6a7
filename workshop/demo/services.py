"""Loads a realistic demo: a Flemish regional development agency and its plan."""

import secrets
from dataclasses import dataclass

from sqlalchemy import select

from workshop.accounts import services as accounts
from workshop.extensions import db
from workshop.live import agenda, workshops
from workshop.plans import services as plans
from workshop.plans.models import Plan

DEMO_TITLE = "Strategisch plan 2027–2032"
DEMO_ORGANISATION = "Ontwikkelingsmaatschappij Scheldeland"
DEMO_EMAIL = "demo@koers.example"

DEMO_PLAN = {
    "title": DEMO_TITLE,
    "organisation": DEMO_ORGANISATION,
    "mission": (
        "Wij versterken de regio door ondernemerschap te stimuleren en grenzen te verleggen. "
        "Wij maken het verschil door participatie en samenwerking in projecten en "
        "economische initiatieven."
    ),
    "tagline": "Participeert. Onderneemt. Motiveert.",
    "horizon_start": 2027,
    "horizon_end": 2032,
}

DEMO_DOMAINS = [
    {
        "name": "Bedrijventerreinen en ruimte voor ondernemen",
        "description": "Nieuwe en vernieuwde bedrijventerreinen, bedrijvencentra en "
        "zuinig ruimtegebruik.",
        "colour": "#1f5f8b",
    },
    {
        "name": "Logistiek",
        "description": "De regio als logistieke topregio: multimodaal, slim en duurzaam.",
        "colour": "#b5541c",
    },
    {
        "name": "Kenniseconomie en innovatie",
        "description": "Samenwerking tussen bedrijven, kennisinstellingen en overheid; "
        "incubatoren en innovatieclusters.",
        "colour": "#8a4b9c",
    },
    {
        "name": "Energietransitie en bio-economie",
        "description": "Hernieuwbare energie, cleantech en de biogebaseerde economie.",
        "colour": "#2e7d4f",
    },
]


DEMO_STEPS = [
    {"kind": "info", "title": "Welkom!",
     "body": "Vandaag bepalen we samen de ambities voor elk werkdomein. Neem je telefoon erbij."},
    {"kind": "collect", "title": "Waar staan we in 2032?",
     "body": "Schrijf per werkdomein één ambitie op: kort en concreet.",
     "item_kind": "ambition", "max_length": 200, "max_per_participant": 4,
     "time_limit_seconds": 600},
    {"kind": "info", "title": "Pauze", "body": "Koffie! Over tien minuten gaan we verder.",
     "time_limit_seconds": 600},
    {"kind": "collect", "title": "Een baseline voor de organisatie",
     "body": "Welke korte zin vat samen waar we voor staan?", "item_kind": "tagline",
     "max_length": 80, "max_per_participant": 2},
]


# A finished workshop, so results can be seen without a room of phones.
FINISHED_PROPOSALS = [
    (0, "Elk nieuw bedrijventerrein klimaatneutraal aangelegd"),
    (0, "Leegstaande bedrijfsgebouwen binnen twee jaar opnieuw in gebruik"),
    (0, "Bedrijvencentra als ontmoetingsplek voor starters"),
    (1, "De regio als draaischijf voor vervoer over water"),
    (1, "Slimme stadsdistributie zonder lege kilometers"),
    (1, "Opleidingen logistiek samen met de sector"),
    (2, "Een innovatiecluster rond elk sterk kennisdomein"),
    (2, "Van onderzoek naar bedrijf in één loket"),
    (2, "Internationaal talent aantrekken en houden"),
    (3, "Elk bedrijventerrein wekt zijn eigen energie op"),
    (3, "Restwarmte delen tussen buren"),
    (3, "Biogebaseerde grondstoffen uit de haven"),
]
# Dots per voter per domain (which proposals of the domain get a dot), per group.
EMPLOYEE_DOTS = [0, 0, 1]
EXTERNAL_DOTS = [2, 2, 0]


@dataclass
class DemoResult:
    plan: Plan
    created: bool
    email: str | None = None
    password: str | None = None
    workshop: object = None
    review_token: str | None = None


def load_demo():
    """Create the demo plan (and a demo account on a fresh install); safe to run twice."""
    existing = db.session.scalar(
        select(Plan).where(Plan.title == DEMO_TITLE, Plan.organisation == DEMO_ORGANISATION)
    )
    if existing is not None:
        return DemoResult(plan=existing, created=False)

    email = password = None
    owner = None
    if accounts.count_facilitators() == 0:
        email, password = DEMO_EMAIL, secrets.token_urlsafe(12)
        owner = accounts.create_facilitator(email, "Demo-facilitator", password)
    plan = plans.create_plan(DEMO_PLAN, created_by=owner)
    for domain in DEMO_DOMAINS:
        plans.add_domain(plan, domain)
    workshop = workshops.create_workshop(plan, {
        "title": "Ambities per werkdomein",
        "groups": ["Medewerkers", "Externe belanghebbenden"],
    })
    for step in DEMO_STEPS:
        agenda.add_step(workshop, {**step, "domain_ids": [d.id for d in plan.domains]})
    _finished_workshop(plan)
    token = _review_rounds(plan)
    return DemoResult(plan=plan, created=True, email=email, password=password,
                      workshop=workshop, review_token=token)


def _finished_workshop(plan):
    """Ambitions collected and dot-voted by 12 people in two groups, results revealed."""
    from workshop.core.receipts import run_once
    from workshop.live import participation
    from workshop.voting import ballots

    def run(change):
        return run_once("demo", None, change)[0]

    workshop = workshops.create_workshop(plan, {
        "title": "Sessie 1: ambities (afgerond)",
        "groups": ["Medewerkers", "Externe belanghebbenden"],
    })
    domain_ids = [d.id for d in plan.domains]
    collect = agenda.add_step(workshop, {
        "kind": "collect", "title": "Welke ambitie kies je per werkdomein?",
        "item_kind": "ambition", "max_length": 200, "max_per_participant": 12,
        "domain_ids": domain_ids})
    run(lambda: agenda.start_step(workshop, collect.id))
    people = [participation.join(workshop, f"Deelnemer {n + 1}", workshop.groups[n % 2].id)[0]
              for n in range(12)]
    ids = {}
    for n, (domain, text) in enumerate(FINISHED_PROPOSALS):
        author = people[n % len(people)]
        result = run(lambda a=author, d=domain, t=text: participation.submit_proposal(
            a, collect.id, domain_ids[d], t))
        ids.setdefault(domain, []).append(result["ack"]["proposal"]["id"])
    vote = agenda.add_step(workshop, {
        "kind": "vote", "title": "Welke ambities wegen het zwaarst?", "source_step_id": collect.id,
        "vote_method": "dots", "dot_budget": 3, "max_per_item": 2, "domain_ids": domain_ids})
    run(lambda: agenda.start_step(workshop, vote.id))
    for n, person in enumerate(people):
        picks = EMPLOYEE_DOTS if n % 2 == 0 else EXTERNAL_DOTS
        for proposals in ids.values():
            for pick in picks:
                run(lambda p=person, i=proposals[pick]: ballots.add_dots(p, vote.id, i, 1))
    run(lambda: agenda.set_reveal(workshop, vote.id, "everyone"))
    run(lambda: agenda.finish_workshop(workshop))
    _plan_tree(plan, vote)
    return workshop


# Strategic and operational goals written after the session, under the promoted ambitions.
DEMO_GOALS = [
    [("Tegen 2030 vijf nieuwe klimaatneutrale bedrijventerreinen", 2030,
      [("Masterplan voor terrein Noord", "Dienst Ruimte", "2027 Q4"),
       ("Zonnepanelen op alle daken van bedrijfscentra", "Energieteam", "2028 Q2")])],
    [("Drie multimodale hubs aan het water in gebruik", 2031,
      [("Haalbaarheidsstudie kaai Zuid", "Logistiek team", "2027 Q3")])],
    [("Elk kennisdomein heeft een actief innovatiecluster", 2030,
      [("Clusterbijeenkomst per kwartaal", "Innovatieteam", "elk kwartaal")])],
    [("De helft van de energie op onze terreinen is lokaal opgewekt", 2032,
      [("Energiescan van tien terreinen", "Energieteam", "2027 Q2")])],
]


def _plan_tree(plan, vote):
    """Ambitions promoted from the demo vote, goals under them: the whole chain."""
    from workshop.tree import promote
    from workshop.tree import services as tree

    ambitions = promote.promote(plan, vote, "top", "ambition", top=1)
    for ambition, goals in zip(ambitions, DEMO_GOALS, strict=False):
        for text, year, actions in goals:
            goal = tree.add_item(plan, "strategic_goal", ambition.domain_id, text, ambition.id)
            tree.edit_item(plan, goal, {"horizon_year": year})
            for action, owner, deadline in actions:
                step = tree.add_item(plan, "operational_goal", ambition.domain_id, action,
                                     goal.id)
                tree.edit_item(plan, step, {"owner": owner, "deadline": deadline})


REVIEWS = [
    ("Ine Claes", "Havenbedrijf", "Partners", "support", "Sterk: dit sluit aan bij onze plannen.",
     "", "noted", "Dank je: we stemmen de timing met jullie af."),
    ("Jo Peeters", "Gemeente Zele", "Lokale besturen", "concerns",
     "Vijf terreinen is veel in zes jaar.", "Tegen 2030 drie nieuwe klimaatneutrale "
     "bedrijventerreinen", "partly", "We houden vijf als doel, maar faseren: drie tegen "
     "2028."),
    ("An De Smet", "Unizo", "Ondernemers", "object", "Eerst de bestaande terreinen "
     "vernieuwen.", "", "rejected", "Vernieuwing zit al in een ander doel; dit doel blijft."),
]


def _review_rounds(plan):
    """A closed consultation with answers, and an open one whose link is printed."""
    from datetime import timedelta

    from workshop.accounts.models import utcnow
    from workshop.review import services as review
    from workshop.tree import versions

    version = versions.set_status(plan, "review")
    now = utcnow()
    closed, _ = review.open_round(plan, version, {
        "title": "Consultatie partners (afgelopen)", "timezone": "UTC",
        "invitation": "Wat vindt u van onze ontwerpdoelen?",
        "opens_at": now - timedelta(days=30), "closes_at": now + timedelta(days=1),
        "levels": ["strategic_goal"]})
    goal = review.goals(closed)[0]["goals"][0]
    for name, org, group, reaction, text, rewording, disposition, reply in REVIEWS:
        reviewer, _ = review.register(closed, None, {"name": name, "organisation": org,
                                                    "group_name": group})
        comment = review.save_comment(reviewer, closed, goal["id"], reaction, text, rewording)
        review.answer(closed, comment, disposition, reply)
    closed.closes_at = now - timedelta(days=16)
    db.session.commit()
    _open, token = review.open_round(plan, version, {
        "title": "Consultatie burgers", "timezone": "Europe/Brussels",
        "invitation": "Reageer op de doelen van ons ontwerpplan. Het duurt tien minuten.",
        "opens_at": (now - timedelta(days=1)).replace(tzinfo=None),
        "closes_at": (now + timedelta(days=13)).replace(tzinfo=None)})
    return token
