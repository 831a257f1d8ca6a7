"""The whole-plan JSON: what it holds, the round trip, and refusing a bad file."""

import copy
import json

import pytest
from sqlalchemy import func, select

from config import TestingConfig
from workshop import create_app
from workshop.accounts.models import Facilitator
from workshop.export import archive
from workshop.extensions import db
from workshop.live.models import Participant, Workshop
from workshop.monitor import services as monitor
from workshop.orgs import services as orgs
from workshop.plans.models import Plan
from workshop.review.models import ReviewLink, ReviewRound
from workshop.tree import services as tree
from workshop.voting.models import Vote


def test_the_file_holds_the_whole_plan_without_secrets(app, demo):
    plan = demo["plan"]
    assert any(r["name"] for r in archive.dump(plan)["reviewers"])
    from workshop.review import services as review
    review.add_personal_link(db.session.scalars(select(ReviewRound)).first(), "Ine Claes",
                             "Gemeente", "Partners")
    for round_ in db.session.scalars(select(ReviewRound)):
        round_.named = False  # an anonymous consultation: no names leave the server
    db.session.commit()
    tree.delete(plan, demo["items"][-1])  # history and versions still name a deleted item
    data = archive.dump(plan)
    assert data["schema"] == "koers-plan" and data["version"] == 1
    assert [d["name"] for d in data["domains"]] == demo["domains"]
    assert len(data["items"]) == len(demo["items"]) - 1
    assert len(data["votes"]) == db.session.scalar(select(func.count(Vote.id)))
    assert len(data["comments"]) >= len(demo["comments"])
    assert data["item_sources"] and data["item_changes"] and data["versions"]
    text = json.dumps(data)
    for secret in ("token_hash", "nonce", "code", "password"):
        assert f'"{secret}"' not in text
    for link in db.session.scalars(select(ReviewLink)):
        assert link.token_hash not in text
    for workshop in db.session.scalars(select(Workshop)):
        assert workshop.code not in text
    # Names only from named workshops.
    anonymous = {w["ref"] for w in data["workshops"] if w["anonymous"]}
    assert all(p["display_name"] is None for p in data["participants"]
               if p["workshop"] in anonymous)
    named = [p for p in data["participants"] if p["workshop"] not in anonymous]
    assert named and all(p["display_name"] for p in named)
    hidden = {r["ref"] for r in data["review_rounds"] if not r["named"]}
    assert hidden and all(r["name"] == r["organisation"] == "" for r in data["reviewers"]
                          if r["round"] in hidden)
    assert len(hidden) == len(data["review_rounds"]) and data["reviewers"]
    assert data["review_links"] and all(
        (r["name"], r["organisation"], r["group_name"]) == ("", "", "")
        for r in data["review_links"])
    assert "Ine Claes" not in text and "Ine Claes" not in json.dumps(data)


@pytest.fixture
def other_app(tmp_path):
    """A second, empty Koers database (another server)."""
    app = create_app(TestingConfig, instance_path=tmp_path / "other",
                     SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'other.db'}")
    return app


def _measured_indicator(demo):
    """An indicator with measurements, one of them deleted (the history still names it)."""
    plan = demo["plan"]
    goal = next(i for i in demo["items"] if i.level == "strategic_goal")
    indicator = monitor.add_indicator(plan, goal.id, {
        "name": "Hectare klimaatneutraal", "unit": "ha", "baseline_value": 0,
        "baseline_date": "2025-01-01", "target_value": 50, "target_date": "2030-01-01"})
    for day, value in (("2025-06-01", 3), ("2025-09-01", 5), ("2025-12-01", 9)):
        monitor.add_measurement(indicator, {"date": day, "value": value})
    monitor.delete_measurement(indicator, indicator.measurements[1])
    monitor.set_thresholds(plan, 12, 30)
    monitor.new_public_link(plan)
    return indicator


