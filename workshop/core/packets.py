"""Socket.IO packets as Koers reads them from clients: anything odd is made harmless here.

python-socketio dispatches a client's EVENT packet by its first element, so a client
could call the `connect` and `disconnect` handlers itself, and a packet it cannot take
apart (an empty list, a name that is not a string, an unknown packet type, a bad binary
attachment, JSON nested 30,000 levels deep) ends in a traceback. This packet class,
given to the server as its serializer, turns such packets into either

- an event with a malformed payload, when the event is known by name (too deep, more
  than one argument, a bad attachment): its handler answers `bad_payload`; or
- an event named IGNORED, which has no handler: nothing happens and nothing is answered
  (reserved names, packets that name no event, packet types a client may not send).

One layer down, an Engine.IO frame that is empty, starts with no packet type or is
deeply nested JSON ends in a traceback of the whole WebSocket handler; `install()` makes
it a no-op packet, which Engine.IO skips.
"""

import functools

from engineio import json as engineio_json
from engineio import packet as engineio_packet
from socketio import packet

from workshop.core.inputs import JSONTooDeep, too_deep

# Koers' payloads are flat objects; a packet is the list [name, payload].
MAX_DEPTH = 16
# Event names python-socketio gives a meaning of its own (server and client side).
RESERVED = frozenset({"connect", "disconnect", "connect_error", "__disconnect_final"})
IGNORED = ""
CLIENT_TYPES = frozenset({packet.CONNECT, packet.DISCONNECT, packet.EVENT, packet.ACK,
                          packet.BINARY_EVENT, packet.BINARY_ACK})
EVENTS = (packet.EVENT, packet.BINARY_EVENT)


class Malformed:
    """Stands in for a payload that could not be read: no handler accepts it."""

    def __repr__(self):
        return "<malformed payload>"


MALFORMED = Malformed()


class SocketJSON:
    """The JSON module for decoding clients' packets: depth-bounded, long numbers malformed.

    Only the packets a client sends are decoded with it; the class keeps the plain
    module, which the Redis message queue also uses between Koers' own processes.
    """

    dumps = staticmethod(engineio_json.dumps)

    @staticmethod
    def loads(s, **kwargs):
        if isinstance(s, str) and too_deep(s, MAX_DEPTH):
            raise JSONTooDeep(f"JSON nested deeper than {MAX_DEPTH} levels")
        kwargs.setdefault("parse_int", _bounded_int)
        return engineio_json.loads(s, **kwargs)


def _bounded_int(digits):
    # Engine.IO refuses numbers of more than 100 digits (int() of a long string is slow)
    # by failing the whole packet, which leaves the event unanswered: a client then
    # resends it forever. Such a number is a malformed value instead: bad_payload.
    return int(digits) if len(digits) <= 100 else MALFORMED


def _event_name(encoded):
    """The event name at the start of a packet's JSON list, or None."""
    start = encoded.find("[")
    rest = encoded[start + 1:].lstrip() if start != -1 else ""
    if not rest.startswith('"'):
        return None  # (decoding anything but a string here could recurse again)
    try:
        name, _end = engineio_json.JSONDecoder().raw_decode(rest)
    except ValueError:
        return None
    return name


class Packet(packet.Packet):
    def __init__(self, *args, encoded_packet=None, **kwargs):
        super().__init__(*args, encoded_packet=encoded_packet, **kwargs)
        if encoded_packet is not None and len(encoded_packet) == 0:
            self._ignore()  # an empty message: python-socketio would not decode it at all

    def decode(self, encoded_packet):
        self.json = SocketJSON  # this packet only; see SocketJSON
        try:
            attachments = super().decode(encoded_packet)
        except JSONTooDeep:
            self._malformed(_event_name(encoded_packet))
            return 0
        except (ValueError, TypeError, AttributeError, IndexError, RecursionError):
            self._ignore()
            return 0
        if self.packet_type not in CLIENT_TYPES:
            self._ignore()
            return 0
        if self.packet_type in EVENTS:
            data = self.data
            if not (isinstance(data, list) and data and isinstance(data[0], str)):
                self._ignore()
                return 0
            if data[0] in RESERVED:
                self._ignore()
                return 0
            if len(data) > 2:  # every Koers event takes one payload
                self.data = [data[0], MALFORMED]
        return attachments

    def add_attachment(self, attachment):
        try:
            return super().add_attachment(attachment)
        except (ValueError, TypeError, IndexError, KeyError):
            self.attachment_count = len(self.attachments)
            name = self.data[0] if self.packet_type in EVENTS else IGNORED
            self.data = [name, MALFORMED]
            return True

    def _malformed(self, name):
        if self.packet_type == packet.CONNECT:
            self.data = MALFORMED  # the connect handler refuses it (bad_auth)
        elif self.packet_type in EVENTS and name is not None and name not in RESERVED:
            self.packet_type = packet.EVENT
            self.data = [name, MALFORMED]
        else:
            self._ignore()

    def _ignore(self):
        self.packet_type = packet.EVENT
        self.data = [IGNORED]
        self.id = None
        self.attachment_count = 0


def install():
    """Engine.IO frames that cannot be decoded become no-op packets (once per process).

    Engine.IO builds its packets with `engineio.packet.Packet` and offers no hook, so
    its `decode` is wrapped; well-formed frames are decoded exactly as before.
    """
    original = engineio_packet.Packet.decode
    if getattr(original, "koers_safe", False):
        return

    @functools.wraps(original)
    def decode(self, encoded_packet):
        try:
            return original(self, encoded_packet)
        except (ValueError, IndexError, TypeError, RecursionError):
            # RecursionError: a text frame that is not Socket.IO ("4[[[[…"), whose JSON
            # Engine.IO tries to read; Socket.IO frames it leaves to the Packet above.
            self.packet_type, self.data, self.binary = engineio_packet.NOOP, None, False
            return None

    decode.koers_safe = True
    engineio_packet.Packet.decode = decode
