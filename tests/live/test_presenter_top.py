"""The presenter's top N of a vote step: set in the step form, checked by the agenda
service, sent to the projector with the step, kept when the step is duplicated."""

import pytest

from workshop.core.errors import DomainError
from workshop.extensions import db
from workshop.live import agenda, serialize
from workshop.live.models import Step


@pytest.fixture
def collect_workshop(make_workshop):
    workshop = make_workshop()
    domain_ids = [d.id for d in workshop.plan.domains]
    agenda.add_step(workshop, {"kind": "collect", "title": "Ambities", "item_kind": "ambition",
                               "max_length": 200, "max_per_participant": 3,
                               "domain_ids": domain_ids})
    db.session.commit()
    return workshop


def _vote(workshop, **extra):
    source = workshop.steps[0]
    return {"kind": "vote", "title": "Wat weegt?", "source_step_id": source.id,
            "vote_method": "dots", "dot_budget": 5, "max_per_item": 3,
            "domain_ids": [d.id for d in source.domains], **extra}


def _form(workshop, **extra):
    return {"kind": "vote", "title": "Wat weegt?", "source": f"s{workshop.steps[0].id}",
            "vote_method": "dots", "dot_budget": "5", "max_per_item": "3",
            "domain_ids": [str(d.id) for d in workshop.plan.domains], **extra}


def test_a_vote_step_shows_every_item_unless_a_top_is_chosen(collect_workshop):
    every = agenda.add_step(collect_workshop, _vote(collect_workshop))
    top = agenda.add_step(collect_workshop, _vote(collect_workshop, presenter_top=5))
    assert every.presenter_top is None
    assert top.presenter_top == 5
    assert serialize.step(top)["vote"]["presenter_top"] == 5
    assert serialize.step(every)["vote"]["presenter_top"] is None


@pytest.mark.parametrize("value", [0, 51, -1, True, "5", 2.5, [5]])
def test_a_top_outside_1_to_50_is_refused_with_a_clear_message(collect_workshop, value):
    with pytest.raises(DomainError) as refused:
        agenda.add_step(collect_workshop, _vote(collect_workshop, presenter_top=value))
    assert refused.value.field == "presenter_top"
    assert "1 to 50" in str(refused.value.message)
    db.session.rollback()
    assert len(Step.query.filter_by(workshop_id=collect_workshop.id).all()) == 1


def test_the_top_can_change_after_votes_and_survives_duplicating(collect_workshop):
    step = agenda.add_step(collect_workshop, _vote(collect_workshop, presenter_top=3))
    agenda.update_step(step, _vote(collect_workshop, presenter_top=50))
    assert step.presenter_top == 50
    copy = agenda.duplicate_step(step).value
    assert copy.presenter_top == 50
    agenda.update_step(step, _vote(collect_workshop, presenter_top=None))
    assert step.presenter_top is None


def test_the_step_form_sets_and_clears_the_top(logged_in, collect_workshop):
    url = f"/workshops/{collect_workshop.id}/steps/new"
    form = logged_in.get(url + "?kind=vote").get_data(as_text=True)
    assert 'name="presenter_top"' in form
    assert logged_in.post(url, data=_form(collect_workshop, presenter_top="7")).status_code == 302
    assert logged_in.post(url, data=_form(collect_workshop, presenter_top="")).status_code == 302
    steps = Step.query.filter_by(workshop_id=collect_workshop.id, kind="vote").order_by(
        Step.position).all()
    assert [s.presenter_top for s in steps] == [7, None]
    edit = logged_in.get(f"/workshops/{collect_workshop.id}/steps/{steps[0].id}/edit")
    assert 'value="7"' in edit.get_data(as_text=True)


@pytest.mark.parametrize("value", ["0", "51", "-2", "abc", "1e3", "9" * 40, "5; drop"])
def test_a_hostile_top_in_the_form_says_what_is_wrong_and_saves_nothing(
        logged_in, collect_workshop, value):
    response = logged_in.post(f"/workshops/{collect_workshop.id}/steps/new",
                              data=_form(collect_workshop, presenter_top=value))
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'id="presenter_top-error"' in page
    assert Step.query.filter_by(workshop_id=collect_workshop.id, kind="vote").count() == 0
