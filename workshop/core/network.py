"""The address a phone on the same network should open."""

import fcntl
import ipaddress
import os
import socket
import struct

SIOCGIFADDR = 0x8915


def _interface_addresses():
    """IPv4 addresses of this machine's interfaces, read locally (no packet is sent)."""
    found = []
    for _index, name in socket.if_nameindex():
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            try:
                packed = fcntl.ioctl(
                    probe.fileno(), SIOCGIFADDR, struct.pack("256s", name[:15].encode())
                )
            except OSError:
                continue
        found.append(socket.inet_ntoa(packed[20:24]))
    return found


def _default_route_interface(route_table="/proc/net/route"):
    """The interface of the default route (Linux), read from the kernel's table."""
    try:
        with open(route_table) as table:
            for line in table.readlines()[1:]:
                fields = line.split()
                if len(fields) > 2 and fields[1] == "00000000":
                    return fields[0]
    except OSError:
        return None
    return None


def _address_of(interface):
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        packed = fcntl.ioctl(probe.fileno(), SIOCGIFADDR,
                             struct.pack("256s", interface[:15].encode()))
    return socket.inet_ntoa(packed[20:24])


def lan_address():
    """The address of the interface phones reach: the default route's, else the first
    private one (a Docker or VPN bridge is not what the room's Wi-Fi sees)."""
    interface = _default_route_interface()
    if interface:
        try:
            return _address_of(interface)
        except OSError:
            pass
    try:
        addresses = _interface_addresses()
    except OSError:
        addresses = []
    candidates = [ipaddress.ip_address(a) for a in addresses]
    candidates = [a for a in candidates if not (a.is_loopback or a.is_link_local)]
    candidates.sort(key=lambda a: (not a.is_private, str(a)))
    if candidates:
        return str(candidates[0])
    try:
        return socket.gethostbyname(socket.gethostname())
    except OSError:
        return "127.0.0.1"


def public_base_url(public_url, port, scheme="http"):
    """PUBLIC_URL when set, else http://<LAN address>:<port>."""
    if public_url:
        return public_url.rstrip("/")
    return f"{scheme}://{lan_address()}:{port}"


def configured_port():
    """The port `make run` (workshop/serve.py) listens on: PORT, else 5000."""
    return int(os.environ.get("PORT") or 5000)
