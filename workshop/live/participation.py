"""Rules for participants: joining without an account, and their own proposals."""

import secrets
from datetime import timedelta

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext, ngettext
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from workshop.core import links
from workshop.core.errors import Conflict, DomainError, NotFound
from workshop.core.outcome import Outcome
from workshop.core.text import plain_text
from workshop.core.time import utcnow
from workshop.extensions import db
from workshop.live import serialize
from workshop.live.changes import WorkshopChanged
from workshop.live.models import PLAN_LEVEL_KINDS, Participant, Proposal, Workshop
from workshop.live.workshops import bump

NAME_MAX = 60
# A phone that pressed "send" just before the bell still gets in.
GRACE_SECONDS = 5
_hash = links.token_hash


def join(workshop, display_name, group_id, join_key=None):
    """A phone joins a workshop: returns (participant, secret token).

    With a `join_key` (a secret the client made for this one attempt), joining is
    idempotent: the token is derived from the key, so a retry after a lost answer, or
    a form sent twice, finds the participant the first attempt made instead of adding
    a second one to the counts — also when joining closed in between.
    """
    if join_key and (earlier := rejoin(workshop, join_key)) is not None:
        return earlier
    if workshop.status == "finished":
        raise Conflict(_l("This workshop has finished. Thank you for taking part!"))
    if not workshop.joining_open:
        raise Conflict(_l("This workshop is closed to new participants. Ask the facilitator."))
    name = None
    if not workshop.anonymous:
        name = plain_text(display_name)[:NAME_MAX]
        if not name:
            raise DomainError(_l("Fill in your name (or a nickname)."), field="display_name")
    group_ids = {g.id for g in workshop.groups}
    if group_ids and group_id not in group_ids:
        raise DomainError(_l("Choose your group."), field="group_id")
    token = join_token(workshop, join_key) if join_key else secrets.token_urlsafe(32)
    participant = Participant(workshop_id=workshop.id, token_hash=_hash(token),
                              display_name=name, group_id=group_id if group_ids else None)
    try:
        with db.session.begin_nested():
            db.session.add(participant)
    except IntegrityError:  # the same attempt, sent twice at once: the first one won
        db.session.rollback()  # the other attempt's row is only visible to a new transaction
        earlier = rejoin(workshop, join_key) if join_key else None
        if earlier is None:
            raise
        return earlier
    return participant, token


# A join key answers retries of its attempt for this long, then never again: a page
# left in a shared tablet's history cannot be replayed to become that participant.
JOIN_KEY_LIFETIME = timedelta(minutes=10)


def rejoin(workshop, join_key):
    """(participant, token) of the earlier attempt with this key, or None if there was
    none. An attempt older than JOIN_KEY_LIFETIME is refused."""
    token = join_token(workshop, join_key)
    earlier = participant_for_token(workshop, token)
    if earlier is None:
        return None
    if utcnow() - earlier.joined_at > JOIN_KEY_LIFETIME:
        raise Conflict(_l("This join page is old. Reload it to join."))
    return earlier, token


def join_token(workshop, join_key):
    """The participant token for a join attempt: HMAC of the attempt's key."""
    if not isinstance(join_key, str) or not 16 <= len(join_key) <= 64:
        raise DomainError(_l("This join attempt is not valid. Reload the page."))
    return links.link_token(f"join:{workshop.id}", join_key)


def participant_for_token(workshop, token):
    """The participant of `workshop` holding `token`, or None."""
    if not isinstance(token, str) or not 20 <= len(token) <= 100:
        return None
    participant = db.session.scalar(
        select(Participant).where(Participant.token_hash == _hash(token))
    )
    if participant is None or participant.workshop_id != workshop.id:
        return None
    return participant


def own_proposals(participant):
    return db.session.scalars(
        select(Proposal).where(Proposal.participant_id == participant.id,
                               Proposal.status != "withdrawn")
        .order_by(Proposal.created_at, Proposal.id)
    ).all()


def proposal_result(workshop, proposals, ack):
    """The outcome of a proposal change: an ack, and what staff and the author are sent."""
    db.session.flush()
    version, _stage = bump(workshop.id)
    return Outcome(ack=ack, events=(WorkshopChanged(
        workshop.id, version,
        proposals=serialize.staff_proposals(proposals, workshop.anonymous),
        own=tuple((p.participant_id, serialize.own_proposal(p))
                  for p in proposals if p.participant_id)),))


def open_live_step(workshop, step_id, kind):
    """The live step if it is `step_id`, of `kind`, open and within its time."""
    step = workshop.live_step
    if step is None or step.id != step_id or step.kind != kind:
        raise Conflict(_l("This step is no longer open for proposals.") if kind == "collect"
                       else _l("This step is no longer open for voting."))
    return check_open(step)


def check_open(step):
    """Refuse a step that is paused, closed or past its time box (with a short grace)."""
    if step.state != "open":
        raise Conflict(_l("This step is paused or closed: wait for the facilitator."))
    if step.ends_at and utcnow() > step.ends_at + timedelta(seconds=GRACE_SECONDS):
        raise Conflict(_l("Time is up for this step."))
    return step


def _clean_proposal_text(text, limit):
    text = plain_text(text, keep_newlines=True)
    if not text:
        raise DomainError(_l("Write something first."), field="text")
    if len(text) > limit:
        raise DomainError(lazy_ngettext("Keep it under %(num)d character.",
                                        "Keep it under %(num)d characters.", limit),
                          field="text")
    return text


