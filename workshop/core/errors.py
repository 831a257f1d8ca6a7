"""Domain errors raised by services and turned into messages by routes and events."""


class DomainError(Exception):
    """A rule of the domain refused the change; `message` is shown to the user.

    `field` names the form field the message belongs to, when there is one. `code` is
    the stable name clients see (docs/realtime.md).
    """

    code = "invalid"

    def __init__(self, message, field=None):
        super().__init__(message)
        self.message = message
        self.field = field


class NotFound(DomainError):
    """The thing asked for does not exist (or is not visible to the caller)."""

    code = "not_found"


class Conflict(DomainError):
    """The change clashes with the current state (a duplicate, a stale version)."""

    code = "conflict"


class Busy(Conflict):
    """Too many simultaneous changes: the same request may succeed when sent again."""

    code = "busy"


class Forbidden(DomainError):
    """The caller may see this but their role does not allow the change."""

    code = "forbidden"
