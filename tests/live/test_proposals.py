"""Joining, proposing and moderating, without HTTP or sockets."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from tests.conftest import collect_step, run_in_threads
from workshop.core.errors import Conflict, DomainError, NotFound
from workshop.extensions import db
from workshop.live import agenda, participation, running
from workshop.live.models import Proposal
from workshop.realtime.executor import run_once
from workshop.voting import moderation


def run(change, actor="t", cid=None):
    result, _ = run_once(actor, cid, change)
    return result


@pytest.fixture
def live(make_workshop):
    """A workshop whose collect step (2 domains, 3 per person) is live."""
    workshop = make_workshop()
    step = agenda.add_step(workshop, collect_step(workshop.plan))
    run(lambda: running.start_step(workshop, step.id))
    return workshop


def submit(participant, workshop, text="Meer ruimte", domain=0, cid=None):
    step_id = workshop.live_step_id
    domain_id = workshop.plan.domains[domain].id
    return run(lambda: participation.submit_proposal(participant, step_id, domain_id, text),
               actor=f"p{participant.id}", cid=cid)


def stored(workshop):
    db.session.expire_all()
    return db.session.scalars(select(Proposal).where(Proposal.workshop_id == workshop.id)
                              .order_by(Proposal.id)).all()


def test_join_named_anonymous_closed_and_finished(make_workshop, join):
    named = make_workshop()
    with pytest.raises(DomainError) as error:
        participation.join(named, "  ", named.groups[0].id)
    assert error.value.field == "display_name"
    with pytest.raises(DomainError) as error:
        participation.join(named, "Piet", 99999)
    assert error.value.field == "group_id"
    piet, token = join(named, name="  Piet\u202e  ")
    assert piet.display_name == "Piet"
    assert participation.participant_for_token(named, token) == piet
    assert piet.token_hash != token and len(token) >= 40

    anonymous = make_workshop(anonymous=True)
    someone, _ = join(anonymous, name="Piet")
    assert someone.display_name is None
    assert participation.participant_for_token(anonymous, token) is None  # A's token in B

    run(lambda: running.set_joining(named, False))
    with pytest.raises(Conflict):
        join(named)
    run(lambda: running.finish_workshop(named))
    with pytest.raises(Conflict) as error:
        join(named)
    assert "finished" in str(error.value.message)


def test_submit_edit_and_withdraw_own_proposal(live, join):
    piet, _ = join(live)
    result = submit(piet, live, "  Meer  ruimte voor\nbedrijven  ")
    proposal = result.ack["proposal"]
    assert proposal["text"] == "Meer ruimte voor\nbedrijven"
    assert proposal["status"] == "visible"
    assert result.events[0].proposals[0]["authors"] == ["Piet"]
    run(lambda: participation.edit_own_proposal(piet, proposal["id"], "Meer ruimte"))
    assert stored(live)[0].text == "Meer ruimte"
    run(lambda: participation.withdraw_own_proposal(piet, proposal["id"]))
    assert stored(live)[0].status == "withdrawn"
    assert participation.own_proposals(piet) == []


def test_someone_elses_proposal_cannot_be_edited_or_withdrawn(live, join):
    piet, _ = join(live)
    anna, _ = join(live, name="Anna")
    pid = submit(piet, live).ack["proposal"]["id"]
    with pytest.raises(NotFound):
        run(lambda: participation.edit_own_proposal(anna, pid, "Gekaapt"))
    with pytest.raises(NotFound):
        run(lambda: participation.withdraw_own_proposal(anna, pid))
    assert stored(live)[0].text == "Meer ruimte"


def test_max_per_participant_and_withdraw_frees_a_place(live, join):
    piet, _ = join(live)
    ids = [submit(piet, live, f"Idee {n}").ack["proposal"]["id"] for n in range(3)]
    with pytest.raises(Conflict):
        submit(piet, live, "Eén te veel")
    run(lambda: participation.withdraw_own_proposal(piet, ids[0]))
    submit(piet, live, "Nu wel")
    assert len([p for p in stored(live) if p.status == "visible"]) == 3


@pytest.mark.parametrize(("text", "domain", "message"), [
    ("", 0, "Write something"), ("x" * 201, 0, "under 200"), ("Goed idee", 5, "work domains"),
])
def test_bad_proposals_are_refused(live, join, text, domain, message):
    piet, _ = join(live)
    step_id = live.live_step_id
    domain_id = live.plan.domains[domain].id if domain < 2 else 424242
    with pytest.raises(DomainError) as error:
        run(lambda: participation.submit_proposal(piet, step_id, domain_id, text))
    assert message in str(error.value.message)
    assert stored(live) == []


def test_no_proposals_in_a_paused_closed_timed_out_or_other_step(live, join, make_workshop):
    piet, _ = join(live)
    run(lambda: running.pause_step(live))
    with pytest.raises(Conflict):
        submit(piet, live)
    run(lambda: running.resume_step(live))
    step = live.live_step
    step.ends_at = step.ends_at if step.ends_at else None
    from workshop.core.time import utcnow

    step.ends_at = utcnow() - timedelta(seconds=participation.GRACE_SECONDS + 1)
    db.session.commit()
    with pytest.raises(Conflict) as error:
        submit(piet, live)
    assert "Time is up" in str(error.value.message)
    step.ends_at = None
    db.session.commit()
    run(lambda: running.close_step(live))
    with pytest.raises(Conflict):
        submit(piet, live)
    other = make_workshop(plan=live.plan, title="B")
    foreign = agenda.add_step(other, collect_step(other.plan))
    run(lambda: running.start_step(other, foreign.id))
    with pytest.raises(Conflict):
        run(lambda: participation.submit_proposal(piet, foreign.id, live.plan.domains[0].id,
                                                  "Elders"))
    assert stored(live) == [] and stored(other) == []


def test_premoderation_keeps_proposals_pending_until_approved(make_workshop, join):
    workshop = make_workshop(premoderation=True)
    step = agenda.add_step(workshop, collect_step(workshop.plan))
    run(lambda: running.start_step(workshop, step.id))
    piet, _ = join(workshop)
    pid = submit(piet, workshop).ack["proposal"]["id"]
    assert stored(workshop)[0].status == "pending"
    run(lambda: moderation.approve_proposal(workshop, pid))
    assert stored(workshop)[0].status == "visible"
    run(lambda: participation.edit_own_proposal(piet, pid, "Aangepast"))
    assert stored(workshop)[0].status == "pending"  # an edit needs approval again


def test_hide_unhide_and_edit_by_the_facilitator(live, join):
    piet, _ = join(live)
    pid = submit(piet, live, "Meer ruimt").ack["proposal"]["id"]
    run(lambda: moderation.hide_proposal(live, pid))
    assert stored(live)[0].status == "hidden"
    with pytest.raises(Conflict):
        run(lambda: moderation.hide_proposal(live, pid))
    run(lambda: moderation.unhide_proposal(live, pid))
    result = run(lambda: moderation.edit_proposal(live, pid, "Meer ruimte"))
    assert stored(live)[0].text == "Meer ruimte"
    assert result.events[0].own == ((piet.id, result.ack["proposals"][0]),)


def test_merge_keeps_all_authors_and_can_be_undone(live, join):
    piet, _ = join(live)
    anna, _ = join(live, name="Anna", group=1)
    jan, _ = join(live, name="Jan")
    a = submit(piet, live, "Meer ruimte").ack["proposal"]["id"]
    b = submit(anna, live, "Meer plaats").ack["proposal"]["id"]
    c = submit(jan, live, "Ruimte!").ack["proposal"]["id"]
    run(lambda: moderation.hide_proposal(live, c))
    run(lambda: moderation.merge_proposals(live, b, [c]))
    result = run(lambda: moderation.merge_proposals(live, a, [b]))
    target = result.events[0].proposals[0]
    assert target["id"] == a
    assert sorted(target["authors"]) == ["Anna", "Jan", "Piet"]
    assert target["author_count"] == 3 and len(target["group_ids"]) == 2
    assert sorted(target["absorbed_ids"]) == sorted([b, c])
    run(lambda: moderation.unmerge_proposal(live, b))
    by_id = {p.id: p for p in stored(live)}
    assert by_id[b].status == "visible" and by_id[b].merged_into_id is None
    assert by_id[c].merged_into_id == b  # c stays inside b
    run(lambda: moderation.unmerge_proposal(live, c))
    assert {p.id: p.status for p in stored(live)}[c] == "hidden"  # back to what it was


def test_merge_refuses_other_domain_itself_and_other_workshop(live, join, make_workshop):
    piet, _ = join(live)
    a = submit(piet, live, "A", domain=0).ack["proposal"]["id"]
    b = submit(piet, live, "B", domain=1).ack["proposal"]["id"]
    with pytest.raises(DomainError):
        run(lambda: moderation.merge_proposals(live, a, [b]))
    with pytest.raises(DomainError):
        run(lambda: moderation.merge_proposals(live, a, [a]))
    other = make_workshop(plan=live.plan, title="B")
    with pytest.raises(NotFound):
        run(lambda: moderation.hide_proposal(other, a))
    assert {p.status for p in stored(live)} == {"visible"}


def test_merged_target_cannot_be_withdrawn_by_its_author(live, join):
    piet, _ = join(live)
    anna, _ = join(live, name="Anna")
    a = submit(piet, live, "A").ack["proposal"]["id"]
    b = submit(anna, live, "B").ack["proposal"]["id"]
    run(lambda: moderation.merge_proposals(live, a, [b]))
    with pytest.raises(Conflict):
        run(lambda: participation.withdraw_own_proposal(piet, a))


def test_a_retry_with_the_same_client_id_changes_nothing(live, join):
    piet, _ = join(live)
    first = submit(piet, live, "Eens", cid="cid-00000001")
    again = submit(piet, live, "Eens", cid="cid-00000001")
    assert first.ack == again.ack and again.events == ()  # the retry announces nothing
    assert len(stored(live)) == 1
    assert live.version == first.events[0].version


@pytest.mark.parametrize("attempt", range(3))
def test_simultaneous_retries_of_one_proposal_store_it_once(app, live, join, attempt):
    from workshop.realtime.executor import run_command

    piet, _ = join(live)
    identity = {"actor": f"p{piet.id}", "workshop_id": live.id}
    step_id, domain_id = live.live_step_id, live.plan.domains[0].id

    def send(_i):
        with app.app_context():
            try:
                from workshop.live.models import Participant

                me = db.session.get(Participant, piet.id)
                return run_command(identity, "same-cid-1", lambda: participation.submit_proposal(
                    me, step_id, domain_id, "Eén keer"))["ok"]
            finally:
                db.session.remove()

    results = run_in_threads(20, send)
    assert results == [True] * 20
    assert db.session.scalar(select(func.count()).select_from(Proposal)) == 1


@pytest.mark.parametrize("attempt", range(3))
def test_simultaneous_submissions_never_pass_the_limit(app, live, join, attempt):
    from workshop.live.models import Participant
    from workshop.realtime.executor import run_command

    piet, _ = join(live)
    identity = {"actor": f"p{piet.id}", "workshop_id": live.id}
    step_id, domain_id = live.live_step_id, live.plan.domains[0].id

    def send(i):
        with app.app_context():
            try:
                me = db.session.get(Participant, piet.id)
                return run_command(identity, f"cid-thread-{i:04d}", lambda: (
                    participation.submit_proposal(me, step_id, domain_id, f"Idee {i}")))["ok"]
            except Conflict:
                return False
            finally:
                db.session.remove()

    results = run_in_threads(20, send)
    assert results.count(True) == 3
    assert db.session.scalar(select(func.count()).select_from(Proposal)) == 3


@pytest.fixture
def per_domain(make_workshop):
    """A live collect step on 2 domains whose limit (2) counts in each work domain."""
    workshop = make_workshop()
    step = agenda.add_step(workshop, collect_step(workshop.plan, max_per_participant=2,
                                                  limit_per_domain=True))
    run(lambda: running.start_step(workshop, step.id))
    return workshop


def test_limit_per_domain_counts_each_domain_apart(per_domain, join):
    piet, _ = join(per_domain)
    first = [submit(piet, per_domain, f"Economie {n}", domain=0) for n in range(2)]
    with pytest.raises(Conflict) as error:
        submit(piet, per_domain, "Te veel", domain=0)
    domain = per_domain.plan.domains[0].name
    assert str(error.value.message) == (
        f"At most 2 proposals in {domain}. Withdraw one to send another.")
    submit(piet, per_domain, "Ander domein 1", domain=1)
    submit(piet, per_domain, "Ander domein 2", domain=1)
    with pytest.raises(Conflict):
        submit(piet, per_domain, "Ook te veel", domain=1)
    run(lambda: participation.withdraw_own_proposal(piet, first[0].ack["proposal"]["id"]))
    submit(piet, per_domain, "Nu wel", domain=0)
    assert len([p for p in stored(per_domain) if p.status == "visible"]) == 4


def test_limit_over_the_whole_step_counts_across_domains(make_workshop, join):
    workshop = make_workshop()
    step = agenda.add_step(workshop, collect_step(workshop.plan, max_per_participant=1))
    run(lambda: running.start_step(workshop, step.id))
    piet, _ = join(workshop)
    submit(piet, workshop, "Eén", domain=0)
    with pytest.raises(Conflict) as error:
        submit(piet, workshop, "In een ander domein", domain=1)
    assert str(error.value.message) == (
        "At most 1 proposal in this step. Withdraw it to send another.")


def test_what_the_limit_counts_is_validated_and_fixed_once_proposals_exist(per_domain, join):
    step = per_domain.live_step
    with pytest.raises(DomainError) as error:
        agenda.update_step(step, collect_step(per_domain.plan, limit_per_domain="yes"))
    assert error.value.field == "limit_per_domain"
    agenda.update_step(step, collect_step(per_domain.plan, limit_per_domain=False))
    assert step.limit_per_domain is False
    piet, _ = join(per_domain)
    submit(piet, per_domain)
    with pytest.raises(Conflict) as error:
        agenda.update_step(step, collect_step(per_domain.plan, limit_per_domain=True))
    assert error.value.field == "limit_per_domain"
    db.session.rollback()
    assert agenda.get_step(per_domain, step.id).limit_per_domain is False
    tagline = agenda.add_step(per_domain, collect_step(
        per_domain.plan, item_kind="tagline", domain_ids=[], limit_per_domain=True))
    assert tagline.limit_per_domain is False  # one count for the whole plan
    assert agenda.duplicate_step(agenda.add_step(per_domain, collect_step(
        per_domain.plan, limit_per_domain=True))).value.limit_per_domain is True


@pytest.mark.parametrize("attempt", range(3))
def test_simultaneous_submissions_in_one_domain_stop_at_its_limit(app, per_domain, join,
                                                                  attempt):
    from workshop.live.models import Participant
    from workshop.realtime.executor import run_command

    piet, _ = join(per_domain)
    identity = {"actor": f"p{piet.id}", "workshop_id": per_domain.id}
    step_id = per_domain.live_step_id
    first, second = (d.id for d in per_domain.plan.domains[:2])

    def send(i):
        with app.app_context():
            try:
                me = db.session.get(Participant, piet.id)
                return run_command(identity, f"cid-domain-{i:04d}", lambda: (
                    participation.submit_proposal(me, step_id, first, f"Idee {i}")))["ok"]
            except Conflict:
                return False
            finally:
                db.session.remove()

    results = run_in_threads(20, send)
    assert results.count(True) == 2
    db.session.expire_all()
    count = select(func.count()).select_from(Proposal).where(Proposal.domain_id == first)
    assert db.session.scalar(count) == 2
    submit(piet, per_domain, "Het andere domein", domain=1)  # its own limit is untouched
    assert db.session.scalar(select(func.count()).select_from(Proposal).where(
        Proposal.domain_id == second)) == 1
