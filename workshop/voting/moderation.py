"""Rules for moderating proposals from the facilitator's console.

Each function returns the change's result without committing: the caller wraps it in
realtime.executor.run_once, so a retried command happens once.
"""

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext
from sqlalchemy import select

from workshop.core.errors import Conflict, DomainError, NotFound
from workshop.core.text import plain_text
from workshop.extensions import db
from workshop.live import serialize
from workshop.live.models import Proposal
from workshop.live.participation import proposal_result, transition_proposal
from workshop.voting.ballots import follow_merge

MAX_MERGE = 50
MAX_TEXT = 2000


def get_proposal(workshop, proposal_id):
    """A proposal of this workshop; NotFound for another workshop's or a bad id."""
    proposal = db.session.get(Proposal, proposal_id) if isinstance(proposal_id, int) else None
    if proposal is None or proposal.workshop_id != workshop.id:
        raise NotFound(_l("This proposal is not part of this workshop."))
    return proposal


def _done(workshop, proposals):
    return proposal_result(
        workshop, proposals, {"proposals": [serialize.own_proposal(p) for p in proposals]}
    )


def hide_proposal(workshop, proposal_id):
    """Take a proposal off the wall (it stays in the record and can come back)."""
    proposal = get_proposal(workshop, proposal_id)
    transition_proposal(proposal, ("visible", "pending"), _l("This proposal cannot be hidden now."),
                status="hidden")
    return _done(workshop, [proposal])


def unhide_proposal(workshop, proposal_id):
    """Put a hidden proposal back on the wall."""
    proposal = get_proposal(workshop, proposal_id)
    transition_proposal(proposal, ("hidden",), _l("This proposal is not hidden."), status="visible")
    return _done(workshop, [proposal])


def approve_proposal(workshop, proposal_id):
    """Pre-moderation: let a waiting proposal onto the presenter wall."""
    proposal = get_proposal(workshop, proposal_id)
    transition_proposal(proposal, ("pending",), _l("This proposal is not waiting for approval."),
                status="visible")
    return _done(workshop, [proposal])


def edit_proposal(workshop, proposal_id, text):
    """Correct a typo in anyone's proposal."""
    proposal = get_proposal(workshop, proposal_id)
    text = plain_text(text, keep_newlines=True)
    if not text:
        raise DomainError(_l("Write something first."), field="text")
    if len(text) > MAX_TEXT:
        raise DomainError(lazy_ngettext("Keep it under %(num)d character.",
                                        "Keep it under %(num)d characters.", MAX_TEXT),
                          field="text")
    transition_proposal(proposal, ("pending", "visible", "hidden"),
                _l("This proposal can no longer be changed."), text=text)
    return _done(workshop, [proposal])


def merge_proposals(workshop, target_id, source_ids):
    """Fold duplicates into one proposal; it keeps the authors of all of them."""
    if not isinstance(source_ids, list) or not 1 <= len(source_ids) <= MAX_MERGE:
        raise DomainError(_l("Choose the proposals to merge."))
    target = get_proposal(workshop, target_id)
    sources = [get_proposal(workshop, pid) for pid in dict.fromkeys(source_ids)]
    if target in sources:
        raise DomainError(_l("A proposal cannot be merged into itself."))
    live = ("pending", "visible", "hidden")
    if target.status not in live:
        raise Conflict(_l("This proposal can no longer take others in."))
    for source in sources:
        if (source.step_id, source.domain_id) != (target.step_id, target.domain_id):
            raise DomainError(_l("Only proposals of the same step and work domain can be "
                                 "merged."))
        transition_proposal(
            source, live, _l("One of these proposals was just changed. Look again."),
            status="merged", status_before_merge=source.status, merged_into_id=target.id,
        )
    follow_merge(target, sources)
    return _done(workshop, [target, *sources])


def unmerge_proposal(workshop, proposal_id):
    """Undo a merge: the proposal returns as it was; the other loses its authors."""
    proposal = get_proposal(workshop, proposal_id)
    target_id = proposal.merged_into_id
    if proposal.status != "merged" or target_id is None:
        raise Conflict(_l("This proposal is not merged."))
    transition_proposal(proposal, ("merged",), _l("This proposal is not merged."),
                status=proposal.status_before_merge or "visible", status_before_merge=None,
                merged_into_id=None)
    target = db.session.get(Proposal, target_id)
    return _done(workshop, [proposal, target])


def list_step_proposals(step):
    """Every proposal of a step except withdrawn ones, oldest first."""
    return db.session.scalars(
        select(Proposal).where(Proposal.step_id == step.id, Proposal.status != "withdrawn")
        .order_by(Proposal.created_at, Proposal.id)
    ).all()