# Each proposal takes a numbered slot, unique per (participant, step) in the database, so
# two simultaneous submissions can never both take the last place. Counted over the whole
# step, the slots are 1..max; counted in each work domain, domain d has its own range
# d*SLOT_SPAN+1 .. d*SLOT_SPAN+max (max is at most 100), so one domain never uses up another's.
SLOT_SPAN = 1000


def slot_range(step, domain_id):
    """The slots a participant may fill with proposals for `domain_id` in `step`."""
    base = (domain_id or 0) * SLOT_SPAN if step.limit_per_domain else 0
    return range(base + 1, base + step.max_per_participant + 1)


def limit_reached(step, domain_id):
    """Why one more proposal is refused: says what the limit counts."""
    n = step.max_per_participant
    domain = next((d for d in step.domains if d.id == domain_id), None)
    if step.limit_per_domain and domain is not None:
        return ngettext(
            "At most %(num)d proposal in %(domain)s. Withdraw it to send another.",
            "At most %(num)d proposals in %(domain)s. Withdraw one to send another.",
            n, domain=domain.name)
    return ngettext("At most %(num)d proposal in this step. Withdraw it to send another.",
                    "At most %(num)d proposals in this step. Withdraw one to send another.", n)


def submit_proposal(participant, step_id, domain_id, text, parent_item_id=None):
    """A participant proposes an item in the live collect step (not committed here)."""
    workshop = db.session.get(Workshop, participant.workshop_id)
    step = open_live_step(workshop, step_id, "collect")
    parents = {p.id: p for p in step.parent_items}
    if parents:  # proposals for a given plan item: its domain comes with it
        if parent_item_id not in parents:
            raise DomainError(_l("Choose the item you make a proposal for."),
                              field="parent_item_id")
        domain_id = parents[parent_item_id].domain_id
    elif step.item_kind in PLAN_LEVEL_KINDS:
        domain_id = None
    elif domain_id not in {d.id for d in step.domains}:
        raise DomainError(_l("Choose one of the work domains of this step."), field="domain_id")
    text = _clean_proposal_text(text, step.max_length)
    slots = slot_range(step, domain_id)
    used = set(db.session.scalars(
        select(Proposal.slot).where(Proposal.participant_id == participant.id,
                                    Proposal.step_id == step.id,
                                    Proposal.slot.between(slots.start, slots.stop - 1))
    ))
    free = [n for n in slots if n not in used]
    if not free:
        raise Conflict(limit_reached(step, domain_id))
    proposal = Proposal(
        workshop_id=workshop.id, step_id=step.id, domain_id=domain_id,
        participant_id=participant.id, item_kind=step.item_kind, text=text, slot=free[0],
        parent_item_id=parent_item_id if parents else None,
        status="pending" if workshop.premoderation else "visible",
    )
    db.session.add(proposal)
    db.session.flush()
    return proposal_result(workshop, [proposal], {"proposal": serialize.own_proposal(proposal)})


def _own(participant, proposal_id):
    proposal = db.session.get(Proposal, proposal_id) if isinstance(proposal_id, int) else None
    if proposal is None or proposal.participant_id != participant.id:
        raise NotFound(_l("This is not one of your proposals."))
    return proposal


def transition_proposal(proposal, from_states, message, **values):
    changed = db.session.execute(
        update(Proposal).where(Proposal.id == proposal.id, Proposal.status.in_(from_states))
        .values(updated_at=utcnow(), **values)
        .execution_options(synchronize_session=False)
    ).rowcount
    if changed != 1:
        raise Conflict(message)
    db.session.expire(proposal)


def edit_own_proposal(participant, proposal_id, text):
    """A participant corrects their own proposal while the step is open."""
    proposal = _own(participant, proposal_id)
    workshop = db.session.get(Workshop, participant.workshop_id)
    step = open_live_step(workshop, proposal.step_id, "collect")
    text = _clean_proposal_text(text, step.max_length)
    # Under pre-moderation an edited text needs approval again.
    status = "pending" if workshop.premoderation else "visible"
    transition_proposal(proposal, ("pending", "visible"),
                _l("This proposal can no longer be changed."), text=text, status=status)
    return proposal_result(workshop, [proposal], {"proposal": serialize.own_proposal(proposal)})


def withdraw_own_proposal(participant, proposal_id):
    """A participant takes back their proposal while the step is open; its slot frees up."""
    proposal = _own(participant, proposal_id)
    workshop = db.session.get(Workshop, participant.workshop_id)
    open_live_step(workshop, proposal.step_id, "collect")
    if db.session.scalar(select(Proposal.id).where(Proposal.merged_into_id == proposal.id)
                         .limit(1)):
        raise Conflict(_l("Other proposals were merged into this one, so it stays. "
                          "You can still edit it."))
    transition_proposal(proposal, ("pending", "visible", "hidden"),
                _l("This proposal can no longer be withdrawn."), status="withdrawn", slot=None)
    return proposal_result(workshop, [proposal], {"proposal": serialize.own_proposal(proposal)})


def count_in_domain(domain):
    """For the plans area: a domain with proposals cannot be removed."""
    from sqlalchemy import func

    n = db.session.scalar(select(func.count()).where(Proposal.domain_id == domain.id))
    return [(_l("proposals"), n)]
