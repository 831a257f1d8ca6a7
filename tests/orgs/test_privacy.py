"""Deleting a plan or a workshop, retention, and the privacy notice."""

import datetime as dt

import pytest
from sqlalchemy import select

from tests.conftest import collect_step
from workshop.core.errors import DomainError
from workshop.core.time import utcnow
from workshop.extensions import db
from workshop.live import agenda, participation, workshops
from workshop.live.models import Participant, Proposal, Workshop
from workshop.orgs import audit
from workshop.plans import services as plans
from workshop.plans.models import Plan
from workshop.privacy.retention import GONE, anonymise
from workshop.realtime.executor import execute, run_once
from workshop.review.models import Reviewer, ReviewLink


def test_deleting_a_workshop_needs_its_title_and_takes_its_join_code(app, logged_in,
                                                                     make_workshop, join):
    workshop = make_workshop(title="Ambities")
    join(workshop, name="Piet")
    code, workshop_id, organisation = workshop.code, workshop.id, workshop.plan.owner
    refused = logged_in.post(f"/workshops/{workshop_id}/delete", data={"confirm": "ambitie"})
    assert refused.status_code == 422 and "exactly" in refused.get_data(as_text=True)
    assert db.session.get(Workshop, workshop_id) is not None
    done = logged_in.post(f"/workshops/{workshop_id}/delete", data={"confirm": " Ambities "})
    assert done.status_code == 302
    db.session.expire_all()
    assert db.session.get(Workshop, workshop_id) is None
    assert db.session.scalars(select(Participant)).all() == []
    assert app.test_client().get(f"/j/{code}").status_code == 404
    actions = [e.action for e in audit.entries(organisation)]
    assert "workshop_deleted" in actions


def test_deleting_a_plan_offers_its_export_and_removes_everything(app, logged_in, make_plan,
                                                                  make_workshop):
    plan = make_plan(title="Strategie 2030", domains=["Ruimte"])
    make_workshop(plan=plan)
    page = logged_in.get(f"/plans/{plan.id}/delete").get_data(as_text=True)
    assert "format=json" in page and "format=pdf" in page
    organisation, plan_id = plan.owner, plan.id
    assert logged_in.post(f"/plans/{plan_id}/delete",
                          data={"confirm": "Strategie 2030"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Plan, plan_id) is None
    assert db.session.scalars(select(Workshop)).all() == []
    assert logged_in.get(f"/plans/{plan_id}").status_code == 404
    assert "plan_deleted" in [e.action for e in audit.entries(organisation)]
    with pytest.raises(DomainError):  # nothing left to delete, and a wrong title anyway
        plans.delete_plan(None, plan_id, "x")


def test_names_go_after_the_retention_period_and_results_stay(app, make_workshop, join,
                                                              review_round):
    workshop = make_workshop(steps=[])
    collect = agenda.add_step(workshop, collect_step(workshop.plan))
    db.session.commit()
    from workshop.live import running

    run_once("t", None, lambda: running.start_step(workshop, collect.id))
    piet, _ = join(workshop, name="Piet")
    result, _ = run_once("t", None, lambda: participation.submit_proposal(
        piet, collect.id, workshop.plan.domains[0].id, "Meer groen"))
    workshop.date = dt.date.today() - dt.timedelta(days=400)
    rr = review_round()
    from workshop.review import services as review

    review.add_personal_link(rr["round"], "Ine Peeters", "Stad")
    reviewer, _browser = review.register(rr["round"], None, {"name": "An", "organisation":
                                                             "Haven"})
    rr["round"].opens_at = utcnow() - dt.timedelta(days=380)
    rr["round"].closes_at = utcnow() - dt.timedelta(days=366)
    db.session.commit()
    assert execute(anonymise) != {}
    db.session.expire_all()
    assert db.session.get(Participant, piet.id).display_name is None
    assert db.session.get(Proposal, result.ack["proposal"]["id"]).text == "Meer groen"
    assert db.session.get(Reviewer, reviewer.id).name == ""
    assert {link.name for link in db.session.scalars(select(ReviewLink))} == {GONE}
    entries = [e for e in audit.entries(workshop.plan.owner) if e.action == "anonymised"]
    assert entries and "participants" in entries[0].subject
    assert execute(anonymise) == {}  # idempotent: nothing more to do


def test_recent_names_stay(app, make_workshop, join):
    workshop = make_workshop()
    piet, _ = join(workshop, name="Piet")
    assert execute(anonymise) == {}
    db.session.expire_all()
    assert db.session.get(Participant, piet.id).display_name == "Piet"


def test_the_cli_anonymises(app, runner, make_workshop, join):
    workshop = make_workshop()
    join(workshop, name="Piet")
    workshop.date = dt.date.today() - dt.timedelta(days=400)
    db.session.commit()
    out = runner.invoke(args=["koers", "anonymise"])
    assert out.exit_code == 0 and "1 participants" in out.output


def test_the_privacy_notice_is_linked_from_the_join_page_and_editable(app, client,
                                                                      logged_in,
                                                                      make_workshop):
    workshop = make_workshop()
    join_page = client.get(f"/j/{workshop.code}").get_data(as_text=True)
    url = f"/privacy/{workshop.plan.organisation_id}"
    assert url in join_page
    default = client.get(url).get_data(as_text=True)
    assert "365 days" in default and "no tracking cookies" in default
    dutch = client.get(url, headers={"Accept-Language": "nl"}).get_data(as_text=True)
    assert "Koers" in dutch
    response = logged_in.post(f"/organisations/{workshop.plan.organisation_id}/settings",
                              data={"name": workshop.plan.owner.name,
                                    "privacy_text": "Wij bewaren niets langer dan nodig.",
                                    "retention_days": "90"})
    assert response.status_code == 302
    assert "Wij bewaren niets" in client.get(url).get_data(as_text=True)
    bad = logged_in.post(f"/organisations/{workshop.plan.organisation_id}/settings",
                         data={"name": "X", "privacy_text": "", "retention_days": "5"})
    assert bad.status_code == 422
    assert workshops is not None


def _png(width=40, height=20):
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (width, height), "#2e7d4f").save(out, "PNG")
    return out.getvalue()


