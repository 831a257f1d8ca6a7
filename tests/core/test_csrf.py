"""Every form that changes something refuses a request without a valid CSRF token."""

import re

import pytest
from sqlalchemy import select

from config import TestingConfig
from tests.conftest import PASSWORD, FreshContextClient
from workshop import create_app
from workshop.accounts import services as accounts
from workshop.accounts.models import Facilitator
from workshop.extensions import db
from workshop.live import agenda, workshops
from workshop.live.models import Participant, Step, Workshop
from workshop.monitor.models import Indicator, Measurement, MonitorSettings
from workshop.orgs.models import Invitation, Membership, Organisation
from workshop.plans import services as plans
from workshop.plans.models import Domain, Plan, PlanMember
from workshop.review.models import Comment, Reviewer, ReviewLink, ReviewRound
from workshop.tree.models import PlanItem


@pytest.fixture
def csrf_app(tmp_path):
    app = create_app(TestingConfig, instance_path=tmp_path / "i", WTF_CSRF_ENABLED=True,
                     SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'c.db'}")
    app.test_client_class = FreshContextClient
    with app.app_context():
        db.create_all()
        anna = accounts.create_facilitator("anna@example.org", "Anna", PASSWORD)
        bert = accounts.create_facilitator("bert@example.org", "Bert", PASSWORD,
                                           role="facilitator")
        plan = plans.create_plan({"title": "Plan", "organisation": "POM",
                                  "horizon_start": 2027, "horizon_end": 2032})
        for name in ("A", "B"):
            plans.add_domain(plan, {"name": name, "colour": "#1f5f8b"})
        workshop = workshops.create_workshop(plan, {"title": "W", "groups": ["G"]})
        for title in ("One", "Two"):
            agenda.add_step(workshop, {"kind": "info", "title": title})
        app.config["CODE"] = workshop.code
        from workshop.tree import services as tree

        first = tree.add_item(plan, "ambition", plan.domains[0].id, "Eerste")
        tree.add_item(plan, "ambition", plan.domains[0].id, "Tweede")
        tree.edit_item(plan, first, {"text": "Eerste, aangepast"})
        from datetime import timedelta

        from workshop.core.time import utcnow
        from workshop.review import services as review
        from workshop.tree import versions

        version = versions.set_status(plan, "review")
        versions.set_status(plan, "draft")
        round_, token = review.open_round(plan, version, {
            "title": "R", "timezone": "UTC", "opens_at": utcnow() - timedelta(days=1),
            "closes_at": utcnow() + timedelta(days=1)})
        review.add_personal_link(round_, "Ine")
        reviewer, browser = review.register(round_, None, {"name": "An"})
        review.save_comment(reviewer, round_, first.id, "support", "Goed")
        app.config["REVIEW_TOKEN"] = token
        from itsdangerous import URLSafeSerializer

        app.config["REVIEW_COOKIE"] = (f"koers_r{round_.id}", URLSafeSerializer(
            app.config["SECRET_KEY"], salt="koers-reviewer").dumps(browser))
        app.config["ANNA_SESSION_ID"] = anna.get_id()
        from workshop.monitor import services as monitor

        goal = tree.add_item(plan, "strategic_goal", plan.domains[0].id, "Doel", first.id)
        indicator = monitor.add_indicator(plan, goal.id, {"name": "Jobs"})
        monitor.add_measurement(indicator, {"date": "2026-01-01", "value": "5"})
        monitor.new_public_link(plan)
        from workshop.orgs import services as orgs
        from workshop.plans import team

        orgs.invite(anna, plan.organisation_id, "cees@example.org", "viewer")
        team.add_to_team(anna, plan.id, orgs.list_members(plan.owner)[-1].id, "facilitator")
        assert bert.id == 2
        yield app
        db.session.remove()
        db.engine.dispose()


