"""What happened in a vote (published after commit)."""

from dataclasses import dataclass


@dataclass(frozen=True)
class VotesCast:
    """Votes of `step_id` changed: its tally is due (coalesced, never one per vote)."""

    workshop_id: int
    step_id: int
