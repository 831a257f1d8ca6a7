"""Secret links (review rounds, the public progress page): tokens derived, not stored.

A link's token is an HMAC-SHA256 of a stored random nonce under SECRET_KEY, so a
facilitator can copy the link again while the database alone reveals no link; the
SHA-256 of the token is stored (unique) to find what the link opens.
"""

import base64
import hashlib
import hmac
import secrets

from flask import current_app


def token_hash(token):
    return hashlib.sha256(token.encode()).hexdigest()


def link_token(purpose, nonce):
    digest = hmac.new(current_app.config["SECRET_KEY"].encode(), f"{purpose}:{nonce}".encode(),
                      hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def new_link_secret(purpose):
    """(nonce, token, hash of the token) for a new link."""
    nonce = secrets.token_hex(16)
    token = link_token(purpose, nonce)
    return nonce, token, token_hash(token)


def plausible(token):
    """Cheap check before a lookup: a token is URL-safe text of a sane length."""
    return isinstance(token, str) and 20 <= len(token) <= 100
