"""What a change did: the value for its caller, what to acknowledge, what happened.

Services flush and never commit. A service that has something to acknowledge or to
announce returns an `Outcome`; one that has not returns its value as it is. The
executor at the edge (workshop.realtime.executor) commits once, acknowledges, then
publishes `events`: small frozen dataclasses that say what happened, defined by the
area they belong to (`workshop/<area>/changes.py`) and delivered by workshop.realtime.
"""

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Outcome:
    value: Any = None
    ack: dict = field(default_factory=dict)  # JSON-able: what a Socket.IO caller is told
    events: tuple = ()


def events_of(result):
    """The events a service result carries (none for a bare value)."""
    return result.events if isinstance(result, Outcome) else ()


def value_of(result):
    return result.value if isinstance(result, Outcome) else result
