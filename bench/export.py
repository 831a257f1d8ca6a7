"""Plan export benchmark: a full-size plan exported to every format, timed in-process.

Builds, in a temporary SQLite database, a plan of 4 work domains × 5 ambitions × 3
strategic goals × 4 operational goals (320 items), a finished workshop whose dot vote
has the requested number of vote rows, and a review round with the requested number of
comments; then times `workshop.export.services.export` per format, each run in a fresh
app and request context (a fresh database session, as one download request has).
Prints wall-clock min/median/max, median CPU time, size and peak RSS per format as a
table (or one JSON line with --json); exits 1 when the DOCX median is over
--limit. See docs/benchmarks.md.
"""

import argparse
import datetime as dt
import json
import math
import resource
import secrets
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import insert, update

from config import ProductionConfig
from workshop import create_app
from workshop.accounts import services as accounts
from workshop.core.time import utcnow
from workshop.export import services as export
from workshop.extensions import db
from workshop.live import agenda, participation, running, workshops
from workshop.live.models import Participant, Step
from workshop.plans import services as plans
from workshop.plans.models import Plan
from workshop.realtime.executor import run_once
from workshop.review import services as review
from workshop.tree import services as tree
from workshop.tree import versions
from workshop.voting.models import DotBudget, Vote

DOMAINS = ("Ruimte en bedrijventerreinen", "Logistiek en mobiliteit", "Kennis en innovatie",
           "Energie en klimaat")
AMBITIONS, STRATEGIC, OPERATIONAL = 5, 3, 4
PROPOSALS_PER_DOMAIN = 10
VOTES_PER_DOMAIN = 5  # vote rows per participant and domain (distinct proposals)
DOT_VALUES = (3, 2, 2, 2, 1)  # dots on those five: 10, the budget per domain
DOT_BUDGET, MAX_PER_ITEM = 10, 3
COMMENTS_PER_REVIEWER = 10
REVIEWER_GROUPS = ("Partners", "Lokale besturen", "Ondernemers", "Burgers")
REACTIONS = ("support", "support", "concerns", "object")
DISPOSITIONS = ("accepted", "partly", "rejected", "noted")
OWNERS = ("Dienst Ruimte", "Logistiek team", "Innovatieteam", "Energieteam", "Directie")
FILLER = ("zodat bedrijven, bewoners en partners in de regio er samen sterker van worden "
          "en de resultaten elk jaar zichtbaar en meetbaar zijn")


def _say(text):
    print(text, file=sys.stderr, flush=True)


def build(votes, comments):
    """The data set, through the project's services (votes in bulk). Returns counts."""
    anna = accounts.create_facilitator("bench@example.org", "Bench", "bench-password-1")
    plan = plans.create_plan({
        "title": "Strategisch plan 2027–2032",
        "organisation": "Regionale Ontwikkelingsmaatschappij",
        "mission": "Wij versterken de regionale economie met ruimte, kennis en energie " + FILLER,
        "tagline": "Samen vooruit", "horizon_start": 2027, "horizon_end": 2032},
        created_by=anna)
    for name in DOMAINS:
        plans.add_domain(plan, {"name": name, "colour": plans.next_colour(plan)})
    workshop = _workshop(plan, votes)
    items = _tree(plan, anna)
    version = versions.set_status(plan, "review", anna)
    reviewers = _review(plan, version, comments, anna)
    db.session.commit()  # services flush; the benchmark is the edge that commits
    return {"plan_id": plan.id, "data": {"items": items, **workshop, **reviewers}}


def _workshop(plan, total_votes):
    """A finished workshop, two groups: proposals collected, then dot-voted (in bulk)."""

    def run(change):
        return run_once("bench", None, change)[0]

    people_count = max(2, math.ceil(total_votes / (VOTES_PER_DOMAIN * len(DOMAINS))))
    workshop = workshops.create_workshop(plan, {
        "title": "Sessie 1: ambities", "date": dt.date(2026, 10, 15),
        "groups": ["Medewerkers", "Externe belanghebbenden"]})
    domain_ids = [d.id for d in plan.domains]
    collect = agenda.add_step(workshop, {
        "kind": "collect", "title": "Welke ambitie kies je per werkdomein?",
        "item_kind": "ambition", "max_length": 200,
        "max_per_participant": min(100, PROPOSALS_PER_DOMAIN * len(DOMAINS)),
        "domain_ids": domain_ids})
    run(lambda: running.start_step(workshop, collect.id))
    people = [participation.join(workshop, f"Deelnemer {n + 1}",
                                 workshop.groups[n % 2].id)[0].id
              for n in range(people_count)]
    proposals = {}
    for n in range(PROPOSALS_PER_DOMAIN):
        for d, domain_id in enumerate(domain_ids):
            author = db.session.get(Participant, people[(n * 4 + d) % people_count])
            text = f"Voorstel {n + 1} voor {DOMAINS[d].lower()}, {FILLER}"
            result = run(lambda a=author, i=domain_id, t=text: participation.submit_proposal(
                a, collect.id, i, t))
            proposals.setdefault(domain_id, []).append(result.ack["proposal"]["id"])
    vote = agenda.add_step(workshop, {
        "kind": "vote", "title": "Welke ambities wegen het zwaarst?",
        "source_step_id": collect.id, "vote_method": "dots", "dot_budget": DOT_BUDGET,
        "max_per_item": MAX_PER_ITEM, "domain_ids": domain_ids})
    run(lambda: running.start_step(workshop, vote.id))
    votes, budgets = _ballots(vote.id, people, proposals, total_votes)
    dots = sum(v["value"] for v in votes)
    if votes:
        db.session.execute(insert(Vote), votes)
        db.session.execute(insert(DotBudget), budgets)
    # The vote counter a live vote bumps once per dot: the export skips unvoted steps.
    db.session.execute(update(Step).where(Step.id == vote.id)
                       .values(vote_seq=dots))
    db.session.commit()
    run(lambda: running.set_reveal(workshop, vote.id, "everyone"))
    run(lambda: running.finish_workshop(workshop))
    return {"participants": people_count, "proposals": len(domain_ids) * PROPOSALS_PER_DOMAIN,
            "votes": len(votes), "dots": dots}


