"""Addresses phones can reach: PUBLIC_URL, or this machine's LAN address."""

from urllib.parse import urlsplit

from flask import current_app, request

from workshop.core.network import lan_address

LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1", "0.0.0.0"}  # noqa: S104 (a name, not a bind)


def public_base():
    """The base URL to print on the projector and in QR codes."""
    configured = current_app.config.get("PUBLIC_URL")
    if configured:
        return configured
    parts = urlsplit(request.host_url)
    host = parts.hostname or "localhost"
    if host in LOCAL_HOSTS:
        host = lan_address()
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{host}{port}"


def join_url(workshop):
    return f"{public_base()}/j/{workshop.code}"
