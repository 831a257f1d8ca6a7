import pytest
from sqlalchemy import func, select

from workshop.demo.services import load_demo
from workshop.extensions import db
from workshop.live.models import Participant, Proposal, Step, Workshop
from workshop.review.models import Comment, ReviewRound
from workshop.tree.models import PlanItem
from workshop.voting.models import Vote


@pytest.fixture
def demo(app):
    """The demo plan, and what the database says an export must show."""
    with app.test_request_context():
        result = load_demo()
    plan = result.plan
    items = db.session.scalars(select(PlanItem).where(PlanItem.plan_id == plan.id)).all()
    participants = dict(db.session.execute(
        select(Workshop.title, func.count(Participant.id)).join(Participant)
        .where(Workshop.plan_id == plan.id).group_by(Workshop.title)).all())
    dots = dict(db.session.execute(
        select(Proposal.text, func.sum(Vote.value)).join(Vote, Vote.proposal_id == Proposal.id)
        .join(Step, Step.id == Vote.step_id)
        .where(Proposal.workshop_id.in_(select(Workshop.id).where(Workshop.plan_id == plan.id)),
               Step.vote_method == "dots")
        .group_by(Proposal.text)).all())
    comments = db.session.scalars(
        select(Comment).join(ReviewRound).where(ReviewRound.plan_id == plan.id,
                                                Comment.withdrawn.is_(False))).all()
    return {"plan": plan, "items": items, "participants": participants, "dots": dots,
            "comments": comments,
            "domains": [d.name for d in plan.domains]}