def _ballots(step_id, people, proposals, total):
    """Vote and DotBudget rows: per participant and domain five distinct proposals with
    3+2+2+2+1 dots (rotated), until `total` vote rows; budgets add up what was spent."""
    now = utcnow()
    votes, budgets = [], []
    for p, person in enumerate(people):
        for domain_id, items in proposals.items():
            spent = 0
            for j in range(VOTES_PER_DOMAIN):
                if len(votes) == total:
                    break
                value = DOT_VALUES[(p + j) % len(DOT_VALUES)]
                votes.append({"step_id": step_id, "participant_id": person,
                              "proposal_id": items[(p + 2 * j) % len(items)], "method": "dots",
                              "scope": domain_id, "value": value, "updated_at": now})
                spent += value
            if spent:
                budgets.append({"step_id": step_id, "participant_id": person,
                                "scope": domain_id, "budget": DOT_BUDGET, "spent": spent})
    return votes, budgets


def _tree(plan, actor):
    """4 × 5 ambitions, 3 strategic goals each, 4 operational goals each (one commit)."""
    n = 0
    for d, domain in enumerate(plan.domains):
        for a in range(AMBITIONS):
            ambition = tree.new_item(
                plan, "ambition", domain.id,
                f"Ambitie {d + 1}.{a + 1}: {domain.name.lower()} {FILLER}", actor=actor)
            for s in range(STRATEGIC):
                goal = tree.new_item(
                    plan, "strategic_goal", domain.id,
                    f"Strategisch doel {d + 1}.{a + 1}.{s + 1}: tegen {2029 + s} {FILLER}",
                    ambition, actor, horizon_year=2029 + s,
                    note="Budget uit het meerjarenplan; personeel binnen de bestaande teams.")
                for o in range(OPERATIONAL):
                    n += 1
                    tree.new_item(
                        plan, "operational_goal", domain.id,
                        f"Operationeel doel {d + 1}.{a + 1}.{s + 1}.{o + 1}: {FILLER}", goal,
                        actor, owner=OWNERS[n % len(OWNERS)],
                        deadline=f"{2027 + (n % 5)} Q{1 + n % 4}",
                        note=f"€ {(n % 9 + 1) * 25_000:,} per jaar".replace(",", "."))
    db.session.commit()
    return len(plan.domains) * AMBITIONS * (1 + STRATEGIC * (1 + OPERATIONAL))


