"""Loads a realistic demo: a Flemish regional development agency and its plan."""

import datetime as dt
import secrets
from dataclasses import dataclass

from sqlalchemy import select

from workshop.accounts import services as accounts
from workshop.demo.people import demo_team, name_reporter
from workshop.extensions import db
from workshop.live import agenda, running, workshops
from workshop.orgs import services as orgs
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
     "body": "Vandaag bepalen we samen de ambities voor elk werkdomein. Neem uw telefoon erbij."},
    {"kind": "collect", "title": "Waar staan we in 2032?",
     "body": "Schrijf per werkdomein een tot drie ambities op: kort en concreet.",
     "item_kind": "ambition", "max_length": 200, "max_per_participant": 3,
     "limit_per_domain": True,
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
    progress_token: str | None = None
    # (role, e-mail, password) of the other demo members, one of every role
    people: tuple = ()


def load_demo():
    """Create the demo plan (and a demo account on a fresh install); safe to run twice."""
    existing = db.session.scalar(
        select(Plan).where(Plan.title == DEMO_TITLE, Plan.organisation == DEMO_ORGANISATION)
    )
    if existing is not None:
        return DemoResult(plan=existing, created=False)

    email = password = None
    owner = None
    fresh = accounts.count_facilitators() == 0
    if fresh:
        email, password = DEMO_EMAIL, secrets.token_urlsafe(12)
        owner = accounts.create_facilitator(
            email, "Demo-beheerder", password,
            organisation=orgs.home_organisation(DEMO_ORGANISATION))
    plan = plans.create_plan(DEMO_PLAN, created_by=owner)
    people = demo_team(plan, owner) if fresh else ()
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
    progress_token = _indicators(plan)
    if people:
        name_reporter(plan, "indicatoren@koers.example")
    return DemoResult(plan=plan, created=True, email=email, password=password,
                      workshop=workshop, review_token=token, progress_token=progress_token,
                      people=people)




def _finished_workshop(plan):
    """Ambitions collected and dot-voted by 12 people in two groups, results revealed."""
    from workshop.live import participation
    from workshop.voting import ballots

    def run(change):  # a socket command's Outcome; the demo command commits it all once
        return change()

    workshop = workshops.create_workshop(plan, {
        "title": "Sessie 1: ambities (afgerond)",
        "groups": ["Medewerkers", "Externe belanghebbenden"],
    })
    domain_ids = [d.id for d in plan.domains]
    collect = agenda.add_step(workshop, {
        "kind": "collect", "title": "Welke ambitie kiest u per werkdomein?",
        "item_kind": "ambition", "max_length": 200, "max_per_participant": 12,
        "domain_ids": domain_ids})
    run(lambda: running.start_step(workshop, collect.id))
    people = [participation.join(workshop, f"Deelnemer {n + 1}", workshop.groups[n % 2].id)[0]
              for n in range(12)]
    ids = {}
    for n, (domain, text) in enumerate(FINISHED_PROPOSALS):
        author = people[n % len(people)]
        result = run(lambda a=author, d=domain, t=text: participation.submit_proposal(
            a, collect.id, domain_ids[d], t))
        ids.setdefault(domain, []).append(result.ack["proposal"]["id"])
    vote = agenda.add_step(workshop, {
        "kind": "vote", "title": "Welke ambities wegen het zwaarst?", "source_step_id": collect.id,
        "vote_method": "dots", "dot_budget": 3, "max_per_item": 2, "domain_ids": domain_ids})
    run(lambda: running.start_step(workshop, vote.id))
    for n, person in enumerate(people):
        picks = EMPLOYEE_DOTS if n % 2 == 0 else EXTERNAL_DOTS
        for proposals in ids.values():
            for pick in picks:
                run(lambda p=person, i=proposals[pick]: ballots.add_dots(p, vote.id, i, 1))
    run(lambda: running.set_reveal(workshop, vote.id, "everyone"))
    run(lambda: running.finish_workshop(workshop))
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
    from workshop.tree import services as tree
    from workshop.voting import promote

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
     "", "noted", "Dank u: we stemmen de timing met u af."),
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

    from workshop.core.time import utcnow
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
        comment = review.save_comment(reviewer, closed, goal["id"], reaction, text, rewording).value
        review.answer(closed, comment, disposition, reply)
    closed.closes_at = now - timedelta(days=16)
    db.session.flush()
    _open, token = review.open_round(plan, version, {
        "title": "Consultatie burgers", "timezone": "Europe/Brussels",
        "invitation": "Reageer op de doelen van ons ontwerpplan. Het duurt tien minuten.",
        "opens_at": (now - timedelta(days=1)).replace(tzinfo=None),
        "closes_at": (now + timedelta(days=13)).replace(tzinfo=None)})
    return token