def test_round_trip_into_another_database_gives_the_same_file(app, demo, other_app):
    plan = demo["plan"]
    tree.delete(plan, demo["items"][-1])
    _measured_indicator(demo)
    first = archive.dumps(plan)
    emails = [f.email for f in db.session.scalars(select(Facilitator))]
    with other_app.app_context():
        db.create_all()
        for email in emails:  # the same people have accounts there
            db.session.add(Facilitator(email=email, name=email, password_hash="x"))
        db.session.add(Plan(title="Already here", organisation="X", horizon_start=2026,
                            horizon_end=2030,
                            organisation_id=orgs.home_organisation("X").id))
        db.session.commit()
        restored = archive.load(json.loads(first))
        assert restored.title == plan.title
        indicator = next(i for i in monitor.indicators(restored)
                         if i.name == "Hectare klimaatneutraal")
        assert [m.value for m in indicator.measurements] == [3, 9]
        assert [c.action for c in monitor.history(indicator)] == [
            "deleted", "added", "added", "added"]
        assert monitor.thresholds(restored).on_track_tolerance == 12
        assert monitor.public_token(restored)  # a new link, not the old one
        assert db.session.scalar(select(func.count(Participant.id))) > 0
        second = archive.dumps(restored)
        # …and a second import into the same database, next to the first copy.
        third = archive.dumps(archive.load(json.loads(second)))
        db.session.remove()
        db.engine.dispose()
    assert second == first
    assert third == first


def test_restored_plan_works_in_the_app(app, demo, other_app):
    data = archive.dump(demo["plan"])
    with other_app.app_context():
        db.create_all()
        plan = archive.load(data)
        codes = [w.code for w in db.session.scalars(select(Workshop))]
        assert len(set(codes)) == len(codes) == len(data["workshops"])
        client = other_app.test_client()
        assert client.get(f"/plans/{plan.id}").status_code == 302  # log in first: it exists
        db.session.remove()
        db.engine.dispose()


def _count_rows():
    return [db.session.scalar(select(func.count()).select_from(model))
            for model in (Plan, Workshop, Participant, Vote)]


@pytest.mark.parametrize("damage, message", [
    (lambda d: d.update(schema="something-else"), "not a Koers plan export"),
    (lambda d: d.update(version=99), "schema version 99"),
    (lambda d: d["items"][3].update(domain=999), "does not contain"),
    (lambda d: d["votes"][0].update(participant="seven"), "not a number"),
    (lambda d: d["workshops"][0].update(date="31/12/2026"), "nothing was stored"),
    (lambda d: d["votes"][-1].update(value=-3), "nothing was stored"),
    (lambda d: d["votes"].append(dict(d["votes"][0])), "nothing was stored"),
    (lambda d: d.pop("plan"), "nothing was stored"),
])
def test_a_bad_file_is_refused_whole(app, demo, damage, message):
    data = copy.deepcopy(archive.dump(demo["plan"]))
    damage(data)
    before = _count_rows()
    with pytest.raises(archive.ImportRefused) as refused:
        archive.load(data)
    assert message in str(refused.value.message)
    assert _count_rows() == before


def test_slots_of_a_per_domain_limit_follow_their_domain_into_another_database(app, demo,
                                                                               other_app):
    from workshop.live import agenda, participation, running
    from workshop.live.models import Proposal
    from workshop.realtime.executor import run_once

    plan = demo["plan"]
    workshop = db.session.scalars(select(Workshop).where(Workshop.plan_id == plan.id,
                                                         Workshop.status != "finished")).first()
    step = agenda.add_step(workshop, {
        "kind": "collect", "title": "Per domein", "item_kind": "ambition", "max_length": 200,
        "max_per_participant": 1, "limit_per_domain": True,
        "domain_ids": [d.id for d in plan.domains]})
    run_once("t", None, lambda: running.start_step(workshop, step.id))
    piet, _token = participation.join(workshop, "Piet", workshop.groups[0].id)
    for domain in plan.domains:
        run_once("t", None, lambda d=domain: participation.submit_proposal(
            piet, step.id, d.id, f"Voor {d.name}"))
    data = archive.dump(plan)
    sent = len(plan.domains)
    with other_app.app_context():
        db.create_all()
        other = Plan(title="Already here", organisation="X", horizon_start=2026,
                     horizon_end=2030, organisation_id=orgs.home_organisation("X").id)
        db.session.add(other)
        db.session.flush()
        from workshop.plans.models import Domain

        db.session.add_all([Domain(plan_id=other.id, name=f"D{n}", position=n)
                            for n in range(7)])  # so the restored domains get other ids
        db.session.commit()
        archive.load(data)
        restored = db.session.scalars(select(Proposal).where(
            Proposal.text.like("Voor %"), Proposal.slot > 1000)).all()
        assert len(restored) == sent
        assert all(p.slot == p.domain_id * 1000 + 1 for p in restored)
        db.session.remove()
        db.engine.dispose()
