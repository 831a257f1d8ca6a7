"""What happened in a review round, as the services report it (published after commit)."""

from dataclasses import dataclass


@dataclass(frozen=True)
class CommentsChanged:
    """A stakeholder saved or withdrew a comment: the facilitator's review screen of the
    round reloads its comments."""

    round_id: int