def _state():
    db.session.expire_all()
    return (
        [(f.email, f.password_hash, f.session_version)
         for f in db.session.scalars(select(Facilitator).order_by(Facilitator.id))],
        [(p.title, p.horizon_end) for p in db.session.scalars(select(Plan))],
        [(d.name, d.position, d.colour) for d in db.session.scalars(
            select(Domain).order_by(Domain.id))],
        [(w.title, w.code) for w in db.session.scalars(select(Workshop).order_by(Workshop.id))],
        [(s.title, s.position) for s in db.session.scalars(select(Step).order_by(Step.id))],
        db.session.scalars(select(Participant.id)).all(),
        [(i.text, i.position, i.domain_id, i.parent_id)
         for i in db.session.scalars(select(PlanItem).order_by(PlanItem.id))],
        [p.status for p in db.session.scalars(select(Plan))],
        [(r.title, r.closes_at, r.shared_token_hash) for r in db.session.scalars(
            select(ReviewRound))],
        [(link.name, link.revoked_at) for link in db.session.scalars(select(ReviewLink))],
        [(c.reaction, c.text, c.withdrawn, c.disposition) for c in db.session.scalars(
            select(Comment))],
        db.session.scalars(select(Reviewer.id)).all(),
        [(i.name, i.item_id) for i in db.session.scalars(select(Indicator))],
        [(m.date, m.value) for m in db.session.scalars(select(Measurement))],
        [(s.on_track_tolerance, s.public_token_hash) for s in db.session.scalars(
            select(MonitorSettings))],
        [(o.name,) for o in db.session.scalars(select(Organisation))],
        [(m.account_id, m.role) for m in db.session.scalars(
            select(Membership).order_by(Membership.id))],
        [(i.email, i.used_at) for i in db.session.scalars(select(Invitation))],
        [(t.membership_id, t.role) for t in db.session.scalars(select(PlanMember))],
    )


# Every POST route, with data that would change something if the request were accepted.
FORM_POSTS = [
    ("/plans/new", {"title": "New", "organisation": "X", "horizon_start": "2027",
                    "horizon_end": "2030"}),
    ("/plans/<int:plan_id>/edit", {"title": "Changed", "organisation": "X",
                                   "horizon_start": "2027", "horizon_end": "2030"}),
    ("/plans/<int:plan_id>/domains", {"name": "C", "colour": "#123456"}),
    ("/plans/<int:plan_id>/domains/<int:domain_id>/edit", {"name": "Changed",
                                                           "colour": "#123456"}),
    ("/plans/<int:plan_id>/domains/<int:domain_id>/move", {"direction": "down"}),
    ("/plans/<int:plan_id>/domains/<int:domain_id>/remove", {}),
    ("/organisations", {"name": "Tweede", "admin_email": "bert@example.org"}),
    ("/organisations/<int:organisation_id>/invitations", {"email": "bert@example.org",
                                                          "role": "viewer"}),
    ("/organisations/<int:organisation_id>/invitations/<int:invitation_id>/revoke", {}),
    ("/organisations/<int:organisation_id>/members/<int:membership_id>/role",
     {"role": "viewer"}),
    ("/organisations/<int:organisation_id>/members/<int:membership_id>/remove", {}),
    ("/invite/<token>", {"name": "Bert", "password": PASSWORD, "confirm": PASSWORD}),
    ("/plans/<int:plan_id>/team", {"member": "2", "role": "viewer"}),
    ("/plans/<int:plan_id>/delete", {"confirm": "Plan"}),
    ("/workshops/<int:workshop_id>/delete", {"confirm": "W"}),
    ("/organisations/<int:organisation_id>/settings", {"name": "X", "privacy_text": "",
                                                        "retention_days": "90"}),
    ("/plans/<int:plan_id>/team/<int:team_member_id>/role", {"role": "viewer"}),
    ("/plans/<int:plan_id>/team/<int:team_member_id>/remove", {}),
    ("/account/password", {"current_password": PASSWORD, "new_password": "another one!",
                           "confirm": "another one!"}),
    ("/logout", {}),
    ("/plans/<int:plan_id>/workshops/new", {"title": "W", "groups": "G"}),
    ("/workshops/<int:workshop_id>/edit", {"title": "Changed", "groups": "G"}),
    ("/workshops/<int:workshop_id>/duplicate", {}),
    ("/workshops/<int:workshop_id>/steps/new", {"kind": "info", "title": "New step"}),
    ("/workshops/<int:workshop_id>/steps/<int:step_id>/edit", {"kind": "info",
                                                               "title": "Changed"}),
    ("/workshops/<int:workshop_id>/steps/<int:step_id>/move", {"direction": "down"}),
    ("/workshops/<int:workshop_id>/steps/<int:step_id>/duplicate", {}),
    ("/workshops/<int:workshop_id>/steps/<int:step_id>/delete", {}),
    ("/j", {"code": "ABCDEFGH"}),
    ("/j/<code>", {"display_name": "Piet", "group_id": "1"}),
    ("/plans/<int:plan_id>/items", {"level": "ambition", "domain_id": "1", "text": "Nieuw"}),
    ("/plans/<int:plan_id>/items/<int:item_id>", {"text": "Gewijzigd"}),
    ("/plans/<int:plan_id>/items/<int:item_id>/reorder", {"direction": "down"}),
    ("/plans/<int:plan_id>/items/<int:item_id>/place", {"index": "1"}),
    ("/plans/<int:plan_id>/items/<int:item_id>/move", {"target": "d2"}),
    ("/plans/<int:plan_id>/items/<int:item_id>/merge", {"target_id": "2"}),
    ("/plans/<int:plan_id>/items/<int:item_id>/split", {"parts": "A\nB"}),
    ("/plans/<int:plan_id>/items/<int:item_id>/delete", {}),
    ("/plans/<int:plan_id>/changes/<int:change_id>/revert", {}),
    ("/plans/<int:plan_id>/status", {"status": "review"}),
    ("/workshops/<int:workshop_id>/steps/<int:step_id>/promote", {"mode": "top",
                                                                   "level": "ambition"}),
    ("/plans/<int:plan_id>/reviews/new", {"version_id": "1", "title": "R",
                                          "opens_at": "2027-01-01T09:00",
                                          "closes_at": "2027-01-09T09:00",
                                          "timezone": "UTC", "levels": ["ambition"]}),
    ("/plans/<int:plan_id>/reviews/new/version", {}),
    ("/plans/<int:plan_id>/reviews/<int:round_id>/links", {"name": "Ine"}),
    ("/plans/<int:plan_id>/reviews/<int:round_id>/links/<int:link_id>/revoke", {}),
    ("/plans/<int:plan_id>/reviews/<int:round_id>/shared", {"what": "revoke"}),
    ("/plans/<int:plan_id>/reviews/<int:round_id>/close", {}),
    ("/plans/<int:plan_id>/reviews/<int:round_id>/comments/<int:comment_id>",
     {"disposition": "noted", "reply": "Ok"}),
    ("/r/<token>/register", {"name": "Jo"}),
    ("/r/<token>/goals/<int:item_id>", {"reaction": "object", "text": "Nee"}),
    ("/r/<token>/comments/<int:comment_id>/withdraw", {}),
    ("/plans/<int:plan_id>/monitor/thresholds", {"on_track_tolerance": "5",
                                                 "off_track_tolerance": "9"}),
    ("/plans/<int:plan_id>/monitor/link", {}),
    ("/plans/<int:plan_id>/monitor/link/off", {}),
    ("/plans/<int:plan_id>/indicators/new", {"item_id": "3", "name": "Nieuw"}),
    ("/plans/<int:plan_id>/indicators/<int:indicator_id>/edit", {"item_id": "3",
                                                                 "name": "Anders"}),
    ("/plans/<int:plan_id>/indicators/<int:indicator_id>/delete", {}),
    ("/plans/<int:plan_id>/indicators/<int:indicator_id>/measurements",
     {"date": "2026-02-01", "value": "7"}),
    ("/plans/<int:plan_id>/indicators/<int:indicator_id>/measurements/<int:measurement_id>",
     {"date": "2026-01-01", "value": "8"}),
    ("/plans/<int:plan_id>/indicators/<int:indicator_id>/measurements/<int:measurement_id>"
     "/delete", {}),
    ("/plans/<int:plan_id>/monitor/import", {}),
    ("/plans/<int:plan_id>/monitor/import/confirm",
     {"rows": '[[1, "2025-06-01", 3.0, ""]]'}),
]


