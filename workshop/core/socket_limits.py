"""Rate limits on Socket.IO events, per sender and per connection.

HTTP has Flask-Limiter; Socket.IO events pass none of its checks. This module uses the
`limits` package Flask-Limiter is built on, with a storage made from the same
RATELIMIT_STORAGE_URI: with redis:// every process of a deployment spends one budget,
with memory:// each process counts on its own (and the start-up check warns when there
are several).

Three budgets, each a list of limits such as "10 per second;120 per minute" (an empty
setting turns that budget off):

- SOCKET_RATE_LIMIT: the writes of one sender, the identity's `actor` (a participant,
  or a facilitator's login in one workshop), over all its connections;
- SOCKET_SNAPSHOT_RATE_LIMIT: `request_snapshot` of one sender, apart from the writes,
  since phones ask for one after every moderation during a vote (off too when
  SOCKET_RATE_LIMIT is empty);
- SOCKET_CONNECTION_RATE_LIMIT: every event of one connection (request.sid), snapshots
  and refused payloads included.

Over a limit the event is answered `rate_limited` with `retry_after` (whole seconds)
and nothing else happens (docs/realtime.md, section 4).
"""

import math
import time

from flask import current_app, request
from flask_babel import gettext as _
from limits import parse_many
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

EXTENSION = "koers_socket_limits"
SETTINGS = ("SOCKET_RATE_LIMIT", "SOCKET_SNAPSHOT_RATE_LIMIT", "SOCKET_CONNECTION_RATE_LIMIT")
SNAPSHOT_EVENT = "request_snapshot"
WARN_EVERY_SECONDS = 60
STORAGE_TIMEOUT_SECONDS = 0.5
_warned_at = -WARN_EVERY_SECONDS  # a log debounce only: no state another process needs


class SocketLimits:
    """The parsed limits of one app and the limiter that counts them."""

    def __init__(self, storage_uri, writes, snapshots, connection):
        self.limits = {
            "actor": parse_many(writes) if writes else [],
            "snapshot": parse_many(snapshots) if snapshots else [],
            "connection": parse_many(connection) if connection else [],
        }
        self.enabled = any(self.limits.values())
        self.storage_uri = storage_uri
        # A Redis that hangs (rather than refusing) must not hold up every event: after
        # STORAGE_TIMEOUT_SECONDS the event goes through uncounted (see check()).
        self._limiter = (MovingWindowRateLimiter(storage_from_string(
            storage_uri, socket_timeout=STORAGE_TIMEOUT_SECONDS,
            socket_connect_timeout=STORAGE_TIMEOUT_SECONDS)) if self.enabled else None)

    def retry_after(self, event, actor, sid):
        """None when this event may go ahead (and it is counted), else seconds to wait."""
        if not self.enabled:
            return None
        budgets = [("connection", sid)]
        if actor is not None:
            budgets.append(("snapshot" if event == SNAPSHOT_EVENT else "actor", actor))
        for budget, key in budgets:
            for limit in self.limits[budget]:
                if not self._limiter.hit(limit, "koers-socket", budget, key):
                    reset = self._limiter.get_window_stats(
                        limit, "koers-socket", budget, key).reset_time
                    return max(1, math.ceil(reset - time.time()))
        return None


def init_app(app):
    writes, snapshots, connection = (str(app.config.get(name) or "").strip()
                                     for name in SETTINGS)
    # An empty SOCKET_RATE_LIMIT turns the sender's budgets off, snapshots included: load
    # and fuzz tests name only SOCKET_RATE_LIMIT and SOCKET_CONNECTION_RATE_LIMIT.
    app.extensions[EXTENSION] = SocketLimits(
        app.config.get("RATELIMIT_STORAGE_URI") or "memory://",
        writes, snapshots if writes else "", connection)


def check(event, identity):
    """The `rate_limited` answer when the current event is over a limit, else None."""
    limits = current_app.extensions.get(EXTENSION)
    if limits is None or not limits.enabled:
        return None
    try:
        wait = limits.retry_after(event, identity["actor"] if identity else None, request.sid)
    except Exception as error:  # a storage that does not answer must not stop the workshop
        global _warned_at
        if time.monotonic() - _warned_at > WARN_EVERY_SECONDS:  # not once per event
            _warned_at = time.monotonic()
            current_app.logger.warning("Socket rate limits not counted: %s", error)
        return None
    if wait is None:
        return None
    return {"ok": False, "code": "rate_limited", "field": None, "retry_after": wait,
            "error": _("Too many messages at once: wait a moment and send it again.")}


def memory_warning(config, processes):
    """The warning for a start-up log when limits are kept in process memory while
    `processes` (or a message queue, which means several) share the work; else None."""
    uri = config.get("RATELIMIT_STORAGE_URI") or "memory://"
    if not uri.startswith("memory://"):
        return None
    if processes <= 1 and not config.get("SOCKETIO_MESSAGE_QUEUE"):
        return None
    return ("Rate limits are kept in process memory (RATELIMIT_STORAGE_URI=memory://) while "
            "several processes serve Koers: each process counts on its own, so a client gets "
            "a multiple of LOGIN_RATE_LIMIT, JOIN_CODE_RATE_LIMIT and SOCKET_RATE_LIMIT. "
            "Set RATELIMIT_STORAGE_URI=redis://… (the same Redis as the message queue works).")