# Indicators on the goals, each with about a year of measurements. Dates are counted back
# from the day the demo is loaded, so its statuses are the same whenever it is loaded.
# "gaps": per measurement, how many percentage points the value lags behind the straight
# path from baseline to target (negative: ahead); the last one decides the status
# (default thresholds: up to 10 on track, up to 25 at risk, beyond that off track).
# "values": measured values as they are (the range indicator). "skip": the latest periods
# that have no measurement yet (overdue). Neither: a new indicator, not measured yet.
DEMO_INDICATORS = [
    {"goal": "Tegen 2030 vijf nieuwe klimaatneutrale bedrijventerreinen",
     "name": "Oppervlakte klimaatneutraal bedrijventerrein in gebruik", "unit": "ha",
     "definition": "Bruto oppervlakte van uitgegeven percelen op terreinen die als "
                   "klimaatneutraal zijn aangelegd.",
     "direction": "up", "baseline_value": 12, "target_value": 85, "years": 3,
     "frequency": "quarterly", "step": 0.5, "cumulative": True,
     "owner": "Dienst Ruimte", "data_source": "Eigen uitgifteregister",
     "gaps": [0, 3, -2, 4, -3],
     "notes": {2: "Terrein Noord fase 1 opgeleverd.", 4: "Fase 2 sneller klaar dan gepland."}},
    {"goal": "Tegen 2030 vijf nieuwe klimaatneutrale bedrijventerreinen",
     "name": "Bezettingsgraad bedrijvencentra", "unit": "%",
     "definition": "Verhuurde oppervlakte in onze bedrijvencentra als deel van de "
                   "verhuurbare oppervlakte. Tussen 85 en 95 % houdt ruimte vrij voor "
                   "groeiers zonder veel leegstand.",
     "direction": "range", "range_low": 85, "range_high": 95, "baseline_value": 90.5,
     "frequency": "monthly", "owner": "Beheer bedrijvencentra",
     "data_source": "Huurdersbestand",
     "values": [91.5, 92.0, 93.1, 92.4, 90.8, 86.2, 83.9, 84.6, 86.9, 88.3, 89.0, 89.7],
     "notes": {6: "Nieuw bedrijvencentrum in Zele geopend: tijdelijk meer leegstand.",
               9: "Twaalf nieuwe huurders via de startersactie."}},
    {"goal": "Drie multimodale hubs aan het water in gebruik",
     "name": "Aandeel goederenvervoer over water op onze terreinen", "unit": "%",
     "definition": "Tonnen die over water aan- of afgevoerd worden als deel van alle "
                   "tonnen van de bedrijven op onze terreinen.",
     "direction": "up", "baseline_value": 9, "target_value": 18, "years": 4,
     "frequency": "quarterly", "step": 0.1, "skip": 2,
     "owner": "Logistiek team", "data_source": "Bevraging verladers en kaaibeheerders",
     "gaps": [-1, 1, 2, 4, 15],
     "notes": {1: "Eerste binnenvaartlijn naar Antwerpen gestart.",
               4: "Kaai Noord drie maanden dicht voor herstelling."}},
    {"goal": "Haalbaarheidsstudie kaai Zuid",
     "name": "Bedrijven met interesse in kaai Zuid", "unit": "bedrijven",
     "definition": "Bedrijven die schriftelijk interesse tonen om kaai Zuid te gebruiken. "
                   "De eerste meting volgt na de marktbevraging.",
     "direction": "up", "baseline_value": 0, "target_value": 12, "years": 2,
     "frequency": "quarterly", "new": True,
     "owner": "Logistiek team", "data_source": "Marktbevraging"},
    {"goal": "Elk kennisdomein heeft een actief innovatiecluster",
     "name": "Bedrijven actief in een innovatiecluster", "unit": "bedrijven",
     "definition": "Bedrijven die in het voorbije kwartaal aan minstens één "
                   "clusteractiviteit deelnamen.",
     "direction": "up", "baseline_value": 85, "target_value": 250, "years": 3,
     "frequency": "quarterly", "step": 1,
     "owner": "Innovatieteam", "data_source": "Deelnemerslijsten clusters",
     "gaps": [4, 10, 18, 25, 32],
     "notes": {2: "Cluster biotech stilgevallen na het vertrek van de trekker.",
               4: "Nieuwe trekker gezocht; relance gepland."}},
    {"goal": "Clusterbijeenkomst per kwartaal",
     "name": "Starters ondersteund sinds de start van het plan", "unit": "starters",
     "definition": "Starters met minstens drie begeleidingsmomenten in een incubator of "
                   "cluster, opgeteld sinds de nulmeting.",
     "direction": "up", "baseline_value": 0, "target_value": 150, "years": 3,
     "frequency": "monthly", "step": 1, "cumulative": True,
     "owner": "Innovatieteam", "data_source": "CRM starterswerking",
     "gaps": [2, 1, 2, 3, 2, 1, 1, 2, 3, 2, 1, 2],
     "notes": {5: "Startersdag met 40 deelnemers.", 11: "Incubator Dendermonde vol."}},
    {"goal": "De helft van de energie op onze terreinen is lokaal opgewekt",
     "name": "Aandeel lokaal opgewekte energie", "unit": "%",
     "definition": "Energie die op of naast onze terreinen hernieuwbaar wordt opgewekt, als "
                   "deel van het totale verbruik van de bedrijven op die terreinen.",
     "direction": "up", "baseline_value": 14, "target_value": 50, "years": 4,
     "frequency": "quarterly", "step": 0.1,
     "owner": "Energieteam", "data_source": "Netbeheerder en eigen meters",
     "gaps": [2, 6, 9, 12, 16],
     "notes": {3: "Windturbine Kallo vertraagd door vergunning."}},
    {"goal": "Energiescan van tien terreinen",
     "name": "CO2-uitstoot van bedrijven op onze terreinen", "unit": "kton CO2",
     "definition": "Uitstoot over de voorbije twaalf maanden, volgens de energiescans.",
     "direction": "down", "baseline_value": 412, "target_value": 300, "years": 4,
     "frequency": "quarterly", "step": 1,
     "owner": "Energieteam", "data_source": "Energiescans",
     "gaps": [3, 1, -1, 2, 0],
     "notes": {2: "Restwarmtenet terrein Zuid in gebruik."}},
]


