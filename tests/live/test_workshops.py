"""Workshops, join codes, groups and the agenda, without HTTP."""

import pytest

from tests.conftest import collect_step
from workshop.core.errors import Conflict, DomainError, NotFound
from workshop.live import agenda, running, workshops
from workshop.live.models import Step


def test_join_codes_use_an_unambiguous_alphabet(make_workshop):
    codes = {make_workshop().code for _ in range(20)}
    assert len(codes) == 20
    for code in codes:
        assert len(code) == 8
        assert not set(code) & set("0O1IL")


def test_code_typed_in_lower_case_with_spaces_finds_the_workshop(make_workshop):
    workshop = make_workshop()
    typed = " " + workshop.code[:4].lower() + " " + workshop.code[4:].lower() + " "
    assert workshops.get_by_code(typed) == workshop
    assert workshops.normalise_code(workshop.code[:4] + "-" + workshop.code[4:]) == workshop.code
    for wrong in ("", "ABC", "O" * 8, None, "ABCDEFGH9"):
        with pytest.raises(NotFound):
            workshops.get_by_code(wrong)


def test_workshop_has_default_groups_and_settings(make_workshop):
    workshop = make_workshop(anonymous=True, premoderation=True)
    assert [g.name for g in workshop.groups] == ["Employees", "External stakeholders"]
    assert workshop.anonymous and workshop.premoderation and workshop.joining_open
    assert workshop.status == "draft"


def test_groups_can_be_renamed_but_not_removed_once_used(make_workshop, join):
    workshop = make_workshop()
    join(workshop, group=1)
    workshops.update_workshop(workshop, {"title": "W", "groups": [
        "Medewerkers", "External stakeholders", "Bestuur"]})
    assert [g.name for g in workshop.groups] == ["Medewerkers", "External stakeholders",
                                                  "Bestuur"]
    with pytest.raises(Conflict):
        workshops.update_workshop(workshop, {"title": "W", "groups": ["Medewerkers"]})


def test_duplicate_copies_settings_groups_and_agenda_fresh(make_workshop, join):
    workshop = make_workshop(premoderation=True)
    plan = workshop.plan
    agenda.add_step(workshop, {"kind": "info", "title": "Welkom"})
    agenda.add_step(workshop, collect_step(plan))
    running.start_step(workshop, workshop.steps[1].id)
    copy = workshops.duplicate_workshop(workshop)
    assert copy.code != workshop.code
    assert copy.premoderation
    assert [s.title for s in copy.steps] == ["Welkom", "Ambities"]
    assert all(s.state == "pending" for s in copy.steps)
    assert copy.steps[1].domains == workshop.steps[1].domains
    assert copy.live_step_id is None


def test_collect_step_needs_domains_of_this_plan(make_workshop, make_plan):
    workshop = make_workshop()
    other = make_plan(title="Other", domains=["X"])
    for bad in ([], [other.domains[0].id], [workshop.plan.domains[0].id, 999999]):
        with pytest.raises(DomainError) as error:
            agenda.add_step(workshop, collect_step(workshop.plan, domain_ids=bad))
        assert error.value.field == "domain_ids"
    assert workshop.steps == []


def test_mission_and_tagline_steps_belong_to_the_plan_not_a_domain(make_workshop):
    workshop = make_workshop()
    step = agenda.add_step(workshop, collect_step(workshop.plan, item_kind="tagline",
                                                  domain_ids=[]))
    assert step.domains == []


@pytest.mark.parametrize(("field", "value"), [
    ("max_length", 5), ("max_length", 5000), ("max_per_participant", 0),
    ("time_limit_seconds", 3), ("item_kind", "wish"), ("title", " "), ("kind", "poll"),
])
def test_bad_step_settings_are_refused(make_workshop, field, value):
    workshop = make_workshop()
    with pytest.raises(DomainError) as error:
        agenda.add_step(workshop, collect_step(workshop.plan, **{field: value}))
    assert error.value.field == field


def test_steps_reorder_duplicate_and_delete(make_workshop):
    workshop = make_workshop()
    for title in ("A", "B", "C"):
        agenda.add_step(workshop, {"kind": "info", "title": title})
    a, b, c = workshop.steps
    agenda.move_step(c, -1)
    copy = agenda.duplicate_step(a).value
    agenda.delete_step(b)
    titles = [s.title for s in Step.query.filter_by(workshop_id=workshop.id)
              .order_by(Step.position)]
    assert titles == ["A", "A", "C"]
    assert copy.position == 2


def test_live_step_and_step_with_proposals_cannot_be_deleted(make_workshop, join):
    from workshop.live import participation
    from workshop.realtime.executor import run_once

    workshop = make_workshop()
    step = agenda.add_step(workshop, collect_step(workshop.plan))
    run_once("t", None, lambda: running.start_step(workshop, step.id))
    with pytest.raises(Conflict):
        agenda.delete_step(step)
    participant, _ = join(workshop)
    run_once("p", None, lambda: participation.submit_proposal(
        participant, step.id, workshop.plan.domains[0].id, "Meer ruimte"))
    run_once("t", None, lambda: running.close_step(workshop))
    other = agenda.add_step(workshop, {"kind": "info", "title": "Pauze"})
    run_once("t", None, lambda: running.start_step(workshop, other.id))
    with pytest.raises(Conflict):
        agenda.delete_step(step)