def _concrete(rule, app):
    url = rule.replace("<int:change_id>", "3")  # the one edit in the history
    url = url.replace("<token>", app.config["REVIEW_TOKEN"])
    url = re.sub(r"<int:\w+>", "1", url)
    return url.replace("<code>", app.config["CODE"])


def test_every_changing_post_route_is_listed_here(csrf_app):
    posts = {r.rule for r in csrf_app.url_map.iter_rules() if "POST" in r.methods}
    # /setup and /login check their token too (tests/accounts); /api/join is JSON for
    # other clients and only joins, which needs the code anyway.
    assert posts - {"/setup", "/login", "/api/join"} == {rule for rule, _ in FORM_POSTS}


@pytest.mark.parametrize(("url", "data"), FORM_POSTS)
@pytest.mark.parametrize("token", [None, "forged-token"])
def test_post_without_valid_csrf_token_changes_nothing(csrf_app, url, data, token):
    client = csrf_app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = csrf_app.config["ANNA_SESSION_ID"]
        session["_fresh"] = True
    client.set_cookie(*csrf_app.config["REVIEW_COOKIE"])  # the reviewer of the comment
    before = _state()
    payload = dict(data, **({"csrf_token": token} if token else {}))
    response = client.post(_concrete(url, csrf_app), data=payload)
    assert response.status_code in (200, 302, 400, 404, 422)
    assert _state() == before
    assert client.get("/").status_code == 200  # still logged in: logout refused too