def _period_start(today, months):
    """The first day of the month (1) or quarter (3) that today falls in."""
    return dt.date(today.year, (today.month - 1) // months * months + 1, 1)


def _indicators(plan):
    """The demo's indicators and their measurements; returns the public progress token."""
    from workshop.monitor import services as monitor
    from workshop.monitor.status import FREQUENCIES, add_months
    from workshop.tree.models import PlanItem

    today = dt.date.today()
    goals = {item.text: item.id for item in db.session.scalars(
        select(PlanItem).where(PlanItem.plan_id == plan.id))}
    made = []
    for spec in DEMO_INDICATORS:
        period = FREQUENCIES[spec["frequency"]]
        current = _period_start(today, period)
        fields = {key: spec[key] for key in (
            "name", "definition", "unit", "direction", "baseline_value", "frequency",
            "owner", "data_source", "range_low", "range_high", "target_value") if key in spec}
        fields["baseline_date"] = current if spec.get("new") else add_months(current, -18)
        if "years" in spec:
            fields["target_date"] = dt.date(today.year + spec["years"], 12, 31)
        indicator = monitor.add_indicator(plan, goals[spec["goal"]], fields)
        made.append((spec, indicator, current, period))
    db.session.flush()

    rows = []
    for spec, indicator, current, period in made:
        series = spec.get("values") or spec.get("gaps") or []
        skip = spec.get("skip", 0)
        days = [add_months(current, -period * (len(series) - 1 + skip - n))
                for n in range(len(series))]
        previous = None
        for n, (day, number) in enumerate(zip(days, series, strict=True)):
            value = float(number) if "values" in spec else _on_path(indicator, day, number,
                                                                    spec["step"])
            if spec.get("cumulative") and previous is not None:
                value = max(value, previous)
            previous = value
            rows.append((indicator.id, day, value, spec.get("notes", {}).get(n, "")))
    monitor.import_measurements(plan, rows)
    return monitor.new_public_link(plan)


def _on_path(indicator, day, gap, step):
    """The value `gap` percentage points behind the straight path on `day`, rounded."""
    base, target = indicator.baseline_value, indicator.target_value
    share = (day - indicator.baseline_date).days / (
        indicator.target_date - indicator.baseline_date).days
    value = base + (min(1.0, max(0.0, share)) - gap / 100) * (target - base)
    return round(round(value / step) * step, 2)
