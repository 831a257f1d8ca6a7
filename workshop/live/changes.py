"""What happened in a live workshop, as the services report it (published after commit).

Each carries the workshop's version it made and the data as serialised in the same
transaction, so screens never get state newer than the version it says.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class WorkshopChanged:
    """The workshop moved to `version`: staff get what is set here; phones the stage
    (when `stage` is set); the authors of `own` proposals their own copy."""

    workshop_id: int
    version: int
    stage_version: int | None = None
    stage: dict | None = None
    agenda: list | None = None
    proposals: list | None = None
    own: tuple = ()  # (participant_id, serialised own proposal) pairs
