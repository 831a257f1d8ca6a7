"""The address printed for phones: the default route's interface, not a bridge."""

from workshop.core import network

ROUTES = """Iface\tDestination\tGateway\tFlags\tRefCnt\tUse\tMetric\tMask
docker0\t000011AC\t00000000\t0001\t0\t0\t0\t0000FFFF
wlan0\t00000000\t0101A8C0\t0003\t0\t0\t600\t00000000
"""


def test_the_default_route_interface_wins_over_a_docker_bridge(tmp_path, monkeypatch):
    table = tmp_path / "route"
    table.write_text(ROUTES)
    assert network._default_route_interface(str(table)) == "wlan0"
    monkeypatch.setattr(network, "_default_route_interface", lambda: "wlan0")
    monkeypatch.setattr(network, "_address_of",
                        lambda name: {"wlan0": "192.168.1.23"}[name])
    assert network.lan_address() == "192.168.1.23"


def test_without_a_default_route_a_private_address_is_used(monkeypatch):
    monkeypatch.setattr(network, "_default_route_interface", lambda: None)
    monkeypatch.setattr(network, "_interface_addresses",
                        lambda: ["127.0.0.1", "8.8.4.4", "10.0.0.7"])
    assert network.lan_address() == "10.0.0.7"


def test_public_url_wins_over_the_lan_address():
    assert network.public_base_url("https://koers.example.org/", 5000) == (
        "https://koers.example.org")
