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


@dataclass
class DemoResult:
    plan: Plan
    created: bool
    email: str | None = None
    password: str | None = None
    workshop: object = None


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
    return DemoResult(plan=plan, created=True, email=email, password=password,
                      workshop=workshop)
