"""Two organisations with a member of every role, and one of everything in A's plan.

Organisation A ("POM"): its administrator (the installation's first account), a
facilitator on the plan's team, a facilitator who is not, an indicator owner and a
viewer on the team. Organisation B ("Other"): its administrator and a plan of its own.
"""

from datetime import timedelta

from tests.conftest import PASSWORD
from workshop.accounts import services as accounts
from workshop.core.time import utcnow
from workshop.extensions import db
from workshop.live import agenda, participation, workshops
from workshop.monitor import services as monitor
from workshop.orgs import services as orgs
from workshop.plans import services as plans
from workshop.plans import team
from workshop.review import services as review
from workshop.tree import services as tree
from workshop.tree import versions

ROLES = ("admin_a", "facilitator_a", "facilitator_off_team", "owner_a", "viewer_a",
         "admin_b", "anonymous")


def seed():
    """Returns {role: account or None, "ids": {...}, "tokens": {...}}."""
    org_a = orgs.create_organisation("POM")
    admin_a = accounts.create_facilitator("admin-a@example.org", "Adminne A", PASSWORD,
                                          organisation=org_a)
    people = {"admin_a": admin_a}
    for key, role in (("facilitator_a", "facilitator"), ("facilitator_off_team", "facilitator"),
                      ("owner_a", "indicator_owner"), ("viewer_a", "viewer")):
        people[key] = accounts.create_facilitator(f"{key}@example.org", key, PASSWORD,
                                                  organisation=org_a, role=role)
    org_b = orgs.create_organisation("Other")
    people["admin_b"] = accounts.create_facilitator("admin-b@example.org", "Admin B",
                                                    PASSWORD, organisation=org_b)
    people["anonymous"] = None

    plan = plans.create_plan({"title": "Plan A", "organisation": "POM",
                              "horizon_start": 2027, "horizon_end": 2032}, organisation=org_a)
    members = {m.account_id: m for m in orgs.list_members(org_a)}
    for key, role in (("facilitator_a", "facilitator"), ("owner_a", "indicator_owner"),
                      ("viewer_a", "viewer")):
        team.add_to_team(admin_a, plan.id, members[people[key].id].id, role)
    for name in ("A", "B"):
        plans.add_domain(plan, {"name": name, "colour": "#1f5f8b"})
    workshop = workshops.create_workshop(plan, {"title": "W", "groups": ["G"]})
    collect = agenda.add_step(workshop, {
        "kind": "collect", "title": "Ideeën", "item_kind": "ambition", "max_length": 200,
        "max_per_participant": 3, "domain_ids": [d.id for d in plan.domains]})
    vote = agenda.add_step(workshop, {
        "kind": "vote", "title": "Stem", "source_step_id": collect.id, "vote_method": "dots",
        "dot_budget": 5, "max_per_item": 3, "domain_ids": [d.id for d in plan.domains]})
    first = tree.add_item(plan, "ambition", plan.domains[0].id, "Eerste")
    tree.add_item(plan, "ambition", plan.domains[0].id, "Tweede")
    tree.edit_item(plan, first, {"text": "Eerste, aangepast"})
    version = versions.set_status(plan, "review")
    versions.set_status(plan, "draft")
    round_, review_token = review.open_round(plan, version, {
        "title": "R", "timezone": "UTC", "opens_at": utcnow() - timedelta(days=1),
        "closes_at": utcnow() + timedelta(days=1)})
    review.add_personal_link(round_, "Ine")
    reviewer, _browser = review.register(round_, None, {"name": "An"})
    review.save_comment(reviewer, round_, first.id, "support", "Goed")
    goal = tree.add_item(plan, "strategic_goal", plan.domains[0].id, "Doel", first.id)
    indicator = monitor.add_indicator(plan, goal.id, {"name": "Jobs",
                                                      "reporter_id": people["owner_a"].id})
    monitor.add_measurement(indicator, {"date": "2026-01-01", "value": "5"})
    progress_token = monitor.new_public_link(plan)
    invitation, invite_token = orgs.invite(admin_a, org_a.id, "new@example.org", "viewer")
    participant, _token = participation.join(workshop, "Piet", workshop.groups[0].id)

    plan_b = plans.create_plan({"title": "Plan B", "organisation": "Other",
                                "horizon_start": 2027, "horizon_end": 2032}, organisation=org_b)
    workshops.create_workshop(plan_b, {"title": "W B", "groups": ["G"]})
    db.session.commit()  # services flush; the seed is the edge that commits
    viewer_team_id = next(t.id for t in team.list_team(plan)
                          if t.membership.account_id == people["viewer_a"].id)
    return {**people, "ids": {
        "plan_id": plan.id, "domain_id": plan.domains[0].id, "workshop_id": workshop.id,
        "step_id": vote.id, "item_id": first.id, "change_id": 3,
        "round_id": round_.id, "comment_id": 1, "link_id": 1, "indicator_id": indicator.id,
        "measurement_id": 1, "organisation_id": org_a.id, "invitation_id": invitation.id,
        "membership_id": members[people["viewer_a"].id].id, "team_member_id": viewer_team_id,
        "participant_id": participant.id, "goal_id": goal.id,
    }, "tokens": {"review": review_token, "progress": progress_token,
                  "invite": invite_token, "code": workshop.code},
        "plan_b": plan_b.id}