def _review(plan, version, total, actor):
    """An open round on the version; comments from several reviewers, two in three answered."""
    now = utcnow()
    round_, _token = review.open_round(plan, version, {
        "title": "Consultatie partners", "timezone": "UTC",
        "invitation": "Wat vindt u van onze ontwerpdoelen?",
        "opens_at": now - dt.timedelta(days=1), "closes_at": now + dt.timedelta(days=13)})
    goals = [g["id"] for d in review.goals(round_) for g in d["goals"]]
    reviewers = math.ceil(total / COMMENTS_PER_REVIEWER)
    made = 0
    for r in range(reviewers):
        reviewer, _ = review.register(round_, None, {
            "name": f"Stakeholder {r + 1}", "organisation": f"Organisatie {r % 7 + 1}",
            "group_name": REVIEWER_GROUPS[r % len(REVIEWER_GROUPS)]})
        for k in range(min(COMMENTS_PER_REVIEWER, total - made, len(goals))):
            goal = goals[(r * 37 + k) % len(goals)]
            reaction = REACTIONS[(r + k) % len(REACTIONS)]
            rewording = f"Herformulering voorgesteld door stakeholder {r + 1}" if k % 5 == 0 else ""
            text = f"Reactie {k + 1} van stakeholder {r + 1}: {FILLER}. " * (1 + k % 3)
            comment = review.save_comment(reviewer, round_, goal, reaction, text, rewording).value
            if made % 3 != 2:
                review.answer(round_, comment, DISPOSITIONS[made % len(DISPOSITIONS)],
                              f"Dank u. We nemen dit mee in de volgende versie ({made + 1}).",
                              actor)
            made += 1
    return {"reviewers": reviewers, "comments": made, "answered": made - made // 3}


def peak_rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def reset_peak_rss():
    """Start a new peak (Linux: clear_refs 5 resets the high-water mark getrusage reads),
    so each format's peak is its own, not the set-up's (argon2 alone takes ~48 MB).
    False where that is not possible: the peak is then the process's so far."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def measure(app, plan_id, formats, repeat, lang):
    results = {}
    for fmt in formats:
        reset_peak_rss()
        times, cpu, size = [], [], None
        for _ in range(repeat):
            # One fresh context per run: a fresh session, as a download request has.
            with app.app_context(), app.test_request_context():
                plan = db.session.get(Plan, plan_id)
                started, cpu_started = time.perf_counter(), time.process_time()
                data, _name, _type = export.export(plan, fmt, lang=lang)
                times.append(time.perf_counter() - started)
                cpu.append(time.process_time() - cpu_started)
            size = len(data)
        results[fmt] = {"min_s": round(min(times), 3),
                        "median_s": round(statistics.median(times), 3),
                        "max_s": round(max(times), 3),
                        "cpu_median_s": round(statistics.median(cpu), 3), "bytes": size,
                        "peak_rss_mb": round(peak_rss_mb(), 1)}
    return results


def table(result):
    data = result["data"]
    lines = [
        f"Plan export: {data['items']} items ({len(DOMAINS)}×{AMBITIONS}×{STRATEGIC}×"
        f"{OPERATIONAL}), {data['votes']:,} votes ({data['participants']} participants, "
        f"{data['proposals']} proposals), {data['comments']} comments "
        f"({data['reviewers']} reviewers, {data['answered']} answered); "
        f"repeat {result['repeat']}, lang {result['lang']}; set-up {result['setup_s']} s, "
        f"RSS before exports {result['rss_before_mb']} MB",
        f"{'format':<7}{'min s':>9}{'median s':>10}{'max s':>9}{'CPU s':>8}{'size':>12}"
        f"{'peak RSS':>11}"
        + ("" if result["peak_rss_per_format"] else "  (of the whole process)"),
    ]
    for fmt, r in result["formats"].items():
        lines.append(f"{fmt:<7}{r['min_s']:>9.3f}{r['median_s']:>10.3f}{r['max_s']:>9.3f}"
                     f"{r['cpu_median_s']:>8.3f}{r['bytes'] / 1024:>9.1f} KB"
                     f"{r['peak_rss_mb']:>8.1f} MB")
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--votes", type=int, default=2000, help="vote rows (default 2000)")
    parser.add_argument("--comments", type=int, default=200, help="review comments (200)")
    parser.add_argument("--repeat", type=int, default=5, help="runs per format (5)")
    parser.add_argument("--formats", default=",".join(export.FORMATS),
                        help="comma-separated (default: all)")
    parser.add_argument("--lang", default="nl", choices=export.LANGUAGES)
    parser.add_argument("--limit", type=float, default=5.0,
                        help="fail when the DOCX median exceeds this many seconds (5.0)")
    parser.add_argument("--json", action="store_true", help="print one JSON line instead")
    args = parser.parse_args(argv)
    formats = [f.strip() for f in args.formats.split(",") if f.strip()]
    unknown = [f for f in formats if f not in export.FORMATS]
    if unknown or args.repeat < 1 or args.votes < 0 or args.comments < 0:
        parser.error(f"formats are {', '.join(export.FORMATS)}; repeat ≥ 1, counts ≥ 0")

    workdir = Path(tempfile.mkdtemp(prefix="koers-bench-export-"))
    try:
        app = create_app(ProductionConfig, instance_path=workdir,
                         SQLALCHEMY_DATABASE_URI=f"sqlite:///{workdir / 'koers.db'}",
                         SECRET_KEY=secrets.token_hex(32), SOCKETIO_ASYNC_MODE="threading")
        started = time.perf_counter()
        with app.app_context(), app.test_request_context():
            db.create_all()
            built = build(args.votes, args.comments)
        setup_s = time.perf_counter() - started
        own_peaks = reset_peak_rss()
        rss_before = peak_rss_mb()  # just reset: the RSS now
        _say(f"data ready in {setup_s:.1f} s; exporting {', '.join(formats)} "
             f"× {args.repeat}")
        measured = measure(app, built["plan_id"], formats, args.repeat, args.lang)
        with app.app_context():
            db.engine.dispose()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)

    result = {
        "data": built["data"],
        "repeat": args.repeat, "lang": args.lang, "setup_s": round(setup_s, 2),
        "rss_before_mb": round(rss_before, 1), "formats": measured,
        "limit_s": args.limit, "peak_rss_per_format": own_peaks,
    }
    docx = measured.get("docx")
    result["ok"] = docx is None or docx["median_s"] <= args.limit
    print(json.dumps(result) if args.json else table(result), flush=True)
    if not result["ok"]:
        _say(f"DOCX median {docx['median_s']} s is over the limit of {args.limit} s")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
