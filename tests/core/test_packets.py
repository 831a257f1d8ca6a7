"""How Koers reads clients' Socket.IO packets (core/packets.py): what python-socketio
would have turned into a traceback or a call of its connect/disconnect handler."""

import pytest
from engineio import packet as engineio_packet
from socketio import packet

from workshop.core import packets
from workshop.core.packets import IGNORED, MALFORMED, Packet


@pytest.mark.parametrize("frame", [
    "", "x", "9", "4", "4x", "2", "2[]", "2{}", '2"x"', "21", "2[1]", '2[["a"]]', "2[null]",
    '2["disconnect"]', '21["disconnect","client disconnect"]', '2["connect",{"role":"x"}]',
    '2["connect_error"]', '2["__disconnect_final"]', "2[" + "[" * 30_000, b"\x00\x01",
])
def test_packets_that_name_no_event_or_a_reserved_one_are_ignored(frame):
    decoded = Packet(encoded_packet=frame)
    assert (decoded.packet_type, decoded.data, decoded.id) == (packet.EVENT, [IGNORED], None)


@pytest.mark.parametrize("frame", [
    '21["add_dot",' + "[" * 30_000 + "]" * 30_000 + "]",
    '21["add_dot",' + '{"a":' * 20 + "1" + "}" * 20 + "]",
    '21["add_dot",{},{}]',
    '21["add_dot",{"proposal_id":' + "9" * 101 + "}]",
])
def test_too_deep_extra_arguments_and_long_numbers_are_a_malformed_payload(frame):
    decoded = Packet(encoded_packet=frame)
    assert decoded.packet_type == packet.EVENT and decoded.id == 1
    assert decoded.data[0] == "add_dot"
    payload = decoded.data[1]
    assert payload is MALFORMED or payload == {"proposal_id": MALFORMED}


def test_ordinary_packets_decode_as_before():
    decoded = Packet(encoded_packet='23["add_dot",{"cid":"cid-12345678","text":"[[{{"}]')
    assert (decoded.packet_type, decoded.id) == (packet.EVENT, 3)
    assert decoded.data == ["add_dot", {"cid": "cid-12345678", "text": "[[{{"}]
    assert Packet(encoded_packet='0{"workshop":1}').data == {"workshop": 1}
    # The class keeps plain JSON: the Redis queue between Koers' processes uses it.
    assert Packet.json is packet.Packet.json


def test_a_bad_binary_attachment_is_a_malformed_payload():
    decoded = Packet(encoded_packet='51-7["add_dot",{"_placeholder":true,"num":5}]')
    assert decoded.packet_type == packet.BINARY_EVENT
    assert decoded.add_attachment(b"\x00") is True
    assert decoded.data == ["add_dot", MALFORMED]


def test_engineio_frames_without_a_packet_type_become_no_ops():
    packets.install()
    for frame in ("", "x", "4" + "[" * 30_000):
        assert engineio_packet.Packet(encoded_packet=frame).packet_type == \
            engineio_packet.NOOP
    assert engineio_packet.Packet(encoded_packet="4hello").data == "hello"