def test_a_logo_and_colour_appear_on_the_pages_participants_see(app, client, logged_in,
                                                                make_workshop):
    import io

    workshop = make_workshop()
    organisation = workshop.plan.owner
    url = f"/organisations/{organisation.id}/settings"
    base = {"name": organisation.name, "privacy_text": "", "retention_days": "365"}
    saved = logged_in.post(url, data={**base, "colour": "#2e7d4f",
                                      "logo": (io.BytesIO(_png()), "logo.png")},
                           content_type="multipart/form-data")
    assert saved.status_code == 302
    logo = client.get(f"/logo/{organisation.id}")
    assert logo.status_code == 200 and logo.mimetype == "image/png"
    assert logo.headers["X-Content-Type-Options"] == "nosniff"
    join_page = client.get(f"/j/{workshop.code}").get_data(as_text=True)
    assert f'src="/logo/{organisation.id}"' in join_page and "colour-2e7d4f" in join_page

    for name, data in (("drawing.svg", b'<svg xmlns="http://www.w3.org/2000/svg">'
                                        b'<script>alert(1)</script></svg>'),
                       ("fake.png", b"\x89PNG\r\n\x1a\n" + b"not really"),
                       ("huge.png", _png(2400, 10)),
                       ("big.png", b"\x89PNG" + b"0" * (300 * 1024))):
        refused = logged_in.post(url, data={**base, "colour": "#2e7d4f",
                                            "logo": (io.BytesIO(data), name)},
                                 content_type="multipart/form-data")
        assert refused.status_code == 422, name
        assert client.get(f"/logo/{organisation.id}").data == logo.data  # unchanged
    removed = logged_in.post(url, data={**base, "colour": "#2e7d4f", "remove_logo": "y"})
    assert removed.status_code == 302
    assert client.get(f"/logo/{organisation.id}").status_code == 404
